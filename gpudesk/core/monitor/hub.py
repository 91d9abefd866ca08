"""One GPU monitor per instance whose tunnels run, with cost per instance and in total.

:class:`MonitorHub` is the glue between the tunnel supervisor and
:class:`~gpudesk.core.monitor.gpumonitor.GpuMonitor`:
the app tells it which instances have a tunnel UP
(:meth:`MonitorHub.set_running`); each of them is sampled on its own small thread over the
instance's EXISTING connection (``TunnelSupervisor.run_on_instance`` through
:func:`~gpudesk.core.monitor.gpumonitor.connection_sampler`; no new login per sample). Every sample
becomes an :class:`InstanceReading` (GPU utilisation and memory, time up, idle time, cost);
the idle rule fires ``on_alert`` once per idle period and ``on_busy`` when it ends. A
sample that fails (no ``nvidia-smi``, values that cannot be true, a flood, a timeout) is in the
reading's ``error`` every time, and goes to ``on_problem`` once until it is fixed.

The cost is the hourly price times the time gpudesk saw the instance up: :data:`COST_LABEL`
says so wherever it is shown.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from gpudesk.core.errors import GpuDeskError
from gpudesk.core.monitor.gpumonitor import (
    GpuMonitor,
    GpuSample,
    IdleRule,
    RunSample,
    connection_sampler,
)
from gpudesk.core.ssh.remote import CommandResult
from gpudesk.core.ssh.untrusted import plain_text

log = logging.getLogger(__name__)

#: Shown next to every cost figure (the GUI translates it).
COST_LABEL = "estimate from what gpudesk saw, not the platform's bill"
#: The engine's error when an instance has no connection right now: not worth reporting.
NOT_CONNECTED = "tunnel.not_connected"


@dataclass(frozen=True)
class InstanceReading:
    """What the tray shows in an instance's header line.

    Attributes:
        alias: The instance.
        gpus: The GPUs of the last sample (empty before the first one).
        sampled_at: Wall time of the last sample, or None.
        up_since: Wall time since when gpudesk has seen the instance up (this run), or None.
        idle_for_s: How long every GPU has been under the idle threshold.
        idle: True once the idle rule fired (until a busy sample).
        cost: The estimate so far (None without a price).
        price_per_hour: The user's price, if any.
        error: The last sampling problem in one sentence (e.g. no nvidia-smi), or None.
        running: True while it is being sampled.
        stopped: Why sampling ended although nobody stopped it (one English sentence), or
            None. The UI must show it: idle alerts no longer fire for this instance.
    """

    alias: str
    gpus: tuple[GpuSample, ...] = ()
    sampled_at: float | None = None
    up_since: float | None = None
    idle_for_s: float = 0.0
    idle: bool = False
    cost: float | None = None
    price_per_hour: float | None = None
    error: str | None = None
    running: bool = False
    stopped: str | None = None

    def up_for_s(self, now: float) -> float | None:
        """Seconds up as of ``now``, or None when not seen up."""
        return None if self.up_since is None else max(0.0, now - self.up_since)

    @property
    def max_util(self) -> int | None:
        """The busiest GPU's utilisation, or None before a sample."""
        return max((g.util for g in self.gpus), default=None)

    @property
    def memory_mib(self) -> tuple[int, int] | None:
        """(used, total) MiB over all GPUs, or None before a sample."""
        if not self.gpus:
            return None
        return sum(g.mem_used_mib for g in self.gpus), sum(g.mem_total_mib for g in self.gpus)


@dataclass(frozen=True)
class SamplingProblem:
    """A sample that failed, reported once until a good sample (or a new connection).

    Attributes:
        alias: The instance.
        message: One English sentence, printable (the instance's words are made plain).
        at: Wall time of the failed sample.
        unreadable: True when ``nvidia-smi`` answered with values that cannot be true (the
            sample was skipped); False when the sample could not be taken at all.
        idle_for_s: How long every GPU had been idle at that moment.
        cost: The estimate so far (None without a price).
    """

    alias: str
    message: str
    at: float
    unreadable: bool = False
    idle_for_s: float = 0.0
    cost: float | None = None


ReadingCallback = Callable[[InstanceReading], None]
AlertCallback = Callable[[str, float, float | None], None]
ProblemCallback = Callable[[SamplingProblem], None]


class _Watch:
    """One instance: its GpuMonitor, its latest reading, its sampling thread."""

    def __init__(self, monitor: GpuMonitor) -> None:
        self.monitor = monitor
        self.reading = InstanceReading(monitor.alias, price_per_hour=monitor.price_per_hour)
        self.stop = threading.Event()
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None
        #: The last problem handed to ``on_problem`` (None after a good sample).
        self.last_problem: str | None = None


