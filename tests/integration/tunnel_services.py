"""Real services and process probes for the tunnel integration tests.

The "remote" services run in the test process on a real TCP port; the test sshd reaches them
through ``direct-tcpip`` exactly as a rented GPU reaches its Jupyter: an HTTP server, an echo
server that hashes what it gets, and helpers that count this process's threads, file
descriptors and listening sockets.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import os
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.ssh.remote import Connection
from gpudesk.core.store.instances import Instance
from gpudesk.core.store.secrets import MemorySecretStore, secret_name
from gpudesk.core.tunnels import instance_connector
from tests.testbed.sshd import SshdServer

HTTP_BODY = b"hello from the instance\n"


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(HTTP_BODY)))
        self.end_headers()
        self.wfile.write(HTTP_BODY)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@contextlib.contextmanager
def http_service(host: str = "127.0.0.1") -> Iterator[int]:
    """A real HTTP server (threaded) on ``host``; yields its port."""
    server = http.server.ThreadingHTTPServer((host, 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class LoopbackService:
    """A TCP service on 127.0.0.1 (the instance's side); each connection gets a thread.

    Subclasses set their own attributes first, then call ``super().__init__()``, and
    implement :meth:`handle`.
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.listener = socket.create_server((host, 0))
        self.port = int(self.listener.getsockname()[1])
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._serve, daemon=True)
        self._accept.start()

    def handle(self, conn: socket.socket) -> None:
        """Serve one connection (on its own thread)."""
        raise NotImplementedError

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            thread = threading.Thread(target=self.handle, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self._accept.join(5)
        for thread in self._threads:
            thread.join(5)


class EchoService(LoopbackService):
    """Echo every byte back; remember the sha256 of what each connection received."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.digests: list[str] = []
        super().__init__(host)

    def handle(self, conn: socket.socket) -> None:
        digest = hashlib.sha256()
        with conn:
            try:
                while data := conn.recv(256 * 1024):
                    digest.update(data)
                    conn.sendall(data)
                conn.shutdown(socket.SHUT_WR)
            except OSError:
                return
        self.digests.append(digest.hexdigest())


def http_get(port: int, timeout: float = 10.0) -> bytes:
    """GET / on 127.0.0.1:port with a raw socket; return the body."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as client:
        client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        response = b""
        while chunk := client.recv(65536):
            response += chunk
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head
    return body


def echo_roundtrip(port: int, payload: bytes, timeout: float = 10.0) -> bytes:
    """Send ``payload``, half-close, and return everything echoed back."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as client:
        client.sendall(payload)
        client.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := client.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


class CountingConnect:
    """Wrap a connect callable and count the logins it was asked for."""

    def __init__(self, connect: Callable[[], Connection]) -> None:
        self._connect = connect
        self.calls = 0

    def __call__(self) -> Connection:
        self.calls += 1
        return self._connect()


def instance_for(server: SshdServer, alias: str = "gpu") -> tuple[Instance, CountingConnect]:
    """A saved-instance record for ``server``: host key pinned, password in a secret store."""
    instance = Instance(
        alias=alias,
        target=SshTarget(server.user.name, server.host, server.port),
        platform_id=None,
        host_key_alias=f"gpudesk-{alias}-{server.port}",
    )
    key_type, key_base64 = server.host_key_line().split()
    HostKeyStore().pin(instance.host_key_alias, PresentedKey(key_type, key_base64))
    secrets = MemorySecretStore()
    secrets.set(secret_name("password", instance.instance_id), server.user.password)
    return instance, CountingConnect(instance_connector(instance, secrets=secrets))


def fd_count() -> int:
    """Open file descriptors of this process."""
    return len(os.listdir("/proc/self/fd"))


def listening_ports() -> set[int]:
    """TCP ports this process listens on (IPv4 and IPv6)."""
    inodes = set()
    for name in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            target = os.readlink(f"/proc/self/fd/{name}")
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A = LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def listen_address(port: int) -> set[str]:
    """The local addresses of LISTEN sockets on ``port`` (IPv4, dotted)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        address, port_hex = fields[1].split(":")
        if fields[3] == "0A" and int(port_hex, 16) == port:
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found
