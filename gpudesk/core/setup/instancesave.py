"""Save a checked instance: the one way the wizard's Save step and ``gpudesk setup`` do it.

A new alias becomes a new instance with its own host-key pin (the key trusted for the
address during the check is copied under the instance's ``host_key_alias``, which its ssh
entry names). An alias that exists already is updated in place: its pin name, tunnels and
creation time are kept, the new login and what the check found replace the old. Saving what
is already saved writes nothing. The password goes to the keyring only when the caller asks,
under the instance's id, and is taken out again when the instance could not be saved.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from gpudesk.core.editor.vscode import validate_remote_path
from gpudesk.core.errors import GpuDeskError
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.store.secrets import SecretStore, secret_name

__all__ = [
    "SavedInstance",
    "merged_instance",
    "save_checked_instance",
    "saved_instance_at",
    "validate_workdir",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SavedInstance:
    """The instance as saved, and whether ``instances.json`` changed."""

    instance: Instance
    changed: bool


def saved_instance_at(saved: Iterable[Instance], target: SshTarget) -> Instance | None:
    """The instance in ``saved`` that logs in as ``target``'s user, host and port, if any.

    Set-up for such a login is an update of that instance (its name, pin and key kept).
    """
    login = (target.user, target.host, target.port)
    for instance in saved:
        at = instance.target
        if (at.user, at.host, at.port) == login:
            return instance
    return None


def validate_workdir(workdir: str | None) -> str | None:
    """The work folder as it will be saved (no trailing ``/``), or None when not given.

    Raises:
        InputError: ``vscode.bad_path``: not an absolute folder gpudesk can open.
    """
    if not workdir:
        return None
    return validate_remote_path(workdir.rstrip("/") or "/")


def merged_instance(existing: Instance | None, wanted: Instance) -> Instance:
    """What to save: ``wanted`` as a new instance, or merged into the saved ``existing``.

    For an existing alias the pin name, tunnels, auto-connect and creation time stay; the
    login and key are replaced; the other fields are replaced only where ``wanted`` has a
    value. A new instance without a pin name gets a fresh one.
    """
    if existing is None:
        if wanted.host_key_alias:
            return wanted
        return dataclasses.replace(wanted, host_key_alias=new_host_key_alias())
    return dataclasses.replace(
        existing,
        target=wanted.target,
        key_path=wanted.key_path or existing.key_path,
        platform_id=wanted.platform_id or existing.platform_id,
        gpu_model=wanted.gpu_model or existing.gpu_model,
        image_id=wanted.image_id or existing.image_id,
        price_per_hour=wanted.price_per_hour or existing.price_per_hour,
        workdir=wanted.workdir or existing.workdir,
    )


def save_checked_instance(
    wanted: Instance,
    *,
    checked_pin: str,
    store: InstanceStore,
    host_keys: HostKeyStore,
    secrets: SecretStore | None = None,
    password: str | None = None,
) -> SavedInstance:
    """Save (or update) the instance a check just logged in to.

    Args:
        wanted: The instance to save; an empty ``host_key_alias`` asks for a fresh one.
        checked_pin: The pin name the check trusted the host key under.
        store: The instance list.
        host_keys: The pinned host keys.
        secrets: Where to keep ``password`` (only with both given).
        password: The instance's password, to remember.

    Raises:
        InputError: A bad alias, work folder or pin name (nothing is written then).
        SecretStoreError: The keyring failed.
        FileWriteError: ``instances.json`` or the host-key file could not be written.
    """
    wanted = dataclasses.replace(wanted, workdir=validate_workdir(wanted.workdir))
    existing = store.get(wanted.alias)
    instance = merged_instance(existing, wanted)
    name = secret_name("password", instance.instance_id)
    keeper = secrets if password else None
    if keeper is not None:
        keeper.set(name, str(password))
    try:
        if existing is None:
            saved, changed = store.add(instance), True
        elif _same(existing, instance):
            saved, changed = existing, False
        else:
            saved, changed = store.update(instance), True
    except GpuDeskError:
        if keeper is not None:
            keeper.delete(name)
        raise
    if checked_pin != saved.host_key_alias:
        host_keys.copy(checked_pin, saved.host_key_alias)
    log.info("instance %s %s", saved.alias, "saved" if changed else "unchanged")
    return SavedInstance(saved, changed)


def _same(saved: Instance, wanted: Instance) -> bool:
    """Equal apart from the time stamps (which ``update`` sets)."""
    return dataclasses.replace(saved, created_at="", updated_at="") == dataclasses.replace(
        wanted, created_at="", updated_at=""
    )
