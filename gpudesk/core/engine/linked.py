"""Saved instances linked to a platform account: their login follows them, they power off.

A saved instance linked to a platform instance (``accounts.json``, see
:mod:`gpudesk.core.providers.accounts`) may land elsewhere after a power cycle, and the
follower re-points its alias there. :class:`LinkedInstances` therefore gives such an instance
:func:`~gpudesk.core.providers.follow.following_connector` (the saved alias is read afresh at
every reconnect, so the tunnels come back at the new address on their own), and powers it off
through the platform's API. The links are read off the caller's thread (:meth:`refresh`) and
answered from memory after that.
"""

from __future__ import annotations

import logging
import threading

from gpudesk.core.errors import GpuDeskError
from gpudesk.core.providers.accounts import AccountBook, Link, open_provider
from gpudesk.core.providers.follow import following_connector
from gpudesk.core.providers.instanceref import ResolvedInstance, resolve_instance
from gpudesk.core.ssh.hostkeys import HostKeyStore
from gpudesk.core.store.instances import Instance, InstanceStore
from gpudesk.core.store.secrets import SecretStore
from gpudesk.core.tunnels import instance_connector
from gpudesk.core.tunnels.link import ConnectFn

log = logging.getLogger(__name__)


class LinkedInstances:
    """Which saved instances are platform instances, as last read; thread-safe.

    Args:
        store: Where the instances are saved (the following login reads it).
        secrets: The keyring (logins, and the account's token).
        host_keys: The app's pinned host keys.
        accounts: The platform accounts (default: ``accounts.json``).
    """

    def __init__(
        self,
        store: InstanceStore,
        secrets: SecretStore,
        host_keys: HostKeyStore | None = None,
        accounts: AccountBook | None = None,
    ) -> None:
        self.store = store
        self.secrets = secrets
        self.host_keys = host_keys
        self.accounts = accounts or AccountBook()
        self._lock = threading.Lock()
        self._links: dict[str, Link] = {}

    def refresh(self, instances: list[Instance]) -> None:
        """Re-read the links of ``instances`` (blocking: reads a file); a damaged file is
        logged and leaves no instance linked."""
        try:
            links = {i.alias: link for i in instances if (link := self.accounts.link_of(i))}
        except GpuDeskError as error:
            log.warning("cannot read the platform accounts: %s", error.message)
            links = {}
        with self._lock:
            self._links = links

    def link(self, alias: str) -> Link | None:
        """The link of ``alias`` as last read, or None (quick)."""
        with self._lock:
            return self._links.get(alias)

    def linked_aliases(self) -> frozenset[str]:
        """The aliases of the linked instances as last read (quick)."""
        with self._lock:
            return frozenset(self._links)

    def connector(self, instance: Instance) -> ConnectFn:
        """The login of ``instance``: following its saved alias when it is linked (quick)."""
        if self.link(instance.alias) is None:
            return instance_connector(instance, secrets=self.secrets, host_keys=self.host_keys)
        return following_connector(
            instance.alias, secrets=self.secrets, store=self.store, host_keys=self.host_keys
        )

    def power_off(self, alias: str) -> ResolvedInstance:
        """Power the platform instance of ``alias`` off through its API (blocking; the link
        is read afresh).

        Raises:
            InputError: ``provider.not_linked`` when ``alias`` is no platform instance;
                ``provider.not_connected`` when its account's token is gone.
            AuthenticationError, UnreachableError, PlatformRefusedError: the API's answer.
        """
        resolved = resolve_instance(alias, self.store, self.accounts)
        provider = open_provider(resolved.provider_id, self.secrets, self.accounts)
        provider.power_off(resolved.instance_id)
        return resolved
