"""One instance's SSH connection, shared by all its tunnels, kept up by its own thread.

A :class:`Link` logs in with its ``connect`` callable (which verifies the pinned host key
before any credential, on every reconnect: see :mod:`gpudesk.core.ssh.remote`), probes the
connection (:mod:`.liveness`), and when it is lost retries with backoff (:mod:`.backoff`).
Errors a retry cannot fix (password or key refused, host key changed or not trusted, a
missing key file) end the link at once as FAILED: they are never retried in a loop.

It reports each change through ``on_change(link, state, reason, error)`` from its thread,
with no lock held, and opens ``direct-tcpip`` channels for the forwards.
"""

from __future__ import annotations

import contextlib
import logging
import random
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import paramiko

from gpudesk.core.errors import (
    AuthenticationError,
    GpuDeskError,
    HostKeyChangedError,
    HostKeyUnknownError,
    InputError,
    SecretStoreError,
    UnreachableError,
)
from gpudesk.core.ssh.remote import CommandResult, Connection
from gpudesk.core.tunnels.backoff import Backoff, BackoffPolicy
from gpudesk.core.tunnels.forward import LinkUnavailableError, RemoteRefusedError
from gpudesk.core.tunnels.liveness import LivenessProbe
from gpudesk.core.tunnels.model import TunnelState

log = logging.getLogger(__name__)

#: Logs in to the instance and returns an authenticated connection (or raises GpuDeskError).
ConnectFn = Callable[[], Connection]
#: ``on_change(link, state, reason, error)``; state is CONNECTING, UP, RECONNECTING or FAILED.
LinkListener = Callable[["Link", TunnelState, str, "GpuDeskError | None"], None]

#: Errors that a retry cannot fix: the tunnel goes FAILED at once.
FATAL_ERRORS: tuple[type[GpuDeskError], ...] = (
    AuthenticationError,
    HostKeyChangedError,
    HostKeyUnknownError,
    InputError,
    SecretStoreError,
)


@dataclass(frozen=True)
class TransportTuning:
    """Throughput knobs of the forwarded channels (measured in ``bench/tunnel.py``).

    Attributes:
        window_size: The receive window we grant per channel (bytes in flight to us).
        max_packet_size: The largest packet we accept from the server per channel.
        buffer_size: Bytes read at once by a pump.
        channel_open_timeout_s: How long the server may take to answer a channel open.
        wait_for_link_s: How long a new local connection waits for a (re)connection.
    """

    window_size: int = 16 * 1024 * 1024
    max_packet_size: int = 256 * 1024
    buffer_size: int = 256 * 1024
    channel_open_timeout_s: float = 15.0
    wait_for_link_s: float = 10.0


