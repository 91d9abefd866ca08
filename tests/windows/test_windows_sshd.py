"""``gpudesk check``, ``install-key`` and ``tunnel`` from the Windows Python, on the REAL sshd.

The server is the Linux test bed's OpenSSH (``tests/windows/run_lane.py`` starts it with a
throw-away user and a small web service on the same machine); the Windows Python in Wine
reaches it on 127.0.0.1. Each command runs as a user runs it, ``python -m gpudesk`` in a
subprocess, with the password on stdin and secrets in Wine's Credential Manager. The tunnel
takes the Windows path of the forwarder (no ``MSG_DONTWAIT``, ``SO_EXCLUSIVEADDRUSE``).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gpudesk.core.errors import ExitCode
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.store.instances import Instance, InstanceStore
from gpudesk.core.store.secrets import KeyringSecretStore, secret_name
from gpudesk.core.tunnels import socketfeed
from tests.clihelpers import run_gpudesk
from tests.windows.conftest import REPO_ROOT, Lane


def write_key(path: Path) -> str:
    """An unencrypted Ed25519 key in OpenSSH format at ``path``; returns its public line."""
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    return public.decode("ascii")


def test_check_pins_the_host_key_and_reports_the_machine(lane: Lane) -> None:
    result = run_gpudesk(
        "check", lane.ssh_command(), "--password-stdin", "--accept-new-host-key", "--json",
        stdin=lane.password + "\n",
    )  # fmt: skip
    assert result.returncode == ExitCode.OK, result.stderr
    document = json.loads(result.stdout)
    assert document["target"] == {
        "user": lane.user, "host": lane.host, "port": lane.port, "platform": None
    }  # fmt: skip
    assert document["host_key"]["newly_pinned"] is True
    assert document["host_key"]["type"] == lane.host_key_line.split()[0]
    assert document["host_key"]["fingerprint"] == lane.host_key_fingerprint
    assert document["report"]["hostname"]
    again = run_gpudesk("check", lane.ssh_command(), "--password-stdin", "--json",
                    stdin=lane.password + "\n")  # fmt: skip
    assert again.returncode == ExitCode.OK, again.stderr
    assert json.loads(again.stdout)["host_key"]["newly_pinned"] is False


def test_check_with_a_wrong_password_exits_3(lane: Lane) -> None:
    result = run_gpudesk(
        "check", lane.ssh_command(), "--password-stdin", "--accept-new-host-key",
        stdin="not the password\n",
    )  # fmt: skip
    assert result.returncode == ExitCode.AUTH_FAILED, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_install_key_then_log_in_with_the_key_alone(lane: Lane, windows_home: Path) -> None:
    key = windows_home / ".ssh" / "lane_ed25519"
    public = write_key(key)
    result = run_gpudesk(
        "install-key", lane.ssh_command(), "--identity", str(key), "--password-stdin",
        "--accept-new-host-key", "--json",
        stdin=lane.password + "\n",
    )  # fmt: skip
    assert result.returncode == ExitCode.OK, result.stderr
    document = json.loads(result.stdout)
    assert document["verified"] is True
    assert document["key"]["path"] == str(key)
    assert document["key"]["type"] == public.split()[0]
    # A second command logs in with the key alone (no password on stdin).
    checked = run_gpudesk("check", lane.ssh_command(), "--identity", str(key), "--json")
    assert checked.returncode == ExitCode.OK, checked.stderr


def test_a_tunnel_forwards_through_the_windows_path(lane: Lane) -> None:
    assert not hasattr(socket, "MSG_DONTWAIT")  # so the pump reads the channel itself
    assert socketfeed.install_socket_feed(object(), socket.socket(), lambda: None) is None
    instance = Instance(
        alias="lane-gpu",
        target=SshTarget(lane.user, lane.host, lane.port),
        platform_id=None,
        host_key_alias="gpudesk-lane-tunnel",
    )
    InstanceStore().add(instance)
    key_type, key_base64 = lane.host_key_line.split()[:2]
    HostKeyStore().pin(instance.host_key_alias, PresentedKey(key_type, key_base64))
    name = secret_name("password", instance.instance_id)
    KeyringSecretStore().set(name, lane.password)
    process = subprocess.Popen(
        [sys.executable, "-m", "gpudesk", "tunnel", "lane-gpu", f"0:{lane.web_port}",
         "--json-events"],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        events = []
        while not events or events[-1]["state"] != "UP":
            line = process.stdout.readline()
            assert line, process.stderr.read() if process.stderr else ""
            events.append(json.loads(line))
        local_port = int(events[-1]["tunnel"].split(":")[0])
        for _ in range(3):  # several connections, each a new channel
            with urllib.request.urlopen(f"http://127.0.0.1:{local_port}/", timeout=30) as reply:
                assert reply.read().decode() == lane.web_body
    finally:
        process.terminate()
        process.wait(60)
        KeyringSecretStore().delete(name)
    assert [e["state"] for e in events] == ["CONNECTING", "UP"]
    with socket.socket() as probe:
        probe.settimeout(5)
        assert probe.connect_ex(("127.0.0.1", local_port)) != 0
