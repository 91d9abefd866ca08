"""Where passwords, passphrases and tokens live: the OS keyring, or memory for one session.

Secrets go only through a :class:`SecretStore`. :func:`open_secret_store` picks the system
keyring (Windows Credential Manager, macOS Keychain, the Secret Service on Linux) and falls
back to a :class:`MemorySecretStore` that forgets everything when gpudesk quits, with a
warning for the user. It never falls back to plain text: the ``keyrings.alt`` file backends
and keyring's ``fail``/``null`` backends count as "no keyring".

A secret value never appears in a repr, a str, a log line or an exception message.
"""

from __future__ import annotations

import logging
import threading
from typing import Literal, Protocol, runtime_checkable

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from gpudesk.core.errors import InputError, SecretStoreError

__all__ = [
    "MAX_SECRET_CHARS",
    "SERVICE_NAME",
    "KeyringSecretStore",
    "MemorySecretStore",
    "SecretKind",
    "SecretStore",
    "is_safe_backend",
    "open_secret_store",
    "secret_name",
]

log = logging.getLogger(__name__)

SERVICE_NAME = "gpudesk"
#: Windows Credential Manager holds at most 2560 bytes (~1280 UTF-16 code units); stay below.
MAX_SECRET_CHARS = 1200
SecretKind = Literal["password", "passphrase", "jupyter-token", "api-token"]
_KINDS: frozenset[str] = frozenset({"password", "passphrase", "jupyter-token", "api-token"})
_UNSAFE_MODULES = ("keyring.backends.fail", "keyring.backends.null")
_PROBE_NAME = "probe:gpudesk"


@runtime_checkable
class SecretStore(Protocol):
    """Get, set and delete secrets by name (see :func:`secret_name`)."""

    @property
    def persistent(self) -> bool:
        """True when secrets survive a restart of gpudesk."""
        ...

    @property
    def backend_name(self) -> str:
        """A short, human name of where secrets go (for the settings page and logs)."""
        ...

    def get(self, name: str) -> str | None:
        """Return the secret called ``name``, or None when there is none."""
        ...

    def set(self, name: str, value: str) -> None:
        """Store ``value`` as ``name``, replacing any previous value."""
        ...

    def delete(self, name: str) -> None:
        """Forget ``name``; deleting a missing secret is not an error."""
        ...


def secret_name(kind: SecretKind, key: str) -> str:
    """The name a secret is stored under: ``password:<instance id>`` and so on.

    Args:
        kind: ``"password"`` or ``"jupyter-token"`` (keyed by instance id), or
            ``"passphrase"`` (keyed by the key's SHA256 fingerprint), or ``"api-token"``
            (a cloud platform account's token or password, keyed by the provider id).
        key: The instance id or key fingerprint: not empty, no whitespace or control chars.

    Returns:
        ``"<kind>:<key>"``.

    Raises:
        InputError: Unknown kind or unusable key.
    """
    if kind not in _KINDS:
        raise InputError(
            "secrets.bad_name",
            f"Unknown kind of secret: {kind!r}.",
            "This is a bug in gpudesk: please report it.",
        )
    if not key or len(key) > 200 or any(c.isspace() or not c.isprintable() for c in key):
        raise InputError(
            "secrets.bad_name",
            "A secret needs a name without spaces or control characters.",
            "This is a bug in gpudesk: please report it.",
        )
    return f"{kind}:{key}"


def is_safe_backend(backend: KeyringBackend) -> bool:
    """False for backends that store in plain text or not at all.

    Refused: anything from ``keyrings.alt`` (its file backends are plain text or weakly
    encrypted), any backend whose class name says "Plaintext", and keyring's ``fail`` and
    ``null`` backends. A chainer is safe when it chains at least one safe backend (only those
    are then used, see :class:`KeyringSecretStore`).
    """
    cls = type(backend)
    module = cls.__module__
    if module.startswith("keyrings.alt") or module in _UNSAFE_MODULES:
        return False
    if "plaintext" in cls.__name__.lower():
        return False
    if module == "keyring.backends.chainer":
        return any(is_safe_backend(b) for b in _chained(backend))
    return True


def _chained(backend: KeyringBackend) -> list[KeyringBackend]:
    chained: list[KeyringBackend] = list(getattr(backend, "backends", []))
    return chained


def _check_value(value: str) -> None:
    if not isinstance(value, str):
        raise InputError(
            "secrets.bad_value", "A secret must be text.", "Type or paste it again as text."
        )
    utf16_units = len(value.encode("utf-16-le")) // 2
    if utf16_units > MAX_SECRET_CHARS:
        raise InputError(
            "secrets.too_long",
            f"That secret is {utf16_units} characters long; gpudesk stores at most "
            f"{MAX_SECRET_CHARS}.",
            "Use a shorter password or token (Windows Credential Manager cannot hold more).",
        )


