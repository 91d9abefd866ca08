"""Installing a key on a REAL OpenSSH sshd (StrictModes yes), then logging in with it.

Keys are generated at test time. Each test starts and ends with no ``~/.ssh`` in the test
user's home, and the home back at mode 0755 (StrictModes refuses a writable home).
"""

from __future__ import annotations

import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from gpudesk.core.errors import AuthenticationError, RemoteCommandError
from gpudesk.core.keys.keyinstall import install_key_with_password
from gpudesk.core.keys.keypairs import generate_key, load_private_key, load_private_key_for_login
from gpudesk.core.keys.keyperms import repair_permissions
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey, pin_name_for_address
from gpudesk.core.ssh.remote import Credentials, connect
from gpudesk.core.store.secrets import KeyringSecretStore
from tests.testbed.sshd import SshdServer, TestUser, generate_openssh_key, run_command

pytestmark = pytest.mark.sshd


@pytest.fixture(name="clean_home")
def clean_home_fixture(test_user: TestUser) -> Iterator[TestUser]:
    """The test user with no ~/.ssh, before and after (modes and flags restored)."""

    def reset() -> None:
        ak = test_user.path(".ssh/authorized_keys")
        if ak.exists():
            run_command(["chattr", "-i", ak], check=False)
        test_user.home.chmod(0o755)
        test_user.remove(".ssh")

    reset()
    yield test_user
    reset()


def target_of(server: SshdServer) -> SshTarget:
    return SshTarget(user=server.user.name, host=server.host, port=server.port)


def pinned_store(server: SshdServer) -> HostKeyStore:
    store = HostKeyStore()
    key_type, key_base64 = server.host_key_line().split()
    store.pin(pin_name_for_address(target_of(server)), PresentedKey(key_type, key_base64))
    return store


def install(server: SshdServer, key_path: Path, passphrase: str | None = None) -> object:
    key = load_private_key(key_path, passphrase)
    return install_key_with_password(
        target_of(server),
        server.user.password,
        key,
        pin_name=pin_name_for_address(target_of(server)),
        host_keys=pinned_store(server),
        comment="gpudesk@test",
    )


def real_ssh(server: SshdServer, key_path: Path) -> subprocess.CompletedProcess[str]:
    return run_command(
        server.openssh_client_argv("echo key-ok", identity=key_path), check=False, timeout=20
    )


def snapshot(user: TestUser) -> dict[str, tuple[int, bytes | None]]:
    """Every path under ~/.ssh (and the home itself) with mode and content."""
    found: dict[str, tuple[int, bytes | None]] = {
        ".": (stat.S_IMODE(user.home.stat().st_mode), None)
    }
    ssh_dir = user.path(".ssh")
    if ssh_dir.exists():
        for path in [ssh_dir, *sorted(ssh_dir.rglob("*"))]:
            data = path.read_bytes() if path.is_file() else None
            found[str(path.relative_to(user.home))] = (stat.S_IMODE(path.stat().st_mode), data)
    return found


# --- the happy path -----------------------------------------------------------------------


