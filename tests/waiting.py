"""Waiting for what other threads do, and recording tunnel events, in tests (no timing asserts)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from gpudesk.core.engine import DeskEvent, EventQueue
from gpudesk.core.tunnels import TunnelEvent, TunnelState

E = TypeVar("E", bound=DeskEvent)


def eventually(condition: Callable[[], object], timeout: float = 10.0, what: str = "") -> None:
    """Poll ``condition`` until it is true; AssertionError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached in {timeout:g} s: {what or 'condition'}")
        time.sleep(0.005)


def next_event(events: EventQueue, kind: type[E], timeout: float = 10.0) -> E:
    """The next desk event of ``kind`` (others are skipped); AssertionError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        event = events.get(timeout=left)
        if isinstance(event, kind):
            return event
    raise AssertionError(f"no {kind.__name__} within {timeout:g} s")


class EventLog:
    """Every tunnel event, in order; subscribe it to a supervisor (thread-safe)."""

    def __init__(self) -> None:
        self.events: list[TunnelEvent] = []
        self._lock = threading.Lock()

    def __call__(self, event: TunnelEvent) -> None:
        with self._lock:
            self.events.append(event)

    def states(self, tunnel_id: str) -> list[TunnelState]:
        """The states ``tunnel_id`` went through."""
        with self._lock:
            return [e.state for e in self.events if e.tunnel_id == tunnel_id]

    def of(self, state: TunnelState) -> list[TunnelEvent]:
        """The events into ``state``, of any tunnel."""
        with self._lock:
            return [e for e in self.events if e.state is state]
