"""The keepalive probe: answers keep a connection UP, silence for interval x misses is DOWN."""

from __future__ import annotations

import threading
import time

import pytest

from gpudesk.core.tunnels.liveness import KEEPALIVE_REQUEST, LivenessProbe, MissTracker
from tests.core.tunnel_fakes import FakeTransport
from tests.waiting import eventually


def test_down_after_interval_times_misses_without_an_answer() -> None:
    tracker = MissTracker(interval_s=2.0, misses=3, now=100.0)
    tracker.sent(102.0)
    assert not tracker.is_down(105.9)
    assert tracker.missed(105.9) == 2
    assert tracker.is_down(106.0)


def test_an_answer_moves_the_deadline() -> None:
    tracker = MissTracker(interval_s=1.0, misses=2, now=0.0)
    tracker.sent(1.0)
    tracker.answered(1.01)
    assert tracker.deadline() == pytest.approx(3.01)


def test_a_probe_in_flight_gets_one_interval_after_a_clock_jump() -> None:
    # A laptop slept for an hour: the last answer is old, but the probe just sent must be
    # given its interval before the connection is declared dead.
    tracker = MissTracker(interval_s=2.0, misses=3, now=0.0)
    tracker.sent(3600.0)
    assert not tracker.is_down(3601.0)
    assert tracker.is_down(3602.0)


def test_nonsense_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        MissTracker(0.0, 3, 0.0)
    with pytest.raises(ValueError):
        MissTracker(1.0, 0, 0.0)


def run_probe(transport: FakeTransport, interval: float = 0.1, misses: int = 3) -> LivenessProbe:
    probe = LivenessProbe(transport, interval_s=interval, misses=misses)
    probe.start()
    return probe


@pytest.mark.parametrize("refuse", [False, True], ids=["answered", "refused-but-alive"])
def test_answered_probes_keep_the_connection_up(refuse: bool) -> None:
    transport = FakeTransport()
    transport.refuse_requests = refuse  # REQUEST_FAILURE is an answer too
    probe = run_probe(transport)
    result: list[str | None] = []
    waiter = threading.Thread(target=lambda: result.append(probe.wait_until_down()))
    waiter.start()
    eventually(lambda: transport.requests >= 8)  # ~ 3 deadlines passed, all answered
    probe.cancel()
    waiter.join(5)
    transport.close()
    probe.join()
    assert result == [None]
    assert not waiter.is_alive()


def test_a_frozen_server_is_down_and_its_transport_closed() -> None:
    transport = FakeTransport()
    probe = run_probe(transport)
    eventually(lambda: transport.requests >= 2)
    transport.frozen = True
    reason = probe.wait_until_down()
    probe.join()
    assert reason is not None and "did not answer" in reason
    assert not transport.active  # closed by the probe: blocked channel readers wake up


@pytest.mark.parametrize(
    ("error", "expected"),
    [(None, "closed the connection"), (ConnectionResetError("reset by peer"), "reset by peer")],
)
def test_a_connection_that_ends_by_itself_is_down_at_once(
    error: BaseException | None, expected: str
) -> None:
    transport = FakeTransport()
    probe = run_probe(transport, interval=60.0)
    transport.die(error)
    reason = probe.wait_until_down()
    probe.join()
    assert reason is not None and expected in reason


def test_probe_now_sends_at_once() -> None:
    transport = FakeTransport()
    probe = run_probe(transport, interval=60.0)
    probe.probe_now()
    eventually(lambda: transport.requests >= 1)
    probe.cancel()
    transport.close()
    probe.join()
    assert not probe._thread.is_alive()


def test_the_request_is_openssh_keepalive_with_a_reply() -> None:
    seen: list[tuple[str, bool]] = []

    class Recording(FakeTransport):
        def global_request(self, kind: str, data: object = None, wait: bool = True) -> object:
            seen.append((kind, wait))
            return super().global_request(kind, data, wait)

    transport = Recording()
    probe = run_probe(transport)
    eventually(lambda: bool(seen))
    probe.cancel()
    transport.close()
    probe.join()
    assert seen[0] == (KEEPALIVE_REQUEST, True)


def test_data_from_the_server_counts_as_an_answer() -> None:
    tracker = MissTracker(interval_s=1.0, misses=3, now=0.0)
    tracker.sent(1.0)
    tracker.heard(2.5)  # a big download: the reply queues behind data, but data arrives
    assert not tracker.is_down(5.0)
    assert tracker.is_down(5.5)
    tracker.heard(0.5)  # an older note never moves the deadline back
    assert tracker.deadline() == pytest.approx(5.5)


def test_a_busy_server_whose_replies_are_late_is_not_declared_down() -> None:
    transport = FakeTransport()
    probe = run_probe(transport)
    eventually(lambda: transport.requests >= 1)
    transport.frozen = True  # replies stuck behind data...
    result: list[str | None] = []
    waiter = threading.Thread(target=lambda: result.append(probe.wait_until_down()))
    waiter.start()
    deadline = time.monotonic() + 1.0  # more than 3 deadlines of 0.3 s
    while time.monotonic() < deadline:
        probe.note_activity()  # ...but data keeps arriving
        time.sleep(0.005)
    assert transport.active and not result
    waiter.join(10)  # the data stops: DOWN follows
    probe.join()
    assert result and result[0] is not None and "without an answer or data" in result[0]
