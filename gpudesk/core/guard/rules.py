"""The guard's rules: what the user asked for, validated, and the file the guard reads.

Rules combine freely: idle (every GPU below a threshold for some minutes), after a process
ends (a PID, or the first process whose command line contains a pattern), and a time limit
(a clock time or a number of hours). Whichever fires first starts the grace period; then the
platform's power-off command runs, or, where gpudesk knows none, the guard only warns.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from gpudesk.core.catalog.platforms import default_catalog
from gpudesk.core.errors import InputError

DEFAULT_GRACE_MINUTES = 5.0
DEFAULT_INTERVAL_S = 60.0
MAX_INTERVAL_S = 3600.0
MAX_TEXT = 500
_CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


def bad_rule(message: str, hint: str) -> InputError:
    """The error for a rule that cannot be used (exit code 2)."""
    return InputError("guard.bad_rule", message, hint)


def check_number(
    value: float | None, option: str, *, minimum: float, allow_equal: bool = False
) -> None:
    """Refuse nan, infinity and values at or below ``minimum`` (or below, ``allow_equal``)."""
    if value is None:
        return
    too_small = value < minimum if allow_equal else value <= minimum
    if not math.isfinite(value) or too_small:
        relation = "at least" if allow_equal else "greater than"
        raise bad_rule(
            f"{option} must be a number {relation} {minimum:g} (got {value}).",
            f"For example: {option} 30",
        )


def check_text(value: str | None, option: str) -> None:
    """Refuse empty text, control characters (newlines included) and very long text."""
    if value is None:
        return
    if not value.strip() or len(value) > MAX_TEXT or any(ord(c) < 32 or c == "\x7f" for c in value):
        raise bad_rule(
            f"{option} must be one line of text, 1 to {MAX_TEXT} characters.",
            f"Give {option} a single line without control characters.",
        )


@dataclass(frozen=True)
class GuardRules:
    """What the guard watches and how it powers off.

    Attributes:
        idle_minutes: Idle window in minutes, or None for no idle rule.
        idle_threshold_pct: Utilisation (percent) below which a GPU counts as idle.
        after_pid: Power off after this process ends.
        after_process: The pattern ``after_pid`` was found by, if any (for display).
        deadline: Power off at this moment (aware datetime), from ``--at``.
        max_hours: Power off this many hours after the guard starts.
        grace_minutes: Warning time between a rule firing and the power-off.
        interval_s: Sampling period on the instance, whole seconds.
        power_off_command: Run by ``sh -c`` on the instance; None: only warn.
    """

    idle_minutes: float | None = None
    idle_threshold_pct: float = 5.0
    after_pid: int | None = None
    after_process: str | None = None
    deadline: datetime | None = None
    max_hours: float | None = None
    grace_minutes: float = DEFAULT_GRACE_MINUTES
    interval_s: float = DEFAULT_INTERVAL_S
    power_off_command: str | None = None

    def validate(self) -> None:
        """Raise ``guard.bad_rule`` for a value that cannot be used.

        The PID and pattern are checked on the instance too (see ``control``).
        """
        check_number(self.idle_minutes, "--idle-minutes", minimum=0)
        check_number(self.idle_threshold_pct, "--idle-threshold", minimum=0)
        if self.idle_threshold_pct > 100:
            raise bad_rule(
                "--idle-threshold is a percentage: at most 100.", "For example: --idle-threshold 5"
            )
        if self.after_pid is not None and self.after_pid <= 0:
            raise bad_rule("--after-pid must be a process id above 0.", "Find it with `ps aux`.")
        check_text(self.after_process, "--after-process")
        check_number(self.max_hours, "--max-hours", minimum=0)
        check_number(self.grace_minutes, "--grace-minutes", minimum=0, allow_equal=True)
        check_number(self.interval_s, "--interval", minimum=1, allow_equal=True)
        if self.interval_s > MAX_INTERVAL_S:
            raise bad_rule("--interval is at most 3600 seconds.", "For example: --interval 60")
        check_text(self.power_off_command, "--power-off-command")
        if not self.has_trigger:
            raise bad_rule(
                "The guard has no rule to act on.",
                "Give --idle-minutes, --after-pid, --after-process, --at or --max-hours.",
            )

    @property
    def has_trigger(self) -> bool:
        """True when at least one rule can fire."""
        return any(
            value is not None
            for value in (
                self.idle_minutes,
                self.after_pid,
                self.after_process,
                self.deadline,
                self.max_hours,
            )
        )

    def file_text(self) -> str:
        """The ``rules`` file the guard reads: ``key=value`` lines, numbers in whole seconds."""
        lines = [
            f"idle_threshold_pct={self.idle_threshold_pct:g}",
            f"grace_s={round(self.grace_minutes * 60)}",
            f"interval_s={math.ceil(self.interval_s)}",
        ]
        idle, hours, deadline = self.idle_minutes, self.max_hours, self.deadline
        optional: dict[str, object] = {
            "idle_window_s": None if idle is None else max(1, round(idle * 60)),
            "after_pid": self.after_pid,
            "after_process": self.after_process,
            "deadline": None if deadline is None else int(deadline.timestamp()),
            "max_seconds": None if hours is None else round(hours * 3600),
            "power_off_command": self.power_off_command,
        }
        lines += [f"{key}={value}" for key, value in optional.items() if value is not None]
        return "\n".join(lines) + "\n"


def next_clock_time(text: str, now: datetime) -> datetime:
    """The next moment the local clock shows ``HH:MM`` after ``now`` (an aware datetime).

    Raises:
        InputError: ``text`` is not a 24-hour ``HH:MM``.
    """
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise bad_rule(
            f"--at wants a 24-hour time like 23:30, not {text!r}.", "For example: --at 07:00"
        )
    hour, minute = int(match.group(1)), int(match.group(2))
    moment = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return moment if moment > now else moment + timedelta(days=1)


def power_off_command_for(platform_id: str | None) -> str | None:
    """The in-instance power-off command the catalog knows for a platform, if any."""
    if platform_id is None:
        return None
    try:
        return default_catalog().by_id(platform_id).power_off_command
    except InputError:
        return None
