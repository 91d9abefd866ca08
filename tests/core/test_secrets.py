"""Tests of gpudesk.core.store.secrets: keyring or session memory, never plain text or leaked."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import keyring.backends.null
import pytest
from keyring.backend import KeyringBackend

from gpudesk.core.errors import InputError, SecretStoreError
from gpudesk.core.store.secrets import (
    MAX_SECRET_CHARS,
    KeyringSecretStore,
    MemorySecretStore,
    SecretStore,
    is_safe_backend,
    open_secret_store,
    secret_name,
)
from tests.fakes import BrokenKeyring, FileKeyring, NoKeyringKeyring, PlaintextLikeKeyring

SECRET = "hunter2-\u5bc6\u7801-s3cr3t"
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def keyring_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The fake keyring as the active backend; the real keychain is never loaded."""
    path = tmp_path / "keyring.json"
    monkeypatch.setenv("GPUDESK_HOME", str(tmp_path / "gpudesk"))
    monkeypatch.setenv("GPUDESK_TEST_KEYRING_FILE", str(path))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.fakes.FileKeyring")
    keyring.set_keyring(FileKeyring())
    yield path
    keyring.set_keyring(keyring.backends.fail.Keyring())


def _roundtrip(store: SecretStore) -> None:
    name = secret_name("password", "gpudesk-0123456789ab")
    assert store.get(name) is None
    store.set(name, SECRET)
    assert store.get(name) == SECRET
    store.set(name, "other")
    assert store.get(name) == "other"
    store.delete(name)
    assert store.get(name) is None
    store.delete(name)  # deleting twice is fine


def test_secret_name() -> None:
    assert secret_name("password", "gpudesk-ab") == "password:gpudesk-ab"
    assert secret_name("passphrase", "SHA256:abc/+") == "passphrase:SHA256:abc/+"
    assert secret_name("jupyter-token", "x") == "jupyter-token:x"
    for kind, key in (("pin", "x"), ("password", ""), ("password", "a b"), ("password", "a\nb")):
        with pytest.raises(InputError):
            secret_name(kind, key)  # type: ignore[arg-type]


def test_keyring_store_with_file_keyring(keyring_file: Path) -> None:
    store, warning = open_secret_store()
    assert warning is None
    assert isinstance(store, KeyringSecretStore)
    assert store.persistent is True
    assert store.backend_name == "tests.fakes.FileKeyring"
    _roundtrip(store)
    store.set("password:abc", SECRET)
    assert json.loads(keyring_file.read_text())["gpudesk"]["password:abc"] == SECRET


def test_backend_is_loaded_lazily(keyring_file: Path) -> None:
    store = KeyringSecretStore()
    assert store.backend_name == "not loaded"
    assert store.get("password:x") is None
    assert store.backend_name == "tests.fakes.FileKeyring"


