"""The real-OpenSSH test bed works: logins, host keys, frozen sessions, the fake nvidia-smi.

These tests prove the fixtures in :mod:`tests.testbed.fixtures` with real clients (paramiko
and OpenSSH's ``ssh``) so the integration tests built on them can trust the bed.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import signal
import socket
import stat
import subprocess
from pathlib import Path

import paramiko
import pytest

from tests.testbed.fixtures import FakeNvidiaSmi, SshdFactory, skip_or_fail
from tests.testbed.sshd import (
    SshdServer,
    TestbedError,
    TestUser,
    generate_openssh_key,
    poll_until,
    process_state,
    run_command,
)

pytestmark = pytest.mark.sshd

GPU_QUERY = "nvidia-smi --query-gpu=index,name,utilization.gpu --format=csv,noheader,nounits"


@pytest.fixture(name="client_key")
def client_key_fixture(authorized_openssh_key: Path) -> Path:
    """The authorized client key (a shorter name for this module)."""
    return authorized_openssh_key


def run_ssh(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Run the real ssh client, bounded to 15 s."""
    return run_command(argv, check=False, timeout=15)


def paramiko_key_from_line(line: str) -> paramiko.PKey:
    """A paramiko key object from an OpenSSH public key line."""
    key_type, key_base64 = line.split()[:2]
    return paramiko.PKey.from_type_string(key_type, base64.b64decode(key_base64))


def recv_exactly(channel: paramiko.Channel, size: int) -> bytes:
    """Read ``size`` bytes (the channel's timeout applies to each read)."""
    data = b""
    while len(data) < size:
        chunk = channel.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


# --- the user -----------------------------------------------------------------------------


def test_test_user_has_a_strictmodes_home_with_bin_on_the_login_path(test_user: TestUser) -> None:
    assert re.fullmatch(r"gdt[0-9a-f]{8}", test_user.name)
    home_stat = test_user.home.stat()
    assert (home_stat.st_uid, stat.S_IMODE(home_stat.st_mode)) == (test_user.uid, 0o755)
    assert stat.S_IMODE(test_user.home.parent.stat().st_mode) == 0o755
    assert test_user.path("bin").stat().st_uid == test_user.uid

    assert test_user.run("id", "-un", check=True).stdout.strip() == test_user.name
    login_path = test_user.run("bash", "-lc", "echo $PATH", check=True).stdout
    assert f"{test_user.home}/bin" in login_path.split(":")

    written = test_user.write_file("notes/hello.txt", "hi\n", mode=0o640)
    try:
        assert (written.stat().st_uid, stat.S_IMODE(written.stat().st_mode)) == (
            test_user.uid,
            0o640,
        )
        assert stat.S_IMODE(written.parent.stat().st_mode) == 0o700
        assert test_user.run("cat", str(written), check=True).stdout == "hi\n"
    finally:
        test_user.remove("notes")
    with pytest.raises(ValueError, match="relative"):
        test_user.path("../escape")


def test_missing_test_bed_skips_locally_but_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        skip_or_fail("no sshd here")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="no sshd here"):
        skip_or_fail("no sshd here")


# --- logins -------------------------------------------------------------------------------


def test_password_login_with_paramiko_and_a_pinned_host_key(sshd: SshdServer) -> None:
    client = paramiko.SSHClient()
    client.get_host_keys().add(
        sshd.known_hosts_name(), "ssh-ed25519", paramiko_key_from_line(sshd.host_key_line())
    )
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    with client:
        client.connect(
            sshd.host,
            port=sshd.port,
            username=sshd.user.name,
            password=sshd.user.password,
            allow_agent=False,
            look_for_keys=False,
            timeout=5,
            banner_timeout=5,
            auth_timeout=5,
        )
        _, stdout, _ = client.exec_command("id -un", timeout=5)
        assert stdout.read().decode().strip() == sshd.user.name
    sshd.wait_for_log(rf"Accepted password for {sshd.user.name} from 127\.0\.0\.1")


def test_paramiko_rejects_an_unknown_or_different_host_key(
    sshd: SshdServer, tmp_path: Path
) -> None:
    unknown = paramiko.SSHClient()
    unknown.set_missing_host_key_policy(paramiko.RejectPolicy())
    with unknown, pytest.raises(paramiko.SSHException, match="not found in known_hosts"):
        unknown.connect(
            sshd.host,
            port=sshd.port,
            username=sshd.user.name,
            password=sshd.user.password,
            allow_agent=False,
            look_for_keys=False,
            timeout=5,
        )

    impostor_line = generate_openssh_key(tmp_path / "impostor")
    wrong = paramiko.SSHClient()
    wrong.get_host_keys().add(
        sshd.known_hosts_name(), "ssh-ed25519", paramiko_key_from_line(impostor_line)
    )
    wrong.set_missing_host_key_policy(paramiko.RejectPolicy())
    with wrong, pytest.raises(paramiko.BadHostKeyException):
        wrong.connect(
            sshd.host,
            port=sshd.port,
            username=sshd.user.name,
            password=sshd.user.password,
            allow_agent=False,
            look_for_keys=False,
            timeout=5,
        )


