"""The desk's clock: one thread that ticks the desk while it runs.

A tick is cheap and never blocks for long (:meth:`Desk.tick`: release notifications whose
grace period passed; every few seconds poll for a sleep/wake or a network change). It runs
here, not on a GUI timer, so the CLI gets the same behaviour and the GUI thread does nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Heartbeat:
    """Calls ``tick()`` every ``interval_s`` seconds on its own daemon thread until stopped.

    Args:
        tick: What to do each time (exceptions are logged, the clock keeps going).
        interval_s: Seconds between ticks.
    """

    def __init__(self, tick: Callable[[], None], interval_s: float = 1.0) -> None:
        self.tick = tick
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start ticking (a second call does nothing)."""
        with self._lock:
            if self._thread is not None or self._stop.is_set():
                return
            self._thread = threading.Thread(
                target=self._run, name="gpudesk-desk-heartbeat", daemon=True
            )
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop ticking and wait (bounded) for a tick in progress."""
        self._stop.set()
        with self._lock:
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    @property
    def running(self) -> bool:
        """True while the thread ticks."""
        with self._lock:
            return self._thread is not None and not self._stop.is_set()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.tick()
            except Exception:
                log.exception("the desk's tick failed")
