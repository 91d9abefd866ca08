"""The notification policy with a fake clock: once per event, grace period, no storms."""

from __future__ import annotations

from gpudesk.core.desktop.notifications import Notification, NotificationKind, NotificationPolicy
from gpudesk.core.errors import AuthenticationError, HostKeyChangedError
from gpudesk.core.tunnels import TunnelEvent, TunnelSpec, TunnelState

S = TunnelState


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def ev(
    state: TunnelState,
    previous: TunnelState,
    *,
    instance: str = "box",
    tid: str = "box#1",
    reason: str = "",
    error: Exception | None = None,
) -> TunnelEvent:
    return TunnelEvent(
        tid,
        instance,
        TunnelSpec(8888, 8888),
        state,
        previous,
        reason or state.value,
        0.0,
        error,  # type: ignore[arg-type]
    )


def policy(clock: Clock, **kwargs: float) -> NotificationPolicy:
    return NotificationPolicy(clock=clock, grace_s=20.0, **kwargs)  # type: ignore[arg-type]


def kinds(notes: list[Notification]) -> list[NotificationKind]:
    return [n.kind for n in notes]


def test_blip_within_grace_says_nothing() -> None:
    clock = Clock()
    p = policy(clock)
    assert p.on_tunnel_event(ev(S.UP, S.CONNECTING)) == []
    assert p.on_tunnel_event(ev(S.RECONNECTING, S.UP, reason="connection lost")) == []
    clock.advance(19)
    assert p.tick() == []
    assert p.on_tunnel_event(ev(S.UP, S.RECONNECTING)) == []
    clock.advance(60)
    assert p.tick() == []


def test_lost_after_grace_once_then_back_up_once() -> None:
    clock = Clock()
    p = policy(clock)
    p.on_tunnel_event(ev(S.UP, S.CONNECTING))
    p.on_tunnel_event(ev(S.RECONNECTING, S.UP, reason="connection lost"))
    # Retries change the reason: still one lost episode.
    for n in range(5):
        clock.advance(5)
        p.on_tunnel_event(ev(S.RECONNECTING, S.RECONNECTING, reason=f"retry {n}"))
        notes = p.tick()
        if clock.now - 1000 >= 20:
            break
        assert notes == []
    assert kinds(notes) == [NotificationKind.LOST]
    assert notes[0].down_for_s == 20 and notes[0].instance == "box"
    assert notes[0].reason == "retry 3"
    for _ in range(10):
        clock.advance(1)
        assert p.tick() == []
    back = p.on_tunnel_event(ev(S.UP, S.RECONNECTING))
    assert kinds(back) == [NotificationKind.BACK_UP]
    assert back[0].down_for_s == 30
    assert p.on_tunnel_event(ev(S.UP, S.UP, reason="remote port answers again")) == []


def test_three_tunnels_of_one_instance_make_one_notification() -> None:
    clock = Clock()
    p = policy(clock)
    for n in (1, 2, 3):
        p.on_tunnel_event(ev(S.UP, S.CONNECTING, tid=f"box#{n}"))
    for n in (1, 2, 3):
        p.on_tunnel_event(ev(S.RECONNECTING, S.UP, tid=f"box#{n}"))
    clock.advance(25)
    assert kinds(p.tick()) == [NotificationKind.LOST]
    ups = [p.on_tunnel_event(ev(S.UP, S.RECONNECTING, tid=f"box#{n}")) for n in (1, 2, 3)]
    assert [kinds(u) for u in ups] == [[NotificationKind.BACK_UP], [], []]


