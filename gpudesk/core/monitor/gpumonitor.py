"""GPU utilisation sampling, idle detection and a cost estimate for one instance.

Samples come from ``nvidia-smi --query-gpu=... --format=csv,noheader,nounits`` run over the
instance's existing SSH connection (a new channel, never a new login). The idle rule: every
GPU below a utilisation threshold for a whole window; one busy sample resets it; the alert
fires once per idle period. The cost is the user's hourly price times the time gpudesk saw
the instance up: an estimate from what gpudesk saw, not the platform's bill.

Clock and sleep are injected, so the rule is tested with a fake clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from gpudesk.core.errors import RemoteCommandError
from gpudesk.core.ssh.probe import LOGIN_SHELL
from gpudesk.core.ssh.untrusted import instance_int, plain_text

SAMPLE_QUERY = "index,utilization.gpu,memory.used,memory.total"
SAMPLE_SCRIPT = (
    "set +o history 2>/dev/null\n"
    f"nvidia-smi --query-gpu={SAMPLE_QUERY} --format=csv,noheader,nounits\nexit $?\n"
)
#: The largest memory (MiB) and GPU index a sample may report; beyond is not believed.
MAX_MEMORY_MIB = 16 * 1024 * 1024
MAX_GPU_INDEX = 1024
#: A sample with values no GPU can have: reported once, then skipped quietly until a good one.
BAD_SAMPLE = "nvidia-smi printed values that cannot be true; the sample was skipped"


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
    """All GPUs of an instance at one moment (``time`` is a POSIX timestamp).

    ``rejected`` holds the GPU rows whose values cannot be true (``inf``, ``nan``,
    ``1e400``, ``²``, negative, absurd), made printable; such a sample is not used.
    """

    time: float
    gpus: tuple[GpuSample, ...]
    rejected: tuple[str, ...] = ()

    @property
    def problem(self) -> str | None:
        """One English sentence when the sample cannot be used, else None."""
        return f"{BAD_SAMPLE}: {self.rejected[0]}" if self.rejected else None


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

    A row of four fields with a value out of range or not a plain number (``[N/A]``,
    ``inf``, ``nan``, ``1e400``, garbage) lands in :attr:`Sample.rejected` and the sample holds
    no GPUs: the idle rule never takes an unreadable sample for an idle one. The guard script
    on the instance (``resources/guard/gpudesk-guard.sh``) parses the same way.
    """
    gpus = []
    rejected = []
    for line in stdout.splitlines():
        fields = [f.strip() for f in line.split(",")]
        if len(fields) != 4:
            continue
        index = instance_int(fields[0], low=0, high=MAX_GPU_INDEX)
        util = instance_int(fields[1], low=0, high=100)
        used = instance_int(fields[2], low=0, high=MAX_MEMORY_MIB)
        total = instance_int(fields[3], low=0, high=MAX_MEMORY_MIB)
        if index is None or util is None or used is None or total is None:
            rejected.append(plain_text(line, limit=120))
            continue
        gpus.append(GpuSample(index, util, used, total))
    if rejected:
        return Sample(at, (), tuple(rejected))
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
    bad_sample_reported: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.detector = IdleDetector(self.rule)
        self.meter = CostMeter(self.price_per_hour, max_gap_s=max(120.0, 3 * self.interval_s))

    def account(self, stdout: str, now: float) -> tuple[Sample, float, bool]:
        """Parse one answer and feed it to the meter and the idle rule.

        Returns:
            (the sample, seconds idle so far, whether to alert now). A sample with
            :attr:`Sample.problem` is not fed to the idle rule: unknown is not idle.
        """
        sample = parse_sample(stdout, now)
        self.meter.seen(now)
        if sample.problem is not None:
            return sample, self.detector.idle_for(now), False
        idle_for, alert = self.detector.feed(sample)
        return sample, idle_for, alert

    def problem_to_report(self, sample: Sample) -> str | None:
        """The sample's problem the first time in a row it happens (then None until fixed)."""
        if sample.problem is None:
            self.bad_sample_reported = False
            return None
        if self.bad_sample_reported:
            return None
        self.bad_sample_reported = True
        return sample.problem

    def sample_once(self) -> list[dict[str, Any]]:
        """Take one sample; return the records to report (a sample, maybe an alert).

        A sample with values that cannot be true is reported once (a record with a
        ``problem``), then skipped without a record until a good one comes.
        """
        status, stdout = self.run_sample()
        now = self.clock()
        if status != 0:
            raise RemoteCommandError(
                "monitor.nvidia_smi_failed",
                f"nvidia-smi failed on {self.alias}: "
                f"{plain_text(stdout.strip(), limit=200) or status}",
                "The instance may have no GPU (CPU-only mode) or its driver is not loaded.",
            )
        sample, idle_for, alert = self.account(stdout, now)
        if sample.problem is not None:
            problem = self.problem_to_report(sample)
            if problem is None:
                return []
            return [unreadable_record(now, idle_for, self.meter.cost, problem)]
        self.problem_to_report(sample)
        records = [sample_record(now, sample.gpus, idle_for, self.meter.cost)]
        if alert:
            records.append(alert_record(self.alias, idle_for, self.price_per_hour, self.meter.cost))
        return records


# --- the records `gpudesk monitor` prints (one JSON object per line) ----------------------


def sample_record(
    at: float, gpus: tuple[GpuSample, ...], idle_for_s: float, cost: float | None
) -> dict[str, Any]:
    """``{"time","gpus":[{"index","util","mem_used_mib","mem_total_mib"}],"idle_for_s","cost"}``."""
    return {
        "time": iso_time(at),
        "gpus": [
            {
                "index": g.index,
                "util": g.util,
                "mem_used_mib": g.mem_used_mib,
                "mem_total_mib": g.mem_total_mib,
            }
            for g in gpus
        ],
        "idle_for_s": round(idle_for_s, 1),
        "cost": cost,
    }


def unreadable_record(
    at: float, idle_for_s: float, cost: float | None, problem: str
) -> dict[str, Any]:
    """A skipped sample: ``{"time","gpus":[],"idle_for_s","cost","problem"}``."""
    return {**sample_record(at, (), idle_for_s, cost), "problem": problem}


def alert_record(
    alias: str, idle_for_s: float, price_per_hour: float | None, cost: float | None
) -> dict[str, Any]:
    """``{"alert":"idle","alias","idle_for_s","price_per_hour","cost"}``."""
    return {
        "alert": "idle",
        "alias": alias,
        "idle_for_s": round(idle_for_s, 1),
        "price_per_hour": price_per_hour,
        "cost": cost,
    }


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
