"""Bytes, rate and ETA of a running transfer, safe to feed from several threads."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from gpudesk.core.transfer.model import Progress

#: The rate is measured over this many recent seconds.
RATE_WINDOW_S = 5.0


class ProgressMeter:
    """Counts bytes and files; :meth:`snapshot` gives a :class:`Progress`.

    Args:
        bytes_total: Bytes this run has to move.
        files_total: Files this run has to move.
        clock: Monotonic seconds (tests may pass their own).
    """

    def __init__(
        self, bytes_total: int, files_total: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.bytes_total = bytes_total
        self.files_total = files_total
        self.bytes_done = 0
        self.files_done = 0
        self.current = ""
        self._clock = clock
        self._lock = threading.Lock()
        self._samples: deque[tuple[float, int]] = deque([(clock(), 0)])

    def add_bytes(self, count: int) -> None:
        """``count`` more bytes crossed the network."""
        with self._lock:
            self.bytes_done += count

    def file_finished(self, path: str) -> None:
        """A file is done."""
        with self._lock:
            self.files_done += 1
            self.current = path

    def snapshot(self) -> Progress:
        """The progress now (rate over the last :data:`RATE_WINDOW_S` seconds)."""
        with self._lock:
            now = self._clock()
            self._samples.append((now, self.bytes_done))
            while len(self._samples) > 2 and now - self._samples[1][0] > RATE_WINDOW_S:
                self._samples.popleft()
            then, done_then = self._samples[0]
            elapsed = now - then
            rate = (self.bytes_done - done_then) / elapsed if elapsed > 0 else 0.0
            left = max(0, self.bytes_total - self.bytes_done)
            eta = left / rate if rate > 0 else None
            return Progress(
                self.bytes_done,
                self.bytes_total,
                self.files_done,
                self.files_total,
                rate,
                eta,
                self.current,
            )
