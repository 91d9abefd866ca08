"""`gpudesk setup "CMD" --alias NAME`: the back half of the wizard, headless.

Steps, each reported (``--json``: a list of ``{"step", "status", "detail", "changed"}``):

1. ``check``: log in (host key verified first; the alias's key when it already works, else
   the password) and probe the instance.
2. ``key``: ``--identity KEY``, else the alias's saved key, else ``~/.ssh/gpudesk_<alias>``
   (made with ``--new-key`` or when there is none; an existing one is reused).
3. ``install``: add the key on the instance and prove a key-only login (skipped when the
   key already logged in).
4. ``instance``: save or update the instance (nothing written when nothing changed).
5. ``ssh-config``: the alias for OpenSSH (``ssh NAME`` works in any terminal).
6. ``vscode``: ``remote.SSH.remotePlatform`` for every installed VS Code / Cursor.
7. ``sftp``: ``.vscode/sftp.json`` in ``--sftp-folder``.
8. ``verify``: the real ``ssh -F ~/.ssh/config -o BatchMode=yes NAME true`` (a warning only).

Statuses: ``changed``, ``unchanged``, ``skipped``, ``warning``, ``failed``. Running it again
for the same alias reuses its key and changes no file when nothing changed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paramiko

from gpudesk.commands.common import (
    add_login_arguments,
    ask_passphrase,
    host_key_confirmer,
    parse_target,
    password_from_args,
    print_json,
)
from gpudesk.core import paths
from gpudesk.core.editor.editorsetup import default_workdir
from gpudesk.core.editor.sftpjson import SftpTarget, sftp_json_path, write_sftp_json
from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.editor.sshentry import HostEntry
from gpudesk.core.editor.vscode import VSCODE_DOWNLOAD_URL, find_editors, set_remote_platform
from gpudesk.core.errors import (
    AuthenticationError,
    ExitCode,
    FileWriteError,
    GpuDeskError,
    InputError,
)
from gpudesk.core.keys.keypairs import generate_key
from gpudesk.core.keys.keysetup import install_key_file, load_login_key
from gpudesk.core.models import SshTarget
from gpudesk.core.providers.instanceref import login_from_account
from gpudesk.core.setup.instancesave import save_checked_instance, validate_workdir
from gpudesk.core.ssh.check import CheckResult, check_instance
from gpudesk.core.ssh.hostkeys import HostKeyStore, pin_name_for_address
from gpudesk.core.ssh.remote import Credentials
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias, validate_alias
from gpudesk.core.store.secrets import SecretStore, open_secret_store


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``setup`` subcommand."""
    parser = subparsers.add_parser(
        "setup", help="check, key, install, ssh alias, VS Code and sftp.json in one go"
    )
    add_login_arguments(parser, identity=False, provider_instance=True)
    parser.add_argument("--alias", required=True, metavar="NAME", help="e.g. autodl-4090")
    keys = parser.add_mutually_exclusive_group()
    keys.add_argument("--identity", metavar="KEY", help="use this private key")
    keys.add_argument("--new-key", action="store_true", help="make ~/.ssh/gpudesk_<alias>")
    parser.add_argument("--workdir", metavar="PATH", help="the folder to work in on the instance")
    parser.add_argument("--sftp-folder", metavar="DIR", help="write DIR/.vscode/sftp.json")
    parser.set_defaults(handler=run)


@dataclass
class Report:
    """The steps done so far, printed as they happen (text) or at the end (JSON)."""

    as_json: bool
    steps: list[dict[str, Any]] = field(default_factory=list)

    def add(self, step: str, status: str, detail: str, changed: list[Path] | None = None) -> None:
        item: dict[str, Any] = {"step": step, "status": status, "detail": detail}
        item["changed"] = [str(p) for p in changed or []]
        self.steps.append(item)
        if self.as_json:
            return
        if status == "failed":  # errors go to stderr only; the CLI adds message and hint
            print(f"✗ {step:<10} {status}", file=sys.stderr, flush=True)
            return
        mark = {"warning": "!", "skipped": "-"}.get(status, "✓")
        print(f"{mark} {step:<10} {status:<9} {detail}", flush=True)

    def finish(self, alias: str, error: GpuDeskError | None) -> int:
        if self.as_json:
            document: dict[str, Any] = {"alias": alias, "ok": error is None, "steps": self.steps}
            if error is not None:
                document["error"] = {
                    "code": error.code,
                    "message": error.message,
                    "hint": error.hint,
                }
            print_json(document)
        return ExitCode.OK if error is None else int(error.exit_code)


