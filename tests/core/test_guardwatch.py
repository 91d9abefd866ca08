"""The desk's guard watch without Qt or a network: fed guard statuses by hand.

The statuses are built in the test (FAKE: the real guard runs only on an instance; the
end-to-end test against the real sshd and the real guard is
``tests/integration/test_desk_guard.py``). The command runner here raises "not connected",
as the supervisor does for an instance without a live connection.
"""

from __future__ import annotations

from typing import Any

from gpudesk.core.engine.guardwatch import GuardWatch
from gpudesk.core.errors import RemoteCommandError
from gpudesk.core.guard.countdown import PowerOffNotice
from gpudesk.core.guard.status import GuardStatus
from gpudesk.core.ssh.remote import CommandResult

RULES = {"power_off_command": "recorded-stand-in"}


def grace(powers_off_at: float, checked_at: float = 1_000.0, **rules: Any) -> GuardStatus:
    return GuardStatus(
        active=True,
        checked_at=checked_at,
        phase="grace",
        reason="idle",
        rules=rules or RULES,
        powers_off_at=powers_off_at,
    )


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def not_connected(alias: str, command: str, **_kwargs: Any) -> CommandResult:
    raise RemoteCommandError("tunnel.not_connected", f"{alias} is not connected.", "")


def make_watch(clock: Clock | None = None) -> tuple[GuardWatch, list[PowerOffNotice], list[str]]:
    notices: list[PowerOffNotice] = []
    changes: list[str] = []
    watch = GuardWatch(
        not_connected,
        on_notice=notices.append,
        on_change=changes.append,
        interval_s=3600,
        clock=clock or Clock(),
    )
    return watch, notices, changes


def test_a_countdown_is_announced_once_and_again_after_a_postponement() -> None:
    watch, notices, changes = make_watch()
    watch.set_running({"box"})
    try:
        watch.take("box", grace(1_240.0))
        watch.take("box", grace(1_240.0, checked_at=1_030.0))  # the same countdown, later
        assert [(n.alias, n.minutes_left, n.warns_only) for n in notices] == [("box", 4, False)]
        assert changes == ["box"]
        watch.take("box", grace(2_800.0, checked_at=1_040.0))  # postponed: a new time
        assert [n.minutes_left for n in notices] == [4, 30]
        assert watch.countdowns()["box"].powers_off_at == 2_800.0
    finally:
        watch.close()


def test_the_countdown_ends_when_cancelled_or_disconnected() -> None:
    watch, notices, changes = make_watch()
    watch.set_running({"box", "other"})
    try:
        watch.take("box", grace(1_240.0))
        watch.take("box", GuardStatus(active=False, checked_at=1_050.0, phase="stopped"))
        assert watch.countdowns() == {} and changes == ["box", "box"]
        watch.take("other", grace(1_600.0))
        watch.set_running({"box"})  # "other"'s tunnels went down
        assert watch.countdowns() == {} and changes[-1] == "other"
        watch.take("other", grace(1_600.0))  # a late read of a disconnected instance
        assert watch.countdowns() == {} and len(notices) == 2
    finally:
        watch.close()


def test_minutes_left_count_down_from_the_read_and_never_below_zero() -> None:
    clock = Clock()
    watch, _notices, _changes = make_watch(clock)
    watch.set_running({"box"})
    try:
        watch.take("box", grace(1_600.0))  # 10 min left as read
        clock.now += 4 * 60 + 1
        assert watch.countdowns()["box"].minutes_left == 6
        clock.now += 3600
        assert watch.countdowns()["box"].minutes_left == 0
    finally:
        watch.close()


def test_a_guard_without_a_power_off_command_only_warns() -> None:
    watch, notices, _changes = make_watch()
    watch.set_running({"box"})
    try:
        watch.take("box", grace(1_120.0, power_off_command=None))
        assert notices[0].warns_only and notices[0].minutes_left == 2
    finally:
        watch.close()


def test_an_unreachable_instance_is_skipped_without_a_notice() -> None:
    watch, notices, changes = make_watch()
    watch.set_running({"box"})
    try:
        watch.poll_once()  # the runner raises tunnel.not_connected
        assert notices == [] and changes == [] and watch.countdowns() == {}
    finally:
        watch.close()
