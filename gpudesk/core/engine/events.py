"""What happens on the desk, as typed events, and the stream that hands them out.

Every event is a frozen dataclass; :data:`DeskEvent` is their union, so a consumer can
``match`` on them and mypy checks it. :class:`EventStream` calls each subscriber on the thread
that published the event (a tunnel's dispatcher thread, a sampling thread, the desk's
heartbeat, or the thread that called a desk method), in the order published on that thread;
a subscriber that raises is logged and skipped. A GUI forwards them to its own thread (the Qt
adapter re-emits them as queued signals); the CLI reads them from an :class:`EventQueue`, a
blocking iterator, on its own thread.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import TracebackType

from gpudesk.core.desktop.notifications import Notification
from gpudesk.core.desktop.traystate import OverallState
from gpudesk.core.errors import GpuDeskError
from gpudesk.core.guard.countdown import PowerOffNotice
from gpudesk.core.monitor.hub import InstanceReading, SamplingProblem
from gpudesk.core.store.instances import Instance
from gpudesk.core.tunnels.model import TunnelEvent, TunnelState
from gpudesk.core.tunnels.savedtunnels import RestoreProblem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TunnelChanged:
    """A tunnel changed state (the supervisor's event)."""

    event: TunnelEvent


@dataclass(frozen=True)
class StateChanged:
    """The overall state (the tray icon) changed."""

    state: OverallState


@dataclass(frozen=True)
class ReadingChanged:
    """A new GPU reading of one instance."""

    reading: InstanceReading


@dataclass(frozen=True)
class IdleAlerted:
    """The idle rule fired for ``alias`` (once per idle period; the notification, if the
    policy lets one through, comes as :class:`NotificationRaised`)."""

    alias: str
    idle_for_s: float
    price_per_hour: float | None
    cost: float | None


@dataclass(frozen=True)
class SamplingFailed:
    """A GPU sample failed; said once until a good sample (the reading says it every time)."""

    problem: SamplingProblem


@dataclass(frozen=True)
class WatchChanged:
    """The own connection of an instance watched without a tunnel changed.

    Attributes:
        alias: The instance.
        state: CONNECTING, UP, RECONNECTING or FAILED (the tunnels' states).
        reason: One sentence, as a tunnel's reason.
        time: Wall time of the change.
        cause: While RECONNECTING: why the connection is down.
        retry_in_s: While RECONNECTING: seconds until the next login.
        error: Behind FAILED: what no retry can fix (its ``exit_code`` ends a command).
    """

    alias: str
    state: TunnelState
    reason: str
    time: float
    cause: str = ""
    retry_in_s: float | None = None
    error: GpuDeskError | None = field(default=None, compare=False)


@dataclass(frozen=True)
class NotificationRaised:
    """Something the user should hear about now (the policy already made it once per event)."""

    note: Notification


@dataclass(frozen=True)
class ActionFailed:
    """Something the desk did on its own failed (e.g. a saved tunnel could not start)."""

    error: BaseException


@dataclass(frozen=True)
class JupyterOpened:
    """Jupyter is tunnelled; ``page`` is a 0600 redirect page holding the token (never log)."""

    alias: str
    page: str = field(repr=False)


@dataclass(frozen=True)
class TensorBoardOpened:
    """TensorBoard is tunnelled and reachable at ``url`` (no token)."""

    alias: str
    url: str


@dataclass(frozen=True)
class EditorOpened:
    """VS Code was asked to open the instance's folder."""

    alias: str


@dataclass(frozen=True)
class WokeUp:
    """The machine woke from sleep (``"wake"``) or the network changed (``"network"``)."""

    reason: str


@dataclass(frozen=True)
class Restored:
    """The saved tunnels are registered (and those of auto-connect instances started)."""

    problems: tuple[RestoreProblem, ...] = ()


@dataclass(frozen=True)
class InstancesChanged:
    """The saved instances were re-read and differ from what the desk knew."""

    instances: tuple[Instance, ...]


@dataclass(frozen=True)
class GuardCountdown:
    """A guard announced a power-off (once per announced time; a postponement announces
    again): "powers off in N min — Postpone / Cancel"."""

    notice: PowerOffNotice


@dataclass(frozen=True)
class GuardChanged:
    """The countdown shown for ``alias`` began, moved or ended (the menu follows)."""

    alias: str


@dataclass(frozen=True)
class PoweredOff:
    """The platform accepted powering the instance ``alias`` off."""

    alias: str


DeskEvent = (
    TunnelChanged
    | StateChanged
    | ReadingChanged
    | IdleAlerted
    | SamplingFailed
    | WatchChanged
    | NotificationRaised
    | ActionFailed
    | JupyterOpened
    | TensorBoardOpened
    | EditorOpened
    | WokeUp
    | Restored
    | InstancesChanged
    | GuardCountdown
    | GuardChanged
    | PoweredOff
)

#: A subscriber: called with each event on the publishing thread; keep it quick.
DeskCallback = Callable[[DeskEvent], None]


class EventStream:
    """Subscribers of the desk's events; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[DeskCallback] = []

    def subscribe(self, callback: DeskCallback) -> Callable[[], None]:
        """Call ``callback(event)`` for every later event; returns a function to unsubscribe."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def publish(self, *events: DeskEvent) -> None:
        """Hand ``events`` to every subscriber, in order, on this thread."""
        with self._lock:
            subscribers = list(self._subscribers)
        for event in events:
            for callback in subscribers:
                try:
                    callback(event)
                except Exception:
                    log.exception("a desk event subscriber failed on %s", type(event).__name__)

    def queue(self) -> EventQueue:
        """A new :class:`EventQueue` subscribed to this stream (close it when done)."""
        return EventQueue(self)


class EventQueue:
    """The desk's events as a blocking iterator, for a consumer with its own thread (the CLI).

    Use as a context manager (it unsubscribes on exit); iterate, or :meth:`get` with a
    timeout. Events published while nobody reads are kept (the queue is unbounded, and the
    desk publishes a handful per state change).
    """

    def __init__(self, stream: EventStream) -> None:
        self._queue: queue.SimpleQueue[DeskEvent] = queue.SimpleQueue()
        self._unsubscribe = stream.subscribe(self._queue.put)

    def get(self, timeout: float | None = None) -> DeskEvent | None:
        """The next event, or None when none arrived within ``timeout`` seconds."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def __iter__(self) -> Iterator[DeskEvent]:
        while True:
            yield self._queue.get()

    def close(self) -> None:
        """Stop receiving events."""
        self._unsubscribe()

    def __enter__(self) -> EventQueue:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
