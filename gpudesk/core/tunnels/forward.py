"""Local port forwards over SSH ``direct-tcpip`` channels: the listener and the byte pumps.

A :class:`LocalForward` listens on ``127.0.0.1`` only (never on every interface: a tunnel
exposes a notebook that runs as root on the instance). Each accepted connection gets a channel
from its connection (``open_channel``) and two pump threads, one per direction, each using
``sendall`` (``send`` may write part of the data). Where it can, paramiko's own reader thread
writes the instance's data to the local socket itself and the inbound pump thread only writes
what the socket could not take at once (:mod:`.socketfeed`: one thread hand-off less per
message). When one side ends its output the other side's write half is shut down (a
half-close, as HTTP clients use), and the pair is closed when both directions are done; an
error on either side closes both at once. Unlike paramiko's ``demos/forward.py``, every socket
and channel is closed when its peer closes, and :meth:`LocalForward.close` leaves no thread or
file descriptor behind.

Binding: Windows gets ``SO_EXCLUSIVEADDRUSE`` (``SO_REUSEADDR`` there lets another program
steal the port); Linux ``SO_REUSEADDR``, which only allows binding over TIME_WAIT leftovers of
our own earlier connections (two listeners still cannot share a port); macOS neither, because
its ``SO_REUSEADDR`` would let us bind 127.0.0.1 under another program's wildcard listener.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import selectors
import socket
import sys
import threading
from collections.abc import Callable
from typing import Protocol

from gpudesk.core.errors import InputError
from gpudesk.core.tunnels.model import LOOPBACK, LocalPortBusyError, TunnelSpec
from gpudesk.core.tunnels.socketfeed import SocketFeed, grant_window, install_socket_feed

log = logging.getLogger(__name__)

#: How far above a busy port :func:`next_free_port` looks.
_FREE_PORT_SEARCH = 100
#: Errors of ``bind`` that mean "someone else has this port" (10013: a Windows excluded range).
_BUSY_ERRNOS = frozenset({errno.EADDRINUSE, errno.EACCES, 10013, 10048})
#: paramiko keeps this much of the server's maximum packet size for headers.
_PACKET_OVERHEAD = 64


class Channel(Protocol):
    """The part of ``paramiko.Channel`` the pumps use."""

    closed: bool
    out_max_packet_size: int

    def recv(self, nbytes: int) -> bytes:
        """Up to ``nbytes``; ``b""`` at EOF or when closed."""
        ...

    def sendall(self, data: bytes) -> None:
        """Send everything or raise."""
        ...

    def shutdown_write(self) -> None:
        """Send EOF."""
        ...

    def close(self) -> None:
        """Close the channel."""
        ...


class RemoteRefusedError(Exception):
    """The instance could not connect to the remote port (nothing listens, or forbidden)."""


class LinkUnavailableError(Exception):
    """There is no working SSH connection to open a channel on (yet)."""


#: Opens a channel for a local peer ``(host, port)``; ``cancelled()`` says to give up waiting.
OpenChannel = Callable[[tuple[str, int], Callable[[], bool]], Channel]
#: Told after each channel open: ``(refused, detail)``.
RemoteResult = Callable[[bool, str], None]


def bind_listener(port: int, *, backlog: int = 128) -> socket.socket:
    """A listening TCP socket on ``127.0.0.1:port`` (0 = any free port).

    Raises:
        LocalPortBusyError: Another program has the port (the error offers a free one).
        InputError: The port cannot be used at all (``tunnel.local_port_denied``).
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if sys.platform == "win32":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        elif sys.platform.startswith("linux"):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((LOOPBACK, port))
        sock.listen(backlog)
    except OSError as exc:
        sock.close()
        if exc.errno in _BUSY_ERRNOS and not (exc.errno == errno.EACCES and port < 1024):
            raise LocalPortBusyError(port, next_free_port(port), exc.strerror or "") from exc
        raise InputError(
            "tunnel.local_port_denied",
            f"The local port {port} cannot be used: {exc.strerror or exc}.",
            "Choose a port above 1024 (0 picks a free one).",
        ) from exc
    return sock


def next_free_port(port: int) -> int | None:
    """The first port after ``port`` that can be bound on 127.0.0.1 now, or None."""
    for candidate in range(max(port + 1, 1024), min(port + _FREE_PORT_SEARCH, 65535) + 1):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            if sys.platform == "win32":
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
            try:
                probe.bind((LOOPBACK, candidate))
            except OSError:
                continue
            return candidate
    return None


