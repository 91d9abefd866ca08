"""The cost guard's countdowns, watched over the connections the tunnels already hold.

:class:`GuardWatch` reads the guard status of every instance whose tunnels are up, every
``interval_s`` seconds on its own clock thread (a :class:`Heartbeat`; never a new login: the
command runs over the supervisor's existing connection), feeds it to a
:class:`CountdownWatch` and reports:

* ``on_notice(notice)`` once per announced power-off time (a postponement announces again);
* ``on_change(alias)`` whenever what the menu shows for ``alias`` changed (a countdown began,
  moved, or ended).

:meth:`GuardWatch.postpone` and :meth:`GuardWatch.cancel` act on the guard over the same
connection and poll it again at once (blocking: call them off a GUI thread). What the
instance answers is parsed and bounded by :mod:`gpudesk.core.guard.status`.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable

from gpudesk.core.engine.heartbeat import Heartbeat
from gpudesk.core.errors import GpuDeskError
from gpudesk.core.guard.control import cancel_guard, guard_status, postpone_guard
from gpudesk.core.guard.countdown import CountdownWatch, PowerOffNotice, countdown_notice
from gpudesk.core.guard.status import GuardStatus
from gpudesk.core.ssh.remote import CommandResult

log = logging.getLogger(__name__)

#: Seconds between two status reads of one instance (cheap: one short command).
GUARD_POLL_S = 45.0
#: The tray's Postpone, in minutes.
POSTPONE_MINUTES = 30.0

#: Runs a command over an instance's existing connection: ``run(alias, command, ...)``.
RunOnInstance = Callable[..., CommandResult]


class _InstanceRunner:
    """One instance's existing connection, as the guard's ``RunsCommands``."""

    def __init__(self, run_on_instance: RunOnInstance, alias: str) -> None:
        self._run = run_on_instance
        self._alias = alias

    def run(self, command: str, *, stdin: bytes = b"", timeout: float = 60.0) -> CommandResult:
        """Run ``command`` over the tunnels' connection (no new login)."""
        return self._run(self._alias, command, stdin=stdin, timeout=timeout)


@dataclasses.dataclass(frozen=True)
class _Shown:
    notice: PowerOffNotice
    seconds_left: float
    seen_at: float  # time.monotonic() when read


class GuardWatch:
    """Polls the guards of connected instances; thread-safe.

    Args:
        run_on_instance: ``TunnelSupervisor.run_on_instance`` (the existing connection).
        on_notice: Called with each new countdown to announce (on the polling thread).
        on_change: Called with an alias whose countdown began, moved or ended.
        interval_s: Seconds between polls.
        clock: ``time.monotonic`` (the tests drive it).
    """

    def __init__(
        self,
        run_on_instance: RunOnInstance,
        *,
        on_notice: Callable[[PowerOffNotice], None],
        on_change: Callable[[str], None],
        interval_s: float = GUARD_POLL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._run = run_on_instance
        self._on_notice = on_notice
        self._on_change = on_change
        self.interval_s = interval_s
        self._clock = clock
        self._lock = threading.Lock()
        self._watch = CountdownWatch()
        self._shown: dict[str, _Shown] = {}
        self._running: set[str] = set()
        self._clock_thread = Heartbeat(self._tick, interval_s)

    # --- which instances ----------------------------------------------------------------

    def set_running(self, aliases: Iterable[str]) -> None:
        """Watch exactly ``aliases`` (those with tunnels up); start the thread when needed."""
        gone: list[str] = []
        with self._lock:
            new = set(aliases)
            added = new - self._running
            for alias in self._running - new:
                self._watch.forget(alias)
                if self._shown.pop(alias, None) is not None:
                    gone.append(alias)
            self._running = new
        if new:
            self._clock_thread.interval_s = self.interval_s
            self._clock_thread.start()  # once; a second call does nothing
        if added:
            self._clock_thread.poke()  # read a newly connected instance at once
        for alias in gone:
            self._on_change(alias)

    # --- what the tray shows --------------------------------------------------------------

    def countdowns(self) -> dict[str, PowerOffNotice]:
        """The countdowns running now, minutes left counted from when each was read (quick)."""
        now = self._clock()
        with self._lock:
            shown = dict(self._shown)
        return {
            alias: dataclasses.replace(
                item.notice,
                minutes_left=math.ceil(max(0.0, item.seconds_left - (now - item.seen_at)) / 60),
            )
            for alias, item in shown.items()
        }

    # --- reading and acting (blocking) ----------------------------------------------------

    def poll_once(self) -> None:
        """Read the guard of every watched instance now; a failed read skips it."""
        with self._lock:
            aliases = sorted(self._running)
        for alias in aliases:
            try:
                status = guard_status(_InstanceRunner(self._run, alias))
            except GpuDeskError as error:
                log.info("guard status of %s not read: %s", alias, error.code)
                continue
            except Exception as error:  # one instance's failure never stops the others
                log.warning("guard status of %s not read: %r", alias, error)
                continue
            self.take(alias, status)

    def take(self, alias: str, status: GuardStatus) -> None:
        """Feed one status read of ``alias``: announce, update or end its countdown."""
        notice = countdown_notice(alias, status)
        with self._lock:
            if alias not in self._running:
                return
            fresh = self._watch.update(alias, status)
            before = self._shown.get(alias)
            if notice is None:
                self._shown.pop(alias, None)
            else:
                left = status.seconds_left() or 0.0
                self._shown[alias] = _Shown(notice, left, self._clock())
        changed = (before is None) != (notice is None) or (
            before is not None and notice is not None and before.notice != notice
        )
        if fresh is not None:
            self._on_notice(fresh)
        if changed:
            self._on_change(alias)

    def postpone(self, alias: str, minutes: float = POSTPONE_MINUTES) -> GuardStatus:
        """Hold ``alias``'s power-off for ``minutes`` (over the existing connection)."""
        status = postpone_guard(_InstanceRunner(self._run, alias), minutes)
        self.take(alias, status)
        return status

    def cancel(self, alias: str) -> GuardStatus:
        """Stop ``alias``'s guard (over the existing connection)."""
        status = cancel_guard(_InstanceRunner(self._run, alias))
        self.take(alias, status)
        return status

    # --- the thread -----------------------------------------------------------------------

    def close(self, timeout: float = 5.0) -> None:
        """Stop polling and wait (bounded) for a read in progress."""
        self._clock_thread.stop(timeout)

    def _tick(self) -> float:
        self.poll_once()
        return self.interval_s
