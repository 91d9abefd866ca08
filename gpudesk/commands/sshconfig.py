"""`gpudesk ssh-config list|remove ALIAS`: the ssh aliases gpudesk keeps for OpenSSH.

``list`` shows every alias gpudesk wrote (``ssh ALIAS`` works in any terminal) and whether
the ``Include`` line is at the top of ``~/.ssh/config``; ``remove`` deletes one alias (its file
is kept as a ``.gpudesk-bak`` backup), and with the last one the Include line too.
"""

from __future__ import annotations

import argparse
from typing import Any

from gpudesk.commands.common import add_json_and_handler, print_json
from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.editor.sshentry import HostEntry
from gpudesk.core.errors import ExitCode


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``ssh-config`` subcommand with ``list`` and ``remove``."""
    parser = subparsers.add_parser("ssh-config", help="list or remove gpudesk's ssh aliases")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="show the aliases gpudesk wrote")
    add_json_and_handler(listing, run_list)
    remove = actions.add_parser("remove", help="remove an alias (and the Include with the last)")
    remove.add_argument("alias", metavar="ALIAS")
    add_json_and_handler(remove, run_remove)


def entry_as_json(entry: HostEntry) -> dict[str, Any]:
    """One alias as ``list --json`` prints it."""
    return {
        "alias": entry.alias,
        "host": entry.host,
        "port": entry.port,
        "user": entry.user,
        "identity_file": entry.identity_file,
        "host_key_alias": entry.host_key_alias,
    }


def run_list(args: argparse.Namespace) -> int:
    """Print the aliases."""
    config = SshConfig()
    entries = config.entries()
    include = config.has_include() if entries else None
    if args.json:
        print_json(
            {
                "config": str(config.config_path),
                "directory": str(config.directory),
                "include_at_top": include,
                "entries": [entry_as_json(e) for e in entries],
            }
        )
        return ExitCode.OK
    if not entries:
        print("gpudesk has written no ssh aliases yet (run `gpudesk setup`).")
        return ExitCode.OK
    width = max(len(e.alias) for e in entries)
    for e in entries:
        print(f"{e.alias:<{width}}  {e.user}@{e.host}:{e.port}  {e.identity_file or '(password)'}")
    if not include:
        comment, line = config.include_lines()
        print(f"\nwarning: {config.config_path} does not start with gpudesk's Include line:")
        print(f"  {comment}\n  {line}")
    return ExitCode.OK


def run_remove(args: argparse.Namespace) -> int:
    """Remove one alias."""
    changed = SshConfig().remove(args.alias)
    if args.json:
        print_json({"removed": args.alias, "changed": [str(p) for p in changed]})
    else:
        for path in changed:
            print(f"changed {path}")
    return ExitCode.OK
