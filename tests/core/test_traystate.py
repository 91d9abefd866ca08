"""The tray's overall state and tooltip facts, from tunnel events and idle flags."""

from __future__ import annotations

import pytest

from gpudesk.core.desktop.traystate import (
    OverallState,
    TrayStateModel,
    TunnelView,
    overall_state,
    summarize,
)
from gpudesk.core.tunnels import TunnelEvent, TunnelSpec, TunnelState

SPEC = TunnelSpec(8888, 8888)


def view(tid: str, instance: str, state: TunnelState, reason: str = "") -> TunnelView:
    return TunnelView(tid, instance, state, reason)


def event(tid: str, instance: str, state: TunnelState, previous: TunnelState) -> TunnelEvent:
    return TunnelEvent(tid, instance, SPEC, state, previous, state.value.lower(), 0.0)


@pytest.mark.parametrize(
    ("states", "idle", "expected"),
    [
        ([], [], OverallState.NOTHING_RUNNING),
        ([TunnelState.STOPPED, TunnelState.STOPPED], [], OverallState.NOTHING_RUNNING),
        ([TunnelState.UP, TunnelState.UP, TunnelState.STOPPED], [], OverallState.ALL_UP),
        ([TunnelState.UP, TunnelState.RECONNECTING], [], OverallState.RECONNECTING),
        ([TunnelState.CONNECTING], [], OverallState.RECONNECTING),
        ([TunnelState.UP, TunnelState.RECONNECTING, TunnelState.FAILED], [], OverallState.FAILED),
        ([TunnelState.UP], ["a"], OverallState.IDLE_GPU),
        ([TunnelState.UP, TunnelState.RECONNECTING], ["a"], OverallState.RECONNECTING),
        ([TunnelState.FAILED], ["a"], OverallState.FAILED),
    ],
)
def test_most_urgent_state_wins(
    states: list[TunnelState], idle: list[str], expected: OverallState
) -> None:
    views = [view(f"a#{n}", "a", s) for n, s in enumerate(states)]
    assert overall_state(views, idle) is expected


def test_summary_counts_and_text() -> None:
    views = [
        view("a#1", "a", TunnelState.UP),
        view("a#2", "a", TunnelState.UP),
        view("b#3", "b", TunnelState.UP),
        view("c#4", "c", TunnelState.STOPPED),
    ]
    summary = summarize(views)
    assert (summary.up, summary.active, summary.instances_up) == (3, 3, 2)
    assert summary.state is OverallState.ALL_UP
    views.append(view("d#5", "d", TunnelState.FAILED, "password refused"))
    views.append(view("e#6", "e", TunnelState.FAILED, "host key changed"))
    failed = summarize(views)
    assert failed.state is OverallState.FAILED
    assert list(failed.failed) == [("d", "password refused"), ("e", "host key changed")]
    assert summarize([]).state is OverallState.NOTHING_RUNNING
    reconnecting = summarize([view("a#1", "a", TunnelState.RECONNECTING), views[2]])
    assert reconnecting.state is OverallState.RECONNECTING
    assert list(reconnecting.reconnecting) == ["a"] and reconnecting.up == 1
    idle = summarize([views[0]], ["a"])
    assert list(idle.idle) == ["a"] and idle.up == 1


def test_model_follows_events_and_reports_changes_only() -> None:
    model = TrayStateModel()
    assert model.state is OverallState.NOTHING_RUNNING
    assert model.apply(event("a#1", "a", TunnelState.CONNECTING, TunnelState.STOPPED))
    assert model.state is OverallState.RECONNECTING
    assert model.apply(event("a#1", "a", TunnelState.UP, TunnelState.CONNECTING))
    assert model.state is OverallState.ALL_UP
    # A second tunnel coming up does not change the overall state.
    assert not model.apply(event("a#2", "a", TunnelState.UP, TunnelState.CONNECTING))
    assert model.set_idle("a", True)
    assert model.state is OverallState.IDLE_GPU
    assert not model.set_idle("a", True)
    assert model.apply(event("a#2", "a", TunnelState.FAILED, TunnelState.UP))
    assert model.state is OverallState.FAILED
    assert model.forget("a#2")
    assert model.state is OverallState.IDLE_GPU
    assert model.set_idle("a", False)
    assert model.state is OverallState.ALL_UP
    assert model.apply(event("a#1", "a", TunnelState.STOPPED, TunnelState.UP))
    assert model.state is OverallState.NOTHING_RUNNING
    assert model.idle_instances() == frozenset()


def test_reset_from_snapshot() -> None:
    model = TrayStateModel()
    assert model.reset([view("a#1", "a", TunnelState.RECONNECTING)])
    assert model.summary().reconnecting == ("a",)
    assert model.reset([])
    assert model.state is OverallState.NOTHING_RUNNING
