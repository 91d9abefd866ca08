"""`gpudesk install-key CMD --identity KEY`: add a key on the instance, then log in with it.

Logs in with the password (host key checked first), appends the public key to
``~/.ssh/authorized_keys`` the careful way, and reports success only after a second login with
the key alone worked. Exit codes as for ``check``: 0 ok, 2 bad input, 3 authentication,
4 host key not accepted, 5 host key changed, 6 unreachable (1 for anything else, such as a
read-only home on the instance).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from gpudesk.commands.common import (
    add_login_arguments,
    ask_passphrase,
    host_key_confirmer,
    parse_target,
    password_from_args,
    print_json,
    progress_printer,
    target_json,
)
from gpudesk.core.errors import ExitCode, InputError
from gpudesk.core.keys.keyinstall import InstallResult
from gpudesk.core.keys.keypairs import inspect_private_key
from gpudesk.core.keys.keysetup import install_key_file, load_login_key
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore, pin_name_for_address
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.store.secrets import SecretStore, open_secret_store, secret_name


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``install-key`` subcommand."""
    parser = subparsers.add_parser(
        "install-key", help="add your key on the instance and switch to key login"
    )
    add_login_arguments(parser, identity=False)
    parser.add_argument(
        "--identity", metavar="KEY", required=True, help="the private key to install"
    )
    parser.add_argument(
        "--forget-password",
        action="store_true",
        help="after success, delete the password saved for this instance",
    )
    parser.set_defaults(handler=run)


def _password(args: argparse.Namespace, target: SshTarget) -> str:
    password = password_from_args(args, target)
    if password is not None:
        return password
    raise InputError(
        "cli.no_password",
        "Installing a key needs the instance's password, and there is no terminal to ask on.",
        "Use --password-stdin and pipe the password in.",
    )


def _forget_saved_passwords(target: SshTarget, store: SecretStore) -> list[str]:
    """Delete the passwords saved for instances at ``target``; return their aliases."""
    forgotten = []
    for instance in InstanceStore().list():
        saved = instance.target
        if (saved.user, saved.host, saved.port) == (target.user, target.host, target.port):
            store.delete(secret_name("password", instance.instance_id))
            forgotten.append(instance.alias)
    return forgotten


def run(args: argparse.Namespace) -> int:
    """Install the key and prove it; exit codes per :class:`ExitCode`."""
    target = parse_target(args.command)
    path = Path(args.identity).expanduser()
    inspect_private_key(path)  # a bad --identity is reported before the password is asked
    store, _warning = open_secret_store()  # falls back to memory: never a file
    key = load_login_key(path, store, remember=store.persistent, ask=ask_passphrase)
    password = _password(args, target)
    result = install_key_file(
        target,
        password,
        path,
        key,
        pin_name=pin_name_for_address(target),
        host_keys=HostKeyStore(),
        confirm_new_host_key=host_key_confirmer(args.accept_new_host_key),
        progress=progress_printer(not args.json),
    )
    forgotten = _forget_saved_passwords(target, store) if args.forget_password else []
    if args.json:
        print_json(result_as_json(result, target, path, forgotten))
    else:
        print(format_result(result, target, path, forgotten))
    return ExitCode.OK


def result_as_json(
    result: InstallResult, target: SshTarget, path: Path, forgotten: list[str]
) -> dict[str, Any]:
    """The JSON document `install-key --json` prints."""
    host_key = result.host_key
    return {
        "target": target_json(target),
        "key": {
            "path": str(path),
            "type": result.public_key.key_type,
            "fingerprint": result.fingerprint,
            "comment": result.public_key.comment,
        },
        "added": result.added,
        "already_present": not result.added,
        "created_ssh_dir": result.created_ssh_dir,
        "created_authorized_keys": result.created_authorized_keys,
        "added_newline": result.added_newline,
        "restorecon": result.restorecon,
        "verified": True,
        "warnings": list(result.warnings),
        "host_key": None
        if host_key is None
        else {
            "pin": host_key.pin_name,
            "type": host_key.key.key_type,
            "fingerprint": host_key.key.fingerprint,
        },
        "forgotten_passwords": forgotten,
    }


def format_result(
    result: InstallResult, target: SshTarget, path: Path, forgotten: list[str]
) -> str:
    """A readable summary of the install."""
    state = "added to" if result.added else "was already in"
    lines = [
        f"Key          {path} ({result.public_key.key_type} {result.fingerprint})",
        f"Installed    {state} ~/.ssh/authorized_keys of {target.user}@{target.address}",
        "Verified     logging in with the key alone works",
    ]
    lines += [f"Warning      {warning}" for warning in result.warnings]
    if forgotten:
        lines.append(f"Forgot       the saved password of {', '.join(forgotten)}")
    else:
        lines.append("You can now log in without the password (ssh -i KEY ...).")
    return "\n".join(lines)
