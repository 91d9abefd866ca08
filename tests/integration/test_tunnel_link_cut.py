"""A real cut link: sshd in its own network namespace behind a veth pair, the link set down.

Only addresses of our own making are used: a /30 from the benchmark range 198.18.0.0/15
(RFC 2544) on a veth pair whose far end lives in a namespace this test creates, so the
traffic never leaves the machine. The sshd listener runs inside the namespace via
``ip netns exec``; the remote service listens on the near end of the veth pair. Skipped
(with the reason) where ``ip netns`` is not permitted.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gpudesk.core.tunnels import (
    BackoffPolicy,
    TunnelEvent,
    TunnelSpec,
    TunnelState,
    TunnelSupervisor,
)
from tests.integration.tunnel_services import (
    HTTP_BODY,
    http_get,
    http_service,
    instance_for,
)
from tests.skipping import skip_or_fail
from tests.testbed import sshd as sshd_module
from tests.testbed.sshd import SshdServer, TestUser, tool_path
from tests.waiting import eventually

pytestmark = pytest.mark.sshd
S = TunnelState
IP = tool_path("ip")


def ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([IP, *args], capture_output=True, text=True, check=check, timeout=15)


class Namespace:
    """A network namespace joined to the root namespace by a veth pair with a /30."""

    def __init__(self) -> None:
        tag = os.getpid() % 100000
        subnet = 4 * (os.getpid() % 64)  # 198.18.1.0/24 split into /30s, one per test run
        self.name = f"gpdt{tag}"
        self.near_if, self.far_if = f"gpdv{tag}a", f"gpdv{tag}b"
        self.near = f"198.18.1.{subnet + 1}"
        self.far = f"198.18.1.{subnet + 2}"

    def create(self) -> None:
        ip("netns", "add", self.name)
        ip("link", "add", self.near_if, "type", "veth", "peer", "name", self.far_if)
        ip("link", "set", self.far_if, "netns", self.name)
        ip("addr", "add", f"{self.near}/30", "dev", self.near_if)
        ip("link", "set", self.near_if, "up")
        for args in (
            ("addr", "add", f"{self.far}/30", "dev", self.far_if),
            ("link", "set", self.far_if, "up"),
            ("link", "set", "lo", "up"),
        ):
            ip("netns", "exec", self.name, IP, *args)

    def link(self, up: bool) -> None:
        ip("link", "set", self.near_if, "up" if up else "down")

    def destroy(self) -> None:
        pids = ip("netns", "pids", self.name, check=False).stdout.split()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid), signal.SIGKILL)
        ip("link", "del", self.near_if, check=False)
        ip("netns", "del", self.name, check=False)


@pytest.fixture
def namespace() -> Iterator[Namespace]:
    if os.geteuid() != 0:
        skip_or_fail("cutting a link needs root (ip netns)")
    space = Namespace()
    try:
        space.create()
    except (OSError, subprocess.CalledProcessError) as error:
        space.destroy()
        detail = getattr(error, "stderr", "") or str(error)
        skip_or_fail(f"ip netns / veth is not permitted here: {detail.strip()}")
    yield space
    space.destroy()


@pytest.fixture
def sshd_in_namespace(
    namespace: Namespace, test_user: TestUser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SshdServer]:
    # The test bed starts SSHD_PATH directly; a root-only wrapper runs it inside the namespace
    # (ip netns exec execs sshd with its absolute path, as sshd requires).
    wrapper = tmp_path / "sshd-in-netns"
    wrapper.write_text(
        f'#!/bin/sh\nexec {IP} netns exec {namespace.name} {sshd_module.SSHD_PATH} "$@"\n'
    )
    wrapper.chmod(stat.S_IRWXU)
    monkeypatch.setattr(sshd_module, "SSHD_PATH", str(wrapper))
    server = SshdServer(test_user, config_overrides={"ListenAddress": namespace.far})
    server.host = namespace.far
    try:
        server.start()
        yield server
    finally:
        server.close()


def test_a_cut_link_goes_down_and_comes_back_up(
    namespace: Namespace, sshd_in_namespace: SshdServer
) -> None:
    server = sshd_in_namespace
    _, connect = instance_for(server)
    supervisor = TunnelSupervisor(
        probe_interval_s=0.5,
        probe_misses=3,
        backoff=BackoffPolicy(first_delays_s=(0.0, 0.5), cap_s=5.0),
    )
    events: list[TunnelEvent] = []
    supervisor.subscribe(events.append)
    with http_service(namespace.near) as web:
        try:
            tunnel = supervisor.add("gpu", connect, TunnelSpec(0, web, namespace.near))
            port = supervisor.wait_for(tunnel, S.UP, timeout=15).spec.local_port
            assert http_get(port) == HTTP_BODY
            cut_at = time.time()
            namespace.link(up=False)
            supervisor.wait_for(tunnel, S.RECONNECTING, timeout=15, since=cut_at)
            eventually(
                lambda: any("keepalive" in e.reason for e in events if e.time >= cut_at),
                what="a DOWN event for the missing keepalive answers",
            )
            namespace.link(up=True)
            supervisor.probe_now()  # what the tray does when the network comes back
            supervisor.wait_for(tunnel, S.UP, timeout=20)
            assert http_get(port) == HTTP_BODY
        finally:
            supervisor.close()
