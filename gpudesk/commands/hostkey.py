"""`gpudesk forget-host-key NAME` and `gpudesk host-keys`: manage the app's pinned keys."""

from __future__ import annotations

import argparse

from gpudesk.commands.common import add_json_and_handler, print_json
from gpudesk.core.errors import ExitCode, InputError
from gpudesk.core.ssh.hostkeys import HostKeyStore


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``host-keys`` and ``forget-host-key`` subcommands."""
    listing = subparsers.add_parser("host-keys", help="list the host keys gpudesk has pinned")
    add_json_and_handler(listing, run_list)
    forget = subparsers.add_parser(
        "forget-host-key", help="forget a pinned host key (when a platform reused an address)"
    )
    forget.add_argument("name", help="the pin name, e.g. [connect.example.com]:10309")
    forget.set_defaults(handler=run_forget)


def run_list(args: argparse.Namespace) -> int:
    """Print every pin."""
    pins = HostKeyStore().pins()
    if args.json:
        print_json(
            [{"name": p.name, "type": p.key_type, "fingerprint": p.fingerprint} for p in pins]
        )
    else:
        for pin in pins:
            print(f"{pin.name}  {pin.key_type}  {pin.fingerprint}")
    return ExitCode.OK


def run_forget(args: argparse.Namespace) -> int:
    """Remove one pin; unknown names are a bad input."""
    if not HostKeyStore().forget(args.name):
        raise InputError(
            "hostkeys.not_pinned",
            f"No host key is pinned under {args.name}.",
            "List the pins with: gpudesk host-keys",
        )
    print(f"Forgot the host key of {args.name}.")
    return ExitCode.OK
