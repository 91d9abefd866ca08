"""The secret store that opens the keyring on a worker thread: usable at once, never blocking
the two questions a window asks while it builds, and honest once the keyring answered.

The openers here are FAKES standing in for a keyring that is slow to answer (an unlock
prompt) or missing; the stores they return are the real ones.
"""

from __future__ import annotations

import threading

import pytest

from gpudesk.core.errors import SecretStoreError
from gpudesk.core.store.openingsecrets import Opened, OpeningSecretStore
from gpudesk.core.store.secrets import MemorySecretStore, SecretStore


class HeldOpener:
    """Opens only when the test lets it (an unlock prompt the user has not answered yet)."""

    def __init__(self, store: SecretStore, warning: str | None = None) -> None:
        self.store, self.warning = store, warning
        self.release = threading.Event()

    def __call__(self) -> Opened:
        assert self.release.wait(30)
        return self.store, self.warning


def test_usable_at_once_and_reads_wait_for_the_keyring() -> None:
    opener = HeldOpener(MemorySecretStore())
    store = OpeningSecretStore(opener)
    assert store.persistent and store.backend_name == "opening"  # answered, not waited for
    assert not store.opened.done()
    got: list[str | None] = []
    reader = threading.Thread(target=lambda: got.append(store.get("password:x")))
    reader.start()
    reader.join(0.2)
    assert reader.is_alive() and got == []  # waits for the keyring, off the GUI thread
    opener.release.set()
    reader.join(30)
    assert got == [None]
    store.set("password:x", "s3cret")
    assert store.get("password:x") == "s3cret"
    store.delete("password:x")
    assert store.get("password:x") is None


def test_a_missing_keyring_says_so_once_open() -> None:
    opener = HeldOpener(MemorySecretStore(), "No secure system keyring is available.")
    opener.release.set()
    store = OpeningSecretStore(opener)
    _inner, warning = store.wait(30)
    assert warning == "No secure system keyring is available."
    assert not store.persistent and store.backend_name == "memory"


def test_a_failed_opening_reaches_whoever_uses_a_secret() -> None:
    def broken() -> Opened:
        raise SecretStoreError("secrets.failed", "The system keyring could not open.")

    store = OpeningSecretStore(broken)
    with pytest.raises(SecretStoreError):
        store.get("password:x")
    assert store.backend_name == "unavailable" and not store.persistent
