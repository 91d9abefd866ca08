"""`gpudesk tunnel` as a user runs it: a real process, a real sshd, SIGTERM, exit codes."""

from __future__ import annotations

import dataclasses
import json
import queue
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from gpudesk.core.errors import ExitCode
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.store.instances import Instance, InstanceStore
from gpudesk.core.store.secrets import KeyringSecretStore, secret_name
from gpudesk.core.tunnels.forward import bind_listener
from tests.conftest import REPO_ROOT
from tests.integration.tunnel_services import HTTP_BODY, http_get, http_service
from tests.testbed.sshd import SshdServer

pytestmark = pytest.mark.sshd
ALIAS = "cli-gpu"


def save_instance(server: SshdServer, *, port: int | None = None) -> Instance:
    """Save the instance, pin its host key and keep its password in the (test) keyring."""
    instance = Instance(
        alias=ALIAS,
        target=SshTarget(server.user.name, server.host, port or server.port),
        platform_id=None,
        host_key_alias=f"gpudesk-cli-{server.port}",
    )
    InstanceStore().add(instance)
    key_type, key_base64 = server.host_key_line().split()
    HostKeyStore().pin(instance.host_key_alias, PresentedKey(key_type, key_base64))
    KeyringSecretStore().set(secret_name("password", instance.instance_id), server.user.password)
    return instance


def gpudesk(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "gpudesk", *args],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def lines_of(stream: Any) -> queue.Queue[str | None]:
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


@pytest.fixture
def web() -> Iterator[int]:
    with http_service() as port:
        yield port


def test_json_events_forwarding_and_a_clean_sigterm(sshd: SshdServer, web: int) -> None:
    save_instance(sshd)
    process = gpudesk("tunnel", ALIAS, f"0:{web}", "--json-events")
    assert process.stdout is not None
    lines = lines_of(process.stdout)
    events: list[dict[str, str]] = []
    try:
        while not events or events[-1]["state"] != "UP":
            line = lines.get(timeout=30)
            assert line is not None, process.stderr.read() if process.stderr else ""
            events.append(json.loads(line))
        local_port = int(events[-1]["tunnel"].split(":")[0])
        assert http_get(local_port) == HTTP_BODY
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    while (line := lines.get(timeout=10)) is not None:
        events.append(json.loads(line))
    assert [e["state"] for e in events] == ["CONNECTING", "UP", "STOPPED"]
    assert all(set(e) == {"tunnel", "state", "reason", "time"} for e in events)
    assert events[0]["tunnel"] == f"{local_port}:127.0.0.1:{web}"
    with pytest.raises(OSError):  # the port is closed again
        socket.create_connection(("127.0.0.1", local_port), timeout=2).close()


def test_host_key_changed_exits_5_before_any_tunnel(sshd: SshdServer, web: int) -> None:
    instance = save_instance(sshd)
    HostKeyStore().pin(
        instance.host_key_alias, PresentedKey("ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAI" + "A" * 43)
    )
    result = gpudesk("tunnel", ALIAS, f"0:{web}")
    _, stderr = result.communicate(timeout=60)
    assert result.returncode == ExitCode.HOST_KEY_CHANGED
    assert "CHANGED" in stderr


def test_busy_local_port_exits_2_and_offers_a_free_one(sshd: SshdServer, web: int) -> None:
    save_instance(sshd)
    holder = bind_listener(0)
    try:
        busy = holder.getsockname()[1]
        result = gpudesk("tunnel", ALIAS, f"{busy}:{web}")
        _, stderr = result.communicate(timeout=60)
    finally:
        holder.close()
    assert result.returncode == ExitCode.BAD_INPUT
    assert f"local port {busy} is already in use" in stderr
    assert "is free" in stderr


def test_unreachable_instance_exits_6(sshd: SshdServer, web: int) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    instance = save_instance(sshd)
    InstanceStore().update(
        dataclasses.replace(instance, target=dataclasses.replace(instance.target, port=closed))
    )
    result = gpudesk("tunnel", ALIAS, f"0:{web}")
    _, stderr = result.communicate(timeout=60)
    assert result.returncode == ExitCode.UNREACHABLE, stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [(["no-such-alias", "8888:8888"], "no instance"), ([ALIAS, "88:x"], "LOCAL_PORT:REMOTE_PORT")],
)
def test_bad_input_exits_2(sshd: SshdServer, args: list[str], message: str) -> None:
    save_instance(sshd)
    result = gpudesk("tunnel", *args)
    _, stderr = result.communicate(timeout=60)
    assert result.returncode == ExitCode.BAD_INPUT
    assert message in stderr