def test_failed_once_with_reason_and_hint_and_rearmed_by_restart() -> None:
    clock = Clock()
    p = policy(clock, repeat_after_s=0.0)
    error = AuthenticationError("ssh.auth_failed", "The password was refused.", "Check it.")
    notes = []
    for n in (1, 2):
        notes += p.on_tunnel_event(
            ev(S.FAILED, S.CONNECTING, tid=f"box#{n}", reason="password refused", error=error)
        )
    assert kinds(notes) == [NotificationKind.FAILED]
    assert notes[0].reason == "password refused" and notes[0].hint == "Check it."
    # Failed again without a restart: nothing new.
    assert p.on_tunnel_event(ev(S.FAILED, S.FAILED, reason="again", error=error)) == []
    # The user starts it again and it fails again: a new event, a new notification.
    p.on_tunnel_event(ev(S.CONNECTING, S.FAILED))
    assert kinds(p.on_tunnel_event(ev(S.FAILED, S.CONNECTING, error=error))) == [
        NotificationKind.FAILED
    ]


def test_host_key_changed_is_its_own_kind() -> None:
    clock = Clock()
    p = policy(clock)
    error = HostKeyChangedError("ssh.host_key_changed", "changed", "", "SHA256:a", "SHA256:b")
    notes = p.on_tunnel_event(ev(S.FAILED, S.RECONNECTING, error=error))
    assert kinds(notes) == [NotificationKind.HOST_KEY_CHANGED]
    assert "console" in notes[0].hint


def test_lost_then_failed_reports_failed_only() -> None:
    clock = Clock()
    p = policy(clock)
    p.on_tunnel_event(ev(S.UP, S.CONNECTING))
    p.on_tunnel_event(ev(S.RECONNECTING, S.UP))
    clock.advance(5)
    assert kinds(p.on_tunnel_event(ev(S.FAILED, S.RECONNECTING))) == [NotificationKind.FAILED]
    clock.advance(60)
    assert p.tick() == []


def test_user_stop_cancels_a_pending_lost() -> None:
    clock = Clock()
    p = policy(clock)
    p.on_tunnel_event(ev(S.UP, S.CONNECTING))
    p.on_tunnel_event(ev(S.RECONNECTING, S.UP))
    assert p.pending_lost() == {"box": 1000.0}
    p.on_tunnel_event(ev(S.STOPPED, S.RECONNECTING))
    clock.advance(60)
    assert p.tick() == [] and p.pending_lost() == {}


def test_flapping_connection_is_not_a_storm() -> None:
    clock = Clock()
    p = policy(clock, repeat_after_s=300.0)
    shown: list[Notification] = []
    p.on_tunnel_event(ev(S.UP, S.CONNECTING))
    for _ in range(10):  # down 30 s, up 30 s, ten times in ten minutes
        shown += p.on_tunnel_event(ev(S.RECONNECTING, S.UP))
        clock.advance(30)
        shown += p.tick()
        shown += p.on_tunnel_event(ev(S.UP, S.RECONNECTING))
        clock.advance(30)
    # Lost at most every 300 s, and a "back up" only after a "lost" that was shown.
    assert kinds(shown) == [NotificationKind.LOST, NotificationKind.BACK_UP] * 2
    assert p.suppressed == 8


def test_burst_cap_over_many_instances() -> None:
    clock = Clock()
    p = policy(clock, burst=4, burst_window_s=60.0)
    notes = []
    for n in range(10):
        notes += p.on_tunnel_event(ev(S.FAILED, S.CONNECTING, instance=f"i{n}", tid=f"i{n}#1"))
    assert len(notes) == 4 and p.suppressed == 6
    clock.advance(61)
    assert len(p.on_tunnel_event(ev(S.FAILED, S.CONNECTING, instance="late", tid="late#1"))) == 1


def test_gpu_idle_once_per_idle_period() -> None:
    clock = Clock()
    p = policy(clock)
    first = p.on_idle_alert("box", 900.0, 2.5)
    assert kinds(first) == [NotificationKind.GPU_IDLE]
    assert (first[0].idle_for_s, first[0].price_per_hour) == (900.0, 2.5)
    assert p.on_idle_alert("box", 960.0, 2.5) == []
    p.gpu_busy("box")
    clock.advance(1000)
    assert kinds(p.on_idle_alert("box", 900.0, 2.5)) == [NotificationKind.GPU_IDLE]