def test_cli_subprocess_shares_the_fake_keyring(keyring_file: Path) -> None:
    KeyringSecretStore().set("jupyter-token:i1", SECRET)
    code = (
        "from gpudesk.core.store.secrets import open_secret_store;"
        f"s, w = open_secret_store(); print(w is None, s.get('jupyter-token:i1') == {SECRET!r})"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert out.stdout.split() == ["True", "True"]


def test_no_keyring_falls_back_to_memory_with_warning() -> None:
    store, warning = open_secret_store(NoKeyringKeyring())
    assert isinstance(store, MemorySecretStore)
    assert store.persistent is False
    assert warning is not None
    assert "No secure system keyring" in warning
    assert "only until gpudesk quits" in warning
    assert "Secret Service" in warning
    _roundtrip(store)


def test_no_keyring_error_from_store_calls() -> None:
    store = KeyringSecretStore(NoKeyringKeyring())
    with pytest.raises(SecretStoreError) as info:
        store.get("password:x")
    assert info.value.code == "secrets.no_keyring"
    assert info.value.hint


@pytest.mark.parametrize(
    "backend",
    [
        PlaintextLikeKeyring(),
        type("PlaintextKeyring", (PlaintextLikeKeyring,), {"__module__": "keyrings.alt.file"})(),
        type("EncryptedKeyring", (PlaintextLikeKeyring,), {"__module__": "keyrings.alt.file"})(),
        keyring.backends.fail.Keyring(),
        keyring.backends.null.Keyring(),
    ],
    ids=["plaintext-name", "alt-plaintext", "alt-encrypted", "fail", "null"],
)
def test_unsafe_backends_are_refused(backend: KeyringBackend) -> None:
    assert is_safe_backend(backend) is False
    store, warning = open_secret_store(backend)
    assert isinstance(store, MemorySecretStore)
    assert warning is not None and "plain text" in warning
    store.set("password:x", SECRET)
    if isinstance(backend, PlaintextLikeKeyring):
        assert backend.values == {}
        assert backend.calls == 0  # not even read from


def test_plaintext_backend_as_active_keyring_is_refused() -> None:
    keyring.set_keyring(PlaintextLikeKeyring())
    try:
        store, warning = open_secret_store()
    finally:
        keyring.set_keyring(keyring.backends.fail.Keyring())
    assert isinstance(store, MemorySecretStore) and warning


def test_chainer_uses_only_a_safe_backend(keyring_file: Path) -> None:
    class ChainerBackend(PlaintextLikeKeyring):
        __module__ = "keyring.backends.chainer"

    chainer = ChainerBackend()
    chainer.backends = [FileKeyring(), PlaintextLikeKeyring()]  # type: ignore[attr-defined]
    store = KeyringSecretStore(chainer)
    store.set("password:x", SECRET)
    assert store.backend_name == "tests.fakes.FileKeyring"
    assert json.loads(keyring_file.read_text())["gpudesk"]["password:x"] == SECRET
    only_unsafe = ChainerBackend()
    only_unsafe.backends = [PlaintextLikeKeyring()]  # type: ignore[attr-defined]
    assert is_safe_backend(only_unsafe) is False


def test_too_long_value_rejected_without_echo(keyring_file: Path) -> None:
    store = KeyringSecretStore()
    too_long = "k" * (MAX_SECRET_CHARS + 1)
    store.set("password:ok", "k" * MAX_SECRET_CHARS)
    for target in (store, MemorySecretStore()):
        with pytest.raises(InputError) as info:
            target.set("password:x", too_long)
        assert info.value.code == "secrets.too_long"
        assert too_long not in str(info.value) and "kkkk" not in repr(info.value)
    emoji = "\U0001f600" * (MAX_SECRET_CHARS // 2 + 1)  # 2 UTF-16 units each
    with pytest.raises(InputError):
        store.set("password:x", emoji)


def test_backend_errors_never_carry_the_secret() -> None:
    store = KeyringSecretStore(BrokenKeyring())
    with pytest.raises(SecretStoreError) as info:
        store.set("password:x", SECRET)
    err = info.value
    assert err.code == "secrets.failed"
    assert SECRET not in str(err) and SECRET not in repr(err) and SECRET not in err.hint
    assert err.__cause__ is None and err.__suppress_context__
    with pytest.raises(SecretStoreError) as info:
        store.get("password:x")
    assert info.value.code == "secrets.failed"


def test_broken_keyring_falls_back_on_open() -> None:
    store, warning = open_secret_store(BrokenKeyring())
    assert isinstance(store, MemorySecretStore)
    assert warning and "could not read" in warning


def test_repr_and_str_never_show_secrets(
    keyring_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    stores: list[SecretStore] = [KeyringSecretStore(), MemorySecretStore()]
    for store in stores:
        store.set("password:x", SECRET)
        assert SECRET not in repr(store) and SECRET not in str(store)
    assert repr(stores[1]) == "MemorySecretStore(1 secrets)"
    assert SECRET not in caplog.text


def test_stores_satisfy_the_protocol() -> None:
    assert isinstance(MemorySecretStore(), SecretStore)
    assert isinstance(KeyringSecretStore(PlaintextLikeKeyring()), SecretStore)
