"""Re-point a saved instance at a new address: same alias, new host, port and host key.

A power cycle can move a rented instance to another machine (AutoDL: new port, new host key,
new password), and a console may simply show a new command for the same instance.
:func:`repoint_instance` logs in at the new address and only then changes what gpudesk saved:
the instance's target in ``instances.json``, its ssh config host file (``ssh ALIAS`` follows),
and the pin of its host key. Saved tunnels and the monitor follow because they log in through
the saved instance by alias.

The new host key is treated as FIRST CONTACT, never as "changed": the caller's confirmation
is asked with its fingerprint (unless it equals the key already pinned), and nothing is
changed when it is declined (``HostKeyUnknownError``). The login is checked against a scratch
known_hosts, so the old pin stays in force until the new key is accepted.

Credentials: the instance's key first; when the key does not log in there (a fresh machine)
and a password is given, the key is installed with the password (like ``ssh-copy-id``) and a
key-only login is proved. A password saved in the keyring for the instance is updated.
"""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass
from pathlib import Path

import paramiko

from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.editor.sshentry import HostEntry
from gpudesk.core.errors import AuthenticationError, InputError
from gpudesk.core.keys.keyinstall import install_key_with_password
from gpudesk.core.keys.keypairs import default_comment, load_private_key_for_login
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.ssh.remote import (
    DEFAULT_TIMEOUTS,
    ConfirmHostKey,
    Credentials,
    Timeouts,
    connect,
)
from gpudesk.core.store.instances import Instance, InstanceStore
from gpudesk.core.store.secrets import SecretStore, secret_name

_SCRATCH_PIN = "repoint"


@dataclass(frozen=True)
class RepointResult:
    """What :func:`repoint_instance` did.

    Attributes:
        instance: The saved instance as it is now.
        moved: The address (host, port or user) changed.
        fingerprint: The SHA256 fingerprint of the host key now pinned.
        new_host_key: The key differs from the one pinned before (it was confirmed).
        key_installed: The instance's key was installed there with the password.
        changed_files: Files written (instances.json, the ssh host file, known_hosts).
    """

    instance: Instance
    moved: bool
    fingerprint: str
    new_host_key: bool
    key_installed: bool
    changed_files: tuple[Path, ...]


def repoint_instance(
    alias: str,
    target: SshTarget,
    *,
    password: str | None = None,
    confirm_new_host_key: ConfirmHostKey | None,
    secrets: SecretStore | None = None,
    store: InstanceStore | None = None,
    host_keys: HostKeyStore | None = None,
    ssh_config: SshConfig | None = None,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
) -> RepointResult:
    """Move the saved instance ``alias`` to ``target`` after a login there succeeded.

    Args:
        alias: The saved instance.
        target: The new address (a pasted command, or the platform API's endpoint). A missing
            identity file or forwards are taken from the saved instance.
        password: The login password at the new address, if known (the API's, or typed).
        confirm_new_host_key: Asked with the new host key unless it is the pinned one; None
            or False refuses it.
        secrets: Where the key's passphrase and the instance's password are kept.
        store: The saved instances. host_keys: gpudesk's known_hosts. ssh_config: the
            ssh config files. (Defaults: the app's own.)
        timeouts: Bounds of each login phase.

    Returns:
        What changed.

    Raises:
        InputError: Unknown alias, an unusable address, or neither key nor password.
        HostKeyUnknownError: The new host key was not accepted (nothing changed).
        AuthenticationError: Neither the key nor the password logged in.
        UnreachableError: The new address did not answer.
    """
    store = store or InstanceStore()
    host_keys = host_keys if host_keys is not None else HostKeyStore()
    ssh_config = ssh_config or SshConfig()
    instance = store.require(alias)
    new_target = dataclasses.replace(
        target,
        identity_file=target.identity_file or instance.target.identity_file,
        forwards=target.forwards or instance.target.forwards,
        platform_id=target.platform_id or instance.target.platform_id,
    )
    wanted = dataclasses.replace(instance, target=new_target)
    ssh_config.plan_write(HostEntry.from_instance(wanted))  # refuses a bad address up front
    pinned = host_keys.lookup(instance.host_key_alias)

    def confirm(presented: PresentedKey) -> bool:
        if pinned and (pinned.key_type, pinned.key_base64) == (
            presented.key_type,
            presented.key_base64,
        ):
            return True
        return confirm_new_host_key is not None and confirm_new_host_key(presented)

    with tempfile.TemporaryDirectory(prefix="gpudesk-repoint-") as scratch_dir:
        scratch = HostKeyStore(Path(scratch_dir) / "known_hosts")
        presented, installed = _log_in(wanted, password, secrets, scratch, confirm, timeouts)
    changed: list[Path] = []
    new_key = pinned is None or (pinned.key_type, pinned.key_base64) != (
        presented.key_type,
        presented.key_base64,
    )
    if new_key:
        host_keys.pin(instance.host_key_alias, presented)
        changed.append(host_keys.path)
    moved = (instance.target.host, instance.target.port, instance.target.user) != (
        new_target.host,
        new_target.port,
        new_target.user,
    )
    if wanted.target != instance.target:
        instance = store.update(wanted)
        changed.append(store.path)
    changed += ssh_config.write(HostEntry.from_instance(instance))
    if password and secrets is not None:
        name = secret_name("password", instance.instance_id)
        if secrets.get(name) is not None:
            secrets.set(name, password)
    return RepointResult(
        instance, moved, presented.fingerprint, new_key and pinned is not None, installed,
        tuple(changed),
    )  # fmt: skip


def _log_in(
    instance: Instance,
    password: str | None,
    secrets: SecretStore | None,
    scratch: HostKeyStore,
    confirm: ConfirmHostKey,
    timeouts: Timeouts,
) -> tuple[PresentedKey, bool]:
    """Log in at the instance's (new) target; returns the host key and whether a key was added."""
    key = _instance_key(instance, secrets)
    if key is not None:
        try:
            return _presented(instance, Credentials(key=key), scratch, confirm, timeouts), False
        except AuthenticationError:
            if not password:
                raise
        result = install_key_with_password(
            instance.target,
            password,
            key,
            pin_name=_SCRATCH_PIN,
            host_keys=scratch,
            comment=default_comment(),
            confirm_new_host_key=confirm,
            timeouts=timeouts,
        )
        if result.host_key is not None:
            return result.host_key.key, result.added
        pin = scratch.lookup(_SCRATCH_PIN)
        if pin is None:  # cannot happen: the install logged in, so the key was pinned
            raise AuthenticationError(
                "repoint.no_host_key",
                "The login left no host key.",
                "Paste the command again and retry.",
            )
        return PresentedKey(pin.key_type, pin.key_base64), result.added
    if not password:
        raise InputError(
            "repoint.no_credentials",
            f"{instance.alias} has no key and no password was given for its new address.",
            "Give the password the console shows for the instance.",
        )
    return _presented(instance, Credentials(password=password), scratch, confirm, timeouts), False


def _presented(
    instance: Instance,
    credentials: Credentials,
    scratch: HostKeyStore,
    confirm: ConfirmHostKey,
    timeouts: Timeouts,
) -> PresentedKey:
    with connect(
        instance.target,
        credentials,
        pin_name=_SCRATCH_PIN,
        host_keys=scratch,
        confirm_new_host_key=confirm,
        timeouts=timeouts,
    ) as connection:
        return connection.host_key.key


def _instance_key(instance: Instance, secrets: SecretStore | None) -> paramiko.PKey | None:
    path = instance.key_path or instance.target.identity_file
    if not path:
        return None
    return load_private_key_for_login(Path(path).expanduser(), secrets)
