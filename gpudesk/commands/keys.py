"""`gpudesk key generate|list|repair`: make, list and fix the permissions of SSH keys."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from gpudesk.commands.common import add_json_and_handler, interactive, print_json
from gpudesk.core.errors import ExitCode, InputError
from gpudesk.core.keys.keypairs import KeyInfo, find_keys, generate_key
from gpudesk.core.keys.keyperms import FileKind, repair_permissions
from gpudesk.core.store.secrets import open_secret_store


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``key`` subcommand and its ``generate``, ``list`` and ``repair`` actions."""
    key = subparsers.add_parser("key", help="make, list or repair SSH keys")
    actions = key.add_subparsers(dest="key_action", metavar="ACTION", required=True)

    generate = actions.add_parser("generate", help="make a new key pair in ~/.ssh")
    generate.add_argument(
        "--type",
        choices=("ed25519", "rsa"),
        default="ed25519",
        help="ed25519 (default) or rsa (4096 bits, for old servers)",
    )
    generate.add_argument("--name", help="file name in ~/.ssh (default: gpudesk_<type>)")
    secret = generate.add_mutually_exclusive_group()
    secret.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="protect the key with a passphrase read from standard input",
    )
    secret.add_argument(
        "--ask-passphrase",
        action="store_true",
        help="protect the key with a passphrase typed at a prompt",
    )
    add_json_and_handler(generate, run_generate)

    listing = actions.add_parser("list", help="list the private keys in ~/.ssh")
    add_json_and_handler(listing, run_list)

    repair = actions.add_parser(
        "repair", help="fix the permissions of a key or ssh config that OpenSSH refuses"
    )
    repair.add_argument("path", metavar="FILE", help="the private key or ~/.ssh/config")
    repair.add_argument("--config", action="store_true", help="FILE is an ssh config")
    add_json_and_handler(repair, run_repair)


def _read_passphrase(args: argparse.Namespace) -> str | None:
    if args.passphrase_stdin:
        passphrase = sys.stdin.readline().rstrip("\r\n")
        if not passphrase:
            raise InputError(
                "cli.empty_passphrase",
                "--passphrase-stdin was given but standard input held no passphrase.",
                "Pipe the passphrase in, or leave the option out for a key without one.",
            )
        return passphrase
    if args.ask_passphrase:
        if not interactive():
            raise InputError(
                "cli.no_terminal", "There is no terminal to ask on.", "Use --passphrase-stdin."
            )
        first = getpass.getpass("Passphrase for the new key: ")
        if first != getpass.getpass("Same passphrase again: "):
            raise InputError(
                "cli.passphrase_mismatch",
                "The two passphrases differ.",
                "Type the same passphrase twice.",
            )
        return first or None
    return None


def run_generate(args: argparse.Namespace) -> int:
    """Make a key pair; its passphrase (if any) goes to the keyring, never to a file."""
    passphrase = _read_passphrase(args)
    store, warning = open_secret_store() if passphrase else (None, None)
    keep = store if store is not None and store.persistent else None
    if passphrase and keep is None:
        warning = (warning or "") + " The passphrase is not saved: you will be asked for it."
    key = generate_key(args.type, name=args.name, passphrase=passphrase, secrets=keep)
    if args.json:
        print_json(
            {
                "private_key": str(key.private_path),
                "public_key": str(key.public_path),
                "type": key.public_key.key_type,
                "fingerprint": key.fingerprint,
                "comment": key.public_key.comment,
                "encrypted": passphrase is not None,
                "passphrase_saved": key.passphrase_saved,
                "warning": warning.strip() if warning else None,
            }
        )
    else:
        print(f"Private key  {key.private_path}")
        print(f"Public key   {key.public_path}")
        print(f"Fingerprint  {key.fingerprint} ({key.public_key.key_type})")
        if key.passphrase_saved:
            print("Passphrase   saved in the system keyring")
        if warning:
            print(f"gpudesk: {warning.strip()}", file=sys.stderr)
    return ExitCode.OK


def key_as_json(info: KeyInfo) -> dict[str, Any]:
    """One key of `key list --json`."""
    return {
        "path": str(info.path),
        "public_key": str(info.public_path) if info.public_path else None,
        "type": info.key_type,
        "fingerprint": info.fingerprint,
        "encrypted": info.encrypted,
        "comment": info.comment,
    }


def run_list(args: argparse.Namespace) -> int:
    """Print the private keys found in ~/.ssh."""
    keys = find_keys()
    if args.json:
        print_json([key_as_json(info) for info in keys])
        return ExitCode.OK
    if not keys:
        print("No private keys in ~/.ssh. Make one with: gpudesk key generate")
    for info in keys:
        lock = "  (passphrase)" if info.encrypted else ""
        print(f"{info.path}  {info.key_type}  {info.fingerprint or '?'}{lock}")
    return ExitCode.OK


def run_repair(args: argparse.Namespace) -> int:
    """Make a key (or config) private again so OpenSSH accepts it."""
    kind = FileKind.CONFIG if args.config else FileKind.PRIVATE_KEY
    report = repair_permissions(Path(args.path).expanduser(), kind)
    if args.json:
        print_json({"path": str(report.path), "changed": report.changed, "actions": report.actions})
    elif report.changed:
        print("\n".join(report.actions))
    else:
        print(f"{report.path}: permissions are already fine.")
    return ExitCode.OK