def test_generated_key_installed_then_real_openssh_and_paramiko_log_in(
    sshd: SshdServer, clean_home: TestUser
) -> None:
    key = generate_key()
    assert real_ssh(sshd, key.private_path).returncode == 255  # not installed yet

    result = install(sshd, key.private_path)

    assert result.added and result.created_ssh_dir and result.created_authorized_keys
    assert result.fingerprint == key.fingerprint
    ssh_dir, ak = clean_home.path(".ssh"), clean_home.path(".ssh/authorized_keys")
    assert stat.S_IMODE(ssh_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(ak.stat().st_mode) == 0o600
    assert (ssh_dir.stat().st_uid, ak.stat().st_uid) == (clean_home.uid, clean_home.uid)
    assert ak.read_text() == f"{key.public_key.key_type} {key.public_key.key_base64} gpudesk@test\n"

    ssh = real_ssh(sshd, key.private_path)
    assert (ssh.returncode, ssh.stdout) == (0, "key-ok\n"), ssh.stderr
    sshd.wait_for_log(rf"Accepted publickey for {clean_home.name} from 127\.0\.0\.1 .* ED25519")

    with connect(
        target_of(sshd),
        Credentials(key=load_private_key(key.private_path)),
        pin_name=pin_name_for_address(target_of(sshd)),
        host_keys=pinned_store(sshd),
    ) as connection:
        assert connection.run("id -un").stdout.strip() == clean_home.name


def test_rsa_4096_key_works_with_real_openssh(sshd: SshdServer, clean_home: TestUser) -> None:
    key = generate_key("rsa")
    install(sshd, key.private_path)
    ssh = real_ssh(sshd, key.private_path)
    assert ssh.returncode == 0, ssh.stderr


def test_installing_twice_leaves_one_copy(sshd: SshdServer, clean_home: TestUser) -> None:
    key = generate_key()
    install(sshd, key.private_path)
    before = clean_home.path(".ssh/authorized_keys").read_bytes()
    second = install(sshd, key.private_path)
    assert second.added is False
    after = clean_home.path(".ssh/authorized_keys").read_bytes()
    assert after == before
    assert after.count(key.public_key.key_base64.encode()) == 1


def test_existing_authorized_keys_is_preserved_byte_for_byte(
    sshd: SshdServer, clean_home: TestUser, tmp_path: Path
) -> None:
    other = generate_openssh_key(tmp_path / "other", comment="someone-else")
    other_type, other_b64 = other.split()[:2]
    existing = (
        "# managed by hand\n"
        "\n"
        f'from="127.0.0.1",no-pty {other_type} {other_b64} with options\n'
        "   # an indented comment with ssh-ed25519 AAAA\n"
        f"{other_type} {other_b64}"  # no newline at the end
    ).encode()
    clean_home.write_file(".ssh/authorized_keys", existing, mode=0o600, dir_mode=0o700)
    key = generate_key()

    result = install(sshd, key.private_path)

    assert result.added and result.added_newline and not result.created_ssh_dir
    ours = f"{key.public_key.key_type} {key.public_key.key_base64} gpudesk@test\n"
    expected = existing + b"\n" + ours.encode()
    assert clean_home.path(".ssh/authorized_keys").read_bytes() == expected
    assert real_ssh(sshd, key.private_path).returncode == 0


def test_an_options_prefixed_copy_of_the_key_counts_as_installed(
    sshd: SshdServer, clean_home: TestUser
) -> None:
    key = generate_key()
    line = f'from="127.0.0.1",no-pty {key.public_key.key_type} {key.public_key.key_base64} old\n'
    clean_home.write_file(".ssh/authorized_keys", line, mode=0o600, dir_mode=0o700)
    result = install(sshd, key.private_path)
    assert result.added is False
    assert clean_home.read_file(".ssh/authorized_keys") == line


def test_loose_modes_are_fixed_to_700_and_600(sshd: SshdServer, clean_home: TestUser) -> None:
    clean_home.write_file(".ssh/authorized_keys", "# keys\n", mode=0o666, dir_mode=0o777)
    key = generate_key()
    install(sshd, key.private_path)
    assert stat.S_IMODE(clean_home.path(".ssh").stat().st_mode) == 0o700
    assert stat.S_IMODE(clean_home.path(".ssh/authorized_keys").stat().st_mode) == 0o600


def test_passphrase_key_round_trips_through_the_keyring(
    sshd: SshdServer, clean_home: TestUser
) -> None:
    store = KeyringSecretStore()  # the test keyring (tests.fakes.FileKeyring)
    key = generate_key(passphrase="open sesame", secrets=store)
    loaded = load_private_key_for_login(key.private_path, store)  # nothing typed
    assert loaded.get_base64() == key.public_key.key_base64
    result = install(sshd, key.private_path, "open sesame")
    assert result.added
    ssh_keygen = run_command(["ssh-keygen", "-y", "-P", "open sesame", "-f", key.private_path])
    assert ssh_keygen.stdout.split()[1] == key.public_key.key_base64


def test_a_private_key_openssh_refuses_works_after_repair(
    sshd: SshdServer, clean_home: TestUser
) -> None:
    key = generate_key()
    install(sshd, key.private_path)
    key.private_path.chmod(0o644)
    refused = real_ssh(sshd, key.private_path)
    assert refused.returncode == 255
    assert "UNPROTECTED PRIVATE KEY FILE" in refused.stderr
    assert repair_permissions(key.private_path).changed
    assert real_ssh(sshd, key.private_path).returncode == 0


# --- refusals leave the remote files as they were ----------------------------------------


def test_read_only_home_is_a_clear_error_and_nothing_changes(
    sshd: SshdServer, clean_home: TestUser
) -> None:
    key = generate_key()
    clean_home.home.chmod(0o555)
    before = snapshot(clean_home)
    with pytest.raises(RemoteCommandError) as caught:
        install(sshd, key.private_path)
    assert caught.value.code == "keyinstall.home_read_only"
    assert "read-only" in caught.value.message
    assert "Nothing was changed" in caught.value.message
    assert snapshot(clean_home) == before
    assert not clean_home.path(".ssh").exists()


def test_immutable_authorized_keys_is_a_clear_error_and_nothing_changes(
    sshd: SshdServer, clean_home: TestUser
) -> None:
    ak = clean_home.write_file(".ssh/authorized_keys", "# mine\nno newline", mode=0o600)
    run_command(["chattr", "+i", ak])
    key = generate_key()
    before = snapshot(clean_home)
    with pytest.raises(RemoteCommandError) as caught:
        install(sshd, key.private_path)
    assert caught.value.code == "keyinstall.authorized_keys_read_only"
    assert snapshot(clean_home) == before


def test_key_added_but_refused_by_strictmodes_is_not_reported_as_success(
    sshd: SshdServer, clean_home: TestUser
) -> None:
    key = generate_key()
    clean_home.home.chmod(0o757)  # world-writable home: sshd refuses keys (StrictModes)
    with pytest.raises(AuthenticationError) as caught:
        install(sshd, key.private_path)
    assert caught.value.code == "keyinstall.key_refused"
    assert "still refuses" in caught.value.message
