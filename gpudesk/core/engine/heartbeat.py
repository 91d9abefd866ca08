"""The desk's clock: one thread that ticks the desk while it runs, as rarely as it can.

A tick is cheap and never blocks for long (:meth:`Desk.tick`: release notifications whose
grace period passed, notice a changed instances file, poll for a sleep/wake or a network
change) and says when the next one is due: every second while a "connection lost" notice
waits for its grace period, else every few seconds. :meth:`Heartbeat.poke` brings the next
tick forward (a tunnel was just lost). It runs here, not on a GUI timer, so the CLI gets the
same behaviour and the GUI thread does nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Heartbeat:
    """Calls ``tick()`` on its own daemon thread until stopped.

    Args:
        tick: What to do each time; returns the seconds until the next tick (None: the
            default). Exceptions are logged and the clock keeps going.
        interval_s: The default seconds between ticks.
    """

    def __init__(self, tick: Callable[[], float | None], interval_s: float = 1.0) -> None:
        self.tick = tick
        self.interval_s = interval_s
        self._wake = threading.Event()
        self._stopped = False
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start ticking (a second call does nothing)."""
        with self._lock:
            if self._thread is not None or self._stopped:
                return
            self._thread = threading.Thread(
                target=self._run, name="gpudesk-desk-heartbeat", daemon=True
            )
            self._thread.start()

    def poke(self) -> None:
        """Tick now rather than when the last tick said."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop ticking and wait (bounded) for a tick in progress."""
        with self._lock:
            self._stopped = True
            thread = self._thread
        self._wake.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    @property
    def running(self) -> bool:
        """True while the thread ticks."""
        with self._lock:
            return self._thread is not None and not self._stopped

    def _run(self) -> None:
        delay = self.interval_s
        while True:
            self._wake.wait(delay)
            self._wake.clear()
            if self._stopped:
                return
            try:
                delay = self.tick() or self.interval_s
            except Exception:
                log.exception("the desk's tick failed")
                delay = self.interval_s
