"""Fakes for the tunnel engine's unit tests: a transport, a channel over a socket pair, logins.

The integration tests use the real sshd; these let the state machine, the probe and the pumps
be driven without one (and make faults exact: a frozen server, a refused port, a bad login).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable

import paramiko

from gpudesk.core.errors import GpuDeskError
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import PresentedKey
from gpudesk.core.ssh.remote import Connection, HostKeyCheck

#: A remote port where nothing listens (channel opens are refused).
REFUSED_PORT = 9
TARGET = SshTarget("root", "gpu.example.com", 10309)


class SocketChannel:
    """A paramiko-like channel over one end of a socket pair."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.closed = False
        self.out_max_packet_size = 32768

    def recv(self, nbytes: int) -> bytes:
        if self.closed:
            return b""
        try:
            return self.sock.recv(nbytes)
        except OSError:
            return b""

    def sendall(self, data: bytes) -> None:
        if self.closed:
            raise OSError("Socket is closed")
        self.sock.sendall(data)

    def shutdown_write(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)
            self.sock.close()


def serve_echo_until_eof(sock: socket.socket) -> None:
    """The "remote service": echo everything, then half-close after the client's EOF."""
    with sock:
        while True:
            try:
                data = sock.recv(65536)
            except OSError:
                return
            if not data:
                with contextlib.suppress(OSError):
                    sock.sendall(b"<eof>")
                    sock.shutdown(socket.SHUT_WR)
                return
            sock.sendall(data)


class FakeTransport:
    """What the probe and the link use of ``paramiko.Transport``.

    ``frozen`` makes keepalive requests hang (a SIGSTOPped server); ``die()`` is a server
    that closed the connection.
    """

    def __init__(self) -> None:
        self.active = True
        self.frozen = False
        self.refuse_requests = False
        self.requests = 0
        self.channels: list[SocketChannel] = []
        self.threads: list[threading.Thread] = []
        self._exception: BaseException | None = None
        self.sock = None

    def global_request(self, kind: str, data: object = None, wait: bool = True) -> object:
        self.requests += 1
        while self.frozen and self.active:
            time.sleep(0.005)
        if not self.active or self.refuse_requests:
            return None
        return object()

    def is_active(self) -> bool:
        return self.active

    def close(self) -> None:
        self.active = False
        for channel in self.channels:
            channel.close()
        for thread in self.threads:
            thread.join(2)

    def die(self, error: BaseException | None = None) -> None:
        self._exception = error
        self.close()

    def get_exception(self) -> BaseException | None:
        error, self._exception = self._exception, None
        return error

    def open_channel(
        self,
        kind: str,
        dest: tuple[str, int],
        src: tuple[str, int],
        window_size: int | None = None,
        max_packet_size: int | None = None,
        timeout: float | None = None,
    ) -> SocketChannel:
        if not self.active:
            raise paramiko.SSHException("Unable to open channel.")
        if dest[1] == REFUSED_PORT:
            raise paramiko.ChannelException(2, "Connect failed")
        near, far = socket.socketpair()
        thread = threading.Thread(target=serve_echo_until_eof, args=(far,), daemon=True)
        thread.start()
        self.threads.append(thread)
        channel = SocketChannel(near)
        self.channels.append(channel)
        return channel


def fake_connection(transport: FakeTransport | None = None) -> Connection:
    """A Connection around a fake transport."""
    check = HostKeyCheck("gpudesk-fake", PresentedKey("ssh-ed25519", "AAAA"), newly_pinned=False)
    return Connection(transport or FakeTransport(), TARGET, check)  # type: ignore[arg-type]


class ScriptedConnect:
    """A connect callable that raises the scripted errors, then returns fake connections."""

    def __init__(self, *errors: GpuDeskError, then: Callable[[], Connection] | None = None) -> None:
        self.errors = list(errors)
        self.calls = 0
        self.transports: list[FakeTransport] = []
        self._then = then
        self._lock = threading.Lock()

    def __call__(self) -> Connection:
        with self._lock:
            self.calls += 1
            if self.errors:
                raise self.errors.pop(0)
        if self._then is not None:
            return self._then()
        transport = FakeTransport()
        self.transports.append(transport)
        return fake_connection(transport)