class LocalForward:
    """Listen on ``127.0.0.1:spec.local_port`` and forward each connection through a channel.

    Args:
        spec: What to forward.
        open_channel: Opens a channel to the remote side (see :data:`OpenChannel`).
        on_remote_result: Told whether each channel open was refused by the instance.
        buffer_size: Bytes read at once from a local socket (at most one packet's payload).
        channel_read_size: Bytes read at once from a channel: as large as its window, because
            paramiko's channel buffer moves what remains after each smaller read.
        on_activity: Called (cheaply, often) whenever data moves through a channel: data
            from the instance, or data sent beyond the window, which needs the instance's
            window adjustments; either is proof of life (see
            :meth:`.liveness.LivenessProbe.note_activity`).
    """

    def __init__(
        self,
        spec: TunnelSpec,
        open_channel: OpenChannel,
        *,
        on_remote_result: RemoteResult | None = None,
        buffer_size: int = 256 * 1024,
        channel_read_size: int = 16 * 1024 * 1024,
        on_activity: Callable[[], None] | None = None,
    ) -> None:
        self.spec = spec
        self._channel_read_size = channel_read_size
        self._on_activity = on_activity or _nothing
        self._open_channel = open_channel
        self._on_remote_result = on_remote_result
        self._buffer_size = buffer_size
        self._lock = threading.Lock()
        self._closing = False
        self._pipes: set[_Pipe] = set()
        self._threads: set[threading.Thread] = set()
        self._listener: socket.socket | None = None
        self._selector: selectors.BaseSelector | None = None
        self._wake: tuple[socket.socket, socket.socket] | None = None
        self._acceptor: threading.Thread | None = None
        self.port = spec.local_port

    def start(self) -> int:
        """Bind and start accepting; return the bound port.

        Raises:
            LocalPortBusyError: The port is taken (at once; nothing is retried).
            InputError: The port cannot be used.
        """
        listener = bind_listener(self.spec.local_port)
        listener.setblocking(False)
        self.port = int(listener.getsockname()[1])
        self._listener = listener
        self._wake = socket.socketpair()
        self._selector = selectors.DefaultSelector()
        self._selector.register(listener, selectors.EVENT_READ)
        self._selector.register(self._wake[0], selectors.EVENT_READ)
        self._acceptor = threading.Thread(
            target=self._accept_loop, name=f"gpudesk-forward-{self.port}", daemon=True
        )
        self._acceptor.start()
        return self.port

    @property
    def connection_count(self) -> int:
        """Local connections being forwarded (or waiting for their channel) now."""
        with self._lock:
            return len(self._threads)

    def abort_connections(self) -> None:
        """Close every forwarded connection now (the SSH connection was lost)."""
        with self._lock:
            pipes = list(self._pipes)
        for pipe in pipes:
            pipe.abort()

    def close(self, timeout: float = 5.0) -> None:
        """Stop listening, close every connection, and wait for all threads (idempotent)."""
        with self._lock:
            if self._closing:
                return
            self._closing = True
        if self._wake is not None:
            with contextlib.suppress(OSError):
                self._wake[1].send(b"x")
        if self._acceptor is not None and self._acceptor is not threading.current_thread():
            self._acceptor.join(timeout)
        self.abort_connections()
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout)
        self._close_listener()

    def _close_listener(self) -> None:
        if self._selector is not None:
            self._selector.close()
        for sock in (self._listener, *(self._wake or ())):
            if sock is not None:
                sock.close()

    # --- accepting ---------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        selector, listener = self._selector, self._listener
        if selector is None or listener is None:
            return
        while not self._closing:
            try:
                ready = selector.select()
            except OSError:
                break
            if self._closing or any(key.fileobj is self._wake_socket for key, _ in ready):
                break
            try:
                sock, peer = listener.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                continue
            except OSError as exc:
                log.warning("accept on %s failed: %s", self.port, exc)
                continue
            self._start_connection(sock, peer)

    @property
    def _wake_socket(self) -> socket.socket | None:
        return self._wake[0] if self._wake else None

    def _start_connection(self, sock: socket.socket, peer: tuple[str, int]) -> None:
        sock.setblocking(True)
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        thread = threading.Thread(
            target=self._serve, args=(sock, peer), name=f"gpudesk-pump-{self.port}", daemon=True
        )
        with self._lock:
            if self._closing:
                sock.close()
                return
            self._threads.add(thread)
        thread.start()

    def _serve(self, sock: socket.socket, peer: tuple[str, int]) -> None:
        try:
            try:
                channel = self._open_channel(peer, lambda: self._closing)
            except RemoteRefusedError as exc:
                self._report(refused=True, detail=str(exc))
                sock.close()
                return
            except Exception as exc:  # no connection (yet), or it broke while opening
                log.info("no channel for a connection to %s: %s", self.port, exc)
                sock.close()
                return
            self._report(refused=False, detail="")
            pipe = _Pipe(sock, channel, (self._buffer_size, self._channel_read_size), self.port)
            pipe.on_activity = self._on_activity
            with self._lock:
                closing = self._closing
                if not closing:
                    self._pipes.add(pipe)
            if closing:
                pipe.abort()
                pipe.close()
                return
            pipe.run()
            with self._lock:
                self._pipes.discard(pipe)
        finally:
            with self._lock:
                self._threads.discard(threading.current_thread())

    def _report(self, *, refused: bool, detail: str) -> None:
        if self._on_remote_result is not None:
            try:
                self._on_remote_result(refused, detail)
            except Exception:
                log.exception("remote result callback failed")


