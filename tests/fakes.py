"""Fakes shared by the tests: the one place for stand-ins of things we must not touch.

Tests must never touch the developer's real keychain, so the keyring is replaced by
:class:`FileKeyring`, a FAKE that keeps secrets in a JSON file. The other keyrings here
simulate the situations gpudesk must survive: no keyring at all (:class:`NoKeyringKeyring`),
a keyring that stores plain text (:class:`PlaintextLikeKeyring`), one that fails
(:class:`BrokenKeyring`), and one that answers late (:class:`SlowKeyring`).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import keyring.errors
from keyring.backend import KeyringBackend
from keyring.compat import properties

from gpudesk.core.store.atomicfile import locked, write_json_atomically

KEYRING_FILE_ENV = "GPUDESK_TEST_KEYRING_FILE"


class FileKeyring(KeyringBackend):
    """A FAKE keyring for tests: secrets in the JSON file named by ``GPUDESK_TEST_KEYRING_FILE``.

    Tests must never touch the developer's real keychain. This backend stands in for it, and
    because the file path comes from the environment, CLI subprocesses started by a test share
    the same secrets. It is selected only explicitly, with
    ``PYTHON_KEYRING_BACKEND=tests.fakes.FileKeyring`` or ``keyring.set_keyring(FileKeyring())``;
    without the environment variable it is not viable, so keyring's auto-detection never picks
    it. Never use it outside tests: the file is plain text.
    """

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805 (keyring's classproperty passes the class)
        """1 when ``GPUDESK_TEST_KEYRING_FILE`` is set; otherwise not viable."""
        if not os.environ.get(KEYRING_FILE_ENV):
            raise RuntimeError(f"{KEYRING_FILE_ENV} is not set (FileKeyring is for tests only)")
        return 1

    @staticmethod
    def _path() -> Path:
        value = os.environ.get(KEYRING_FILE_ENV)
        if not value:
            raise RuntimeError(f"{KEYRING_FILE_ENV} is not set (FileKeyring is for tests only)")
        return Path(value)

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            data: dict[str, dict[str, str]] = json.loads(self._path().read_text("utf-8"))
        except FileNotFoundError:
            return {}
        return data

    def get_password(self, service: str, username: str) -> str | None:
        """Return the stored secret or None."""
        return self._load().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        """Store a secret (read-modify-write under the file's lock)."""
        with locked(self._path()):
            data = self._load()
            data.setdefault(service, {})[username] = password
            write_json_atomically(self._path(), data)

    def delete_password(self, service: str, username: str) -> None:
        """Delete a secret; raise PasswordDeleteError when there is none, as real backends do."""
        with locked(self._path()):
            data = self._load()
            if username not in data.get(service, {}):
                raise keyring.errors.PasswordDeleteError("not found")
            del data[service][username]
            write_json_atomically(self._path(), data)


class _ExplicitOnly(KeyringBackend):
    """Base of the fakes below: never viable, so only used when a test passes one in."""

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805
        """Not viable: keyring's auto-detection must never pick a fake."""
        raise RuntimeError("test fake: only used explicitly")

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}
        self.calls = 0

    def get_password(self, service: str, username: str) -> str | None:
        """Return the stored secret or None."""
        self.calls += 1
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        """Store a secret in memory."""
        self.calls += 1
        self.values[(service, username)] = password


class PlaintextLikeKeyring(_ExplicitOnly):
    """Looks like ``keyrings.alt.file.PlaintextKeyring``: gpudesk must refuse it."""


class NoKeyringKeyring(_ExplicitOnly):
    """A headless Linux box without a Secret Service: every call raises NoKeyringError."""

    def get_password(self, service: str, username: str) -> str | None:
        """Raise NoKeyringError."""
        raise keyring.errors.NoKeyringError("No recommended backend was available.")

    def set_password(self, service: str, username: str, password: str) -> None:
        """Raise NoKeyringError."""
        raise keyring.errors.NoKeyringError("No recommended backend was available.")


class BrokenKeyring(_ExplicitOnly):
    """A keyring whose errors quote the secret: gpudesk must not pass the message on."""

    def set_password(self, service: str, username: str, password: str) -> None:
        """Raise an error that leaks the password in its message."""
        raise keyring.errors.PasswordSetError(f"cannot store {password}")

    def get_password(self, service: str, username: str) -> str | None:
        """Raise a generic backend error."""
        raise keyring.errors.KeyringError("dbus went away")


class SlowKeyring(FileKeyring):
    """A FAKE keyring that answers every call only after ``delay_s`` (an unlock prompt, a busy
    D-Bus): anything that calls it on the GUI thread freezes the window that long."""

    delay_s = 2.5

    def get_password(self, service: str, username: str) -> str | None:
        """The stored secret, late."""
        time.sleep(self.delay_s)
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        """Store the secret, late."""
        time.sleep(self.delay_s)
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        """Forget the secret, late."""
        time.sleep(self.delay_s)
        super().delete_password(service, username)
