"""The core services one running app uses, built once by the composition root.

Building them never waits: the keyring opens on a worker thread
(:class:`~gpudesk.core.store.openingsecrets.OpeningSecretStore`); ``secrets_warning`` is
filled in by the composition root once it is open (it awaits ``secrets.opened``).
"""

from __future__ import annotations

from dataclasses import dataclass

from gpudesk.core.catalog.platforms import Catalog, default_catalog
from gpudesk.core.ssh.hostkeys import HostKeyStore
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.store.openingsecrets import OpeningSecretStore
from gpudesk.core.store.secrets import SecretStore
from gpudesk.core.store.settings import Settings, load_settings


@dataclass
class Services:
    """What the windows need; views receive this and never build services themselves."""

    catalog: Catalog
    settings: Settings
    instances: InstanceStore
    host_keys: HostKeyStore
    secrets: SecretStore
    secrets_warning: str | None

    @classmethod
    def create(cls) -> Services:
        """Build the services from the app's files; the OS keyring opens in the background."""
        return cls(
            catalog=default_catalog(),
            settings=load_settings(),
            instances=InstanceStore(),
            host_keys=HostKeyStore(),
            secrets=OpeningSecretStore(),
            secrets_warning=None,
        )