def test_key_login_with_the_openssh_client(
    sshd: SshdServer, client_key: Path, tmp_path: Path
) -> None:
    result = run_ssh(sshd.openssh_client_argv("echo key-login-ok", identity=client_key))
    assert (result.returncode, result.stdout) == (0, "key-login-ok\n"), result.stderr
    sshd.wait_for_log(rf"Accepted publickey for {sshd.user.name} from 127\.0\.0\.1 .* ED25519")

    stranger = tmp_path / "stranger"
    generate_openssh_key(stranger)
    refused = run_ssh(sshd.openssh_client_argv("true", identity=stranger))
    assert refused.returncode == 255
    assert "Permission denied" in refused.stderr


def test_strictmodes_refuses_a_group_writable_authorized_keys(
    sshd: SshdServer, client_key: Path
) -> None:
    # World-writable: Debian's sshd tolerates group-writable when the group is the user's own.
    sshd.user.path(".ssh/authorized_keys").chmod(0o606)
    refused = run_ssh(sshd.openssh_client_argv("true", identity=client_key))
    assert refused.returncode == 255
    sshd.wait_for_log(r"Authentication refused: bad ownership or modes for file .*authorized_keys")


def test_host_key_fingerprint_matches_the_public_key(sshd: SshdServer) -> None:
    blob = base64.b64decode(sshd.host_key_line().split()[1])
    expected = "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    assert sshd.host_key_fingerprint() == expected
    assert sshd.known_hosts_line() == f"[127.0.0.1]:{sshd.port} {sshd.host_key_line()}"


# --- destructive: private servers ---------------------------------------------------------


def test_restart_with_new_host_key_changes_the_fingerprint(
    sshd_factory: SshdFactory, client_key: Path, tmp_path: Path
) -> None:
    server = sshd_factory()
    old_fingerprint, port = server.host_key_fingerprint(), server.port
    stale_known_hosts = tmp_path / "known_hosts.old"
    stale_known_hosts.write_text(server.known_hosts_line() + "\n", encoding="utf-8")

    server.restart_with_new_host_key()

    assert server.port == port
    assert server.host_key_fingerprint() != old_fingerprint
    stale = run_ssh(
        server.openssh_client_argv("true", identity=client_key, known_hosts=stale_known_hosts)
    )
    assert stale.returncode == 255
    assert "REMOTE HOST IDENTIFICATION HAS CHANGED" in stale.stderr
    fresh = run_ssh(server.openssh_client_argv("echo again", identity=client_key))
    assert (fresh.returncode, fresh.stdout) == (0, "again\n"), fresh.stderr


def test_factory_config_overrides_are_applied_and_validated(sshd_factory: SshdFactory) -> None:
    keys_only = sshd_factory(config_overrides={"PasswordAuthentication": "no"})
    with pytest.raises(paramiko.AuthenticationException):
        keys_only.paramiko_client().close()

    with pytest.raises(TestbedError, match="Bogus"):
        sshd_factory(config_overrides={"Bogus": "yes"})


def test_stopped_and_killed_sessions_are_observable(
    sshd_factory: SshdFactory, sshd: SshdServer
) -> None:
    server = sshd_factory()
    bystander = sshd.paramiko_client()  # a session on the shared server must not be touched
    client = server.paramiko_client()
    try:
        transport = client.get_transport()
        assert transport is not None
        # A bare channel: exec_command's stdin file would send EOF once garbage-collected.
        channel = transport.open_session(timeout=5)
        channel.settimeout(5)
        channel.exec_command("cat")
        channel.sendall(b"one\n")
        assert recv_exactly(channel, 4) == b"one\n"

        sessions = server.wait_for_sessions(1)
        assert len(sessions) == 1
        assert not set(sessions) & set(sshd.wait_for_sessions(1))

        assert server.signal_sessions(signal.SIGSTOP) == sessions
        poll_until(lambda: process_state(sessions[0]) == "T", timeout=5, what="SIGSTOP")
        channel.sendall(b"two\n")
        channel.settimeout(0.3)
        with pytest.raises(socket.timeout):
            channel.recv(4)  # the frozen server never answers

        assert server.signal_sessions(signal.SIGCONT) == sessions
        channel.settimeout(5)
        assert recv_exactly(channel, 4) == b"two\n"

        assert server.signal_sessions(signal.SIGKILL) == sessions
        poll_until(lambda: not transport.is_active(), timeout=5, what="the dead connection")
        poll_until(lambda: not server.session_processes(), timeout=5, what="no sessions")
        assert bystander.exec_command("echo alive", timeout=5)[1].read() == b"alive\n"
    finally:
        client.close()
        bystander.close()


