"""When the tray tells the user something: once per event, never a storm.

:class:`NotificationPolicy` turns tunnel events and idle alerts into
:class:`Notification` values. The rules:

* Per instance, not per tunnel: the tunnels of an instance share one connection, so three
  tunnels lost together are ONE notification.
* Lost: only when the connection is not back within ``grace_s`` (a blip says nothing).
  :meth:`NotificationPolicy.tick` (called every second or so) releases it once the grace
  period has passed.
* Back up: only after a "lost" was shown.
* Failed: once per failure (with the reason and what to do); a changed host key is its own
  kind, with the hint to check it on the platform console. Starting the tunnel again re-arms it.
* GPU idle: once per idle period (the monitor already fires once; a repeat is dropped
  until :meth:`NotificationPolicy.gpu_busy`).
* A flapping connection: a kind is not repeated for an instance within ``repeat_after_s``.
* Storm cap: at most ``burst`` notifications per ``burst_window_s``; the rest are dropped
  and counted (:attr:`NotificationPolicy.suppressed`).

The clock is injected: the tests drive it by hand.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from gpudesk.core.errors import GpuDeskError, HostKeyChangedError
from gpudesk.core.tunnels.model import TunnelEvent, TunnelState


class NotificationKind(str, Enum):
    """What happened."""

    LOST = "lost"
    BACK_UP = "back-up"
    FAILED = "failed"
    HOST_KEY_CHANGED = "host-key-changed"
    GPU_IDLE = "gpu-idle"


@dataclass(frozen=True)
class Notification:
    """One message for the user (the GUI words it from these facts, translated).

    Attributes:
        kind: What happened.
        instance: The instance (its alias).
        reason: Why, in one English sentence (from the engine).
        hint: What to do (from the error, or a default per kind).
        down_for_s: LOST: how long the connection has been down; BACK_UP: how long it was.
        idle_for_s: GPU_IDLE: how long the GPU has been idle.
        price_per_hour: GPU_IDLE: the hourly price, if known.
        time: When it was decided (the policy's clock).
        error: FAILED / HOST_KEY_CHANGED: the engine's error (the GUI translates by its code).
    """

    kind: NotificationKind
    instance: str
    reason: str = ""
    hint: str = ""
    down_for_s: float = 0.0
    idle_for_s: float = 0.0
    price_per_hour: float | None = None
    time: float = 0.0
    error: GpuDeskError | None = field(default=None, compare=False)


#: Default hints (English; the GUI has its own translated wording per kind).
HINTS = {
    NotificationKind.LOST: "gpudesk keeps retrying; check that the instance is running.",
    NotificationKind.FAILED: "Fix the cause, then switch the tunnel on again from the tray.",
    NotificationKind.HOST_KEY_CHANGED: (
        "The instance presented a different host key. If you re-created the instance, check "
        "the new key on the platform console and trust it again; otherwise do not connect."
    ),
    NotificationKind.GPU_IDLE: "Stop the instance in the platform console if you are done.",
}


def is_host_key_changed(error: GpuDeskError | None) -> bool:
    """True for the engine's "host key changed" failure."""
    return isinstance(error, HostKeyChangedError) or (
        error is not None and error.code == "ssh.host_key_changed"
    )


@dataclass
class _InstanceState:
    down_since: float | None = None  # lost, not yet back
    lost_decided: bool = False  # the grace period passed (shown, or dropped by a guard)
    lost_shown: bool = False
    failed_shown: bool = False
    idle_shown: bool = False
    last_shown: dict[NotificationKind, float] = field(default_factory=dict)
    reason: str = ""


class NotificationPolicy:
    """Decides which events become notifications; thread-safe.

    Args:
        grace_s: A lost connection must stay lost this long before the user hears of it.
        repeat_after_s: The same kind is not repeated for an instance within this time.
        burst: At most this many notifications ...
        burst_window_s: ... per this many seconds (the rest are dropped).
        clock: Monotonic seconds (injected by tests).
    """

    def __init__(
        self,
        *,
        grace_s: float = 20.0,
        repeat_after_s: float = 300.0,
        burst: int = 4,
        burst_window_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.grace_s = grace_s
        self.repeat_after_s = repeat_after_s
        self.burst = burst
        self.burst_window_s = burst_window_s
        self.clock = clock
        self.suppressed = 0
        self._lock = threading.Lock()
        self._instances: dict[str, _InstanceState] = {}
        self._recent: deque[float] = deque()

    def on_tunnel_event(self, event: TunnelEvent) -> list[Notification]:
        """Account for one tunnel event; return what to show now (usually nothing)."""
        with self._lock:
            now = self.clock()
            st = self._instances.setdefault(event.instance, _InstanceState())
            if event.state is TunnelState.RECONNECTING:
                if st.down_since is None:
                    st.down_since = now
                st.reason = event.reason
                return []
            if event.state is TunnelState.UP:
                return self._back_up(event.instance, st, now)
            if event.state is TunnelState.FAILED:
                return self._failed(event, st, now)
            if event.state is TunnelState.CONNECTING:
                st.failed_shown = False  # started again by the user: a new failure counts
                return []
            # STOPPED: the user (or quitting) stopped it; nothing is lost.
            self._clear_lost(st)
            return []

    def tick(self) -> list[Notification]:
        """Release "lost" notifications whose grace period has passed."""
        with self._lock:
            now = self.clock()
            out: list[Notification] = []
            for instance, st in self._instances.items():
                if st.down_since is None or st.lost_decided or now - st.down_since < self.grace_s:
                    continue
                st.lost_decided = True
                note = Notification(
                    NotificationKind.LOST,
                    instance,
                    st.reason,
                    HINTS[NotificationKind.LOST],
                    down_for_s=now - st.down_since,
                    time=now,
                )
                shown = self._emit(st, note)
                st.lost_shown = bool(shown)
                out += shown
            return out

    def on_idle_alert(
        self, instance: str, idle_for_s: float, price_per_hour: float | None
    ) -> list[Notification]:
        """The monitor's idle rule fired for ``instance``."""
        with self._lock:
            st = self._instances.setdefault(instance, _InstanceState())
            if st.idle_shown:
                return []
            st.idle_shown = True
            note = Notification(
                NotificationKind.GPU_IDLE,
                instance,
                hint=HINTS[NotificationKind.GPU_IDLE],
                idle_for_s=idle_for_s,
                price_per_hour=price_per_hour,
                time=self.clock(),
            )
            return self._emit(st, note, repeat_guard=False)

    def gpu_busy(self, instance: str) -> None:
        """``instance``'s GPU was busy again: a later idle period notifies again."""
        with self._lock:
            st = self._instances.get(instance)
            if st is not None:
                st.idle_shown = False

    def pending_lost(self) -> dict[str, float]:
        """Instances lost but still within the grace period (instance -> since)."""
        with self._lock:
            return {
                i: st.down_since
                for i, st in self._instances.items()
                if st.down_since is not None and not st.lost_decided
            }

    # --- internals (under the lock) ---------------------------------------------------------

    def _back_up(self, instance: str, st: _InstanceState, now: float) -> list[Notification]:
        st.failed_shown = False
        if st.down_since is None:
            return []
        down_for = now - st.down_since
        shown = st.lost_shown
        self._clear_lost(st)
        if not shown:
            return []  # a blip within the grace period: nothing was said, nothing to say
        note = Notification(NotificationKind.BACK_UP, instance, down_for_s=down_for, time=now)
        return self._emit(st, note, repeat_guard=False)

    @staticmethod
    def _clear_lost(st: _InstanceState) -> None:
        st.down_since, st.lost_decided, st.lost_shown = None, False, False

    def _failed(self, event: TunnelEvent, st: _InstanceState, now: float) -> list[Notification]:
        self._clear_lost(st)
        if st.failed_shown:
            return []  # the other tunnels of the same connection
        st.failed_shown = True
        kind = (
            NotificationKind.HOST_KEY_CHANGED
            if is_host_key_changed(event.error)
            else NotificationKind.FAILED
        )
        hint = (event.error.hint if event.error is not None else "") or HINTS[kind]
        if kind is NotificationKind.HOST_KEY_CHANGED:
            hint = HINTS[kind]
        note = Notification(kind, event.instance, event.reason, hint, time=now, error=event.error)
        return self._emit(st, note)

    def _emit(
        self, st: _InstanceState, note: Notification, *, repeat_guard: bool = True
    ) -> list[Notification]:
        now = note.time
        last = st.last_shown.get(note.kind)
        if repeat_guard and last is not None and now - last < self.repeat_after_s:
            self.suppressed += 1
            return []
        while self._recent and now - self._recent[0] >= self.burst_window_s:
            self._recent.popleft()
        if len(self._recent) >= self.burst:
            self.suppressed += 1
            return []
        self._recent.append(now)
        st.last_shown[note.kind] = now
        return [note]
