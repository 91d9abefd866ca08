"""`gpudesk parse CMD [--json]`: show what a pasted ssh command means."""

from __future__ import annotations

import argparse

from gpudesk.commands.common import add_json_and_handler, parse_target, print_json, target_json
from gpudesk.core.errors import ExitCode


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``parse`` subcommand."""
    parser = subparsers.add_parser("parse", help="parse the ssh command a console shows")
    parser.add_argument("command", metavar="CMD", help="e.g. 'ssh -p 10309 root@host'")
    add_json_and_handler(parser, run)


def run(args: argparse.Namespace) -> int:
    """Parse and print; bad input raises InputError (exit 2, message on stderr)."""
    target = parse_target(args.command)
    data = {
        **target_json(target),
        "identity_file": target.identity_file,
        "forwards": [
            {"local_port": f.local_port, "remote_host": f.remote_host, "remote_port": f.remote_port}
            for f in target.forwards
        ],
    }
    if args.json:
        print_json(data)
    else:
        print(f"user:     {target.user}")
        print(f"host:     {target.host}")
        print(f"port:     {target.port}")
        print(f"platform: {target.platform_id or 'unknown'}")
        if target.identity_file:
            print(f"identity: {target.identity_file}")
        for forward in target.forwards:
            print(
                f"forward:  127.0.0.1:{forward.local_port} -> "
                f"{forward.remote_host}:{forward.remote_port}"
            )
    return ExitCode.OK
