"""Tunnels against a REAL OpenSSH sshd, with real faults: killed, frozen, re-keyed servers.

The remote services (HTTP, echo) run on 127.0.0.1 in this process; the test sshd reaches them
over ``direct-tcpip`` as a rented GPU reaches its Jupyter. Probing is 0.5 s x 3 misses, so a
frozen server must be DOWN within 0.5 x 3 + 1 s: the one timed assertion, the documented bound.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from gpudesk.core.errors import HostKeyChangedError
from gpudesk.core.tunnels import (
    BackoffPolicy,
    LocalPortBusyError,
    TunnelSpec,
    TunnelState,
    TunnelSupervisor,
)
from gpudesk.core.tunnels.forward import bind_listener
from tests.integration.tunnel_services import (
    HTTP_BODY,
    EchoService,
    echo_roundtrip,
    fd_count,
    http_get,
    http_service,
    instance_for,
    listen_address,
    listening_ports,
)
from tests.testbed.sshd import SshdServer
from tests.waiting import EventLog, eventually

pytestmark = pytest.mark.sshd
S = TunnelState
INTERVAL_S, MISSES = 0.5, 3
QUICK = BackoffPolicy(first_delays_s=(0.0, 0.2, 0.5), cap_s=2.0, stable_after_s=1.0)


@pytest.fixture
def supervisor() -> Iterator[TunnelSupervisor]:
    sup = TunnelSupervisor(probe_interval_s=INTERVAL_S, probe_misses=MISSES, backoff=QUICK)
    yield sup
    sup.close()


@pytest.fixture
def web() -> Iterator[int]:
    with http_service() as port:
        yield port


@pytest.fixture
def echo() -> Iterator[EchoService]:
    service = EchoService()
    yield service
    service.close()


def test_http_through_a_tunnel_listening_on_loopback_only(
    sshd: SshdServer, supervisor: TunnelSupervisor, web: int
) -> None:
    _, connect = instance_for(sshd)
    tunnel = supervisor.add("gpu", connect, TunnelSpec(0, web))
    port = supervisor.wait_for(tunnel, S.UP, timeout=15).spec.local_port
    assert http_get(port) == HTTP_BODY
    assert listen_address(port) == {"127.0.0.1"}


def test_killed_session_goes_down_then_up_and_works_again(
    sshd_factory: object, supervisor: TunnelSupervisor, web: int
) -> None:
    server: SshdServer = sshd_factory()  # type: ignore[operator]
    _, connect = instance_for(server)
    events = EventLog()
    supervisor.subscribe(events)
    tunnel = supervisor.add("gpu", connect, TunnelSpec(0, web))
    port = supervisor.wait_for(tunnel, S.UP, timeout=15).spec.local_port
    assert http_get(port) == HTTP_BODY
    killed_at = time.time()
    assert server.signal_sessions(signal.SIGKILL)
    supervisor.wait_for(tunnel, S.RECONNECTING, timeout=15, since=killed_at)
    supervisor.wait_for(tunnel, S.UP, timeout=15)
    assert http_get(port) == HTTP_BODY
    assert connect.calls == 2
    assert "connection lost" in events.of(S.RECONNECTING)[0].reason


def test_frozen_server_is_down_within_interval_times_misses(
    sshd: SshdServer, supervisor: TunnelSupervisor, web: int
) -> None:
    _, connect = instance_for(sshd)
    events = EventLog()
    supervisor.subscribe(events)
    tunnel = supervisor.add("gpu", connect, TunnelSpec(0, web))
    port = supervisor.wait_for(tunnel, S.UP, timeout=15).spec.local_port
    sshd.wait_for_sessions(1)
    frozen_at = time.time()
    assert sshd.signal_sessions(signal.SIGSTOP)  # thawed by the sshd fixture afterwards
    supervisor.wait_for(tunnel, S.RECONNECTING, timeout=15, since=frozen_at)
    eventually(lambda: any(e.time >= frozen_at for e in events.of(S.RECONNECTING)), what="event")
    down = next(e for e in events.of(S.RECONNECTING) if e.time >= frozen_at)
    assert down.time - frozen_at <= INTERVAL_S * MISSES + 1.0, down.reason
    assert "keepalive" in down.reason
    # The listener is not frozen: a new session comes up and forwarding works.
    supervisor.wait_for(tunnel, S.UP, timeout=15)
    assert http_get(port) == HTTP_BODY


def test_new_host_key_fails_at_once_and_no_credential_is_offered(
    sshd_factory: object, supervisor: TunnelSupervisor, web: int
) -> None:
    server: SshdServer = sshd_factory()  # type: ignore[operator]
    _, connect = instance_for(server)
    tunnel = supervisor.add("gpu", connect, TunnelSpec(0, web))
    supervisor.wait_for(tunnel, S.UP, timeout=15)
    server.restart_with_new_host_key()
    log_before = len(server.log_text())
    server.signal_sessions(signal.SIGKILL)  # the old session outlives a restart: end it
    status = supervisor.wait_for(tunnel, S.FAILED, timeout=15)
    assert isinstance(status.error, HostKeyChangedError)
    assert connect.calls == 2  # once up, once refused: no loop
    server.wait_for_log(r"Connection (closed|reset) by .*\[preauth\]")
    after = server.log_text()[log_before:]
    for word in ("password", "publickey", "Accepted", "Failed"):
        assert word not in after, after
    time.sleep(INTERVAL_S)  # FAILED is final: no further logins
    assert connect.calls == 2
    assert status.spec.local_port not in listening_ports()


def test_remote_service_down_is_reported_without_a_reconnect_loop(
    sshd: SshdServer, supervisor: TunnelSupervisor
) -> None:
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    _, connect = instance_for(sshd)
    events = EventLog()
    supervisor.subscribe(events)
    tunnel = supervisor.add("gpu", connect, TunnelSpec(0, closed_port))
    port = supervisor.wait_for(tunnel, S.UP, timeout=15).spec.local_port
    for _ in range(3):  # each is closed (or reset: it had unread data) at once
        with contextlib.suppress(ConnectionResetError):
            assert echo_roundtrip(port, b"anyone?") == b""
    eventually(lambda: supervisor.status(tunnel).remote_refused, what="remote refused")
    status = supervisor.status(tunnel)
    assert status.state is S.UP
    assert "remote port refused" in status.reason
    assert connect.calls == 1
    assert not events.of(S.RECONNECTING)


def test_busy_local_port_is_reported_at_once_with_the_next_free_port(
    sshd: SshdServer, supervisor: TunnelSupervisor, web: int
) -> None:
    holder = bind_listener(0)
    busy = holder.getsockname()[1]
    _, connect = instance_for(sshd)
    try:
        with pytest.raises(LocalPortBusyError) as caught:
            supervisor.add("gpu", connect, TunnelSpec(busy, web))
        offered = caught.value.suggested_port
        assert offered is not None and offered != busy
        assert connect.calls == 0  # reported before any login, not retried
        tunnel = supervisor.add("gpu", connect, TunnelSpec(offered, web))
        supervisor.wait_for(tunnel, S.UP, timeout=15)
        assert http_get(offered) == HTTP_BODY
    finally:
        holder.close()


def test_100_mb_of_random_data_arrive_byte_identical(
    sshd: SshdServer, supervisor: TunnelSupervisor, echo: EchoService
) -> None:
    _, connect = instance_for(sshd)
    tunnel = supervisor.add("gpu", connect, TunnelSpec(0, echo.port))
    port = supervisor.wait_for(tunnel, S.UP, timeout=15).spec.local_port
    payload = os.urandom(100 * 1024 * 1024)
    sent = hashlib.sha256(payload).hexdigest()
    received = hashlib.sha256()
    count = [0]
    with socket.create_connection(("127.0.0.1", port), timeout=60) as client:

        def read_back() -> None:
            while data := client.recv(1024 * 1024):
                received.update(data)
                count[0] += len(data)

        reader = threading.Thread(target=read_back)
        reader.start()
        view = memoryview(payload)
        for offset in range(0, len(payload), 4 * 1024 * 1024):
            client.sendall(view[offset : offset + 4 * 1024 * 1024])
        client.shutdown(socket.SHUT_WR)
        reader.join(120)
    assert count[0] == len(payload)
    eventually(lambda: bool(echo.digests), what="the remote end's digest")
    assert echo.digests == [sent]  # what the remote service received
    assert received.hexdigest() == sent  # what came back through the tunnel


def test_50_concurrent_connections(
    sshd: SshdServer, supervisor: TunnelSupervisor, echo: EchoService
) -> None:
    _, connect = instance_for(sshd)
    tunnel = supervisor.add("gpu", connect, TunnelSpec(0, echo.port))
    port = supervisor.wait_for(tunnel, S.UP, timeout=15).spec.local_port
    start = threading.Barrier(50)
    results: dict[int, bytes] = {}

    def client(n: int) -> None:
        payload = f"client {n} ".encode() * 2000
        start.wait(30)
        results[n] = echo_roundtrip(port, payload, timeout=60)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert len(results) == 50
    assert all(results[n] == f"client {n} ".encode() * 2000 for n in range(50))
    assert connect.calls == 1  # all over the one shared connection


def test_100_stop_and_fault_cycles_return_to_the_baseline(
    sshd_factory: object, echo: EchoService
) -> None:
    server: SshdServer = sshd_factory()  # type: ignore[operator]
    _, connect = instance_for(server)
    threads_before = {t.ident for t in threading.enumerate()}
    fds_before = fd_count()
    listening_before = listening_ports()
    supervisor = TunnelSupervisor(probe_interval_s=INTERVAL_S, probe_misses=MISSES, backoff=QUICK)
    try:
        tunnel = supervisor.add("gpu", connect, TunnelSpec(0, echo.port), start=False)
        for cycle in range(100):
            supervisor.start(tunnel)
            port = supervisor.wait_for(tunnel, S.UP, timeout=15).spec.local_port
            assert echo_roundtrip(port, b"cycle %d" % cycle) == b"cycle %d" % cycle
            if cycle % 10 == 9:  # a fault: the session dies, the tunnel comes back by itself
                killed_at = time.time()
                server.signal_sessions(signal.SIGKILL)
                supervisor.wait_for(tunnel, S.RECONNECTING, timeout=15, since=killed_at)
                supervisor.wait_for(tunnel, S.UP, timeout=15)
                assert echo_roundtrip(port, b"after fault") == b"after fault"
            supervisor.stop(tunnel)
            assert port not in listening_ports()
    finally:
        supervisor.close()
    assert connect.calls >= 110  # 100 starts + 10 reconnects (more if the machine stalled)
    eventually(
        lambda: {t.ident for t in threading.enumerate()} <= threads_before,
        what=f"threads back to baseline: {threading.enumerate()}",
    )
    eventually(lambda: fd_count() <= fds_before, what="file descriptors back to baseline")
    assert listening_ports() == listening_before