# --- the fake nvidia-smi ------------------------------------------------------------------


def test_fake_nvidia_smi_over_ssh_in_a_login_shell(
    sshd: SshdServer, client_key: Path, fake_nvidia_smi: FakeNvidiaSmi
) -> None:
    argv = sshd.openssh_client_argv(f"bash -lc '{GPU_QUERY}'", identity=client_key)
    fake_nvidia_smi.set(gpus=[{"utilization.gpu": 37}])
    first = run_ssh(argv)
    assert (first.returncode, first.stdout) == (0, "0, NVIDIA GeForce RTX 4090, 37\n"), first.stderr

    fake_nvidia_smi.set(
        gpus=[{"utilization.gpu": 91}, {"name": "NVIDIA A100-SXM4-80GB", "utilization.gpu": 5}]
    )
    second = run_ssh(argv)
    assert second.stdout == "0, NVIDIA GeForce RTX 4090, 91\n1, NVIDIA A100-SXM4-80GB, 5\n"


def test_fake_nvidia_smi_prints_the_real_formats(fake_nvidia_smi: FakeNvidiaSmi) -> None:
    fake_nvidia_smi.set(gpus=[{"utilization.gpu": 37, "memory.used": 1200}])
    fields = "index,name,memory.total,utilization.gpu"

    with_units = fake_nvidia_smi.run(f"--query-gpu={fields}", "--format=csv")
    assert with_units.returncode == 0, with_units.stdout + with_units.stderr
    assert with_units.stdout == (
        "index, name, memory.total [MiB], utilization.gpu [%]\n"
        "0, NVIDIA GeForce RTX 4090, 24564 MiB, 37 %\n"
    )
    no_units = fake_nvidia_smi.run(f"--query-gpu={fields}", "--format=csv,nounits")
    assert no_units.stdout.splitlines()[1] == "0, NVIDIA GeForce RTX 4090, 24564, 37"

    every_field = (
        "index,name,uuid,memory.total,memory.used,memory.free,utilization.gpu,"
        "utilization.memory,driver_version,compute_cap,temperature.gpu,power.draw"
    )
    row = fake_nvidia_smi.run(f"--query-gpu={every_field}", "--format=csv,noheader")
    cells = row.stdout.rstrip("\n").split(", ")
    assert cells[0:2] == ["0", "NVIDIA GeForce RTX 4090"]
    assert re.fullmatch(r"GPU-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", cells[2])
    assert cells[3:8] == ["24564 MiB", "1200 MiB", "23012 MiB", "37 %", "0 %"]
    assert cells[8:10] == ["535.104.05", "8.9"]
    assert re.fullmatch(r"\d+", cells[10])
    assert re.fullmatch(r"\d+\.\d\d W", cells[11])

    unknown = fake_nvidia_smi.run("--query-gpu=index,x", "--format=csv")
    assert unknown.returncode == 2
    assert unknown.stdout.splitlines()[0] == 'Field "x" is not a valid field to query.'

    table = fake_nvidia_smi.run()
    assert "Driver Version: 535.104.05   CUDA Version: 12.2" in table.stdout
    assert "NVIDIA GeForce RTX 4090" in table.stdout
    fake_nvidia_smi.set(driver="550.54.15", cuda="12.4")
    assert "Driver Version: 550.54.15    CUDA Version: 12.4" in fake_nvidia_smi.run().stdout

    fake_nvidia_smi.fail()
    broken = fake_nvidia_smi.run("--query-gpu=index", "--format=csv")
    assert broken.returncode == 9
    assert "couldn't communicate with the NVIDIA driver" in broken.stdout


# --- the log ------------------------------------------------------------------------------


def test_the_sshd_log_is_readable(sshd: SshdServer) -> None:
    assert f"Server listening on 127.0.0.1 port {sshd.port}" in sshd.log_text()
    assert sshd.wait_for_log(r"Server listening on (\S+) port (\d+)").group(2) == str(sshd.port)
    with pytest.raises(TimeoutError, match="log tail"):
        sshd.wait_for_log(r"this line is never logged", timeout=0.05)
    assert os.access(sshd.log_path, os.R_OK)
