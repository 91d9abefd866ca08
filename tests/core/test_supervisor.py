"""The supervisor's state machine, driven with fake logins and a fake transport (no sshd)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from gpudesk.core.errors import (
    AuthenticationError,
    HostKeyChangedError,
    UnreachableError,
)
from gpudesk.core.store.settings import Settings
from gpudesk.core.tunnels import (
    BackoffPolicy,
    LocalPortBusyError,
    TunnelEvent,
    TunnelSpec,
    TunnelState,
    TunnelSupervisor,
)
from gpudesk.core.tunnels.forward import bind_listener
from tests.core.tunnel_fakes import REFUSED_PORT, ScriptedConnect
from tests.waiting import EventLog, eventually

S = TunnelState
QUICK = BackoffPolicy(first_delays_s=(0.0, 0.01), cap_s=0.05, jitter=0.0)


def auth_error() -> AuthenticationError:
    return AuthenticationError("ssh.auth_failed", "The instance refused the password.")


def unreachable() -> UnreachableError:
    return UnreachableError("ssh.connect_refused", "Could not connect.")


def key_changed() -> HostKeyChangedError:
    return HostKeyChangedError("ssh.host_key_changed", "CHANGED", "", "SHA256:a", "SHA256:b")


@pytest.fixture
def supervisor() -> Iterator[TunnelSupervisor]:
    # 0.2 s x 3: quick to detect, yet a loaded test machine does not stall that long.
    sup = TunnelSupervisor(probe_interval_s=0.2, probe_misses=3, backoff=QUICK)
    yield sup
    sup.close()


def echo_through(port: int, data: bytes = b"hello") -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        client.sendall(data)
        return client.recv(len(data))


def test_up_then_stopped_with_an_event_for_each_change(supervisor: TunnelSupervisor) -> None:
    recorder = EventLog()
    supervisor.subscribe(recorder)
    tunnel = supervisor.add("gpu", ScriptedConnect(), TunnelSpec(0, 8888))
    status = supervisor.wait_for(tunnel, S.UP)
    assert echo_through(status.spec.local_port) == b"hello"
    supervisor.stop(tunnel)
    eventually(lambda: recorder.states(tunnel)[-1:] == [S.STOPPED])
    assert recorder.states(tunnel) == [S.CONNECTING, S.UP, S.STOPPED]
    event = recorder.events[-1]
    assert event.previous is S.UP and event.reason and event.time > 0
    assert set(event.as_json()) == {"tunnel", "state", "reason", "time"}


@pytest.mark.parametrize("error", [auth_error, key_changed], ids=["auth", "host-key-changed"])
def test_fatal_login_errors_fail_at_once_without_retrying(
    supervisor: TunnelSupervisor, error: Callable[[], Exception]
) -> None:
    connect = ScriptedConnect(error(), error(), error())  # type: ignore[arg-type]
    tunnel = supervisor.add("gpu", connect, TunnelSpec(0, 8888))
    status = supervisor.wait_for(tunnel, S.FAILED)
    assert connect.calls == 1
    assert status.error is not None
    # The listener is closed: the port is free for others.
    bind_listener(status.spec.local_port).close()


def test_unreachable_is_retried_with_backoff_then_up(supervisor: TunnelSupervisor) -> None:
    recorder = EventLog()
    supervisor.subscribe(recorder)
    connect = ScriptedConnect(unreachable(), unreachable())
    tunnel = supervisor.add("gpu", connect, TunnelSpec(0, 8888))
    supervisor.wait_for(tunnel, S.UP)
    assert connect.calls == 3
    eventually(lambda: S.UP in recorder.states(tunnel))
    states = recorder.states(tunnel)
    assert states[:2] == [S.CONNECTING, S.RECONNECTING]
    reconnecting = [e for e in recorder.events if e.state is S.RECONNECTING]
    assert all("next try in" in e.reason for e in reconnecting)
    assert all(isinstance(e.error, UnreachableError) for e in reconnecting)


def test_a_frozen_server_is_reconnected_and_forwarding_works_again(
    supervisor: TunnelSupervisor,
) -> None:
    connect = ScriptedConnect()
    tunnel = supervisor.add("gpu", connect, TunnelSpec(0, 8888))
    status = supervisor.wait_for(tunnel, S.UP)
    current, calls, frozen_at = connect.transports[-1], connect.calls, time.time()
    current.frozen = True
    supervisor.wait_for(tunnel, S.RECONNECTING, since=frozen_at)
    status = supervisor.wait_for(tunnel, S.UP)
    assert connect.calls == calls + 1
    assert not current.active
    assert echo_through(status.spec.local_port) == b"hello"


def test_host_key_changed_on_reconnect_fails_without_a_loop(
    supervisor: TunnelSupervisor,
) -> None:
    connect = ScriptedConnect()
    tunnel = supervisor.add("gpu", connect, TunnelSpec(0, 8888))
    supervisor.wait_for(tunnel, S.UP)
    calls = connect.calls
    connect.errors = [key_changed(), key_changed()]
    connect.transports[-1].die()
    status = supervisor.wait_for(tunnel, S.FAILED)
    assert connect.calls == calls + 1
    assert isinstance(status.error, HostKeyChangedError)


def test_busy_local_port_is_reported_at_once_not_retried(supervisor: TunnelSupervisor) -> None:
    holder = bind_listener(0)
    port = holder.getsockname()[1]
    connect = ScriptedConnect()
    try:
        with pytest.raises(LocalPortBusyError) as caught:
            supervisor.add("gpu", connect, TunnelSpec(port, 8888))
    finally:
        holder.close()
    assert caught.value.suggested_port not in (None, port)
    assert connect.calls == 0
    assert supervisor.tunnels() == []  # nothing half-added


def test_remote_port_refused_is_reported_and_not_reconnected(
    supervisor: TunnelSupervisor,
) -> None:
    recorder = EventLog()
    supervisor.subscribe(recorder)
    connect = ScriptedConnect()
    tunnel = supervisor.add("gpu", connect, TunnelSpec(0, REFUSED_PORT))
    port = supervisor.wait_for(tunnel, S.UP).spec.local_port
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", port)) as client:
            assert client.recv(10) == b""
    eventually(lambda: supervisor.status(tunnel).remote_refused)
    status = supervisor.status(tunnel)
    assert status.state is S.UP and "remote port refused" in status.reason
    assert connect.calls == 1
    eventually(lambda: any("remote port refused" in e.reason for e in recorder.events))
    refused = [e for e in recorder.events if "remote port refused" in e.reason]
    assert len(refused) == 1  # one event for the change, not one per connection
    assert S.RECONNECTING not in recorder.states(tunnel)


def test_tunnels_of_one_instance_share_one_connection(supervisor: TunnelSupervisor) -> None:
    connect = ScriptedConnect()
    first = supervisor.add("gpu", connect, TunnelSpec(0, 8888))
    second = supervisor.add("gpu", connect, TunnelSpec(0, 6006))
    supervisor.wait_for(first, S.UP)
    supervisor.wait_for(second, S.UP)
    assert connect.calls == 1
    supervisor.stop(first)
    assert connect.transports[0].active  # still used by the second
    supervisor.stop(second)
    assert not connect.transports[0].active  # the last one closes it


def test_probe_now_cuts_a_long_backoff_short() -> None:
    slow = BackoffPolicy(first_delays_s=(60.0,), cap_s=60.0, jitter=0.0)
    supervisor = TunnelSupervisor(probe_interval_s=0.05, probe_misses=3, backoff=slow)
    try:
        connect = ScriptedConnect(unreachable())
        tunnel = supervisor.add("gpu", connect, TunnelSpec(0, 8888))
        supervisor.wait_for(tunnel, S.RECONNECTING)
        supervisor.probe_now()  # the network came back
        supervisor.wait_for(tunnel, S.UP)
        assert connect.calls == 2
    finally:
        supervisor.close()


def test_a_failed_tunnel_can_be_started_again(supervisor: TunnelSupervisor) -> None:
    connect = ScriptedConnect(auth_error())
    tunnel = supervisor.add("gpu", connect, TunnelSpec(0, 8888))
    supervisor.wait_for(tunnel, S.FAILED)
    supervisor.start(tunnel)  # e.g. after the user typed the new password
    supervisor.wait_for(tunnel, S.UP)
    assert connect.calls == 2


def test_unsubscribed_callbacks_get_nothing_and_callbacks_may_call_back(
    supervisor: TunnelSupervisor,
) -> None:
    gone = EventLog()
    unsubscribe = supervisor.subscribe(gone)
    unsubscribe()
    seen: list[TunnelState] = []

    def reentrant(event: TunnelEvent) -> None:
        seen.append(supervisor.status(event.tunnel_id).state)  # no deadlock

    supervisor.subscribe(reentrant)
    tunnel = supervisor.add("gpu", ScriptedConnect(), TunnelSpec(0, 8888))
    supervisor.wait_for(tunnel, S.UP)
    eventually(lambda: len(seen) >= 2)
    assert gone.events == []


def test_a_failing_subscriber_does_not_stop_the_others(supervisor: TunnelSupervisor) -> None:
    def broken(event: TunnelEvent) -> None:
        raise RuntimeError("bug in a view")

    recorder = EventLog()
    supervisor.subscribe(broken)
    supervisor.subscribe(recorder)
    tunnel = supervisor.add("gpu", ScriptedConnect(), TunnelSpec(0, 8888))
    supervisor.wait_for(tunnel, S.UP)
    eventually(lambda: S.UP in recorder.states(tunnel))


def test_settings_give_the_probe_interval_and_misses() -> None:
    supervisor = TunnelSupervisor.from_settings(Settings(probe_interval_s=1.5, probe_misses=4))
    try:
        assert (supervisor.probe_interval_s, supervisor.probe_misses) == (1.5, 4)
    finally:
        supervisor.close()


def test_close_ends_every_thread() -> None:
    before = set(threading.enumerate())
    supervisor = TunnelSupervisor(probe_interval_s=0.2, probe_misses=3, backoff=QUICK)
    connect = ScriptedConnect()
    ids = [supervisor.add(f"gpu{n % 2}", connect, TunnelSpec(0, 8888)) for n in range(4)]
    for tunnel in ids:
        supervisor.wait_for(tunnel, S.UP)
    supervisor.close()
    for transport in connect.transports:
        transport.close()
    eventually(lambda: set(threading.enumerate()) <= before)
    assert all(s.state is S.STOPPED for s in supervisor.tunnels())
