"""Key generation, discovery and loading (gpudesk.core.keys.keypairs), checked against ssh-keygen.

Every key here is made at test time in the test's own HOME; no private key is committed.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import paramiko
import pytest

from gpudesk.core.errors import InputError, SecretStoreError
from gpudesk.core.keys import keyperms
from gpudesk.core.keys.keypairs import (
    default_comment,
    find_keys,
    generate_key,
    inspect_private_key,
    load_private_key,
    load_private_key_for_login,
    public_key_of,
    read_public_key,
)
from gpudesk.core.store.secrets import KeyringSecretStore, MemorySecretStore, secret_name
from tests.fakes import BrokenKeyring
from tests.skipping import needs_tool

needs_ssh_keygen = needs_tool("ssh-keygen", "openssh-client")


def ssh_keygen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["ssh-keygen", *args], capture_output=True, text=True, timeout=30, check=False
    )


def keygen_fingerprint(path: Path) -> str:
    result = ssh_keygen("-lf", str(path))
    assert result.returncode == 0, result.stderr
    return result.stdout.split()[1]


def make_openssh_key(path: Path, key_type: str, passphrase: str = "", *extra: str) -> Path:
    result = ssh_keygen(
        "-q", "-t", key_type, "-N", passphrase, "-C", "made-by-ssh-keygen", "-f", str(path), *extra
    )
    assert result.returncode == 0, result.stderr
    return path


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- generating -------------------------------------------------------------------------


@needs_ssh_keygen
def test_ed25519_key_is_openssh_format_that_ssh_keygen_accepts(isolated_user_dirs: Path) -> None:
    key = generate_key()
    ssh_dir = isolated_user_dirs / ".ssh"
    assert key.private_path == ssh_dir / "gpudesk_ed25519"
    assert key.public_path == ssh_dir / "gpudesk_ed25519.pub"
    assert mode_of(ssh_dir) == 0o700
    assert mode_of(key.private_path) == 0o600
    assert key.private_path.read_bytes().startswith(b"-----BEGIN OPENSSH " + b"PRIVATE KEY-----\n")

    derived = ssh_keygen("-y", "-f", str(key.private_path))
    assert derived.returncode == 0, derived.stderr
    pub_text = key.public_path.read_text("ascii")
    assert pub_text == f"{derived.stdout.strip()} {default_comment()}\n"
    assert default_comment().startswith("gpudesk@")
    assert key.public_key.key_type == "ssh-ed25519"
    assert key.fingerprint == keygen_fingerprint(key.private_path)
    assert key.fingerprint == keygen_fingerprint(key.public_path)
    assert key.passphrase_saved is False

    loaded = load_private_key(key.private_path)
    assert isinstance(loaded, paramiko.Ed25519Key)
    assert public_key_of(loaded).fingerprint == key.fingerprint


@needs_ssh_keygen
def test_rsa_key_has_4096_bits() -> None:
    key = generate_key("rsa")
    assert key.private_path.name == "gpudesk_rsa"
    listing = ssh_keygen("-lf", str(key.private_path)).stdout.split()
    assert listing[0] == "4096"
    assert listing[-1] == "(RSA)"
    loaded = load_private_key(key.private_path)
    assert isinstance(loaded, paramiko.RSAKey)
    assert loaded.get_bits() == 4096


def test_existing_files_are_never_overwritten(isolated_user_dirs: Path) -> None:
    first = generate_key()
    before = first.private_path.read_bytes()
    second = generate_key()  # default name taken: the next free one
    assert second.private_path.name == "gpudesk_ed25519_2"
    assert first.private_path.read_bytes() == before

    with pytest.raises(InputError) as caught:
        generate_key(name="gpudesk_ed25519")
    assert caught.value.code == "keys.exists"
    assert first.private_path.read_bytes() == before

    # A lone .pub under the chosen name also blocks it, and nothing is written.
    lone = isolated_user_dirs / ".ssh" / "mine.pub"
    lone.write_text("ssh-ed25519 AAAA old\n")
    with pytest.raises(InputError, match="already exists"):
        generate_key(name="mine")
    assert not (isolated_user_dirs / ".ssh" / "mine").exists()
    assert lone.read_text() == "ssh-ed25519 AAAA old\n"


@pytest.mark.parametrize("name", ["../escape", "a/b", ".hidden", "-rf", "x.pub", "config", ""])
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(InputError) as caught:
        generate_key(name=name)
    assert caught.value.code == "keys.bad_name"


def test_unknown_type_and_empty_passphrase_are_refused() -> None:
    with pytest.raises(InputError, match="Unknown key type"):
        generate_key("dsa")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="passphrase is empty"):
        generate_key(passphrase="")


def test_private_file_is_created_0600_with_o_excl(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, int, int]] = []
    real_open = os.open

    def recording_open(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        calls.append((os.fspath(path), flags, mode))
        return real_open(path, flags, mode)

    monkeypatch.setattr(keyperms.os, "open", recording_open)
    old_umask = os.umask(0)  # a permissive umask must not widen the key
    try:
        key = generate_key()
    finally:
        os.umask(old_umask)
    _path, flags, mode = next(c for c in calls if c[0] == str(key.private_path))
    assert flags & os.O_CREAT and flags & os.O_EXCL and flags & os.O_NOFOLLOW
    assert mode == 0o600
    assert mode_of(key.private_path) == 0o600
    assert mode_of(key.public_path) == 0o644


def test_existing_ssh_dir_is_narrowed_to_0700(isolated_user_dirs: Path) -> None:
    ssh_dir = isolated_user_dirs / ".ssh"
    ssh_dir.mkdir(mode=0o755)
    ssh_dir.chmod(0o755)
    generate_key()
    assert mode_of(ssh_dir) == 0o700


@needs_ssh_keygen
def test_passphrase_encrypts_and_goes_to_the_keyring_only(tmp_path: Path) -> None:
    store = KeyringSecretStore()
    key = generate_key(passphrase="correct horse", secrets=store)
    assert key.passphrase_saved
    assert store.get(secret_name("passphrase", key.fingerprint)) == "correct horse"
    assert ssh_keygen("-y", "-P", "correct horse", "-f", str(key.private_path)).returncode == 0
    assert ssh_keygen("-y", "-P", "wrong", "-f", str(key.private_path)).returncode != 0
    # The passphrase is in no file but the (fake, test-only) keyring file.
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.name != "keyring.json":
            assert b"correct horse" not in path.read_bytes(), path
    assert "correct horse" in json.dumps(json.loads((tmp_path / "keyring.json").read_text()))

    info = inspect_private_key(key.private_path)
    assert (info.encrypted, info.fingerprint) == (True, key.fingerprint)
    assert load_private_key_for_login(key.private_path, store).get_base64() == (
        key.public_key.key_base64
    )


def test_a_failing_keyring_leaves_no_key_behind(isolated_user_dirs: Path) -> None:
    with pytest.raises(SecretStoreError):
        generate_key(passphrase="pw", secrets=KeyringSecretStore(BrokenKeyring()))
    assert list((isolated_user_dirs / ".ssh").iterdir()) == []


# --- loading ----------------------------------------------------------------------------


def test_wrong_passphrase_says_so_not_invalid_key() -> None:
    key = generate_key(passphrase="right")
    with pytest.raises(InputError) as caught:
        load_private_key(key.private_path, "wrong")
    assert caught.value.code == "key.wrong_passphrase"
    assert "Wrong passphrase" in caught.value.message
    assert "invalid" not in str(caught.value).lower()
    with pytest.raises(InputError) as missing:
        load_private_key(key.private_path)
    assert missing.value.code == "key.passphrase_required"
    assert load_private_key(key.private_path, "right").get_name() == "ssh-ed25519"


def test_stored_passphrase_that_no_longer_fits_names_the_keyring() -> None:
    store = MemorySecretStore()
    key = generate_key(passphrase="right")
    store.set(secret_name("passphrase", key.fingerprint), "stale")
    with pytest.raises(InputError, match="saved in the keyring") as caught:
        load_private_key_for_login(key.private_path, store)
    assert caught.value.code == "key.wrong_passphrase"
    # Typing the right one works and, with remember, replaces the stale entry.
    load_private_key_for_login(key.private_path, store, "right", remember=True)
    assert store.get(secret_name("passphrase", key.fingerprint)) == "right"


def test_public_key_given_instead_of_private() -> None:
    key = generate_key()
    with pytest.raises(InputError) as caught:
        load_private_key(key.public_path)
    assert caught.value.code == "key.public_given"
    assert "PUBLIC key" in caught.value.message
    assert str(key.private_path) in caught.value.hint


def test_unreadable_missing_and_non_key_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(InputError) as missing:
        load_private_key(tmp_path / "nope")
    assert missing.value.code == "key.unreadable"
    with pytest.raises(InputError) as directory:
        load_private_key(tmp_path)
    assert directory.value.code == "key.unreadable"

    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n")
    with pytest.raises(InputError) as not_key:
        load_private_key(notes)
    assert not_key.value.code == "key.not_private"

    ppk = tmp_path / "key.ppk"
    ppk.write_text("PuTTY-User-Key-File-3: ssh-ed25519\n")
    with pytest.raises(InputError, match="PuTTY"):
        load_private_key(ppk)

    # Root reads any file, so a permission error is simulated where the file is opened.
    key = generate_key()

    def denied(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(InputError) as caught:
        load_private_key(key.private_path)
    assert caught.value.code == "key.unreadable"
    assert "Permission denied" in caught.value.message


def test_damaged_key_is_invalid(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    label = "OPENSSH " + "PRIVATE KEY-----"  # split: no key-looking literal in the repo
    broken.write_text(f"-----BEGIN {label}\nAAAA\n-----END {label}\n")
    with pytest.raises(InputError) as caught:
        load_private_key(broken)
    assert caught.value.code == "key.invalid"


@needs_ssh_keygen
@pytest.mark.parametrize(
    ("key_type", "extra"),
    [("ed25519", ()), ("rsa", ("-b", "2048")), ("ecdsa", ()), ("rsa", ("-b", "2048", "-m", "PEM"))],
)
@pytest.mark.parametrize("passphrase", ["", "s3cret"])
def test_keys_made_by_ssh_keygen_load_with_matching_fingerprints(
    tmp_path: Path, key_type: str, extra: tuple[str, ...], passphrase: str
) -> None:
    path = make_openssh_key(tmp_path / f"id_{key_type}", key_type, passphrase, *extra)
    info = inspect_private_key(path)
    assert info.encrypted is bool(passphrase)
    assert info.fingerprint == keygen_fingerprint(path.with_name(path.name + ".pub"))
    assert info.comment == "made-by-ssh-keygen"
    loaded = load_private_key(path, passphrase or None)
    assert public_key_of(loaded).fingerprint == info.fingerprint
    if passphrase:
        with pytest.raises(InputError, match="Wrong passphrase"):
            load_private_key(path, "not it")


# --- finding ----------------------------------------------------------------------------


@needs_ssh_keygen
def test_find_keys_lists_private_keys_and_says_which_are_encrypted(
    isolated_user_dirs: Path,
) -> None:
    ssh_dir = isolated_user_dirs / ".ssh"
    plain = generate_key()
    locked = generate_key("ed25519", name="locked", passphrase="pw")
    pem = make_openssh_key(ssh_dir / "id_rsa", "rsa", "pw-long", "-b", "2048", "-m", "PEM")
    ecdsa = make_openssh_key(ssh_dir / "id_ecdsa", "ecdsa")
    for name, text in {
        "config": "Host x\n",
        "known_hosts": "h ssh-ed25519 AAAA\n",
        "notes": "not a key\n",
    }.items():
        (ssh_dir / name).write_text(text)
    (ssh_dir / "subdir").mkdir()

    found = {info.path.name: info for info in find_keys()}
    assert set(found) == {"gpudesk_ed25519", "locked", "id_rsa", "id_ecdsa"}
    assert found["gpudesk_ed25519"].encrypted is False
    assert found["gpudesk_ed25519"].fingerprint == plain.fingerprint
    assert found["gpudesk_ed25519"].comment == default_comment()
    assert found["locked"].encrypted is True
    assert found["locked"].fingerprint == locked.fingerprint
    assert found["id_rsa"].encrypted is True
    assert found["id_rsa"].key_type == "ssh-rsa"
    assert found["id_rsa"].fingerprint == keygen_fingerprint(pem.with_name("id_rsa.pub"))
    assert found["id_ecdsa"].key_type == "ecdsa-sha2-nistp256"
    assert found["id_ecdsa"].public_path == ecdsa.with_name("id_ecdsa.pub")


def test_find_keys_in_a_missing_folder_is_empty(tmp_path: Path) -> None:
    assert find_keys(tmp_path / "none") == []


def test_read_public_key_and_bad_public_keys(tmp_path: Path) -> None:
    pub = tmp_path / "k.pub"
    pub.write_text("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA me@host with spaces\n")
    key = read_public_key(pub)
    assert (key.key_type, key.comment) == ("ssh-ed25519", "me@host with spaces")
    assert key.line == "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA me@host with spaces"
    pub.write_text("ssh-ed25519 $(rm -rf ~)\n")
    with pytest.raises(InputError):
        read_public_key(pub)