class _Pipe:
    """One forwarded connection: a local socket and its channel, pumped both ways."""

    def __init__(
        self, sock: socket.socket, channel: Channel, sizes: tuple[int, int], port: int
    ) -> None:
        self.sock = sock
        self.channel = channel
        self._size, self._channel_size = sizes
        self._port = port
        self._lock = threading.Lock()
        self._aborted = False
        self._closed = False
        self._sent_eof = False
        self._feed: SocketFeed | None = None
        self.on_activity: Callable[[], None] = _nothing

    def run(self) -> None:
        """Pump local->remote on this thread and remote->local on a second; then close both."""
        self._feed = install_socket_feed(self.channel, self.sock, self.on_activity)
        reader = threading.Thread(
            target=self._remote_to_local, name=f"gpudesk-pump-{self._port}-in", daemon=True
        )
        reader.start()
        self._local_to_remote()
        reader.join()
        self.close()

    def abort(self) -> None:
        """Close both sides at once (wakes both pump threads)."""
        with self._lock:
            if self._aborted:
                return
            self._aborted = True
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(Exception):
            self.channel.close()

    def close(self) -> None:
        """Release the socket and the channel (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        if self._feed is not None:
            self._feed.stop_direct()
        with contextlib.suppress(Exception):
            self.channel.close()
        self.sock.close()

    def _local_to_remote(self) -> None:
        # Read one packet's worth at a time and hand paramiko exactly that, as bytes:
        # - a larger read needs slicing into packets, and paramiko copies each slice again;
        # - a memoryview costs paramiko two caught exceptions per packet (``asbytes``);
        # - a fresh 256 KiB ``recv`` costs ~13 us of allocation even for 64 bytes.
        # (bench/tunnel.py: upload and round trip both measured best this way.)
        step = max(self.channel.out_max_packet_size - _PACKET_OVERHEAD, 4096)
        size = min(step, self._size)
        try:
            while data := self.sock.recv(size):
                self.channel.sendall(data)
                self.on_activity()
            self.channel.shutdown_write()  # half-close: the remote service sees EOF
            self._sent_eof = True
        except Exception as exc:  # OSError, EOFError, SSHException: one side is gone
            log.debug("local->remote on %s ended: %r", self._port, exc)
            self.abort()

    def _remote_to_local(self) -> None:
        feed = self._feed
        try:
            if feed is None:
                while data := self.channel.recv(self._channel_size):
                    self.on_activity()
                    self.sock.sendall(data)
            else:  # the transport thread writes what it can; this thread writes the rest
                while True:
                    data, delivered = feed.take(self._channel_size)
                    if not data and not delivered:
                        break
                    grant_window(self.channel, len(data) + delivered)
                    if data:
                        self.on_activity()
                        self.sock.sendall(data)
            if self.channel.closed and not self._sent_eof:
                # CLOSE, not just EOF: what the local client still sends cannot go anywhere.
                self.abort()
            else:
                self.sock.shutdown(socket.SHUT_WR)  # half-close: the local client sees EOF
        except Exception as exc:
            log.debug("remote->local on %s ended: %r", self._port, exc)
            self.abort()


def _nothing() -> None:
    """The default callback."""
