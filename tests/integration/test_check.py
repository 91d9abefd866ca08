"""`gpudesk check` and the connect/probe core against a REAL OpenSSH sshd on 127.0.0.1.

Only ``nvidia-smi`` is a stand-in (no GPU on this machine): the test bed's script prints the
real ``--query-gpu`` CSV format.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from gpudesk.core.errors import ExitCode, HostKeyChangedError, UnreachableError
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.check import check_instance
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey, pin_name_for_address
from gpudesk.core.ssh.remote import Credentials, Timeouts
from tests.clihelpers import files_containing, run_gpudesk, ssh_command_for
from tests.testbed.sshd import SshdServer, TestUser

pytestmark = pytest.mark.sshd


def test_check_with_password_pins_key_and_reports_gpu(
    sshd: SshdServer, test_user: TestUser, fake_nvidia_smi: object, tmp_path: Path
) -> None:
    result = run_gpudesk(
        "check",
        ssh_command_for(sshd),
        "--password-stdin",
        "--accept-new-host-key",
        "--json",
        stdin=test_user.password + "\n",
    )
    assert result.returncode == ExitCode.OK, result.stderr
    data = json.loads(result.stdout)
    assert data["target"] == {
        "user": test_user.name,
        "host": "127.0.0.1",
        "port": sshd.port,
        "platform": None,
    }
    assert data["host_key"]["fingerprint"] == sshd.host_key_fingerprint()
    assert data["host_key"]["newly_pinned"] is True
    report = data["report"]
    assert report["gpus"][0]["name"] == "NVIDIA GeForce RTX 4090"
    assert report["gpus"][0]["memory_total_mib"] == 24564
    assert report["driver_version"] == "535.104.05"
    assert report["cuda_version"] == "12.2"
    assert report["python_version"].startswith("3.")
    assert report["hostname"] == socket.gethostname()
    assert any(d["path"] == "~" and d["free_bytes"] > 0 for d in report["disks"])
    pin = HostKeyStore().lookup(f"[127.0.0.1]:{sshd.port}")
    assert pin is not None and pin.fingerprint == sshd.host_key_fingerprint()

    # Second run: the pin matches, no flag and no terminal needed.
    again = run_gpudesk(
        "check", ssh_command_for(sshd), "--password-stdin", stdin=test_user.password
    )
    assert again.returncode == ExitCode.OK, again.stderr
    assert "matches the pin" in again.stdout and "RTX 4090" in again.stdout

    # The password is in no file the app (or anything else in HOME) wrote.
    assert files_containing(tmp_path, test_user.password) == []


def test_unknown_host_key_without_terminal_or_flag_exits_4(
    sshd: SshdServer, test_user: TestUser
) -> None:
    result = run_gpudesk(
        "check", ssh_command_for(sshd), "--password-stdin", stdin=test_user.password
    )
    assert result.returncode == ExitCode.HOST_KEY_UNKNOWN
    assert sshd.host_key_fingerprint() in result.stderr
    assert "hint:" in result.stderr
    assert result.stdout == ""
    assert HostKeyStore().pins() == []


def test_wrong_password_exits_3(sshd: SshdServer) -> None:
    result = run_gpudesk(
        "check",
        ssh_command_for(sshd),
        "--password-stdin",
        "--accept-new-host-key",
        stdin="not-the-password\n",
    )
    assert result.returncode == ExitCode.AUTH_FAILED, result.stderr
    assert "refused the password" in result.stderr


def test_changed_host_key_is_a_hard_stop_before_any_credential(
    sshd_factory, test_user: TestUser
) -> None:
    server: SshdServer = sshd_factory()
    first = run_gpudesk(
        "check",
        ssh_command_for(server),
        "--password-stdin",
        "--accept-new-host-key",
        "--json",
        stdin=test_user.password,
    )
    assert first.returncode == ExitCode.OK, first.stderr
    old_fingerprint = server.host_key_fingerprint()
    server.restart_with_new_host_key()
    log_before = server.log_text()
    changed = run_gpudesk(
        "check",
        ssh_command_for(server),
        "--password-stdin",
        "--accept-new-host-key",
        stdin=test_user.password,
    )
    assert changed.returncode == ExitCode.HOST_KEY_CHANGED
    assert old_fingerprint in changed.stderr and server.host_key_fingerprint() in changed.stderr
    assert "forget-host-key" in changed.stderr
    after = server.log_text()[len(log_before) :]
    assert "password" not in after.lower(), after
    # The explicit way out: forget the old key, then the new one can be trusted.
    forget = run_gpudesk("forget-host-key", f"[127.0.0.1]:{server.port}")
    assert forget.returncode == 0, forget.stderr
    retry = run_gpudesk(
        "check",
        ssh_command_for(server),
        "--password-stdin",
        "--accept-new-host-key",
        stdin=test_user.password,
    )
    assert retry.returncode == ExitCode.OK, retry.stderr


def test_key_login_with_identity(sshd: SshdServer, authorized_openssh_key: Path) -> None:
    result = run_gpudesk(
        "check",
        ssh_command_for(sshd),
        "--identity",
        str(authorized_openssh_key),
        "--accept-new-host-key",
        "--json",
    )
    assert result.returncode == ExitCode.OK, result.stderr
    assert json.loads(result.stdout)["report"]["gpus"] == []


def test_closed_port_exits_6() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_gpudesk("check", f"ssh -p {port} someone@127.0.0.1", "--password-stdin", stdin="x")
    assert result.returncode == ExitCode.UNREACHABLE
    assert "hint:" in result.stderr


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server that accepts and never says a word (a hung instance)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_silent_server_times_out_as_unreachable(silent_server: int) -> None:
    target = SshTarget("someone", "127.0.0.1", silent_server)
    with pytest.raises(UnreachableError) as caught:
        check_instance(
            target,
            Credentials(password="x"),
            pin_name=pin_name_for_address(target),
            timeouts=Timeouts(connect=2, banner=1.5, auth=2, command=5),
        )
    assert caught.value.code == "ssh.handshake_failed"


def test_bad_input_exits_2_with_nothing_on_stdout() -> None:
    result = run_gpudesk("check", "ssh -p 99999 root@example.com", "--password-stdin", stdin="x")
    assert result.returncode == ExitCode.BAD_INPUT
    assert result.stdout == ""
    no_password = run_gpudesk("check", "ssh -p 22 root@127.0.0.1")
    assert no_password.returncode == ExitCode.BAD_INPUT
    assert "--password-stdin" in no_password.stderr


def test_core_check_reports_progress_and_refuses_changed_key_in_process(
    sshd: SshdServer, test_user: TestUser
) -> None:
    target = SshTarget(test_user.name, "127.0.0.1", sshd.port)
    steps: list[str] = []
    result = check_instance(
        target,
        Credentials(password=test_user.password),
        pin_name="gpudesk-test",
        confirm_new_host_key=lambda key: key.fingerprint == sshd.host_key_fingerprint(),
        progress=steps.append,
    )
    assert result.host_key.newly_pinned and len(steps) >= 2
    store = HostKeyStore()
    pin = store.lookup("gpudesk-test")
    assert pin is not None
    # Pin a different key under that name (it replaces the real one): now "changed".
    other = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    store.pin("gpudesk-test", PresentedKey("ssh-ed25519", other))
    with pytest.raises(HostKeyChangedError):
        check_instance(target, Credentials(password=test_user.password), pin_name="gpudesk-test")
