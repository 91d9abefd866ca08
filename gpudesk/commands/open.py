"""`gpudesk open ALIAS [--path P]`: open the instance's folder in VS Code over Remote-SSH.

Runs ``code --folder-uri vscode-remote://ssh-remote+ALIAS/PATH`` (``code.cmd`` on Windows,
or Cursor with ``--editor cursor``) with an argument list. The folder is ``--path``, else the
instance's work folder, else its platform's (``/root/autodl-tmp`` on AutoDL), else the home.
The alias must be one gpudesk wrote into the ssh config (``gpudesk setup`` does that).
"""

from __future__ import annotations

import argparse
import sys

from gpudesk.commands.common import add_json_and_handler, print_json
from gpudesk.core.editor.editorsetup import default_workdir
from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.editor.vscode import (
    REMOTE_SSH_EXTENSION,
    find_editor,
    open_remote_folder,
    remote_ssh_installed,
    validate_remote_path,
)
from gpudesk.core.errors import ExitCode, InputError
from gpudesk.core.store.instances import InstanceStore, validate_alias


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``open`` subcommand."""
    parser = subparsers.add_parser("open", help="open the instance's folder in VS Code")
    parser.add_argument("alias", metavar="ALIAS")
    parser.add_argument("--path", metavar="P", help="the folder on the instance to open")
    parser.add_argument(
        "--editor", choices=("vscode", "cursor"), help="which editor (default: the first found)"
    )
    add_json_and_handler(parser, run)


def run(args: argparse.Namespace) -> int:
    """Open the folder; exit 2 for an unknown alias or a bad path, 1 without VS Code."""
    alias = validate_alias(args.alias)
    config = SshConfig()
    entry = config.get(alias)
    if entry is None:
        raise InputError(
            "open.unknown_alias",
            f"gpudesk has no ssh alias {alias!r}, so VS Code could not connect to it.",
            f'Set it up first: gpudesk setup "ssh -p PORT user@host" --alias {alias}',
        )
    instance = InstanceStore().get(alias)
    if args.path:
        folder = validate_remote_path(args.path)
    elif instance is not None:
        folder = default_workdir(instance)
    else:
        folder = "/root" if entry.user == "root" else f"/home/{entry.user}"
    editor = find_editor(args.editor)
    if not config.has_include():
        comment, include = config.include_lines()
        print(
            f"warning: {config.config_path} does not start with gpudesk's Include line, so "
            f"VS Code may not find {entry.alias}; put these lines at its top:\n"
            f"  {comment}\n  {include}",
            file=sys.stderr,
        )
    argv = open_remote_folder(editor, entry.alias, folder)
    extension = remote_ssh_installed(editor)
    if args.json:
        print_json({"alias": entry.alias, "folder": folder, "argv": argv, "remote_ssh": extension})
    else:
        print(f"Opening {entry.alias}:{folder} in {editor.name}")
        if extension is False:
            print(f"note: install the Remote - SSH extension ({REMOTE_SSH_EXTENSION}) first")
    return ExitCode.OK
