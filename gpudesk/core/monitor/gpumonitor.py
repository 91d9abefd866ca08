"""GPU utilisation sampling, idle detection and a cost estimate for one instance.

Samples come from ``nvidia-smi --query-gpu=... --format=csv,noheader,nounits`` run over the
instance's existing SSH connection (a new channel, never a new login). The idle rule: every
GPU below a utilisation threshold for a whole window; one busy sample resets it; the alert
fires once per idle period. The cost is the user's hourly price times the time gpudesk saw
the instance up: an estimate from what gpudesk saw, not the platform's bill.

Clock and sleep are injected, so the rule is tested with a fake clock.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from gpudesk.core.errors import RemoteCommandError
from gpudesk.core.ssh.probe import LOGIN_SHELL

SAMPLE_QUERY = "index,utilization.gpu,memory.used,memory.total"
SAMPLE_SCRIPT = f"nvidia-smi --query-gpu={SAMPLE_QUERY} --format=csv,noheader,nounits\nexit $?\n"

_INDEX = re.compile(r"[0-9]+")
_PLAIN_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")

#: Runs the sample script on the instance and returns (exit status, stdout).
RunSample = Callable[[], tuple[int, str]]


@dataclass(frozen=True)
class GpuSample:
    """One GPU in one sample."""

    index: int
    util: int
    mem_used_mib: int
    mem_total_mib: int


@dataclass(frozen=True)
class Sample:
    """All GPUs of an instance at one moment (``time`` is a POSIX timestamp)."""

    time: float
    gpus: tuple[GpuSample, ...]


@dataclass(frozen=True)
class IdleRule:
    """All GPUs below ``threshold_pct`` for ``window_s`` seconds means idle."""

    threshold_pct: float = 5.0
    window_s: float = 15 * 60.0

    def describe(self) -> str:
        """The rule in one English sentence (settings show it)."""
        return (
            f"Idle when every GPU stays below {self.threshold_pct:g} % utilisation "
            f"for {self.window_s / 60:g} minutes; one busy sample resets the timer."
        )


def parse_sample(stdout: str, at: float) -> Sample:
    """Parse the ``SAMPLE_QUERY`` CSV; lines that are not GPU rows are skipped.

    A GPU row holding a value that is not a plain number (``[N/A]``, ``inf``, ``nan``,
    garbage) or a utilisation over 100 makes the whole sample unreadable (no GPUs): the idle
    rule never takes an unreadable sample for an idle one. The guard script on the instance
    (``resources/guard/gpudesk-guard.sh``) parses the same way.
    """
    gpus = []
    for line in stdout.splitlines():
        fields = [f.strip() for f in line.split(",")]
        if len(fields) != 4 or not _INDEX.fullmatch(fields[0]):
            continue
        if not all(_PLAIN_NUMBER.fullmatch(value) for value in fields[1:]):
            return Sample(at, ())
        if float(fields[1]) > 100:
            return Sample(at, ())
        index, util, used, total = (int(float(value)) for value in fields)
        gpus.append(GpuSample(index, util, used, total))
    return Sample(at, tuple(gpus))


@dataclass
class IdleDetector:
    """Tracks one idle period at a time and says when to alert (once per period).

    A busy sample and an unreadable one (no GPUs) both end the period: only readable samples
    with every GPU below the threshold count as idle.
    """

    rule: IdleRule = field(default_factory=IdleRule)
    idle_since: float | None = None
    alerted: bool = False

    def feed(self, sample: Sample) -> tuple[float, bool]:
        """Account for ``sample``; return (seconds idle so far, whether to alert now)."""
        if not sample.gpus or any(gpu.util >= self.rule.threshold_pct for gpu in sample.gpus):
            self.idle_since, self.alerted = None, False
            return 0.0, False
        if self.idle_since is None:
            self.idle_since = sample.time
        idle_for = self.idle_for(sample.time)
        if idle_for >= self.rule.window_s and not self.alerted:
            self.alerted = True
            return idle_for, True
        return idle_for, False

    def idle_for(self, now: float) -> float:
        """Seconds since the current idle period began (0 when busy)."""
        return 0.0 if self.idle_since is None else max(0.0, now - self.idle_since)


@dataclass
class CostMeter:
    """Hourly price times the time the instance was seen up.

    Time between two samples counts only when they are at most ``max_gap_s`` apart, so a
    laptop asleep overnight does not bill the estimate.
    """

    price_per_hour: float | None
    max_gap_s: float = 120.0
    seen_up_s: float = 0.0
    last_seen: float | None = None

    def seen(self, at: float) -> None:
        """Record that the instance answered at ``at``."""
        if self.last_seen is not None and 0 < at - self.last_seen <= self.max_gap_s:
            self.seen_up_s += at - self.last_seen
        self.last_seen = at

    @property
    def cost(self) -> float | None:
        """The estimate so far, or None without a price."""
        if self.price_per_hour is None:
            return None
        return round(self.price_per_hour * self.seen_up_s / 3600.0, 4)


def iso_time(timestamp: float) -> str:
    """A POSIX timestamp as ISO 8601 UTC with seconds."""
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="seconds")


@dataclass
class GpuMonitor:
    """Samples one instance on a schedule and reports samples and idle alerts.

    ``run_sample`` runs :data:`SAMPLE_SCRIPT` on the instance (see :func:`connection_sampler`).
    """

    alias: str
    run_sample: RunSample
    interval_s: float = 30.0
    rule: IdleRule = field(default_factory=IdleRule)
    price_per_hour: float | None = None
    clock: Callable[[], float] = time.time
    detector: IdleDetector = field(init=False)
    meter: CostMeter = field(init=False)

    def __post_init__(self) -> None:
        self.detector = IdleDetector(self.rule)
        self.meter = CostMeter(self.price_per_hour, max_gap_s=max(120.0, 3 * self.interval_s))

    def sample_once(self) -> list[dict[str, Any]]:
        """Take one sample; return the records to report (a sample, maybe an alert)."""
        status, stdout = self.run_sample()
        now = self.clock()
        if status != 0:
            raise RemoteCommandError(
                "monitor.nvidia_smi_failed",
                f"nvidia-smi failed on {self.alias}: {stdout.strip()[:200] or status}",
                "The instance may have no GPU (CPU-only mode) or its driver is not loaded.",
            )
        sample = parse_sample(stdout, now)
        self.meter.seen(now)
        idle_for, alert = self.detector.feed(sample)
        records: list[dict[str, Any]] = [
            {
                "time": iso_time(now),
                "gpus": [
                    {
                        "index": g.index,
                        "util": g.util,
                        "mem_used_mib": g.mem_used_mib,
                        "mem_total_mib": g.mem_total_mib,
                    }
                    for g in sample.gpus
                ],
                "idle_for_s": round(idle_for, 1),
                "cost": self.meter.cost,
            }
        ]
        if alert:
            records.append(
                {
                    "alert": "idle",
                    "alias": self.alias,
                    "idle_for_s": round(idle_for, 1),
                    "price_per_hour": self.price_per_hour,
                    "cost": self.meter.cost,
                }
            )
        return records

    def run(self, stop: threading.Event) -> Iterator[dict[str, Any]]:
        """Sample every ``interval_s`` until ``stop`` is set, yielding records."""
        while not stop.is_set():
            started = time.monotonic()
            yield from self.sample_once()
            stop.wait(max(0.0, self.interval_s - (time.monotonic() - started)))


def idle_alert_text(alias: str, idle_for_s: float, price_per_hour: float | None) -> str:
    """The English notification text for an idle alert (the UI translates its own)."""
    minutes = round(idle_for_s / 60)
    price = f", about ¥{price_per_hour:g} per hour" if price_per_hour else ""
    return f"{alias}: GPU idle for {minutes} min{price}. Stop it in the console?"


def connection_sampler(run: Callable[..., Any], timeout: float = 20.0) -> RunSample:
    """A :data:`RunSample` over ``Connection.run`` (one channel per sample, no new login).

    The command goes through the login shell, as the user's terminal would run it, so an
    ``nvidia-smi`` found only on the login PATH is found too.
    """

    def sample() -> tuple[int, str]:
        result = run(LOGIN_SHELL, stdin=SAMPLE_SCRIPT.encode(), timeout=timeout)
        return int(result.exit_status), str(result.stdout)

    return sample
