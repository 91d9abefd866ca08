"""A watchdog on the Qt loop: how long the GUI thread went without ticking, and why.

A QTimer ticks every 10 ms on the GUI thread; the time between two ticks is a gap, time the
window could not repaint or take a click. Part of a gap on a loaded machine is not ours: the
GUI thread was runnable but the OS gave the CPU to another process. Linux counts that time
per thread (``/proc/self/task/TID/schedstat``, second field: nanoseconds spent waiting on a
run queue), so every :class:`Gap` holds both the raw gap and that run-queue wait; what is left
(:attr:`Gap.busy_s`) is the time our code kept the loop busy or blocked (a sleep, a lock, a
keyring call: none of them waits on a run queue).

While a tick is late, a helper thread samples the GUI thread's Python stack
(``sys._current_frames``) every few milliseconds, so a long gap says where the loop was; the
time spent in Python's garbage collector during a gap is noted too (a full collection of a
big heap stops every thread).
"""

from __future__ import annotations

import gc
import sys
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QTimer

#: The longest the GUI thread may keep the loop from ticking (run-queue wait not counted).
GAP_LIMIT_S = 0.1
#: Ticks this often (ms).
PERIOD_MS = 10
#: A tick this late (s) has the GUI thread's stack sampled.
LATE_S = 0.04
#: How often the helper thread looks (s).
SAMPLE_EVERY_S = 0.005
#: Frames of a sampled stack kept (innermost last); frames outside the project are dropped.
STACK_DEPTH = 6
_ROOT = str(Path(__file__).resolve().parents[2])


def run_queue_wait_s(native_id: int) -> float | None:
    """Seconds thread ``native_id`` of this process has waited for a CPU, or None if unknown."""
    try:
        fields = Path(f"/proc/self/task/{native_id}/schedstat").read_text().split()
        return int(fields[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


@dataclass(frozen=True)
class Gap:
    """The time between two ticks.

    Attributes:
        raw_s: Wall time between the ticks.
        queued_s: Of it, the time the GUI thread waited for a CPU (0 when unknown).
        ended_at: Monotonic time of the second tick.
        stacks: Where the GUI thread was while the tick was late, most seen first.
        collecting_s: Of it, the time Python's garbage collector ran (any thread).
    """

    raw_s: float
    queued_s: float
    ended_at: float
    stacks: tuple[str, ...] = ()
    collecting_s: float = 0.0

    @property
    def busy_s(self) -> float:
        """The gap without the run-queue wait: time our code kept the loop from ticking."""
        return self.raw_s - self.queued_s


@dataclass
class Watchdog:
    """Ticks on the GUI thread and records every gap; :meth:`start` it on the GUI thread."""

    gaps: list[Gap] = field(default_factory=list)
    schedstat: bool = False

    def __post_init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(PERIOD_MS)
        self.timer.timeout.connect(self.on_timer_timeout)
        self._lock = threading.Lock()
        self._last: float | None = None
        self._last_queued = 0.0
        self._stacks: Counter[str] = Counter()
        self._collecting_s = 0.0
        self._collection_started = 0.0
        self._stop = threading.Event()
        self._gui_ident = 0
        self._gui_native_id = 0
        self.started_at = 0.0
        self._sampler = threading.Thread(target=self._sample, name="watchdog", daemon=True)

    def start(self) -> None:
        """Start ticking (call on the GUI thread) and sampling."""
        self.started_at = time.monotonic()
        self._gui_ident = threading.get_ident()
        self._gui_native_id = threading.get_native_id()
        self.schedstat = run_queue_wait_s(self._gui_native_id) is not None
        gc.callbacks.append(self._on_collection)
        self.timer.start()
        self._sampler.start()

    def stop(self) -> None:
        """Stop ticking and sampling."""
        self.timer.stop()
        if self._on_collection in gc.callbacks:
            gc.callbacks.remove(self._on_collection)
        self._stop.set()
        self._sampler.join(5)

    def on_timer_timeout(self) -> None:
        """One tick: record the gap since the last one."""
        now = time.monotonic()
        queued = run_queue_wait_s(self._gui_native_id) or 0.0
        with self._lock:
            last, self._last = self._last, now
            stacks = tuple(stack for stack, _ in self._stacks.most_common(3))
            self._stacks.clear()
            collecting, self._collecting_s = self._collecting_s, 0.0
        if last is not None:
            queued_s = max(0.0, queued - self._last_queued)
            self.gaps.append(Gap(now - last, queued_s, now, stacks, collecting))
        self._last_queued = queued

    def worst(self, *, raw: bool = False) -> Gap:
        """The largest gap, by busy time (or by raw time)."""
        return max(self.gaps, key=lambda gap: gap.raw_s if raw else gap.busy_s)

    def figures(self, since: float | None = None) -> str:
        """Raw and corrected gaps, the three worst with where the loop was (times from
        ``since``, default the start)."""
        since = self.started_at if since is None else since
        raw = sorted(gap.raw_s for gap in self.gaps)
        busy = sorted(gap.busy_s for gap in self.gaps)
        worst = sorted(self.gaps, key=lambda gap: gap.busy_s, reverse=True)[:3]
        where = "; ".join(
            f"{g.busy_s * 1000:.0f} ms busy ({g.raw_s * 1000:.0f} raw, "
            f"{g.collecting_s * 1000:.0f} collecting garbage) ending at "
            f"+{g.ended_at - since:.2f} s in [{' | '.join(g.stacks) or 'not sampled'}]"
            for g in worst
        )
        source = "schedstat" if self.schedstat else "no schedstat: corrected = raw"
        return (
            f"{len(self.gaps)} ticks; raw: largest {raw[-1] * 1000:.0f} ms, 99th percentile "
            f"{_p99(raw) * 1000:.0f} ms, over 100 ms: {sum(g > 0.1 for g in raw)}; "
            f"without run-queue wait ({source}): largest {busy[-1] * 1000:.0f} ms, "
            f"99th percentile {_p99(busy) * 1000:.0f} ms, over 100 ms: "
            f"{sum(g > 0.1 for g in busy)}; worst: {where}"
        )

    def _on_collection(self, phase: str, _info: dict[str, int]) -> None:
        """``gc.callbacks``: add up the collector's time (it runs on whichever thread)."""
        now = time.perf_counter()
        if phase == "start":
            self._collection_started = now
        else:
            self._collecting_s += now - self._collection_started

    def _sample(self) -> None:
        """The helper thread: while a tick is late, note where the GUI thread is."""
        while not self._stop.wait(SAMPLE_EVERY_S):
            with self._lock:
                last = self._last
            if last is None or time.monotonic() - last < LATE_S:
                continue
            frame = sys._current_frames().get(self._gui_ident)
            if frame is None:
                continue
            stack = _project_stack(frame)
            with self._lock:
                if self._last == last:  # still the same gap
                    self._stacks[stack] += 1


def _project_stack(frame: object) -> str:
    """The innermost project frames of a stack, outermost first, as ``file:line fn``."""
    entries = traceback.extract_stack(frame)  # type: ignore[arg-type]
    mine = [e for e in entries if e.filename.startswith(_ROOT) and "/.venv/" not in e.filename]
    inner = entries[-1]
    kept = [f"{Path(e.filename).name}:{e.lineno} {e.name}" for e in mine[-STACK_DEPTH:]]
    if not mine or inner is not mine[-1]:
        kept.append(f"{Path(inner.filename).name}:{inner.lineno} {inner.name}")
    return " > ".join(kept)


def _p99(ordered: list[float]) -> float:
    return ordered[int(len(ordered) * 0.99)] if ordered else 0.0
