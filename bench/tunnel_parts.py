"""The processes and clients of ``bench/tunnel.py``: the "instance" service and gpudesk's tunnel.

``python bench/tunnel_parts.py --serve`` serves D(ownload N bytes), U(pload, reply the count)
and E(cho) on 127.0.0.1 and prints its port. ``--tunnel-child CONFIG`` runs one gpudesk
tunnel (a TunnelSupervisor, as the app does) in its own process, like ``ssh -N -L`` is its own
process, and prints JSON lines: the negotiated cipher, the local port, every state change.
"""

from __future__ import annotations

import json
import os
import queue
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CHUNK = 1024 * 1024
MIB = 1024 * 1024
PARTS = __file__
#: The bench waits this long before each fault, so each one meets a stable link (quick retry).
STABLE_S = 1.0


# --- the "instance" side: one process serving D(ownload), U(pload) and E(cho) ---------------


def serve() -> None:
    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    print(listener.getsockname()[1], flush=True)
    block = os.urandom(CHUNK)

    def handle(conn: socket.socket) -> None:
        with conn:
            mode = conn.recv(1)
            if mode == b"D":
                remaining = int.from_bytes(_recv_exact(conn, 8), "big")
                while remaining > 0:
                    conn.sendall(block[: min(CHUNK, remaining)])
                    remaining -= CHUNK
            elif mode == b"U":
                buffer, total = bytearray(CHUNK), 0
                while count := conn.recv_into(buffer):
                    total += count
                conn.sendall(total.to_bytes(8, "big"))
            elif mode == b"E":
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                while data := conn.recv(65536):
                    conn.sendall(data)

    while True:
        conn, _ = listener.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


def _recv_exact(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed early")
        data += chunk
    return data


# --- the gpudesk tunnel, in its own process ---------------------------------------------------


def tunnel_child(config: dict[str, Any]) -> None:
    from gpudesk.core.models import SshTarget
    from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
    from gpudesk.core.store.instances import Instance
    from gpudesk.core.store.secrets import MemorySecretStore
    from gpudesk.core.tunnels import (
        BackoffPolicy,
        TransportTuning,
        TunnelSpec,
        TunnelState,
        TunnelSupervisor,
        instance_connector,
    )

    if config.get("cipher"):  # bench-only what-if: offer this cipher first
        from gpudesk.core.tunnels import connector

        connector.FAST_CIPHERS = (config["cipher"],)
    instance = Instance(
        alias="bench",
        target=SshTarget(config["user"], "127.0.0.1", config["ssh_port"]),
        platform_id=None,
        host_key_alias="gpudesk-bench",
        key_path=config["key"],
    )
    key_type, key_base64 = config["host_key"].split()
    HostKeyStore().pin(instance.host_key_alias, PresentedKey(key_type, key_base64))
    connect = instance_connector(instance, secrets=MemorySecretStore())

    printing = threading.Lock()

    def say(**data: Any) -> None:
        with printing:  # the dispatcher thread and this one both print
            print(json.dumps(data), flush=True)

    def logged_connect() -> Any:
        connection = connect()
        say(cipher=connection.transport.remote_cipher, mac=connection.transport.remote_mac)
        return connection

    shipped = TransportTuning()  # what gpudesk uses, unless the matrix tries another
    tuning = TransportTuning(
        config.get("window") or shipped.window_size,
        config.get("packet") or shipped.max_packet_size,
        config.get("buffer") or shipped.buffer_size,
    )
    supervisor = TunnelSupervisor(
        probe_interval_s=config["interval"],
        probe_misses=config["misses"],
        backoff=BackoffPolicy(first_delays_s=(0.0, 0.25, 0.5), stable_after_s=STABLE_S),
        tuning=tuning,
    )
    supervisor.subscribe(lambda e: say(state=e.state.value, time=e.time, reason=e.reason))
    tunnel = supervisor.add("bench", logged_connect, TunnelSpec(0, config["service_port"]))
    say(port=supervisor.wait_for(tunnel, TunnelState.UP, timeout=30).spec.local_port)
    sys.stdin.read()  # until the parent closes our stdin
    supervisor.close()


class Child:
    """A running gpudesk tunnel process and the JSON lines it prints."""

    def __init__(self, config: dict[str, Any], home: str) -> None:
        env = dict(os.environ, GPUDESK_HOME=home, PYTHONPATH=str(REPO))
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--tunnel-child", json.dumps(config)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.unexpected: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.cipher = self.wait(lambda m: "cipher" in m)["cipher"]
        self.port = int(self.wait(lambda m: "port" in m)["port"])
        self.drain()

    def drain(self) -> list[dict[str, Any]]:
        """The state changes printed since the last call that no fault of ours explains."""
        unexpected = []
        while True:
            try:
                message = self.lines.get_nowait()
            except queue.Empty:
                return unexpected
            if message.get("state") not in (None, "UP", "CONNECTING"):
                unexpected.append(message)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(json.loads(line))

    def wait(self, match: Any, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            message = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            if match(message):
                return message

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(30)


# --- clients ----------------------------------------------------------------------------------


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")


def download(port: int, size: int) -> float:
    with socket.create_connection(("127.0.0.1", port)) as conn:
        buffer, total = bytearray(CHUNK), 0
        start = time.perf_counter()
        conn.sendall(b"D" + size.to_bytes(8, "big"))
        while count := conn.recv_into(buffer):
            total += count
        elapsed = time.perf_counter() - start
    assert total == size, (total, size)
    return size / MIB / elapsed


def upload(port: int, size: int) -> float:
    block = memoryview(os.urandom(CHUNK))
    with socket.create_connection(("127.0.0.1", port)) as conn:
        start = time.perf_counter()
        conn.sendall(b"U")
        for _ in range(size // CHUNK):
            conn.sendall(block)
        conn.shutdown(socket.SHUT_WR)
        received = int.from_bytes(_recv_exact(conn, 8), "big")
        elapsed = time.perf_counter() - start
    assert received == size, (received, size)
    return size / MIB / elapsed


def round_trip_ms(port: int, count: int) -> float:
    """The median round trip, in ms, of ``count`` 64-byte messages on one connection."""
    message = b"x" * 64
    times = []
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.sendall(b"E")
        for n in range(count + 50):
            start = time.perf_counter()
            conn.sendall(message)
            _recv_exact(conn, len(message))
            if n >= 50:  # warm-up
                times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve()
    elif sys.argv[1:2] == ["--tunnel-child"]:
        tunnel_child(json.loads(sys.argv[2]))
    else:
        sys.exit("run bench/tunnel.py; this module holds its parts")
