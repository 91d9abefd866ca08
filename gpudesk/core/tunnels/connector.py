"""The login callable of a saved instance, for the tunnel supervisor.

:func:`instance_connector` returns a function that logs in to an :class:`Instance` each time
it is called (first connect and every reconnect) through :func:`gpudesk.core.ssh.remote.connect`,
so the host key is checked against the instance's pin (``host_key_alias``) BEFORE any
credential is sent, every time. It never trusts a new key on its own: an unpinned key is a
:class:`~gpudesk.core.errors.HostKeyUnknownError` (the tunnel FAILS; pin it with ``check``),
unless the caller passes ``confirm_new_host_key`` (``--accept-new-host-key``).

Credentials are read when needed, so a password changed in the keyring is used at the next
reconnect: the key file ``instance.key_path`` (its passphrase from the secret store under
``passphrase:<key fingerprint>``, see :mod:`gpudesk.core.keys.keypairs`),
otherwise the password under
``password:<instance id>``.
"""

from __future__ import annotations

import threading
from pathlib import Path

import paramiko

from gpudesk.core.errors import InputError
from gpudesk.core.keys.keypairs import load_private_key_for_login
from gpudesk.core.ssh.hostkeys import HostKeyStore
from gpudesk.core.ssh.remote import ConfirmHostKey, Connection, Credentials, Timeouts, connect
from gpudesk.core.store.instances import Instance
from gpudesk.core.store.secrets import SecretStore, secret_name
from gpudesk.core.tunnels.link import ConnectFn

#: Reconnects should not hang on a dead address for long: the supervisor retries anyway.
TUNNEL_TIMEOUTS = Timeouts(connect=10.0, banner=10.0, auth=15.0, command=30.0)

#: Fastest first (measured in bench/tunnel.py): AES-GCM needs no separate MAC pass.
FAST_CIPHERS = ("aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr")


def prefer_fast_ciphers(transport: paramiko.Transport) -> None:
    """Put :data:`FAST_CIPHERS` first in ``transport``'s offer (before the handshake)."""
    options = transport.get_security_options()
    available = tuple(options.ciphers)
    first = tuple(c for c in FAST_CIPHERS if c in available)
    options.ciphers = first + tuple(c for c in available if c not in first)


def instance_connector(
    instance: Instance,
    *,
    secrets: SecretStore,
    host_keys: HostKeyStore | None = None,
    timeouts: Timeouts = TUNNEL_TIMEOUTS,
    confirm_new_host_key: ConfirmHostKey | None = None,
) -> ConnectFn:
    """A function logging in to ``instance`` (host key pinned as ``host_key_alias``).

    Args:
        instance: The saved instance.
        secrets: Where its password or key passphrase is kept.
        host_keys: The app's pins (default: the app-owned known_hosts).
        timeouts: Bounds of each login phase.
        confirm_new_host_key: Asked on first contact (``--accept-new-host-key``); None
            refuses an unpinned key. A CHANGED key is refused before it is ever asked.

    Returns:
        A callable returning a new authenticated :class:`Connection` per call; it raises
        ``AuthenticationError``, ``HostKeyChangedError``, ``HostKeyUnknownError``,
        ``UnreachableError`` or ``InputError`` (no usable credential).
    """
    store = host_keys if host_keys is not None else HostKeyStore()
    keys = _KeyCache()

    def connect_instance() -> Connection:
        credentials = _credentials(instance, secrets, keys)
        return connect(
            instance.target,
            credentials,
            pin_name=instance.host_key_alias,
            host_keys=store,
            confirm_new_host_key=confirm_new_host_key,
            timeouts=timeouts,
            prepare_transport=prefer_fast_ciphers,
        )

    return connect_instance


def _credentials(instance: Instance, secrets: SecretStore, keys: _KeyCache) -> Credentials:
    key_path = instance.key_path or instance.target.identity_file
    if key_path:
        return Credentials(key=keys.load(Path(key_path).expanduser(), secrets))
    password = secrets.get(secret_name("password", instance.instance_id))
    if password:
        return Credentials(password=password)
    raise InputError(
        "tunnel.no_credentials",
        f"No key and no saved password for {instance.alias}.",
        "Save the password (gpudesk asks for it when you connect), or choose a key.",
    )


class _KeyCache:
    """The instance's private key, loaded once per file version (a KDF run can take a second)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: tuple[Path, int, paramiko.PKey] | None = None

    def load(self, path: Path, secrets: SecretStore) -> paramiko.PKey:
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:
            stamp = -1  # the loader raises the readable error
        with self._lock:
            if self._cached and self._cached[:2] == (path, stamp):
                return self._cached[2]
            key = load_private_key_for_login(path, secrets)
            self._cached = (path, stamp, key)
            return key
