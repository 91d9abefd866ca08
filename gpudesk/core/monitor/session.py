"""A GPU monitor that survives the network: one login at a time, reconnected with backoff.

:class:`MonitorSession` drives a :class:`~gpudesk.core.monitor.gpumonitor.GpuMonitor` over a
connection it opens itself (``gpudesk monitor``; the GUI samples over the tunnels'
connection instead, see :mod:`gpudesk.core.monitor.hub`). When the connection drops it
reports the gap as a record (``{"state": "reconnecting", ...}``), waits as the tunnels do
(:class:`~gpudesk.core.tunnels.backoff.Backoff`), logs in again and goes on. Across the gap
the idle timer restarts (what was not seen is not idle), and an idle period that already
alerted does not alert again just because the link blinked.

It ends only when ``stop`` is set, or raises when the instance's host key changed (or is no
longer pinned) or no credential is left: never on a dropped link, a wrong answer or a slow
instance. A sample that fails on the instance (no nvidia-smi, a flood, values that cannot be
true) is reported once and sampling goes on.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from gpudesk.core.errors import (
    GpuDeskError,
    HostKeyChangedError,
    HostKeyUnknownError,
    InputError,
)
from gpudesk.core.monitor.gpumonitor import GpuMonitor, connection_sampler, iso_time
from gpudesk.core.ssh.remote import Connection
from gpudesk.core.ssh.untrusted import plain_text
from gpudesk.core.tunnels.backoff import Backoff, BackoffPolicy

log = logging.getLogger(__name__)

#: Error codes of :meth:`Connection.run` that mean the link is gone (or hung): log in again.
LINK_LOST = frozenset({"ssh.channel_failed", "ssh.command_timeout"})
#: Errors that no retry can fix: the command ends with their exit code.
FATAL = (HostKeyChangedError, HostKeyUnknownError, InputError)

Record = dict[str, Any]


class MonitorSession:
    """Samples ``monitor`` over logins made by ``connect``, until ``stop`` is set.

    Args:
        monitor: The sampler, idle rule and cost meter (its ``run_sample`` is replaced by
            one over this session's current connection).
        connect: Logs in and returns a new :class:`Connection` (host key checked).
        policy: The reconnect delays (the tunnels' by default).
        sample_timeout: Seconds one sample may take on the instance.
    """

    def __init__(
        self,
        monitor: GpuMonitor,
        connect: Callable[[], Connection],
        *,
        policy: BackoffPolicy | None = None,
        sample_timeout: float = 20.0,
    ) -> None:
        self.monitor = monitor
        self.connect = connect
        self.backoff = Backoff(policy or BackoffPolicy())
        self.sample_timeout = sample_timeout
        self.connection: Connection | None = None
        self._last_problem: str | None = None
        monitor.run_sample = self._run_sample

    def open(self) -> None:
        """The first login; its errors (auth, host key, unreachable) go to the caller."""
        self.connection = self.connect()
        self.backoff.connected()

    def close(self) -> None:
        """Close the current connection (idempotent)."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def run(self, stop: threading.Event) -> Iterator[Record]:
        """Yield sample, alert, problem and connection-state records until ``stop``."""
        if self.connection is None:
            self.open()
        while not stop.is_set():
            started = time.monotonic()
            try:
                records = self.monitor.sample_once()
            except GpuDeskError as error:
                if self._link_lost(error):
                    yield from self._reconnect(stop, error.message)
                    continue
                records = self._problem(error.message)
            yield from records
            stop.wait(max(0.0, self.monitor.interval_s - (time.monotonic() - started)))

    # --- internals ---------------------------------------------------------------------------

    def _run_sample(self) -> tuple[int, str]:
        connection = self.connection
        if connection is None:
            raise GpuDeskError(
                "ssh.channel_failed",
                "Not connected.",
                "gpudesk reconnects by itself; check the network if this lasts.",
            )
        return connection_sampler(connection.run, self.sample_timeout)()

    def _link_lost(self, error: GpuDeskError) -> bool:
        connection = self.connection
        return error.code in LINK_LOST or connection is None or not connection.is_active

    def _problem(self, message: str) -> list[Record]:
        """A failed sample as a record, once per distinct problem in a row."""
        text = plain_text(message, limit=300)
        if text == self._last_problem:
            return []
        self._last_problem = text
        now = self.monitor.clock()
        return [{"time": iso_time(now), "alias": self.monitor.alias, "problem": text}]

    def _reconnect(self, stop: threading.Event, reason: str) -> Iterator[Record]:
        """Close the dead link, report the gap, retry with backoff until logged in or stopped."""
        self.close()
        self.backoff.disconnected()
        # What was not seen is not idle: the idle period restarts with the next sample.
        self.monitor.detector.idle_since = None
        attempt_reason = plain_text(reason, limit=300)
        while not stop.is_set():
            delay = self.backoff.next_delay()
            yield {
                "state": "reconnecting",
                "alias": self.monitor.alias,
                "reason": attempt_reason,
                "retry_in_s": round(delay, 1),
                "time": iso_time(self.monitor.clock()),
            }
            if stop.wait(delay):
                return
            try:
                self.connection = self.connect()
            except FATAL:
                raise
            except GpuDeskError as error:
                log.info("monitor: reconnect failed: %s", error.message)
                attempt_reason = plain_text(error.message, limit=300)
                continue
            self.backoff.connected()
            self._last_problem = None
            yield {
                "state": "connected",
                "alias": self.monitor.alias,
                "time": iso_time(self.monitor.clock()),
            }
            return

    def __enter__(self) -> MonitorSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        with contextlib.suppress(Exception):
            self.close()