class Link:
    """Keep one SSH connection up for the tunnels of one instance.

    Args:
        key: Which connection this is (the instance alias or id).
        connect: Logs in (see :data:`ConnectFn`).
        on_change: Told every change of state (see :data:`LinkListener`).
        interval_s: Seconds between liveness probes.
        misses: Intervals without an answer before the connection counts as DOWN.
        policy: Reconnect delays.
        tuning: Channel window, packet and buffer sizes.
        clock: Monotonic seconds; ``uniform``: random draws in [0, 1).
    """

    def __init__(
        self,
        key: str,
        connect: ConnectFn,
        on_change: LinkListener,
        *,
        interval_s: float,
        misses: int,
        policy: BackoffPolicy,
        tuning: TransportTuning,
        clock: Callable[[], float] = time.monotonic,
        uniform: Callable[[], float] = random.random,
    ) -> None:
        self.key = key
        self.connect = connect
        self.tuning = tuning
        self.state = TunnelState.CONNECTING
        self.reason = "connecting to the instance"
        self.connect_attempts = 0
        #: While RECONNECTING: why the connection is down, and the wait before the next login.
        self.cause = ""
        self.retry_in_s: float | None = None
        self._on_change = on_change
        self._interval_s = interval_s
        self._misses = misses
        self._backoff = Backoff(policy, clock=clock, uniform=uniform)
        self._clock = clock
        self._cond = threading.Condition()
        self._stopping = False
        self._wake = False
        self._connection: Connection | None = None
        self._probe: LivenessProbe | None = None
        self._thread = threading.Thread(target=self._run, name=f"gpudesk-link-{key}", daemon=True)

    @property
    def finished(self) -> bool:
        """True once the link thread has ended (stopped or FAILED)."""
        return self._thread.ident is not None and not self._thread.is_alive()

    def start(self) -> None:
        """Start connecting on the link's thread."""
        self._thread.start()

    def stop(self) -> None:
        """Ask the link to close its connection and end (returns at once; see :meth:`join`)."""
        with self._cond:
            self._stopping = True
            probe = self._probe
            self._cond.notify_all()
        if probe is not None:
            probe.cancel()

    def join(self, timeout: float = 10.0) -> None:
        """Wait for the link thread to end (a login under way finishes its own timeouts)."""
        if self._thread.ident is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def probe_now(self) -> None:
        """Probe the connection at once; when waiting to reconnect, reconnect at once."""
        with self._cond:
            probe = self._probe
            self._wake = True
            self._cond.notify_all()
        if probe is not None:
            probe.probe_now()

    def note_activity(self) -> None:
        """Data moved through a channel: it counts as a keepalive answer (cheap, no lock)."""
        probe = self._probe
        if probe is not None:
            probe.note_activity()

    def open_channel(
        self, dest: tuple[str, int], peer: tuple[str, int], cancelled: Callable[[], bool]
    ) -> paramiko.Channel:
        """A ``direct-tcpip`` channel to ``dest`` for a local connection from ``peer``.

        Waits up to ``tuning.wait_for_link_s`` for the connection to be up.

        Raises:
            RemoteRefusedError: The instance could not connect to ``dest``.
            LinkUnavailableError: No connection in time, or it broke while opening.
        """
        deadline = self._clock() + self.tuning.wait_for_link_s
        with self._cond:
            while self._connection is None:
                remaining = deadline - self._clock()
                if self._stopping or cancelled() or remaining <= 0:
                    raise LinkUnavailableError(f"not connected to {self.key}")
                self._cond.wait(min(remaining, 0.1))
            transport = self._connection.transport
        try:
            return transport.open_channel(
                "direct-tcpip",
                dest,
                peer,
                window_size=self.tuning.window_size,
                max_packet_size=self.tuning.max_packet_size,
                timeout=self.tuning.channel_open_timeout_s,
            )
        except paramiko.ChannelException as exc:
            raise RemoteRefusedError(
                f"{exc.text or 'connect failed'} (SSH reason code {exc.code})"
            ) from exc
        except (paramiko.SSHException, EOFError, OSError) as exc:
            self.probe_now()  # the connection may be dead: find out now
            raise LinkUnavailableError(f"the connection broke opening a channel: {exc}") from exc

    def current_connection(self) -> Connection | None:
        """The link's logged-in connection right now, or None (it may drop at any time)."""
        with self._cond:
            connection = self._connection
        return connection if connection is not None and connection.is_active else None

    def run(self, command: str, *, stdin: bytes = b"", timeout: float = 20.0) -> CommandResult:
        """Run ``command`` over the link's current connection (a new channel, no new login).

        Raises:
            LinkUnavailableError: There is no connection right now.
            RemoteCommandError: The command could not run or timed out.
        """
        with self._cond:
            connection = self._connection
        if connection is None:
            raise LinkUnavailableError(f"not connected to {self.key}")
        return connection.run(command, stdin=stdin, timeout=timeout)

    # --- the link thread ---------------------------------------------------------------------

    def _run(self) -> None:
        self._report(TunnelState.CONNECTING, "connecting to the instance", None)
        while not self._stopping:
            connection = self._try_connect()
            if connection is None:
                if self.state is TunnelState.FAILED:
                    return
                continue
            reason = self._hold(connection)
            if reason is None or self._stopping:
                return
            self._backoff.disconnected()
            delay = self._backoff.next_delay()
            self.cause, self.retry_in_s = reason, delay
            later = f" in {delay:.1f} s" if delay >= 0.05 else ""
            self._report(
                TunnelState.RECONNECTING, f"connection lost: {reason}; reconnecting{later}", None
            )
            self._sleep(delay)

    def _try_connect(self) -> Connection | None:
        self.connect_attempts += 1
        try:
            connection = self.connect()
        except FATAL_ERRORS as exc:
            log.info("%s: %s (%s): not retrying", self.key, exc.code, exc.message)
            self._report(TunnelState.FAILED, exc.message, exc)
            return None
        except Exception as exc:  # unreachable, dropped, handshake: worth another try
            if not isinstance(exc, GpuDeskError):
                log.warning("%s: unexpected login failure: %r", self.key, exc)
            error = (
                exc
                if isinstance(exc, GpuDeskError)
                else UnreachableError(
                    "tunnel.connect_failed",
                    f"Could not log in: {exc}.",
                    "gpudesk keeps trying; check that the instance is running.",
                )
            )
            delay = self._backoff.next_delay()
            self.cause, self.retry_in_s = error.message, delay
            self._report(
                TunnelState.RECONNECTING,
                f"{error.message.rstrip('.')}; next try in {delay:.1f} s",
                error,
            )
            self._sleep(delay)
            return None
        if self._stopping:
            _close_connection(connection)
            return None
        return connection

    def _hold(self, connection: Connection) -> str | None:
        """Keep ``connection`` until it is DOWN (return why) or the link stops (None)."""
        _tune_socket(connection.transport)
        probe = LivenessProbe(
            connection.transport,
            interval_s=self._interval_s,
            misses=self._misses,
            clock=self._clock,
        )
        with self._cond:
            self._connection = connection
            self._probe = probe
            self._wake = False  # a probe_now() from before counts as done
            stopping = self._stopping
            self._cond.notify_all()
        if stopping:
            probe.cancel()
        probe.start()
        self._backoff.connected()
        self.cause, self.retry_in_s = "", None
        target = connection.target
        self._report(TunnelState.UP, f"connected to {target.user}@{target.address}", None)
        reason = probe.wait_until_down()
        with self._cond:
            self._connection = None
            self._probe = None
        probe.cancel()
        _close_connection(connection)
        probe.join()
        return reason

    def _sleep(self, seconds: float) -> None:
        """Wait before a retry; :meth:`stop` and :meth:`probe_now` cut it short."""
        deadline = self._clock() + seconds
        with self._cond:
            while not self._stopping and not self._wake:
                remaining = deadline - self._clock()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            self._wake = False

    def _report(self, state: TunnelState, reason: str, error: GpuDeskError | None) -> None:
        if self._stopping and state is not TunnelState.FAILED:
            return
        self.state = state
        self.reason = reason
        try:
            self._on_change(self, state, reason, error)
        except Exception:
            log.exception("link listener failed")


def _tune_socket(transport: paramiko.Transport) -> None:
    """Small messages must not wait for Nagle (round trips of interactive use)."""
    sock = getattr(transport, "sock", None)
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _close_connection(connection: Connection) -> None:
    """Close the transport and wait for its thread (else it leaks a thread and an fd).

    Shutting the socket down first wakes the transport thread's blocked read at once,
    instead of at its next 0.1 s poll.
    """
    sock = getattr(connection.transport, "sock", None)
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    connection.close()
    transport = connection.transport
    if isinstance(transport, threading.Thread) and transport.ident is not None:
        transport.join(2.0)
