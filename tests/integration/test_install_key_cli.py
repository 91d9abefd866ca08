"""`gpudesk key generate|list` and `gpudesk install-key` as subprocesses, on a REAL sshd.

JSON output, exit codes (as for ``check``), remote files left alone on failure, and neither
the password nor a passphrase in any file under HOME or GPUDESK_HOME.
"""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import pytest

from gpudesk.core.errors import ExitCode
from gpudesk.core.keys.keypairs import generate_key
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey, pin_name_for_address
from gpudesk.core.store.secrets import KeyringSecretStore, secret_name
from tests.clihelpers import files_containing, run_gpudesk, ssh_command_for
from tests.integration.test_install_key import (
    clean_home_fixture,  # noqa: F401 (a fixture: pytest finds it by its name, clean_home)
    real_ssh,
    snapshot,
    target_of,
)
from tests.testbed.sshd import SshdServer, TestUser, generate_openssh_key, run_command

pytestmark = pytest.mark.sshd


def install_key(
    server: SshdServer, identity: str, password: str, *flags: str
) -> subprocess.CompletedProcess[str]:
    """``gpudesk install-key ... --json`` with the password on stdin."""
    return run_gpudesk(
        "install-key",
        ssh_command_for(server),
        "--identity",
        identity,
        "--password-stdin",
        *flags,
        "--json",
        stdin=password + "\n",
    )


def test_cli_generate_then_install_key_then_real_ssh(
    sshd: SshdServer, clean_home: TestUser, isolated_user_dirs: Path, tmp_path: Path
) -> None:
    generated = run_gpudesk("key", "generate", "--json")
    assert generated.returncode == 0, generated.stderr
    key = json.loads(generated.stdout)
    assert key["type"] == "ssh-ed25519"
    assert (
        key["fingerprint"]
        == run_command(["ssh-keygen", "-lf", key["private_key"]]).stdout.split()[1]
    )
    assert key["encrypted"] is False

    listed = json.loads(run_gpudesk("key", "list", "--json").stdout)
    assert [(k["path"], k["fingerprint"]) for k in listed] == [
        (key["private_key"], key["fingerprint"])
    ]

    installed = install_key(sshd, key["private_key"], clean_home.password, "--accept-new-host-key")
    assert installed.returncode == ExitCode.OK, installed.stderr
    data = json.loads(installed.stdout)
    assert data["verified"] is True and data["added"] is True
    assert data["key"]["fingerprint"] == key["fingerprint"]
    assert data["key"]["comment"].startswith("gpudesk@")
    assert data["host_key"]["fingerprint"] == sshd.host_key_fingerprint()
    assert real_ssh(sshd, Path(key["private_key"])).returncode == 0

    again = install_key(sshd, key["private_key"], clean_home.password)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["already_present"] is True

    for root in (isolated_user_dirs, tmp_path / "gpudesk"):
        assert files_containing(root, clean_home.password) == []


def test_cli_passphrase_from_stdin_goes_to_keyring_and_install_uses_it(
    sshd: SshdServer, clean_home: TestUser, isolated_user_dirs: Path, tmp_path: Path
) -> None:
    generated = run_gpudesk(
        "key",
        "generate",
        "--passphrase-stdin",
        "--name",
        "locked",
        "--json",
        stdin="pass phrase 1\n",
    )
    assert generated.returncode == 0, generated.stderr
    key = json.loads(generated.stdout)
    assert (key["encrypted"], key["passphrase_saved"]) == (True, True)
    installed = install_key(sshd, key["private_key"], clean_home.password, "--accept-new-host-key")
    assert installed.returncode == 0, installed.stderr
    for root in (isolated_user_dirs, tmp_path / "gpudesk"):
        assert files_containing(root, "pass phrase 1") == []
        assert files_containing(root, clean_home.password) == []


@pytest.mark.parametrize(
    ("setup", "exit_code", "message"),
    [
        ("public", ExitCode.BAD_INPUT, "PUBLIC key"),
        ("wrong_passphrase", ExitCode.BAD_INPUT, "Wrong passphrase"),
        ("missing", ExitCode.BAD_INPUT, "cannot be read"),
        ("wrong_password", ExitCode.AUTH_FAILED, "refused the password"),
        ("unknown_host", ExitCode.HOST_KEY_UNKNOWN, "not trusted yet"),
        ("changed_host", ExitCode.HOST_KEY_CHANGED, "CHANGED"),
        ("read_only_home", ExitCode.FAILURE, "read-only"),
    ],
)
def test_cli_failures_exit_with_check_codes_and_leave_remote_files_alone(
    sshd: SshdServer,
    clean_home: TestUser,
    tmp_path: Path,
    setup: str,
    exit_code: int,
    message: str,
) -> None:
    clean_home.write_file(".ssh/authorized_keys", "# existing\n", mode=0o600)
    key = generate_key(passphrase="right one" if setup == "wrong_passphrase" else None)
    identity, password, accept = str(key.private_path), clean_home.password, True
    if setup == "public":
        identity = str(key.public_path)
    elif setup == "missing":
        identity = str(tmp_path / "no-such-key")
    elif setup == "wrong_passphrase":
        KeyringSecretStore().set(secret_name("passphrase", key.fingerprint), "not the one")
    elif setup == "wrong_password":
        password = "not-" + password
    elif setup == "unknown_host":
        accept = False
    elif setup == "changed_host":
        impostor = generate_openssh_key(tmp_path / "impostor").split()
        HostKeyStore().pin(
            pin_name_for_address(target_of(sshd)), PresentedKey(impostor[0], impostor[1])
        )
    elif setup == "read_only_home":
        clean_home.remove(".ssh")
        clean_home.home.chmod(0o555)
    before = snapshot(clean_home)
    args = ["install-key", ssh_command_for(sshd), "--identity", identity, "--password-stdin"]
    result = run_gpudesk(
        *args, *(["--accept-new-host-key"] if accept else []), stdin=password + "\n"
    )
    assert result.returncode == exit_code, result.stderr
    assert message in result.stderr
    assert result.stdout == ""
    assert snapshot(clean_home) == before


def test_cli_unreachable_exits_6() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    key = generate_key()
    result = run_gpudesk(
        "install-key",
        f"ssh -p {port} someone@127.0.0.1",
        "--identity",
        str(key.private_path),
        "--password-stdin",
        stdin="pw\n",
    )
    assert result.returncode == ExitCode.UNREACHABLE, result.stderr
