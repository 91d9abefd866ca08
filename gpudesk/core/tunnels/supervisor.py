"""The tunnel supervisor: every tunnel of the app, its state, and an event for every change.

One :class:`TunnelSupervisor` serves the whole app (GUI or ``gpudesk tunnel``). Tunnels of
the same instance share one SSH connection (a :class:`~.link.Link`); each tunnel has its own
local listener (:class:`~.forward.LocalForward`). States are :class:`~.model.TunnelState`.

* A busy local port is reported at once by :meth:`TunnelSupervisor.add` /
  :meth:`TunnelSupervisor.start` (:class:`~.model.LocalPortBusyError`, offering the next free
  port); nothing is retried.
* Password/key refused, host key changed or not trusted: FAILED at once, never retried.
* A lost connection: RECONNECTING with backoff, then UP again; the listener stays.
* Nothing listening on the remote port: the tunnel stays UP (the SSH connection is fine) with
  the reason "remote port refused ..." and ``remote_refused`` set; no reconnect.

Events go to subscribers in order on one dispatcher thread (:mod:`.events`), never under a
lock, so a callback may call back into the supervisor. :meth:`TunnelSupervisor.close` (and
stopping the last tunnel of an instance) joins every thread the tunnels started and closes
every socket.
"""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from gpudesk.core.errors import GpuDeskError, InputError, RemoteCommandError
from gpudesk.core.ssh.remote import CommandResult, Connection
from gpudesk.core.store.settings import Settings
from gpudesk.core.tunnels.backoff import BackoffPolicy
from gpudesk.core.tunnels.events import EventCallback, EventHub
from gpudesk.core.tunnels.forward import LinkUnavailableError, LocalForward
from gpudesk.core.tunnels.link import ConnectFn, Link, TransportTuning
from gpudesk.core.tunnels.model import TunnelEvent, TunnelSpec, TunnelState, TunnelStatus


@dataclass
class _Tunnel:
    tunnel_id: str
    instance: str
    spec: TunnelSpec
    state: TunnelState = TunnelState.STOPPED
    reason: str = "not started"
    since: float = field(default_factory=time.time)
    remote_refused: bool = False
    error: GpuDeskError | None = None
    forward: LocalForward | None = None
    entered: dict[TunnelState, float] = field(default_factory=dict)

    def status(self) -> TunnelStatus:
        names = (f.name for f in dataclasses.fields(TunnelStatus))
        return TunnelStatus(**{name: getattr(self, name) for name in names})


