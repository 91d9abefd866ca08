"""The app's overall state for the tray icon, from tunnel events and idle-GPU flags.

The tray shows ONE state, the most urgent first:

``FAILED``
    some tunnel failed and needs the user (password refused, host key changed, ...);
``RECONNECTING``
    some tunnel is connecting or reconnecting;
``IDLE_GPU``
    every tunnel is fine, but an instance's GPU has been idle past the rule;
``ALL_UP``
    every started tunnel is up;
``NOTHING_RUNNING``
    no tunnel is started.

:class:`TrayStateModel` keeps the last status of each tunnel (fed with
:class:`~gpudesk.core.tunnels.TunnelEvent` or a snapshot list) and the set of idle
instances; :meth:`TrayStateModel.summary` gives the data of the one-line tooltip (the GUI
words it through ``tr()``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from gpudesk.core.tunnels.model import TunnelEvent, TunnelState, TunnelStatus


class OverallState(str, Enum):
    """What the tray icon shows; the values name the icon files (``tray-<value>.svg``)."""

    ALL_UP = "all-up"
    RECONNECTING = "reconnecting"
    FAILED = "failed"
    IDLE_GPU = "idle-gpu"
    NOTHING_RUNNING = "nothing-running"


@dataclass(frozen=True)
class TunnelView:
    """The part of a tunnel's status the tray needs."""

    tunnel_id: str
    instance: str
    state: TunnelState
    reason: str

    @classmethod
    def of(cls, item: TunnelStatus | TunnelEvent) -> TunnelView:
        """From a status snapshot or an event."""
        return cls(item.tunnel_id, item.instance, item.state, item.reason)


@dataclass(frozen=True)
class Summary:
    """The facts behind the tooltip line.

    Attributes:
        state: The overall state.
        up: Tunnels UP.
        active: Tunnels started (CONNECTING, UP or RECONNECTING).
        instances_up: Instances with at least one tunnel UP.
        reconnecting: Instances with a tunnel connecting or reconnecting, in order.
        failed: ``(instance, reason)`` of each instance with a FAILED tunnel, in order.
        idle: Instances whose GPU is idle, in order.
    """

    state: OverallState
    up: int
    active: int
    instances_up: int
    reconnecting: tuple[str, ...]
    failed: tuple[tuple[str, str], ...]
    idle: tuple[str, ...]


def overall_state(tunnels: Iterable[TunnelView], idle: Iterable[str] = ()) -> OverallState:
    """The one state to show for ``tunnels`` and the instances in ``idle``."""
    return summarize(tunnels, idle).state


def summarize(tunnels: Iterable[TunnelView], idle: Iterable[str] = ()) -> Summary:
    """Count ``tunnels`` and decide the overall state (see the module docstring)."""
    views = list(tunnels)
    up = [t for t in views if t.state is TunnelState.UP]
    active = [t for t in views if t.state.active]
    reconnecting = _unique(
        t.instance for t in views if t.state in (TunnelState.CONNECTING, TunnelState.RECONNECTING)
    )
    failed: dict[str, str] = {}
    for t in views:
        if t.state is TunnelState.FAILED:
            failed.setdefault(t.instance, t.reason)
    idle_instances = tuple(sorted(set(idle)))
    if failed:
        state = OverallState.FAILED
    elif reconnecting:
        state = OverallState.RECONNECTING
    elif idle_instances:
        state = OverallState.IDLE_GPU
    elif active:
        state = OverallState.ALL_UP
    else:
        state = OverallState.NOTHING_RUNNING
    return Summary(
        state=state,
        up=len(up),
        active=len(active),
        instances_up=len(_unique(t.instance for t in up)),
        reconnecting=reconnecting,
        failed=tuple(failed.items()),
        idle=idle_instances,
    )


class TrayStateModel:
    """The last known status of every tunnel plus idle flags; thread-safe.

    Feed it with :meth:`apply` (each event) or :meth:`reset` (a full snapshot); mark idle
    GPUs with :meth:`set_idle`. :meth:`apply` and :meth:`set_idle` return True when the
    overall state changed, so the caller redraws the icon only then.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tunnels: dict[str, TunnelView] = {}
        self._idle: set[str] = set()
        self._state = OverallState.NOTHING_RUNNING

    @property
    def state(self) -> OverallState:
        """The overall state now."""
        with self._lock:
            return self._state

    def reset(self, statuses: Iterable[TunnelStatus | TunnelView]) -> bool:
        """Replace every tunnel's status by ``statuses``; True if the state changed."""
        with self._lock:
            self._tunnels = {
                s.tunnel_id: s if isinstance(s, TunnelView) else TunnelView.of(s) for s in statuses
            }
            return self._recompute()

    def apply(self, event: TunnelEvent) -> bool:
        """Record one event; True if the overall state changed."""
        with self._lock:
            self._tunnels[event.tunnel_id] = TunnelView.of(event)
            return self._recompute()

    def forget(self, tunnel_id: str) -> bool:
        """Drop a removed tunnel; True if the overall state changed."""
        with self._lock:
            self._tunnels.pop(tunnel_id, None)
            return self._recompute()

    def set_idle(self, instance: str, idle: bool) -> bool:
        """Mark ``instance``'s GPU idle (or busy again); True if the state changed."""
        with self._lock:
            if idle:
                self._idle.add(instance)
            else:
                self._idle.discard(instance)
            return self._recompute()

    def idle_instances(self) -> frozenset[str]:
        """The instances marked idle."""
        with self._lock:
            return frozenset(self._idle)

    def summary(self) -> Summary:
        """The tooltip's facts now."""
        with self._lock:
            return summarize(self._tunnels.values(), self._idle)

    def _recompute(self) -> bool:
        previous = self._state
        self._state = summarize(self._tunnels.values(), self._idle).state
        return self._state is not previous


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
