"""SocketFeed: a channel buffer that writes straight to the local socket, with real sockets.

The "local client" is one end of a real socket pair; the feed writes to the other end, as the
transport thread does for a tunnel. The channel side is paramiko's own ``BufferedPipe`` (the
buffer the feed replaces); the SSH side is tested against the real sshd in
``tests/integration/test_socket_feed.py``.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import paramiko
import pytest
from paramiko.buffered_pipe import BufferedPipe

from gpudesk.core.tunnels.socketfeed import SocketFeed, install_socket_feed

pytestmark = pytest.mark.skipif(
    not hasattr(socket, "MSG_DONTWAIT"), reason="direct delivery needs MSG_DONTWAIT"
)


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    """(the feed's side, the local client's side), with small buffers so they fill up."""
    ours, client = socket.socketpair()
    ours.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    yield ours, client
    ours.close()
    client.close()


def read_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    sock.settimeout(5)
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        assert chunk, "closed early"
        data += chunk
    return data


def fill(sock: socket.socket) -> int:
    """Write to ``sock`` until it would block; return how much went in."""
    total = 0
    while True:
        try:
            total += sock.send(b"\0" * 65536, socket.MSG_DONTWAIT)
        except BlockingIOError:
            return total


def test_data_goes_straight_to_the_socket_when_nothing_is_queued(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, client = pair
    activity: list[int] = []
    feed = SocketFeed(BufferedPipe(), ours, 1000, lambda: activity.append(1))
    feed.feed(b"hello")
    assert read_exactly(client, 5) == b"hello"
    assert (feed.direct_bytes, feed.queued_bytes) == (5, 0)
    assert activity == [1]


def test_what_the_socket_cannot_take_is_queued_and_order_is_kept(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, client = pair
    feed = SocketFeed(BufferedPipe(), ours, 10**9, lambda: None)
    filler = fill(ours)
    feed.feed(b"first ")  # the socket is full: queued
    read_exactly(client, filler)  # the socket drains...
    feed.feed(b"second")  # ...but "first " still waits: this must queue behind it
    assert feed.direct_bytes == 0
    data, delivered = feed.take(1024)
    assert (data, delivered) == (b"first second", 0)
    ours.sendall(data)
    assert read_exactly(client, 12) == b"first second"


def test_nothing_goes_direct_while_the_pump_writes_what_it_took(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, client = pair
    feed = SocketFeed(BufferedPipe(), ours, 10**9, lambda: None)
    filler = fill(ours)
    feed.feed(b"queued ")
    read_exactly(client, filler)
    data, _ = feed.take(1024)  # the pump thread now writes "queued "...
    feed.feed(b"later")  # ...so this may not overtake it
    ours.sendall(data)
    assert feed.take(1024) == (b"later", 0)


def test_a_partial_send_queues_the_rest(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, client = pair
    feed = SocketFeed(BufferedPipe(), ours, 10**9, lambda: None)
    payload = bytes(range(256)) * 1024  # far more than the small socket buffer holds
    feed.feed(payload)
    assert 0 < feed.direct_bytes < len(payload)
    assert feed.direct_bytes + feed.queued_bytes == len(payload)
    received = bytearray()
    reader = threading.Thread(target=lambda: received.extend(read_exactly(client, len(payload))))
    reader.start()
    data, delivered = feed.take(len(payload))
    assert delivered == feed.direct_bytes
    ours.sendall(data)
    reader.join(10)
    assert bytes(received) == payload


def test_the_pump_is_woken_to_grant_window_once_the_threshold_is_passed(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, client = pair
    feed = SocketFeed(BufferedPipe(), ours, 100, lambda: None)
    result: list[tuple[bytes, int]] = []
    pump = threading.Thread(target=lambda: result.append(feed.take(1024)))
    pump.start()
    feed.feed(b"x" * 60)
    pump.join(0.3)
    assert pump.is_alive(), "woken before the threshold"
    feed.feed(b"y" * 60)
    pump.join(5)
    assert result == [(b"", 120)]
    read_exactly(client, 120)


def test_close_ends_the_pump_after_what_is_queued(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, _ = pair
    feed = SocketFeed(BufferedPipe(), ours, 10**9, lambda: None)
    fill(ours)
    feed.feed(b"tail")
    feed.close()
    assert feed.take(1024) == (b"tail", 0)
    assert feed.take(1024) == (b"", 0)


def test_after_stop_direct_everything_is_queued(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, _ = pair
    feed = SocketFeed(BufferedPipe(), ours, 10**9, lambda: None)
    feed.stop_direct()
    feed.feed(b"abc")
    assert (feed.direct_bytes, feed.queued_bytes) == (0, 3)


def test_a_broken_socket_leaves_the_data_to_the_pump(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, client = pair
    client.close()
    ours.shutdown(socket.SHUT_WR)
    feed = SocketFeed(BufferedPipe(), ours, 10**9, lambda: None)
    feed.feed(b"abc")  # EPIPE: not raised on the transport thread
    assert feed.take(10) == (b"abc", 0)  # the pump's own sendall will meet the error


def test_a_late_feed_on_the_replaced_buffer_lands_in_the_same_queue(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, _ = pair
    channel = paramiko.Channel(7)
    old = channel.in_buffer
    old.feed(b"before ")  # arrived before the feed was installed
    feed = install_socket_feed(channel, ours, lambda: None)
    assert feed is not None and channel.in_buffer is feed
    old.feed(b"late ")  # the transport thread still held the old buffer
    channel.in_buffer.feed(b"new")  # queued behind: the buffer is not empty
    assert feed.take(1024) == (b"before late new", 0)


def test_install_declines_what_it_cannot_handle(
    pair: tuple[socket.socket, socket.socket], monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, _ = pair
    assert install_socket_feed(object(), ours, lambda: None) is None  # not paramiko's
    monkeypatch.delattr(socket, "MSG_DONTWAIT")  # as on Windows
    channel = paramiko.Channel(7)
    assert install_socket_feed(channel, ours, lambda: None) is None
    assert type(channel.in_buffer) is BufferedPipe
