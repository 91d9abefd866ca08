"""Helpers shared by the subcommands: reading secrets, asking about host keys, printing."""

from __future__ import annotations

import argparse
import getpass
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gpudesk.core.catalog.platforms import default_catalog
from gpudesk.core.errors import InputError
from gpudesk.core.keys.keysetup import load_login_key
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import PresentedKey
from gpudesk.core.ssh.remote import ConfirmHostKey, Credentials
from gpudesk.core.ssh.sshcommand import parse_ssh_command
from gpudesk.core.store.secrets import open_secret_store


def add_login_arguments(
    parser: argparse.ArgumentParser, *, identity: bool = True, provider_instance: bool = False
) -> None:
    """The options every command that logs in with a pasted command shares.

    ``identity=False`` leaves out ``--identity`` for commands that define their own;
    ``provider_instance=True`` offers ``--instance autodl:ID`` instead of the command.
    """
    if provider_instance:
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("command", metavar="CMD", nargs="?", help="the ssh command")
        where.add_argument(
            "--instance", metavar="autodl:ID", help="read the login from the platform account"
        )
    else:
        parser.add_argument("command", metavar="CMD", help="the ssh command the console shows")
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    if identity:
        parser.add_argument("--identity", metavar="KEY", help="log in with this private key")
    add_accept_new_host_key(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")


def add_json_and_handler(
    parser: argparse.ArgumentParser, handler: Callable[[argparse.Namespace], int]
) -> None:
    """How a subcommand's options end: ``--json``, and the function that runs it."""
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=handler)


def add_accept_new_host_key(
    parser: argparse.ArgumentParser,
    help_text: str = "trust an instance's host key on first contact (never a changed one)",
) -> None:
    """``--accept-new-host-key``: trust a key on first contact, never a changed one."""
    parser.add_argument("--accept-new-host-key", action="store_true", help=help_text)


def parse_target(text: str) -> SshTarget:
    """Parse a pasted ssh command against the platform catalog."""
    return parse_ssh_command(text, default_catalog().platforms)


def read_password_stdin() -> str:
    """The first line of standard input, without its line ending."""
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise InputError(
            "cli.empty_password",
            "--password-stdin was given but standard input held no password.",
            "Pipe the password in, e.g.: printf '%s\\n' \"$PW\" | gpudesk check ...",
        )
    return password


def interactive() -> bool:
    """True when a person can answer prompts on this terminal."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def password_from_args(args: argparse.Namespace, target: SshTarget) -> str | None:
    """The password from --password-stdin, else asked on the terminal; None when neither can."""
    if args.password_stdin:
        return read_password_stdin()
    if interactive():
        return getpass.getpass(f"Password for {target.user}@{target.host}: ")
    return None


def credentials_from_args(args: argparse.Namespace, target: SshTarget) -> Credentials:
    """Build credentials from --identity / --password-stdin / a prompt."""
    identity = args.identity or target.identity_file
    if identity:
        path = Path(identity).expanduser()
        store, _warning = open_secret_store()
        return Credentials(key=load_login_key(path, store, ask=ask_passphrase))
    password = password_from_args(args, target)
    if password is not None:
        return Credentials(password=password)
    raise InputError(
        "cli.no_credentials",
        "No password or key was given and there is no terminal to ask on.",
        "Use --password-stdin (and pipe the password) or --identity KEY.",
    )


def ask_passphrase(path: Path) -> str | None:
    """Ask for a key's passphrase on the terminal; None when there is no terminal."""
    if not interactive():
        return None
    return getpass.getpass(f"Passphrase for {path}: ")


def host_key_confirmer(accept_new: bool) -> ConfirmHostKey:
    """Accept on first contact when --accept-new-host-key was given, else ask if possible."""

    def confirm(key: PresentedKey) -> bool:
        if accept_new:
            return True
        if not interactive():
            return False
        print(
            f"The instance's host key is new to gpudesk:\n  {key.key_type} {key.fingerprint}",
            file=sys.stderr,
        )
        answer = input("Trust it and continue? [y/N] ")
        return answer.strip().lower() in {"y", "yes"}

    return confirm


def target_json(target: SshTarget) -> dict[str, Any]:
    """Where a command logged in, as every ``--json`` document names it."""
    return {
        "user": target.user,
        "host": target.host,
        "port": target.port,
        "platform": target.platform_id,
    }


def print_json(data: Any) -> None:
    """Print one JSON document on standard output (never NaN or Infinity: not JSON)."""
    print(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))


def bounded_number(low: float, high: float, *, low_open: bool = False) -> Callable[[str], float]:
    """An argparse ``type``: a finite decimal number in ``[low, high]`` (``(low, high]``).

    ``inf``, ``nan``, ``1e400`` and digits such as ``²`` are refused with exit 2.
    """

    def parse(text: str) -> float:
        candidate = text.strip()
        try:
            value = float(candidate) if candidate.isascii() else math.nan
        except ValueError:
            value = math.nan
        too_low = value <= low if low_open else value < low
        if not math.isfinite(value) or too_low or value > high:
            side = "above" if low_open else "at least"
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a number {side} {low:g} and at most {high:g}"
            )
        return value

    return parse


def port_number(*, allow_zero: bool) -> Callable[[str], int]:
    """An argparse ``type``: a TCP port in ASCII digits (0 too when ``allow_zero``)."""

    def parse(text: str) -> int:
        low = 0 if allow_zero else 1
        if not (text.isascii() and text.isdigit()) or not low <= int(text) <= 65535:
            raise argparse.ArgumentTypeError(f"{text!r} is not a TCP port ({low} to 65535)")
        return int(text)

    return parse


def progress_printer(enabled: bool) -> Any:
    """A progress callback printing to stderr (silent when not enabled)."""

    def show(step: str) -> None:
        if enabled:
            print(f"… {step}", file=sys.stderr, flush=True)

    return show
