"""Reading the guard's state back from the instance: bounded, validated, plain values.

The instance is not trusted: its answer is cut at :data:`MAX_ANSWER` characters, every value
must match a narrow pattern (whole seconds, a small float, a known word) or is dropped, and
text is stripped of control characters and bounded, so a broken or hostile guard can only
make the status say less, never crash gpudesk or flood the screen.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from gpudesk.core.monitor.gpumonitor import iso_time

MAX_ANSWER = 32_768
MAX_TEXT = 300
MAX_GPUS = 64
PHASES = frozenset(
    {"watching", "grace", "powering_off", "powered_off", "power_off_failed", "warned", "stopped"}
)
REASONS = frozenset({"idle", "process", "time"})
_EPOCH = re.compile(r"[0-9]{1,11}")
_DECIMAL = re.compile(r"[0-9]{1,6}(\.[0-9]{1,6})?")
_GPU_ROW = re.compile(r"([0-9]{1,3}):([0-9]{1,3}):([0-9]{1,9}):([0-9]{1,9})")


@dataclass(frozen=True)
class GpuReading:
    """One GPU in the guard's last sample."""

    index: int
    util: int
    mem_used_mib: int
    mem_total_mib: int


@dataclass(frozen=True)
class LastSample:
    """The guard's last nvidia-smi sample (``time`` is a POSIX timestamp)."""

    time: float
    readable: bool
    gpus: tuple[GpuReading, ...] = ()
    problem: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The sample as JSON: time, readable, gpus, problem."""
        return {
            "time": iso_time(self.time),
            "readable": self.readable,
            "gpus": [
                {
                    "index": gpu.index,
                    "util": gpu.util,
                    "mem_used_mib": gpu.mem_used_mib,
                    "mem_total_mib": gpu.mem_total_mib,
                }
                for gpu in self.gpus
            ],
            "problem": self.problem,
        }


@dataclass(frozen=True)
class GuardStatus:
    """What the guard on one instance is doing, as of ``checked_at`` (the instance's clock).

    ``powers_off_at`` is when it will power off (or only warn, without a power-off command)
    if nothing changes; None while no rule has fired and no time limit is set.
    """

    active: bool
    checked_at: float
    phase: str | None = None
    reason: str | None = None
    rules: dict[str, Any] = field(default_factory=dict)
    idle_for_s: float | None = None
    powers_off_at: float | None = None
    last_sample: LastSample | None = None
    notice: str | None = None

    @property
    def warns_only(self) -> bool:
        """True when the guard knows no power-off command and will only warn."""
        return bool(self.rules) and self.rules.get("power_off_command") is None

    def seconds_left(self) -> float | None:
        """Seconds until ``powers_off_at`` as of ``checked_at`` (never negative)."""
        if self.powers_off_at is None:
            return None
        return max(0.0, self.powers_off_at - self.checked_at)

    def to_json(self) -> dict[str, Any]:
        """The ``gpudesk guard --status --json`` document."""
        return {
            "active": self.active,
            "rules": self.rules,
            "idle_for_s": self.idle_for_s,
            "powers_off_at": None if self.powers_off_at is None else iso_time(self.powers_off_at),
            "last_sample": None if self.last_sample is None else self.last_sample.to_json(),
            "phase": self.phase,
            "reason": self.reason,
            "notice": self.notice,
        }


def clean_text(value: str) -> str | None:
    """``value`` without control characters, at most :data:`MAX_TEXT` long; None if empty."""
    text = "".join(c for c in value if c.isprintable())[:MAX_TEXT].strip()
    return text or None


def _epoch(value: str | None) -> float | None:
    return float(value) if value is not None and _EPOCH.fullmatch(value) else None


def _decimal(value: str | None) -> float | None:
    if value is None or not _DECIMAL.fullmatch(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def split_sections(answer: str) -> dict[str, list[str]]:
    """The ``@name`` sections of the status answer (``@key=value`` lines become sections)."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in answer[:MAX_ANSWER].splitlines():
        if line.startswith("@"):
            name, _, value = line[1:].partition("=")
            current = sections.setdefault(name, [])
            if value:
                current.append(value)
        elif current is not None and line:
            current.append(line)
    return sections


def key_values(lines: list[str]) -> dict[str, str]:
    """``key=value`` lines as a dict (the first value of a key wins)."""
    values: dict[str, str] = {}
    for line in lines:
        key, sep, value = line.partition("=")
        if sep and key not in values:
            values[key] = value
    return values


def parse_rules(values: dict[str, str]) -> dict[str, Any]:
    """The rules file as the ``rules`` JSON object; values that do not validate become null."""
    if not values:
        return {}
    window = _epoch(values.get("idle_window_s"))
    deadline = _epoch(values.get("deadline"))
    max_seconds = _epoch(values.get("max_seconds"))
    grace = _epoch(values.get("grace_s"))
    pid = _epoch(values.get("after_pid"))
    return {
        "idle_minutes": None if window is None else round(window / 60, 4),
        "idle_threshold_pct": _decimal(values.get("idle_threshold_pct")),
        "after_pid": None if pid is None else int(pid),
        "after_process": clean_text(values.get("after_process", "")),
        "at": None if deadline is None else iso_time(deadline),
        "max_hours": None if max_seconds is None else round(max_seconds / 3600, 4),
        "grace_minutes": None if grace is None else round(grace / 60, 4),
        "interval_s": _epoch(values.get("interval_s")),
        "power_off_command": clean_text(values.get("power_off_command", "")),
    }


def parse_sample(values: dict[str, str]) -> LastSample | None:
    """The ``sample`` line of the state (``ok I:U:M:T ...`` or ``unreadable REASON``)."""
    at = _epoch(values.get("sample_time"))
    text = values.get("sample", "")
    if at is None or not text:
        return None
    word, _, rest = text.partition(" ")
    if word != "ok":
        return LastSample(at, readable=False, problem=clean_text(rest) or "unreadable")
    gpus = []
    for item in rest.split()[:MAX_GPUS]:
        match = _GPU_ROW.fullmatch(item)
        if match is None or int(match.group(2)) > 100:
            return LastSample(at, readable=False, problem="unreadable")
        gpus.append(GpuReading(*(int(group) for group in match.groups())))
    return LastSample(at, readable=bool(gpus), gpus=tuple(gpus))


def parse_status(answer: str) -> GuardStatus:
    """Turn the ``status`` subcommand's answer into a :class:`GuardStatus`."""
    sections = split_sections(answer)
    now = _epoch((sections.get("now") or [""])[0])
    checked_at = now if now is not None else 0.0
    active = (sections.get("alive") or ["0"])[0] == "1"
    state = key_values(sections.get("state", []))
    phase = state.get("phase") if state.get("phase") in PHASES else None
    if not active and phase in ("watching", "grace"):
        phase = "stopped"
    reason = state.get("reason") if state.get("reason") in REASONS else None
    hold = _epoch((sections.get("hold") or [""])[0])
    powers_off_at = _epoch(state.get("powers_off_at")) if active else None
    if powers_off_at is not None and hold is not None:
        powers_off_at = max(powers_off_at, hold)
    idle_for = _epoch(state.get("idle_for_s"))
    notice_lines = sections.get("notice") or []
    return GuardStatus(
        active=active,
        checked_at=checked_at,
        phase=phase,
        reason=reason,
        rules=parse_rules(key_values(sections.get("rules", []))),
        idle_for_s=idle_for if active else None,
        powers_off_at=powers_off_at,
        last_sample=parse_sample(state),
        notice=clean_text(notice_lines[0]) if notice_lines and phase != "stopped" else None,
    )