class MonitorHub:
    """Samples every running instance; thread-safe.

    Args:
        sampler: ``sampler(alias)`` returns the :data:`RunSample` of that instance.
        interval_s: Seconds between samples of one instance.
        rule: The idle rule.
        price_of: The hourly price of an instance (None when unknown).
        on_reading: Called with each new reading (on a sampling thread).
        on_alert: ``on_alert(alias, idle_for_s, price_per_hour)`` once per idle period.
        on_busy: ``on_busy(alias)`` when an idle period ends.
        on_problem: A failed sample, once until a good one (see :class:`SamplingProblem`).
        first_sample_s: Delay of the first sample after an instance starts running.
        clock: Wall clock (injected by tests).
    """

    def __init__(
        self,
        sampler: Callable[[str], RunSample],
        *,
        interval_s: float = 30.0,
        rule: IdleRule | None = None,
        price_of: Callable[[str], float | None] = lambda _alias: None,
        on_reading: ReadingCallback = lambda _reading: None,
        on_alert: AlertCallback = lambda _alias, _idle, _price: None,
        on_busy: Callable[[str], None] = lambda _alias: None,
        on_problem: ProblemCallback = lambda _problem: None,
        first_sample_s: float = 1.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.sampler = sampler
        self.interval_s = interval_s
        self.rule = rule or IdleRule()
        self.price_of = price_of
        self.on_reading = on_reading
        self.on_alert = on_alert
        self.on_busy = on_busy
        self.on_problem = on_problem
        self.first_sample_s = first_sample_s
        self.clock = clock
        self._lock = threading.Lock()
        self._watches: dict[str, _Watch] = {}
        self._closed = False

    def set_running(self, aliases: Iterable[str]) -> None:
        """Sample exactly these instances from now on (others stop; their cost is kept)."""
        wanted = set(aliases)
        no_longer_idle: list[str] = []
        with self._lock:
            if self._closed:
                return
            for alias, old in self._watches.items():
                if alias not in wanted and old.thread is not None and self._stop_watch(old):
                    no_longer_idle.append(alias)
            for alias in sorted(wanted):
                watch = self._watches.get(alias)
                if watch is None:
                    watch = self._watches[alias] = _Watch(self._new_monitor(alias))
                if watch.thread is None:
                    self._start_watch(watch)
        for alias in no_longer_idle:
            self.on_busy(alias)  # not watched any more = not known to be idle

    def running(self) -> set[str]:
        """The instances being sampled."""
        with self._lock:
            return {a for a, w in self._watches.items() if w.thread is not None}

    def reading(self, alias: str) -> InstanceReading | None:
        """The latest reading of ``alias``, or None if never watched."""
        with self._lock:
            watch = self._watches.get(alias)
            return None if watch is None else watch.reading

    def readings(self) -> dict[str, InstanceReading]:
        """Every instance's latest reading."""
        with self._lock:
            return {a: w.reading for a, w in self._watches.items()}

    def total_cost(self) -> float | None:
        """The sum of the estimates with a price, or None when none has one."""
        costs = [r.cost for r in self.readings().values() if r.cost is not None]
        return round(sum(costs), 4) if costs else None

    def restart_idle(self, alias: str) -> None:
        """The connection of ``alias`` dropped: what was not seen is not idle, so its idle
        period starts again with the next sample; an alert it already had is not repeated
        (the link blinked, the idle period did not end). Problems are reported afresh."""
        with self._lock:
            watch = self._watches.get(alias)
            if watch is not None:
                watch.monitor.detector.idle_since = None
                watch.last_problem = None

    def sample_now(self) -> None:
        """Sample every running instance at once (e.g. after a wake-up)."""
        with self._lock:
            for watch in self._watches.values():
                watch.wake.set()

    def close(self, timeout: float = 25.0) -> None:
        """Stop every sampling thread and wait for them (idempotent)."""
        with self._lock:
            self._closed = True
            threads = [w.thread for w in self._watches.values() if w.thread is not None]
            for watch in self._watches.values():
                self._stop_watch(watch)
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    # --- internals ---------------------------------------------------------------------------

    def _new_monitor(self, alias: str) -> GpuMonitor:
        return GpuMonitor(
            alias,
            self.sampler(alias),
            interval_s=self.interval_s,
            rule=self.rule,
            price_per_hour=self.price_of(alias),
            clock=self.clock,
        )

    def _start_watch(self, watch: _Watch) -> None:
        watch.stop, watch.wake = threading.Event(), threading.Event()
        watch.reading = dataclasses.replace(
            watch.reading, running=True, up_since=None, stopped=None
        )
        watch.thread = threading.Thread(
            target=self._run,
            args=(watch, watch.stop, watch.wake),
            name=f"gpudesk-monitor-{watch.monitor.alias}",
            daemon=True,
        )
        watch.thread.start()

    def _stop_watch(self, watch: _Watch) -> bool:
        """Under the lock: stop sampling; True if it was idle (the caller says it is not)."""
        watch.stop.set()
        watch.wake.set()
        watch.thread = None
        was_idle = watch.reading.idle
        watch.reading = dataclasses.replace(
            watch.reading, running=False, up_since=None, idle=False, idle_for_s=0.0
        )
        watch.monitor.detector.idle_since, watch.monitor.detector.alerted = None, False
        return was_idle

    def _run(self, watch: _Watch, stop: threading.Event, wake: threading.Event) -> None:
        """The sampling thread: one failed sample never ends it; if it ends, it says so."""
        delay = self.first_sample_s
        try:
            while True:
                wake.wait(delay)
                wake.clear()
                if stop.is_set():
                    return
                try:
                    self._sample(watch, stop)
                except Exception as error:  # a bug or a callback's failure: report, go on
                    log.exception("%s: sampling failed", watch.monitor.alias)
                    self._failed(watch, stop, f"sampling failed: {error!r}")
                delay = self.interval_s
        except BaseException as error:
            self._report_end(watch, stop, f"the monitor stopped: {error!r}")

    def _report_end(self, watch: _Watch, stop: threading.Event, why: str) -> None:
        """The thread ends unasked: mark the reading stopped and tell the UI (never raises)."""
        log.error("%s: %s", watch.monitor.alias, why)
        with self._lock:
            if stop.is_set():
                return
            watch.thread = None
            watch.reading = dataclasses.replace(
                watch.reading, running=False, idle=False, stopped=why, error=why
            )
            reading = watch.reading
        _call_safely(self.on_reading, reading)

    def _sample(self, watch: _Watch, stop: threading.Event) -> None:
        monitor = watch.monitor
        was_idle = monitor.detector.alerted
        try:
            status, stdout = monitor.run_sample()
        except GpuDeskError as error:
            if error.code != NOT_CONNECTED:
                log.info("%s: sampling failed: %s", monitor.alias, error.message)
                self._failed(watch, stop, plain_text(error.message, limit=300))
            return
        except Exception as error:
            log.warning("%s: sampling failed: %r", monitor.alias, error)
            self._failed(watch, stop, plain_text(str(error), limit=300) or type(error).__name__)
            return
        now = self.clock()
        if status != 0:
            text = plain_text(stdout.strip(), limit=200) or f"exit status {status}"
            self._failed(watch, stop, f"nvidia-smi failed: {text}")
            return
        sample, idle_for, alert = monitor.account(stdout, now)
        if sample.problem is not None:
            problem = monitor.problem_to_report(sample)
            if problem is not None:
                log.warning("%s: %s", monitor.alias, problem)
                report = SamplingProblem(
                    monitor.alias, problem, now, True, idle_for, monitor.meter.cost
                )
                _call_safely(self.on_problem, report)
            self._update(watch, stop, error=sample.problem)
            return
        monitor.problem_to_report(sample)
        with self._lock:
            watch.last_problem = None
        with self._lock:
            up_since = watch.reading.up_since or now
        self._update(
            watch,
            stop,
            gpus=sample.gpus,
            sampled_at=now,
            up_since=up_since,
            idle_for_s=idle_for,
            idle=monitor.detector.alerted,
            cost=monitor.meter.cost,
            error=None,
        )
        if alert:
            _call_safely(self.on_alert, monitor.alias, idle_for, monitor.price_per_hour)
        elif was_idle and not monitor.detector.alerted:
            _call_safely(self.on_busy, monitor.alias)

    def _failed(self, watch: _Watch, stop: threading.Event, message: str) -> None:
        """No sample: the reading says why; ``on_problem`` hears it once until it changes."""
        self._update(watch, stop, error=message)
        with self._lock:
            if stop.is_set() or watch.last_problem == message:
                return
            watch.last_problem = message
            detector = watch.monitor.detector
            now = self.clock()
            report = SamplingProblem(
                watch.monitor.alias,
                message,
                now,
                idle_for_s=detector.idle_for(now),
                cost=watch.monitor.meter.cost,
            )
        _call_safely(self.on_problem, report)

    def _update(self, watch: _Watch, stop: threading.Event, **changes: object) -> None:
        with self._lock:
            if stop.is_set():
                return  # stopped while sampling: keep the stopped reading
            watch.reading = dataclasses.replace(watch.reading, **changes)  # type: ignore[arg-type]
            reading = watch.reading
        _call_safely(self.on_reading, reading)


def _call_safely(callback: Callable[..., None], *args: object) -> None:
    """Call a UI callback from a sampling thread; its failure is logged, never fatal."""
    try:
        callback(*args)
    except Exception:
        log.exception("a monitor callback failed")


class RunsOnInstance(Protocol):
    """What holds instances' connections: the tunnel supervisor, or the desk (which also
    holds the connections of instances watched without a tunnel)."""

    def run_on_instance(
        self, instance: str, command: str, *, stdin: bytes = b"", timeout: float = 20.0
    ) -> CommandResult:
        """Run ``command`` over the EXISTING connection of ``instance``."""
        ...


def supervisor_sampler(supervisor: RunsOnInstance, alias: str) -> RunSample:
    """Samples of ``alias`` over the holder's EXISTING connection (no new login)."""
    return connection_sampler(functools.partial(supervisor.run_on_instance, alias))