class KeyringSecretStore:
    """Secrets in the system keyring under the service name ``gpudesk``.

    The keyring backend is loaded on first use, behind a lock, so constructing the store is
    cheap and never blocks. Calls may block (an unlock prompt, D-Bus): run them off the GUI
    thread.

    Args:
        backend: A keyring backend to use; None loads the active one (``keyring.get_keyring``,
            which honours ``PYTHON_KEYRING_BACKEND``).
        service: The keyring service name.
    """

    def __init__(self, backend: KeyringBackend | None = None, service: str = SERVICE_NAME) -> None:
        self._service = service
        self._backend = backend
        self._resolved: KeyringBackend | None = None
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"KeyringSecretStore(service={self._service!r}, backend={self.backend_name!r})"

    @property
    def persistent(self) -> bool:
        """Always True: the keyring keeps secrets across restarts."""
        return True

    @property
    def backend_name(self) -> str:
        """The keyring backend's class path, or ``"not loaded"`` before first use."""
        backend = self._resolved or self._backend
        if backend is None:
            return "not loaded"
        return f"{type(backend).__module__}.{type(backend).__name__}"

    def check(self) -> None:
        """Load the backend and read one (absent) entry to prove the keyring answers.

        Raises:
            SecretStoreError: No usable keyring (``secrets.no_keyring``) or it failed.
        """
        self.get(_PROBE_NAME)

    def get(self, name: str) -> str | None:
        """Return the secret called ``name``, or None when there is none.

        Raises:
            SecretStoreError: The keyring is missing, locked or failed.
        """
        backend = self._load()
        try:
            value: str | None = backend.get_password(self._service, name)
        except Exception as exc:
            raise _keyring_failure(exc, "read") from None
        return value

    def set(self, name: str, value: str) -> None:
        """Store ``value`` as ``name``.

        Raises:
            InputError: The value is too long for every keyring (over 1,200 characters).
            SecretStoreError: The keyring is missing, locked or failed.
        """
        _check_value(value)
        backend = self._load()
        try:
            backend.set_password(self._service, name, value)
        except Exception as exc:
            # The backend's own message might quote the value: report only its type.
            raise _keyring_failure(exc, "save") from None

    def delete(self, name: str) -> None:
        """Forget ``name``; a missing entry is fine.

        Raises:
            SecretStoreError: The keyring is missing, locked or failed.
        """
        backend = self._load()
        try:
            backend.delete_password(self._service, name)
        except keyring.errors.PasswordDeleteError:
            return
        except Exception as exc:
            raise _keyring_failure(exc, "delete") from None

    def _load(self) -> KeyringBackend:
        with self._lock:
            if self._resolved is not None:
                return self._resolved
            try:
                backend = self._backend if self._backend is not None else keyring.get_keyring()
            except Exception as exc:
                raise _keyring_failure(exc, "open") from None
            if not is_safe_backend(backend):
                raise _no_keyring(f"{type(backend).__module__}.{type(backend).__name__}")
            if type(backend).__module__ == "keyring.backends.chainer":
                # Use the best safe backend directly: the chainer might also hold unsafe ones.
                backend = next(b for b in _chained(backend) if is_safe_backend(b))
            self._resolved = backend
            log.debug("Secrets go to keyring backend %s", self.backend_name)
            return backend


class MemorySecretStore:
    """Secrets kept in this process only: gone when gpudesk quits (``persistent`` is False)."""

    def __init__(self) -> None:
        self._values: dict[str, str] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"MemorySecretStore({len(self._values)} secrets)"

    @property
    def persistent(self) -> bool:
        """Always False."""
        return False

    @property
    def backend_name(self) -> str:
        """``"memory"``."""
        return "memory"

    def get(self, name: str) -> str | None:
        """Return the secret called ``name``, or None."""
        with self._lock:
            return self._values.get(name)

    def set(self, name: str, value: str) -> None:
        """Store ``value`` as ``name`` until the process ends (same length limit as keyring).

        Raises:
            InputError: The value is over 1,200 characters.
        """
        _check_value(value)
        with self._lock:
            self._values[name] = value

    def delete(self, name: str) -> None:
        """Forget ``name``."""
        with self._lock:
            self._values.pop(name, None)


def open_secret_store(
    backend: KeyringBackend | None = None,
) -> tuple[SecretStore, str | None]:
    """Open the keyring, or a session-only memory store when there is no usable keyring.

    This loads the backend and reads one entry, which may block (an unlock prompt): call it
    off the GUI thread.

    Args:
        backend: A keyring backend to use instead of the active one (tests).

    Returns:
        The store, and None or a warning to show the user when secrets will not be kept.
    """
    store = KeyringSecretStore(backend)
    try:
        store.check()
    except SecretStoreError as exc:
        log.warning("No usable keyring (%s): secrets are kept for this session only", exc.code)
        return MemorySecretStore(), (
            f"{exc.message} Passwords and tokens are kept only until gpudesk quits. {exc.hint}"
        )
    return store, None


def _no_keyring(backend_name: str | None = None) -> SecretStoreError:
    detail = f" ({backend_name} stores secrets in plain text or not at all)" if backend_name else ""
    return SecretStoreError(
        "secrets.no_keyring",
        f"No secure system keyring is available{detail}.",
        "On Linux install and unlock a Secret Service such as GNOME Keyring or KWallet; "
        "gpudesk never stores secrets in plain text.",
    )


def _keyring_failure(exc: Exception, action: str) -> SecretStoreError:
    if isinstance(exc, keyring.errors.NoKeyringError):
        return _no_keyring()
    if isinstance(exc, keyring.errors.KeyringLocked):
        return SecretStoreError(
            "secrets.locked",
            f"The system keyring is locked, so gpudesk could not {action} a secret.",
            "Unlock your keyring (log in again or open your keyring app) and retry.",
        )
    log.warning("Keyring failed to %s a secret: %s", action, type(exc).__name__)
    return SecretStoreError(
        "secrets.failed",
        f"The system keyring could not {action} a secret ({type(exc).__name__}).",
        "Check that your keyring app is running and unlocked, then retry.",
    )
