"""Instances whose GPUs the desk watches without a tunnel (``gpudesk monitor``).

The desk samples an instance over the connection its tunnels share. An instance watched with
:meth:`Desk.watch_gpus <gpudesk.core.engine.desk.Desk.watch_gpus>` has no tunnel: it gets a
connection of its own, kept by the tunnels' :class:`~gpudesk.core.tunnels.link.Link` with
the supervisor's liveness probe and backoff, so a dropped or hung link is noticed and logged
in again exactly as a tunnel's would be. :class:`GpuWatches` holds those links; each change
of one becomes a :class:`~gpudesk.core.engine.events.WatchChanged`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from gpudesk.core.engine.events import WatchChanged
from gpudesk.core.errors import GpuDeskError, RemoteCommandError
from gpudesk.core.ssh.remote import CommandResult, Connection
from gpudesk.core.tunnels.forward import LinkUnavailableError
from gpudesk.core.tunnels.link import ConnectFn, Link
from gpudesk.core.tunnels.model import TunnelState
from gpudesk.core.tunnels.supervisor import TunnelSupervisor

#: Errors of a command that mean the link itself is gone: probe it now, skip this sample.
LINK_GONE = frozenset({"ssh.channel_failed"})


class GpuWatches:
    """The watched instances' own connections; thread-safe.

    Args:
        supervisor: Whose probe interval, misses, backoff and tuning the links use.
        on_change: Told every change of a watched link, on that link's thread.
    """

    def __init__(
        self, supervisor: TunnelSupervisor, on_change: Callable[[WatchChanged], None]
    ) -> None:
        self.supervisor = supervisor
        self.on_change = on_change
        self._lock = threading.Lock()
        self._links: dict[str, Link] = {}
        self._prices: dict[str, float | None] = {}
        self._closed = False

    def watch(self, alias: str, connect: ConnectFn, price_per_hour: float | None) -> None:
        """Log in to ``alias`` now (blocking), then keep that connection up on a link.

        Raises:
            GpuDeskError: The first login's error (refused, host key, unreachable): nothing
                is watched then.
        """
        handed = [connect()]

        def first_then_again() -> Connection:
            return handed.pop() if handed else connect()

        link = Link(
            alias,
            first_then_again,
            self._link_changed,
            interval_s=self.supervisor.probe_interval_s,
            misses=self.supervisor.probe_misses,
            policy=self.supervisor.backoff,
            tuning=self.supervisor.tuning,
        )
        with self._lock:
            closed = self._closed
            old = None if closed else self._links.get(alias)
            if not closed:
                self._links[alias] = link
                self._prices[alias] = price_per_hour
        if closed:
            handed.pop().close()
            return
        _end(old)
        link.start()

    def unwatch(self, alias: str) -> None:
        """Stop watching ``alias`` and close its connection (blocking, bounded)."""
        with self._lock:
            link = self._links.pop(alias, None)
        _end(link)

    def watched(self) -> set[str]:
        """The instances with a live link (up, or logging in again after a drop)."""
        with self._lock:
            links = dict(self._links)
        return {
            alias
            for alias, link in links.items()
            if link.state in (TunnelState.UP, TunnelState.RECONNECTING)
        }

    def price_of(self, alias: str) -> tuple[bool, float | None]:
        """(True, the price given to :meth:`watch`) for a watched instance, else (False, None)."""
        with self._lock:
            return (alias in self._prices, self._prices.get(alias))

    def link_of(self, alias: str) -> Link | None:
        """The link of a watched ``alias``, or None."""
        with self._lock:
            return self._links.get(alias)

    def run(self, link: Link, command: str, *, stdin: bytes, timeout: float) -> CommandResult:
        """Run ``command`` over ``link`` (a new channel, no new login).

        Raises:
            RemoteCommandError: ``tunnel.not_connected`` while the link is down (the sample
                is skipped, not reported); otherwise what the command raised.
        """
        try:
            return link.run(command, stdin=stdin, timeout=timeout)
        except LinkUnavailableError as error:
            raise not_connected(link.key) from error
        except GpuDeskError as error:
            if error.code not in LINK_GONE:
                raise
            link.probe_now()  # the liveness probe decides: reconnect, or it was a blip
            raise not_connected(link.key) from error

    def close(self) -> None:
        """Stop every link and wait for its thread (idempotent)."""
        with self._lock:
            self._closed = True
            links = list(self._links.values())
            self._links.clear()
        for link in links:
            _end(link)

    def _link_changed(
        self, link: Link, state: TunnelState, reason: str, error: GpuDeskError | None
    ) -> None:
        with self._lock:
            if self._links.get(link.key) is not link:
                return  # replaced or unwatched meanwhile
            if state is TunnelState.FAILED:
                del self._links[link.key]
        retry = link.retry_in_s if state is TunnelState.RECONNECTING else None
        self.on_change(WatchChanged(link.key, state, reason, time.time(), link.cause, retry, error))


def not_connected(alias: str) -> RemoteCommandError:
    """The error a sample of an instance without a live connection raises (never shown)."""
    return RemoteCommandError(
        "tunnel.not_connected",
        f"{alias} has no live connection right now.",
        "gpudesk logs in again by itself; check the network if this lasts.",
    )


def _end(link: Link | None) -> None:
    if link is not None:
        link.stop()
        link.join()