class TunnelSupervisor:
    """Start, stop and watch tunnels; thread-safe.

    Args:
        probe_interval_s: Seconds between liveness probes of each connection.
        probe_misses: Intervals without an answer before a connection counts as DOWN.
        backoff: Reconnect delays.
        tuning: Channel window, packet and buffer sizes.
    """

    def __init__(
        self,
        *,
        probe_interval_s: float = 2.0,
        probe_misses: int = 3,
        backoff: BackoffPolicy | None = None,
        tuning: TransportTuning | None = None,
    ) -> None:
        if probe_interval_s <= 0 or probe_misses < 1:
            raise ValueError("probe_interval_s must be positive and probe_misses at least 1")
        self.probe_interval_s = probe_interval_s
        self.probe_misses = probe_misses
        self.backoff = backoff or BackoffPolicy()
        self.tuning = tuning or TransportTuning()
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._tunnels: dict[str, _Tunnel] = {}
        self._links: dict[str, Link] = {}
        self._connectors: dict[str, ConnectFn] = {}
        self._ids = itertools.count(1)
        self._closed = False
        self._events = EventHub()

    @classmethod
    def from_settings(
        cls, settings: Settings, backoff: BackoffPolicy | None = None
    ) -> TunnelSupervisor:
        """A supervisor probing as ``settings`` say (``probe_interval_s`` x ``probe_misses``)."""
        interval, misses = settings.probe_interval_s, settings.probe_misses
        return cls(probe_interval_s=interval, probe_misses=misses, backoff=backoff)

    # --- subscribers -------------------------------------------------------------------------

    def subscribe(self, callback: EventCallback) -> Callable[[], None]:
        """Call ``callback(event)`` for every later event (on the supervisor's event thread).

        Returns:
            A function that unsubscribes ``callback``.
        """
        return self._events.subscribe(callback)

    def unsubscribe(self, callback: EventCallback) -> None:
        """Stop calling ``callback`` (no error if it was not subscribed)."""
        self._events.unsubscribe(callback)

    def is_subscribed(self, callback: EventCallback) -> bool:
        """True while ``callback`` gets events."""
        return self._events.is_subscribed(callback)

    # --- tunnels -----------------------------------------------------------------------------

    def add(
        self, instance: str, connect: ConnectFn, spec: TunnelSpec, *, start: bool = True
    ) -> str:
        """Register a tunnel of ``instance`` and (by default) start it; return its id.

        Tunnels with the same ``instance`` share one connection; the latest ``connect`` is
        used for its next login.

        Raises:
            LocalPortBusyError: The local port is taken (nothing is added; the error offers
                the next free port).
            InputError: The supervisor is closed, or the port cannot be used.
        """
        with self._lock:
            self._check_open()
            tunnel_id = f"{instance}#{next(self._ids)}"
            self._tunnels[tunnel_id] = _Tunnel(tunnel_id, instance, spec)
            self._connectors[instance] = connect
            if start:
                try:
                    self.start(tunnel_id)
                except GpuDeskError:
                    del self._tunnels[tunnel_id]
                    raise
        return tunnel_id

    def start(self, tunnel_id: str) -> None:
        """Start a STOPPED or FAILED tunnel (no-op when it is already active).

        Raises:
            LocalPortBusyError: Its local port is taken; reported at once, not retried.
            InputError: Unknown tunnel, or the supervisor is closed.
        """
        new_link: Link | None = None
        with self._lock:
            self._check_open()
            tunnel = self._get(tunnel_id)
            if tunnel.state.active:
                return
            link = self._links.get(tunnel.instance)
            if link is None or link.finished or link.state is TunnelState.FAILED:
                link = new_link = self._new_link(tunnel.instance)
            forward = self._new_forward(tunnel, link)
            try:
                port = forward.start()
            except InputError as exc:
                if new_link is not None:
                    del self._links[tunnel.instance]
                self._set(tunnel, TunnelState.STOPPED, exc.message, exc)
                raise
            tunnel.spec = dataclasses.replace(tunnel.spec, local_port=port)
            tunnel.forward = forward
            tunnel.remote_refused = False
            if new_link is not None:
                self._set(tunnel, TunnelState.CONNECTING, "connecting to the instance", None)
            else:
                self._set(tunnel, link.state, link.reason, None)
        if new_link is not None:
            new_link.start()

    def stop(self, tunnel_id: str, reason: str = "stopped") -> None:
        """Stop a tunnel: close its listener and connections (and the connection if unused).

        Returns when its threads have ended. Stopping a stopped tunnel does nothing.
        """
        with self._lock:
            tunnel = self._get(tunnel_id)
            forward, link = self._detach(tunnel, reason)
        self._finish(forward, link)

    def remove(self, tunnel_id: str) -> None:
        """Stop a tunnel and forget it."""
        self.stop(tunnel_id)
        with self._lock:
            self._tunnels.pop(tunnel_id, None)

    def status(self, tunnel_id: str) -> TunnelStatus:
        """A snapshot of one tunnel.

        Raises:
            InputError: Unknown tunnel.
        """
        with self._lock:
            return self._get(tunnel_id).status()

    def tunnels(self, instance: str | None = None) -> list[TunnelStatus]:
        """Snapshots of all tunnels (of ``instance`` when given), in the order added."""
        with self._lock:
            return [
                t.status()
                for t in self._tunnels.values()
                if instance is None or t.instance == instance
            ]

    def wait_for(
        self,
        tunnel_id: str,
        *states: TunnelState,
        timeout: float = 30.0,
        since: float | None = None,
    ) -> TunnelStatus:
        """Wait until the tunnel is in one of ``states``, or entered one after ``since``.

        A reconnect can pass through RECONNECTING to UP in milliseconds; entering counts even
        if the state has moved on (the returned status is then the current one).

        Args:
            tunnel_id: The tunnel; ``states``: what to wait for; ``timeout``: seconds.
            since: Wall-clock time (``time.time()``) from which an entry counts; default now.

        Raises:
            TimeoutError: Not reached in time (the message gives the state it is in).
        """
        start = time.time() if since is None else since
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                tunnel = self._get(tunnel_id)
                if tunnel.state in states or any(
                    tunnel.entered.get(state, -1.0) >= start for state in states
                ):
                    return tunnel.status()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"tunnel {tunnel_id} is {tunnel.state.value} ({tunnel.reason}), "
                        f"not {'/'.join(s.value for s in states)}, after {timeout:g} s"
                    )
                self._changed.wait(remaining)

    def run_on_instance(
        self, instance: str, command: str, *, stdin: bytes = b"", timeout: float = 20.0
    ) -> CommandResult:
        """Run ``command`` over the EXISTING connection of ``instance`` (no new login).

        The GPU monitor samples this way while the instance's tunnels are up.

        Raises:
            RemoteCommandError: ``tunnel.not_connected`` when the instance has no live
                connection; otherwise what the command itself raised.
        """
        with self._lock:
            link = self._links.get(instance)
        if link is None or link.finished:
            raise _not_connected(instance)
        try:
            return link.run(command, stdin=stdin, timeout=timeout)
        except LinkUnavailableError as exc:
            raise _not_connected(instance) from exc

    def connection_of(self, instance: str) -> Connection | None:
        """The live connection the tunnels of ``instance`` share, or None (no new login).

        Callers borrow it: they open channels or SFTP sessions on it and never close it.
        """
        with self._lock:
            link = self._links.get(instance)
        return None if link is None or link.finished else link.current_connection()

    def probe_now(self) -> None:
        """Probe every connection at once; reconnect at once those waiting to retry.

        Call after the computer woke from sleep or the network came back.
        """
        with self._lock:
            links = list(self._links.values())
        for link in links:
            link.probe_now()

    def close(self) -> None:
        """Stop every tunnel and end every thread the supervisor started (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            tunnel_ids = list(self._tunnels)
        for tunnel_id in tunnel_ids:
            self.stop(tunnel_id, "gpudesk is closing")
        self._events.close()

    # --- internals ---------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise InputError(
                "tunnel.closed",
                "The tunnel supervisor has been closed.",
                "gpudesk is quitting; start it again to use tunnels.",
            )

    def _get(self, tunnel_id: str) -> _Tunnel:
        try:
            return self._tunnels[tunnel_id]
        except KeyError:
            raise InputError(
                "tunnel.unknown",
                f"There is no tunnel {tunnel_id!r}.",
                "It was removed meanwhile; add it again if you need it.",
            ) from None

    def _new_link(self, instance: str) -> Link:
        link = Link(
            instance,
            self._connectors[instance],
            self._link_changed,
            interval_s=self.probe_interval_s,
            misses=self.probe_misses,
            policy=self.backoff,
            tuning=self.tuning,
        )
        self._links[instance] = link
        return link

    def _new_forward(self, tunnel: _Tunnel, link: Link) -> LocalForward:
        dest = (tunnel.spec.remote_host, tunnel.spec.remote_port)
        return LocalForward(
            tunnel.spec,
            lambda peer, cancelled: link.open_channel(dest, peer, cancelled),
            on_remote_result=lambda refused, why: self._remote_result(tunnel, refused, why),
            buffer_size=self.tuning.buffer_size,
            channel_read_size=max(self.tuning.window_size // 4, self.tuning.buffer_size),
            on_activity=link.note_activity,
        )

    def _detach(self, tunnel: _Tunnel, reason: str) -> tuple[LocalForward | None, Link | None]:
        """Under the lock: STOPPED; hand back its listener, and the link if now unused.

        The listener is taken here, under the lock, because the STOPPED event may let the
        user start the tunnel again before :meth:`_finish` runs: that start's new listener
        must not be the one closed.
        """
        was_active = tunnel.state.active
        forward, tunnel.forward = tunnel.forward, None
        self._set(tunnel, TunnelState.STOPPED, reason, None)
        if not was_active:
            return forward, None
        if any(t.instance == tunnel.instance and t.state.active for t in self._tunnels.values()):
            return forward, None
        return forward, self._links.pop(tunnel.instance, None)

    def _finish(self, forward: LocalForward | None, link: Link | None) -> None:
        """Outside the lock: close the listener, then the unused link, and wait for both."""
        if forward is not None:
            forward.close()
        if link is not None:
            link.stop()
            link.join()

    def _link_changed(
        self, link: Link, state: TunnelState, reason: str, error: GpuDeskError | None
    ) -> None:
        """Called on the link's thread: move its tunnels along."""
        if state is TunnelState.FAILED:
            self._link_failed(link, reason, error)
            return
        with self._lock:
            if self._links.get(link.key) is not link:
                return  # a link being stopped; its tunnels have moved on
            mine = [t for t in self._tunnels.values() if t.instance == link.key]
            for tunnel in mine:
                if tunnel.state.active:
                    self._set(tunnel, state, reason, error)
            forwards = [t.forward for t in mine if t.forward is not None]
        if state is TunnelState.RECONNECTING:
            for forward in forwards:
                forward.abort_connections()

    def _link_failed(self, link: Link, reason: str, error: GpuDeskError | None) -> None:
        """Close the listeners first, so that FAILED means the ports are free again."""
        with self._lock:
            if self._links.get(link.key) is not link:
                return
            del self._links[link.key]
            failed = [
                t for t in self._tunnels.values() if t.instance == link.key and t.state.active
            ]
            forwards = [t.forward for t in failed if t.forward is not None]
            for tunnel in failed:
                tunnel.forward = None
        for forward in forwards:
            forward.close()
        with self._lock:
            for tunnel in failed:
                if tunnel.state.active:  # not stopped meanwhile
                    self._set(tunnel, TunnelState.FAILED, reason, error)

    def _remote_result(self, tunnel: _Tunnel, refused: bool, detail: str) -> None:
        with self._lock:
            if tunnel.remote_refused == refused or tunnel.state is not TunnelState.UP:
                return
            tunnel.remote_refused = refused
            spec = tunnel.spec
            where = f"{spec.remote_host}:{spec.remote_port} on the instance"
            reason = (
                f"remote port refused: nothing accepted the connection to {where} ({detail})"
                if refused
                else f"the remote port answers again ({where})"
            )
            self._set(tunnel, TunnelState.UP, reason, None)

    def _set(
        self, tunnel: _Tunnel, state: TunnelState, reason: str, error: GpuDeskError | None
    ) -> None:
        """Under the lock: record the change and queue its event."""
        previous = tunnel.state
        if previous is state and tunnel.reason == reason:
            return
        tunnel.state, tunnel.reason, tunnel.error = state, reason, error
        tunnel.since = tunnel.entered[state] = time.time()
        self._events.publish(
            TunnelEvent(
                tunnel.tunnel_id,
                tunnel.instance,
                tunnel.spec,
                state,
                previous,
                reason,
                tunnel.since,
                error,
            )
        )
        self._changed.notify_all()


def _not_connected(instance: str) -> RemoteCommandError:
    return RemoteCommandError(
        "tunnel.not_connected",
        f"{instance} has no live connection right now.",
        "Start one of its tunnels (or wait until it is back up) and try again.",
    )
