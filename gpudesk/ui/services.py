"""The core services one running app uses, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from gpudesk.core.catalog.platforms import Catalog, default_catalog
from gpudesk.core.ssh.hostkeys import HostKeyStore
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.store.secrets import SecretStore, open_secret_store
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
        """Build the services from the app's files and the OS keyring."""
        secrets, warning = open_secret_store()
        return cls(
            catalog=default_catalog(),
            settings=load_settings(),
            instances=InstanceStore(),
            host_keys=HostKeyStore(),
            secrets=secrets,
            secrets_warning=warning,
        )
