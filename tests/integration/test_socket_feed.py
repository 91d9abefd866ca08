"""Direct delivery (``socketfeed``) through a REAL sshd: every byte, in order, window granted.

The tunnel's transport thread writes what the instance sends straight to the local socket
while it can, and queues the rest for the pump thread. These tests make both happen against
the real OpenSSH server: a fast reader (almost everything direct, more than the whole 16 MiB
window, which only works if the direct bytes are granted back), a slow reader with a small
socket buffer (direct and queued bytes interleaved), a service that speaks first (data that
arrives before the feed is installed), and a platform without ``MSG_DONTWAIT``.
"""

from __future__ import annotations

import contextlib
import hashlib
import random
import socket
import time
from collections.abc import Callable, Iterator

import pytest

from gpudesk.core.tunnels import BackoffPolicy, TunnelSpec, TunnelState, TunnelSupervisor
from gpudesk.core.tunnels import forward as forward_module
from gpudesk.core.tunnels.socketfeed import SocketFeed
from tests.integration.tunnel_services import LoopbackService, instance_for
from tests.testbed.sshd import SshdServer

pytestmark = [
    pytest.mark.sshd,
    pytest.mark.skipif(not hasattr(socket, "MSG_DONTWAIT"), reason="needs MSG_DONTWAIT"),
]
MIB = 1024 * 1024
GREETING = b"220 ready, speak now\r\n"
TAIL = random.Random(1).randbytes(MIB)


class Source(LoopbackService):
    """A service on 127.0.0.1: on connect, greet, then send ``size`` seeded random bytes.

    ``staged``: after the greeting, wait for a byte from the client before the payload, and
    for another before a last :data:`TAIL`, so the client decides when each part comes.
    """

    def __init__(self, size: int, *, staged: bool = False) -> None:
        self.payload = random.Random(size).randbytes(size)
        self.staged = staged
        super().__init__()

    def handle(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            if not self.staged:
                conn.sendall(GREETING + self.payload)
                return
            conn.sendall(GREETING)
            conn.recv(1)
            conn.sendall(self.payload)
            conn.recv(1)
            conn.sendall(TAIL)


@pytest.fixture
def feeds(monkeypatch: pytest.MonkeyPatch) -> list[SocketFeed | None]:
    """Every feed the tunnel installs (None where it declined)."""
    made: list[SocketFeed | None] = []
    real = forward_module.install_socket_feed

    def recording(*args: object) -> SocketFeed | None:
        feed = real(*args)  # type: ignore[arg-type]
        made.append(feed)
        return feed

    monkeypatch.setattr(forward_module, "install_socket_feed", recording)
    return made


@pytest.fixture
def tunnel_to(sshd: SshdServer) -> Iterator[Callable[[int], int]]:
    """Open a tunnel to a port on the instance; return the local port."""
    supervisor = TunnelSupervisor(backoff=BackoffPolicy(first_delays_s=(0.0,)))
    _, connect = instance_for(sshd)

    def open_tunnel(remote_port: int) -> int:
        tunnel = supervisor.add("gpu", connect, TunnelSpec(0, remote_port))
        return supervisor.wait_for(tunnel, TunnelState.UP, timeout=15).spec.local_port

    yield open_tunnel
    supervisor.close()


def receive_all(port: int) -> bytes:
    """Read until EOF."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as client:
        chunks = []
        while chunk := client.recv(MIB):
            chunks.append(chunk)
    return b"".join(chunks)


def receive_exactly(client: socket.socket, size: int) -> bytes:
    chunks, missing = [], size
    while missing:
        chunk = client.recv(min(missing, MIB))
        assert chunk, "closed early"
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def test_a_fast_reader_gets_more_than_the_window_directly_and_intact(
    tunnel_to: Callable[[int], int], feeds: list[SocketFeed | None]
) -> None:
    """More than the 16 MiB window goes direct, which only works if direct bytes are granted.

    How much goes direct depends on the reader keeping up: on a loaded machine it may fall
    behind and most bytes then take the queue, which proves nothing about the grant. So the
    transfer is repeated (a fresh tunnel each time, at most 4) until one attempt delivers
    more than the window directly; a feed that did not grant its bytes back would stall
    that attempt at 16 MiB and fail it (short data or the reader's timeout).
    """
    direct_counts = []
    for _attempt in range(4):
        source = Source(48 * MIB)
        try:
            received = receive_all(tunnel_to(source.port))
        finally:
            source.close()
        expected = hashlib.sha256(GREETING + source.payload).digest()
        assert hashlib.sha256(received).digest() == expected
        feed = feeds[-1]
        assert feed is not None
        # The rest arrived before the feed was installed, into the buffer it adopted.
        assert feed.direct_bytes + feed.queued_bytes <= len(received)
        direct_counts.append(feed.direct_bytes)
        if feed.direct_bytes > 16 * MIB:
            break
    # Past the 16 MiB window only if the directly delivered bytes were granted back.
    assert direct_counts[-1] > 16 * MIB, f"direct bytes per attempt: {direct_counts}"


def test_a_stalled_reader_gets_queued_then_direct_bytes_in_order(
    tunnel_to: Callable[[int], int], feeds: list[SocketFeed | None]
) -> None:
    source = Source(16 * MIB, staged=True)  # more than the local socket buffers can hold
    try:
        with socket.socket() as client:
            client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
            client.settimeout(60)
            client.connect(("127.0.0.1", tunnel_to(source.port)))
            assert receive_exactly(client, len(GREETING)) == GREETING
            client.sendall(b"1")
            time.sleep(0.5)  # not reading: the socket fills up, the rest is queued
            assert receive_exactly(client, len(source.payload)) == source.payload
            time.sleep(0.2)  # the pump thread is back waiting: the queue is empty...
            client.sendall(b"2")  # ...so the tail goes (at least partly) direct
            assert receive_exactly(client, len(TAIL)) == TAIL
    finally:
        source.close()
    (feed,) = feeds
    assert feed is not None
    assert feed.queued_bytes > 0 and feed.direct_bytes > 0


def test_what_the_service_says_first_is_never_lost(
    tunnel_to: Callable[[int], int], feeds: list[SocketFeed | None]
) -> None:
    source = Source(1024)
    try:
        port = tunnel_to(source.port)
        for _ in range(30):  # the greeting races the installation of the feed each time
            assert receive_all(port) == GREETING + source.payload
    finally:
        source.close()
    assert len(feeds) == 30 and None not in feeds


def test_without_msg_dontwait_the_pump_reads_the_channel(
    tunnel_to: Callable[[int], int],
    feeds: list[SocketFeed | None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(socket, "MSG_DONTWAIT")  # as on Windows
    source = Source(24 * MIB)
    try:
        received = receive_all(tunnel_to(source.port))
    finally:
        source.close()
    assert received == GREETING + source.payload
    assert feeds == [None]
