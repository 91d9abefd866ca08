"""After a power cycle, follow the instance where it landed: re-point its saved alias.

``running`` does not mean sshd answers yet, so the login at the new endpoint is retried with
backoff while it is unreachable. The new host key is first contact (asked, or accepted with
``--accept-new-host-key``), never "changed": see :func:`gpudesk.core.editor.repoint`.

:func:`following_connector` is the login of a saved instance for the tunnel supervisor and
the monitor that reads the instance afresh at every (re)connect, so tunnels that were up come
back up at the new address on their own once the alias is re-pointed.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from gpudesk.core.editor.repoint import RepointResult, repoint_instance
from gpudesk.core.errors import UnreachableError
from gpudesk.core.providers.model import Endpoint, Provider
from gpudesk.core.ssh.hostkeys import HostKeyStore
from gpudesk.core.ssh.remote import ConfirmHostKey, Connection
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.store.secrets import SecretStore
from gpudesk.core.tunnels.backoff import BackoffPolicy
from gpudesk.core.tunnels.connector import instance_connector
from gpudesk.core.tunnels.link import ConnectFn

#: Logins at the new endpoint while its sshd comes up: about two minutes in all.
LOGIN_BACKOFF = BackoffPolicy(first_delays_s=(1.0, 2.0, 4.0), factor=2.0, cap_s=15.0, jitter=0.1)
LOGIN_ATTEMPTS = 12


@dataclass(frozen=True)
class Followed:
    """Where the instance is now, and what re-pointing its alias did (None: not saved)."""

    endpoint: Endpoint
    repointed: RepointResult | None


def follow_instance(
    provider: Provider,
    instance_id: str,
    alias: str | None,
    *,
    confirm_new_host_key: ConfirmHostKey | None,
    secrets: SecretStore | None,
    platform_id: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
    attempts: int = LOGIN_ATTEMPTS,
) -> Followed:
    """Read the endpoint now; when ``alias`` is saved, re-point it there (retried while down).

    Raises:
        HostKeyUnknownError: The new host key was not accepted (the alias is unchanged).
        AuthenticationError, UnreachableError: The login at the new endpoint failed.
    """
    endpoint = provider.endpoint(instance_id)
    if alias is None:
        return Followed(endpoint, None)
    for attempt in range(attempts):
        try:
            result = repoint_instance(
                alias,
                endpoint.target(platform_id),
                password=endpoint.password,
                confirm_new_host_key=confirm_new_host_key,
                secrets=secrets,
            )
            return Followed(endpoint, result)
        except UnreachableError:
            if attempt + 1 >= attempts:
                raise
            sleep(LOGIN_BACKOFF.delay(attempt, random.random()))  # noqa: S311 - jitter only
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def following_connector(
    alias: str,
    *,
    secrets: SecretStore,
    store: InstanceStore | None = None,
    host_keys: HostKeyStore | None = None,
) -> ConnectFn:
    """A login for the tunnel supervisor that reads the saved ``alias`` at every call.

    A re-pointed instance (new address, new pinned host key) is then reached at its new
    address at the next reconnect, with the same host-key rules as ``instance_connector``.
    """
    instances = store or InstanceStore()

    def connect_current() -> Connection:
        return instance_connector(instances.require(alias), secrets=secrets, host_keys=host_keys)()

    return connect_current