@dataclass
class Session:
    """What the steps share."""

    args: argparse.Namespace
    alias: str
    target: SshTarget
    store: InstanceStore
    host_keys: HostKeyStore
    secrets: SecretStore
    existing: Instance | None
    workdir: str | None
    password: str | None = field(default=None, repr=False)

    def get_password(self) -> str:
        if self.password is None:
            self.password = password_from_args(self.args, self.target)
        if self.password is None:
            raise InputError(
                "cli.no_password",
                "gpudesk needs the instance's password (to log in and install the key), "
                "and there is no terminal to ask on.",
                "Use --password-stdin and pipe the password in.",
            )
        return self.password


def run(args: argparse.Namespace) -> int:
    """Run every step; exit codes as for ``check``."""
    report = Report(args.json)
    step = "check"
    try:
        session = _session(args, validate_alias(args.alias))
        key_path, key_status = _choose_key(session)
        result, key_works = _check(session, key_path if key_status != "new" else None)
        gpu = result.report.gpus[0].name if result.report.gpus else "no GPU found"
        report.add("check", "ok", f"{session.target.user}@{session.target.address}, {gpu}")
        step = "key"
        if key_status == "new":
            key_path = generate_key("ed25519", name=key_path.name).private_path
        key = _load_key(key_path, session.secrets)
        report.add("key", "changed" if key_status == "new" else "unchanged", str(key_path))
        step = "install"
        if key_works:
            report.add("install", "unchanged", "the key already logs in")
        else:
            installed = install_key_file(
                session.target,
                session.get_password(),
                key_path,
                key,
                pin_name=result.host_key.pin_name,
                host_keys=session.host_keys,
                confirm_new_host_key=host_key_confirmer(args.accept_new_host_key),
            )
            detail = "key added, key-only login works" if installed.added else "already there"
            report.add("install", "changed" if installed.added else "unchanged", detail)
        step = "instance"
        instance, changed = _save_instance(session, result, key_path)
        report.add("instance", "changed" if changed else "unchanged", instance.alias)
        step = "ssh-config"
        _editor_steps(report, instance, args)
        _verify(report, instance.alias)
    except GpuDeskError as error:
        report.add(step, "failed", error.message)
        if not args.json:
            raise
        return report.finish(args.alias, error)
    return report.finish(args.alias, None)


def _session(args: argparse.Namespace, alias: str) -> Session:
    workdir = validate_workdir(args.workdir)  # before anything is saved or asked
    target, password = (
        login_from_account(args.instance, alias)
        if args.instance
        else (parse_target(args.command), None)
    )
    store = InstanceStore()
    existing = store.get(alias)
    # Refuse an alias the ssh config cannot take (another instance's, the user's own Host,
    # a BOM) before anything is changed on either side.
    pin = existing.host_key_alias if existing else new_host_key_alias()
    SshConfig().plan_write(HostEntry(alias, target.host, target.port, target.user, None, pin, "/"))
    secrets, _warning = open_secret_store()
    return Session(args, alias, target, store, HostKeyStore(), secrets, existing, workdir, password)


def _choose_key(session: Session) -> tuple[Path, str]:
    """The key to use and whether it is ``given``, ``saved``, ``reused`` or ``new`` (to make)."""
    args, existing = session.args, session.existing
    if args.identity:
        return Path(args.identity).expanduser().absolute(), "given"
    if existing is not None and existing.key_path and Path(existing.key_path).is_file():
        return Path(existing.key_path), "saved"
    if session.target.identity_file and not args.new_key:
        return Path(session.target.identity_file).expanduser().absolute(), "given"
    path = paths.ssh_dir() / f"gpudesk_{session.alias}"
    if path.is_file():
        return path, "reused"
    return path, "new"


