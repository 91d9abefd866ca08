"""The local listener and pumps: 127.0.0.1 only, half-close, busy ports, nothing left behind."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from gpudesk.core.errors import InputError
from gpudesk.core.tunnels.forward import (
    LocalForward,
    RemoteRefusedError,
    bind_listener,
    next_free_port,
)
from gpudesk.core.tunnels.model import LocalPortBusyError, TunnelSpec
from tests.core.tunnel_fakes import SocketChannel, serve_echo_until_eof
from tests.waiting import eventually


def fd_count() -> int:
    return len(os.listdir("/proc/self/fd")) if Path("/proc/self/fd").is_dir() else 0


class EchoOpener:
    """Opens "channels" to an in-process echo service (or refuses them)."""

    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.threads: list[threading.Thread] = []
        self.channels: list[SocketChannel] = []

    def __call__(self, peer: tuple[str, int], cancelled: Callable[[], bool]) -> SocketChannel:
        if self.refuse:
            raise RemoteRefusedError("Connect failed (SSH reason code 2)")
        near, far = socket.socketpair()
        thread = threading.Thread(target=serve_echo_until_eof, args=(far,), daemon=True)
        thread.start()
        self.threads.append(thread)
        channel = SocketChannel(near)
        self.channels.append(channel)
        return channel


def start_forward(opener: EchoOpener, **kwargs: object) -> LocalForward:
    forward = LocalForward(TunnelSpec(0, 8888), opener, **kwargs)  # type: ignore[arg-type]
    forward.start()
    return forward


def recv_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_listens_on_loopback_only() -> None:
    forward = start_forward(EchoOpener())
    try:
        assert forward._listener is not None
        assert forward._listener.getsockname() == ("127.0.0.1", forward.port)
    finally:
        forward.close()


def test_half_close_delivers_the_answer_after_the_clients_eof() -> None:
    forward = start_forward(EchoOpener())
    try:
        with socket.create_connection(("127.0.0.1", forward.port)) as client:
            client.sendall(b"request")
            client.shutdown(socket.SHUT_WR)  # like `nc -N`: done sending, still reading
            assert recv_all(client) == b"request<eof>"
    finally:
        forward.close()


def test_a_large_transfer_arrives_complete() -> None:
    forward = start_forward(EchoOpener())  # 256 KiB reads, sent in 32 KiB packets
    payload = os.urandom(3 * 1024 * 1024)
    try:
        with socket.create_connection(("127.0.0.1", forward.port)) as client:
            received: list[bytes] = []
            reader = threading.Thread(target=lambda: received.append(recv_all(client)))
            reader.start()
            client.sendall(payload)
            client.shutdown(socket.SHUT_WR)
            reader.join(30)
        assert received == [payload + b"<eof>"]
    finally:
        forward.close()


def test_a_refused_channel_closes_the_client_and_is_reported() -> None:
    results: list[tuple[bool, str]] = []
    forward = start_forward(EchoOpener(refuse=True), on_remote_result=lambda *r: results.append(r))
    try:
        with socket.create_connection(("127.0.0.1", forward.port)) as client:
            assert recv_all(client) == b""
        eventually(lambda: bool(results))
        assert results[0][0] is True and "Connect failed" in results[0][1]
    finally:
        forward.close()


def test_closing_the_channel_closes_the_local_socket() -> None:
    opener = EchoOpener()
    forward = start_forward(opener)
    try:
        with socket.create_connection(("127.0.0.1", forward.port)) as client:
            client.sendall(b"x")
            assert client.recv(1) == b"x"
            opener.channels[0].close()  # the connection to the instance went away
            assert recv_all(client) == b""
        eventually(lambda: forward.connection_count == 0)
    finally:
        forward.close()


def test_busy_port_is_reported_at_once_with_a_free_one() -> None:
    holder = bind_listener(0)
    port = holder.getsockname()[1]
    try:
        with pytest.raises(LocalPortBusyError) as caught:
            bind_listener(port)
        error = caught.value
        assert error.exit_code == 2
        assert error.port == port
        assert error.suggested_port is not None and error.suggested_port != port
        assert str(error.suggested_port) in error.hint
        bind_listener(error.suggested_port).close()  # it really was free
    finally:
        holder.close()


_DENIED_PORT_CHECK = """
from gpudesk.core.errors import InputError
from gpudesk.core.tunnels.forward import bind_listener
try:
    bind_listener(80)
except InputError as error:
    print(error.code)
"""


def test_a_privileged_port_is_not_called_busy() -> None:
    if os.geteuid() != 0:
        with pytest.raises(InputError) as caught:
            bind_listener(80)
        assert caught.value.code == "tunnel.local_port_denied"
        return
    # Root may bind ports below 1024: run the same call in a child without that capability
    # (util-linux's setpriv drops it from the inheritable and bounding sets).
    setpriv = shutil.which("setpriv")
    assert setpriv, "util-linux's setpriv is part of every Debian system"
    result = subprocess.run(
        [
            setpriv,
            "--inh-caps=-net_bind_service",
            "--bounding-set=-net_bind_service",
            sys.executable,
            "-c",
            _DENIED_PORT_CHECK,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout.strip() == "tunnel.local_port_denied", result.stderr


def test_next_free_port_skips_taken_ports() -> None:
    holder = bind_listener(0)
    port = holder.getsockname()[1]
    try:
        free = next_free_port(port - 1)
        assert free is not None and free != port
    finally:
        holder.close()


def test_close_leaves_no_thread_socket_or_fd_behind() -> None:
    threads_before = set(threading.enumerate())
    fds_before = fd_count()
    opener = EchoOpener()
    forward = start_forward(opener)
    clients = [socket.create_connection(("127.0.0.1", forward.port)) for _ in range(5)]
    for client in clients:
        client.sendall(b"ping")
        assert client.recv(4) == b"ping"
    forward.close()  # connections still open on the client side: they are cut
    for client in clients:
        assert recv_all(client) == b""
        client.close()
    for thread in opener.threads:
        thread.join(5)
    eventually(lambda: set(threading.enumerate()) <= threads_before)
    assert fd_count() == fds_before
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", forward.port), timeout=1).close()


def test_data_moving_either_way_is_reported_as_activity() -> None:
    seen: list[int] = []
    forward = start_forward(EchoOpener(), on_activity=lambda: seen.append(1))
    try:
        assert echo_through_forward(forward.port, b"ping") == b"ping<eof>"
        assert len(seen) >= 2  # sent, then received
    finally:
        forward.close()


def echo_through_forward(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port)) as client:
        client.sendall(payload)
        client.shutdown(socket.SHUT_WR)
        return recv_all(client)
