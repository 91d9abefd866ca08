"""Removing a saved instance and everything gpudesk keeps for it, listed before it goes.

:func:`plan_instance_removal` gathers what belongs to one instance: its entry in
``instances.json`` (with its saved tunnels), its ssh alias file, its pinned host key and its
secrets in the keyring (login password, Jupyter token; never their values). The user sees
that list; :func:`remove_instance` then removes exactly it. The private key file and its
passphrase stay: a key may serve other instances, and it is the user's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.errors import InputError
from gpudesk.core.ssh.hostkeys import HostKeyStore
from gpudesk.core.store.instances import Instance, InstanceStore
from gpudesk.core.store.secrets import SecretKind, SecretStore, secret_name

log = logging.getLogger(__name__)

#: The secrets kept per instance (by its stable id); passphrases belong to keys, not here.
INSTANCE_SECRET_KINDS: tuple[SecretKind, ...] = ("password", "jupyter-token")


@dataclass(frozen=True)
class RemovalPlan:
    """What removing one instance takes away.

    Attributes:
        instance: The saved instance (its saved tunnels are in ``instance.tunnels``).
        ssh_entry: gpudesk's host file for its alias, or None when there is none.
        host_key_pinned: True when its host key is pinned in gpudesk's known_hosts.
        secrets: The kinds of secret stored for it (``"password"``, ``"jupyter-token"``).
    """

    instance: Instance
    ssh_entry: Path | None
    host_key_pinned: bool
    secrets: tuple[SecretKind, ...]

    @property
    def tunnel_names(self) -> tuple[str, ...]:
        """The names of its saved tunnels."""
        return tuple(str(t.get("name", "")) for t in self.instance.tunnels)


def plan_instance_removal(
    alias: str,
    *,
    store: InstanceStore,
    secrets: SecretStore,
    host_keys: HostKeyStore,
    ssh_config: SshConfig,
) -> RemovalPlan:
    """List what belongs to the instance ``alias`` (nothing is changed).

    Raises:
        InputError: There is no instance ``alias`` (``instance.not_found``).
    """
    instance = store.require(alias)
    entry = ssh_config.entry_path(alias)
    stored = tuple(
        kind
        for kind in INSTANCE_SECRET_KINDS
        if secrets.get(secret_name(kind, instance.instance_id)) is not None
    )
    return RemovalPlan(
        instance=instance,
        ssh_entry=entry if entry.exists() else None,
        host_key_pinned=host_keys.lookup(instance.host_key_alias) is not None,
        secrets=stored,
    )


def remove_instance(
    plan: RemovalPlan,
    *,
    store: InstanceStore,
    secrets: SecretStore,
    host_keys: HostKeyStore,
    ssh_config: SshConfig,
) -> None:
    """Remove what ``plan`` lists: the ssh alias, the saved instance, the pin, the secrets.

    The ssh alias goes first (a failure there leaves everything as it was); the saved
    instance next. The alias file is kept as a ``.gpudesk-bak`` backup.

    Raises:
        InputError: The instance is gone or changed since the plan was made.
        FileWriteError: A file could not be written.
        SecretStoreError: The keyring failed (the files are already changed).
    """
    instance = plan.instance
    current = store.get(instance.alias)
    if current is None or current.host_key_alias != instance.host_key_alias:
        raise InputError(
            "instance.changed",
            f"The instance {instance.alias!r} changed since the list was shown.",
            "Open the list again and check what will be removed.",
        )
    if plan.ssh_entry is not None and ssh_config.entry_path(instance.alias).exists():
        ssh_config.remove(instance.alias)
    store.remove(instance.alias)
    if plan.host_key_pinned and not _pin_shared(store, instance.host_key_alias):
        host_keys.forget(instance.host_key_alias)
    for kind in plan.secrets:
        secrets.delete(secret_name(kind, instance.instance_id))
    log.info("removed instance %s", instance.alias)


def _pin_shared(store: InstanceStore, host_key_alias: str) -> bool:
    """True when another saved instance uses the same pin name (never by design; be safe)."""
    return any(i.host_key_alias == host_key_alias for i in store.list())
