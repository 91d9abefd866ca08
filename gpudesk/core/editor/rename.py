"""Renaming a saved instance: its alias in ``instances.json`` and its ssh alias file.

The pinned host key and the secrets are kept under the instance's stable id
(:attr:`~gpudesk.core.store.instances.Instance.host_key_alias`), so they follow without a
change. The ssh alias is renamed first; when the instance file then refuses, the ssh alias
is renamed back, so a failure leaves both as they were.
"""

from __future__ import annotations

import logging

from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.errors import GpuDeskError
from gpudesk.core.store.instances import Instance, InstanceStore, alias_taken, validate_alias

log = logging.getLogger(__name__)


def rename_instance(old: str, new: str, *, store: InstanceStore, ssh_config: SshConfig) -> Instance:
    """Rename the instance ``old`` to ``new``; return the renamed instance.

    Raises:
        InputError: No instance ``old``; ``new`` invalid, or taken by an instance or by an
            alias in the user's own ssh config.
        FileWriteError: A file could not be written (nothing changed).
    """
    validate_alias(new)
    instance = store.require(old)
    if new == old:
        return instance
    if store.get(new) is not None:
        raise alias_taken(new)
    has_entry = ssh_config.entry_path(old).exists()
    if has_entry:
        ssh_config.rename(old, new)
    try:
        renamed = store.rename(old, new)
    except GpuDeskError:
        if has_entry:
            ssh_config.rename(new, old)
        raise
    log.info("renamed instance %s to %s", old, new)
    return renamed
