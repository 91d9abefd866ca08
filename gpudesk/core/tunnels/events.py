"""Deliver tunnel events to subscribers: in order, on one thread, never under a lock.

The supervisor publishes from whatever thread made a change (a link's thread, a caller's);
:class:`EventHub` queues the event and one dispatcher thread calls every subscriber in turn,
so a subscriber may call back into the supervisor (or block briefly) without a deadlock, and
a subscriber that raises is logged and skipped. Subscribing and unsubscribing are thread-safe.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from gpudesk.core.tunnels.model import TunnelEvent

log = logging.getLogger(__name__)

#: A subscriber: called with each event on the hub's dispatcher thread.
EventCallback = Callable[[TunnelEvent], None]
#: Put on the queue to end the dispatcher.
_STOP = object()


class EventHub:
    """A queue of events and the thread that hands them to the subscribers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[EventCallback] = []
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread = threading.Thread(
            target=self._dispatch, name="gpudesk-tunnel-events", daemon=True
        )
        self._thread.start()

    def subscribe(self, callback: EventCallback) -> Callable[[], None]:
        """Call ``callback(event)`` for every later event; returns a function to unsubscribe."""
        with self._lock:
            self._subscribers.append(callback)
        return lambda: self.unsubscribe(callback)

    def unsubscribe(self, callback: EventCallback) -> None:
        """Stop calling ``callback`` (no error if it was not subscribed)."""
        with self._lock:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

    def is_subscribed(self, callback: EventCallback) -> bool:
        """True while ``callback`` gets events."""
        with self._lock:
            return callback in self._subscribers

    def publish(self, event: TunnelEvent) -> None:
        """Queue ``event`` for the subscribers (returns at once)."""
        self._queue.put(event)

    def close(self, timeout: float = 10.0) -> None:
        """Deliver what is queued, then end the dispatcher thread."""
        self._queue.put(_STOP)
        if self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _dispatch(self) -> None:
        while True:
            event = self._queue.get()
            if not isinstance(event, TunnelEvent):
                return  # _STOP
            with self._lock:
                subscribers = list(self._subscribers)
            for callback in subscribers:
                try:
                    callback(event)
                except Exception:
                    log.exception("a tunnel event subscriber failed")
