"""What the tray shows while a guard counts down: "powers off in N min — Postpone / Cancel".

The tray polls each connected instance's :class:`~gpudesk.core.guard.status.GuardStatus`
(``control.guard_status``) and feeds it to a :class:`CountdownWatch`, which answers with a
:class:`PowerOffNotice` once per announced power-off time: a postponement (a new time)
announces again, a cancelled or ended countdown forgets the instance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from gpudesk.core.guard.status import GuardStatus


@dataclass(frozen=True)
class PowerOffNotice:
    """One countdown to show: who, how long, and whether it only warns."""

    alias: str
    powers_off_at: float
    minutes_left: int
    warns_only: bool

    def text(self) -> str:
        """The English notification text (the UI translates its own)."""
        if self.warns_only:
            return (
                f"{self.alias}: the guard's rule fired; stop the instance in the console "
                f"within {self.minutes_left} min."
            )
        return f"{self.alias} powers off in {self.minutes_left} min — Postpone / Cancel"


def countdown_notice(alias: str, status: GuardStatus) -> PowerOffNotice | None:
    """The notice for ``status`` when its guard is counting down, else None."""
    at = status.powers_off_at
    if not status.active or status.phase != "grace" or at is None:
        return None
    left = max(0.0, at - status.checked_at)
    return PowerOffNotice(alias, at, math.ceil(left / 60), status.warns_only)


@dataclass
class CountdownWatch:
    """Remembers which countdowns were shown, so each is notified once."""

    shown: dict[str, float] = field(default_factory=dict)

    def update(self, alias: str, status: GuardStatus) -> PowerOffNotice | None:
        """A notice to show now for ``alias``, or None (nothing new)."""
        notice = countdown_notice(alias, status)
        if notice is None:
            self.shown.pop(alias, None)
            return None
        if self.shown.get(alias) == notice.powers_off_at:
            return None
        self.shown[alias] = notice.powers_off_at
        return notice

    def forget(self, alias: str) -> None:
        """Drop ``alias`` (disconnected or removed)."""
        self.shown.pop(alias, None)
