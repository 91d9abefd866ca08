"""Deliver a channel's incoming data to the local socket on paramiko's own reader thread.

Without this, paramiko's transport thread appends every DATA message to the channel's buffer
and a pump thread wakes up to write it to the local socket: one more thread hand-off per
message, which was most of what gpudesk added to a tunnel's round trip (``bench/tunnel.py``).
A :class:`SocketFeed` takes the place of the channel's buffer (``channel.in_buffer``, the
object the transport thread calls ``feed`` on) and, while nothing is queued, writes the data
to the local socket at once with a non-blocking send (``MSG_DONTWAIT``). Whatever the socket
does not take at once (a slow local reader) is queued and the pump thread writes it, blocking
only itself: the transport thread, shared by every tunnel of the connection, never waits for
a local client.

Flow control: bytes delivered directly were never read through ``Channel.recv``, which is
where paramiko grants window back to the server. So they are counted, and the pump thread is
woken to grant them (``WINDOW_ADJUST``) once they pass the channel's own threshold (a tenth of
the window, as paramiko does for what it reads).

Installing it: the transport thread may already hold the old buffer when the new one goes in,
so the new one adopts the old one's lock, condition and byte array: a late ``feed`` on the old
object lands in the same queue, in order, and nothing is lost.

Where ``MSG_DONTWAIT`` does not exist (Windows) or the channel is not paramiko's,
:func:`install_socket_feed` returns None and the pump reads the channel as usual.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from typing import Any

import paramiko
from paramiko.buffered_pipe import BufferedPipe
from paramiko.common import cMSG_CHANNEL_WINDOW_ADJUST

#: The ``BufferedPipe`` internals a feed adopts (present since paramiko 1.x).
_ADOPTED = ("_lock", "_cv", "_buffer", "_event", "_closed")
#: The ``Channel`` internals used to grant window (as ``Channel.recv`` does).
_WINDOW_PARTS = ("_check_add_window", "remote_chanid", "transport", "in_window_threshold")


class SocketFeed(BufferedPipe):  # type: ignore[misc]  # paramiko has no type hints
    """A channel buffer that hands incoming data straight to a local socket when it can.

    Only the transport thread calls :meth:`feed`; only the pump thread calls :meth:`take`.
    """

    def __init__(
        self,
        previous: BufferedPipe,
        sock: socket.socket,
        grant_threshold: int,
        on_delivered: Callable[[], None],
    ) -> None:
        # No BufferedPipe.__init__: the state below is the previous buffer's own.
        self._lock: threading.Lock = previous._lock
        self._cv: threading.Condition = previous._cv
        self._buffer: Any = previous._buffer
        self._event: threading.Event | None = previous._event
        self._closed: bool = previous._closed
        self._sock = sock
        self._grant_threshold = max(grant_threshold, 1)
        self._on_delivered = on_delivered
        self._delivered = 0  # bytes sent straight to the socket, window not yet granted
        self._writing = False  # the pump thread is writing queued data: keep the order
        self._direct = True  # False once the socket failed: the pump thread meets the error
        self.direct_bytes = 0  # totals, for tests and diagnostics
        self.queued_bytes = 0

    def feed(self, data: bytes) -> None:
        """Called by the transport thread with each DATA message's bytes."""
        with self._lock:
            if self._direct and not self._writing and not self._closed and not self._buffer:
                try:
                    sent = self._sock.send(data, socket.MSG_DONTWAIT)
                except (BlockingIOError, InterruptedError):
                    sent = 0
                except OSError:
                    sent, self._direct = 0, False
                if sent:
                    self._delivered += sent
                    self.direct_bytes += sent
                    self._on_delivered()
                    if sent == len(data):
                        if self._delivered >= self._grant_threshold:
                            self._cv.notify_all()
                        return
                    data = data[sent:]
            if self._event is not None:
                self._event.set()
            self.queued_bytes += len(data)
            self._buffer.frombytes(data)
            self._cv.notify_all()

    def take(self, nbytes: int) -> tuple[bytes, int]:
        """Wait for queued data, window to grant, or the end; called by the pump thread.

        Returns ``(data, delivered)``: up to ``nbytes`` queued bytes, which the caller writes
        to the socket, and the count of bytes delivered directly since the last call. Both
        are empty only at EOF or close. Until the next call, :meth:`feed` queues everything
        behind ``data``, so the bytes reach the socket in order.
        """
        with self._lock:
            self._writing = False
            while not self._buffer and not self._closed:
                if self._delivered >= self._grant_threshold:
                    break
                self._cv.wait()
            data: bytes = self._buffer[:nbytes].tobytes()
            del self._buffer[:nbytes]
            if not self._buffer and self._event is not None and not self._closed:
                self._event.clear()
            delivered, self._delivered = self._delivered, 0
            self._writing = bool(data)
            return data, delivered

    def stop_direct(self) -> None:
        """No more direct sends (the socket is about to be closed)."""
        with self._lock:
            self._direct = False


def install_socket_feed(
    channel: Any, sock: socket.socket, on_delivered: Callable[[], None]
) -> SocketFeed | None:
    """Put a :class:`SocketFeed` in ``channel``'s place for incoming data, if possible."""
    if not hasattr(socket, "MSG_DONTWAIT") or not isinstance(channel, paramiko.Channel):
        return None
    previous = channel.in_buffer
    if type(previous) is not BufferedPipe or not all(hasattr(previous, a) for a in _ADOPTED):
        return None
    if not all(hasattr(channel, name) for name in _WINDOW_PARTS):
        return None
    feed = SocketFeed(previous, sock, int(channel.in_window_threshold) + 1, on_delivered)
    channel.in_buffer = feed
    return feed


def grant_window(channel: Any, nbytes: int) -> None:
    """Tell the server ``nbytes`` more may be sent, once paramiko's threshold is passed.

    The same as ``Channel.recv`` does after reading (never called on the transport thread: a
    message sent during a key exchange waits for the exchange to finish).
    """
    if nbytes <= 0:
        return
    ack = int(channel._check_add_window(nbytes))
    if ack > 0:
        message = paramiko.Message()
        message.add_byte(cMSG_CHANNEL_WINDOW_ADJUST)
        message.add_int(channel.remote_chanid)
        message.add_int(ack)
        channel.transport._send_user_message(message)