def _load_key(path: Path, secrets: SecretStore) -> paramiko.PKey:
    return load_login_key(path, secrets, remember=secrets.persistent, ask=ask_passphrase)


def _check(session: Session, key_path: Path | None) -> tuple[CheckResult, bool]:
    """Check with the key when there is one (it may already work), else with the password.

    Returns:
        The check, and whether the key logged in.
    """
    existing = session.existing
    pin = existing.host_key_alias if existing else pin_name_for_address(session.target)
    confirm = host_key_confirmer(session.args.accept_new_host_key)

    def attempt(credentials: Credentials) -> CheckResult:
        return check_instance(
            session.target,
            credentials,
            pin_name=pin,
            directories=["~"],
            host_keys=session.host_keys,
            confirm_new_host_key=confirm,
        )

    if key_path is not None:
        key = _load_key(key_path, session.secrets)
        try:
            return attempt(Credentials(key=key)), True
        except AuthenticationError:
            pass
    return attempt(Credentials(password=session.get_password())), False


def _save_instance(session: Session, result: CheckResult, key_path: Path) -> tuple[Instance, bool]:
    target = session.target
    wanted = Instance(
        alias=session.alias,
        target=target,
        platform_id=target.platform_id,
        host_key_alias="",  # a fresh pin for a new alias; an existing one keeps its own
        key_path=str(key_path),
        gpu_model=result.report.gpus[0].name if result.report.gpus else None,
        workdir=session.workdir,
    )
    saved = save_checked_instance(
        wanted,
        checked_pin=result.host_key.pin_name,
        store=session.store,
        host_keys=session.host_keys,
    )
    return saved.instance, saved.changed


def _editor_steps(report: Report, instance: Instance, args: argparse.Namespace) -> None:
    """The ssh alias, VS Code settings and sftp.json (a broken settings.json only warns)."""
    changed = SshConfig().write(HostEntry.from_instance(instance))
    report.add("ssh-config", _status(changed), f"ssh {instance.alias}", changed)
    workdir = default_workdir(instance)
    editors = find_editors()
    if not editors:
        report.add("vscode", "skipped", f"VS Code not found ({VSCODE_DOWNLOAD_URL})")
    for editor in editors:
        try:
            done = (
                [editor.settings_path]
                if set_remote_platform(editor.settings_path, instance.alias)
                else []
            )
        except FileWriteError as error:
            report.add("vscode", "warning", f"{error.message} {error.hint}")
            continue
        report.add("vscode", _status(done), f"{editor.name}: {editor.settings_path}", done)
    if not args.sftp_folder:
        report.add("sftp", "skipped", "no --sftp-folder")
        return
    entry = HostEntry.from_instance(instance)
    target = SftpTarget(
        instance.alias,
        instance.target.host,
        instance.target.port,
        instance.target.user,
        entry.identity_file,
        workdir,
    )
    folder = Path(args.sftp_folder).expanduser().absolute()
    done = [sftp_json_path(folder)] if write_sftp_json(folder, target) else []
    report.add("sftp", _status(done), f"{sftp_json_path(folder)} (remotePath {workdir})", done)


def _status(changed: list[Path]) -> str:
    return "changed" if changed else "unchanged"


def _verify(report: Report, alias: str, run: Callable[..., Any] = subprocess.run) -> None:
    """Ask the real OpenSSH client to log in through the alias (a warning when it cannot)."""
    ssh = shutil.which("ssh")
    if ssh is None:
        report.add("verify", "skipped", "no ssh client on PATH")
        return
    config = paths.ssh_dir() / "config"
    argv = [ssh, "-F", str(config), "-o", "BatchMode=yes", "-o", "ConnectTimeout=15", alias, "true"]
    try:
        done = run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        report.add("verify", "warning", f"ssh {alias} did not finish: {exc}")
        return
    if done.returncode == 0:
        report.add("verify", "ok", f"ssh {alias} true")
    else:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        report.add("verify", "warning", f"ssh {alias} failed: {last}")
