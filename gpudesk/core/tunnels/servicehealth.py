"""Is the service behind a tunnel alive? A tunnel can be up while nothing answers on the instance.

The local end of a tunnel always accepts a connection (gpudesk listens on it); only what
comes back tells whether the service on the instance is there:

* Jupyter and TensorBoard speak HTTP: a request must get a status line back (any status,
  403 included: Jupyter refuses requests without its token, and that still proves it runs);
* any other port: the instance refusing the forwarded connection makes the tunnel close the
  local socket at once; a service that is there keeps it open (or talks).

Every probe is bounded in time and in the bytes it reads (what the instance sends is input).
Call :func:`probe_statuses` off the GUI thread. :func:`distinct_services` keeps one tunnel
per service on the instance, so a service is never listed twice.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Mapping
from enum import Enum

from gpudesk.core.tunnels.model import LOOPBACK, TunnelState, TunnelStatus

#: Longest wait of one probe (seconds).
PROBE_TIMEOUT_S = 2.0
#: A plain TCP service is taken as alive when the tunnel keeps the socket open this long.
QUIET_ALIVE_S = 0.6
#: The most bytes a probe reads.
MAX_REPLY_BYTES = 64
#: The kinds of saved tunnel that speak HTTP, and the path each probe asks for.
HTTP_PATHS: Mapping[str, str] = {"jupyter": "/api/status", "tensorboard": "/"}


class ServiceHealth(str, Enum):
    """What a probe found behind an UP tunnel."""

    UP = "up"
    DOWN = "down"
    UNKNOWN = "unknown"  # the tunnel is not up: nothing to probe


def probe_http(port: int, path: str = "/", timeout: float = PROBE_TIMEOUT_S) -> ServiceHealth:
    """UP when ``GET path`` on ``127.0.0.1:port`` gets an HTTP status line back."""
    request = f"GET {path} HTTP/1.0\r\nHost: {LOOPBACK}:{port}\r\nConnection: close\r\n\r\n"
    try:
        with socket.create_connection((LOOPBACK, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            sock.sendall(request.encode("ascii"))
            reply = _read_some(sock, len(b"HTTP/1.1 200"))
    except OSError:
        return ServiceHealth.DOWN
    return ServiceHealth.UP if reply.startswith(b"HTTP/") else ServiceHealth.DOWN


def probe_tcp(port: int, quiet_s: float = QUIET_ALIVE_S) -> ServiceHealth:
    """UP when a connection to ``127.0.0.1:port`` stays open ``quiet_s`` or brings data."""
    try:
        with socket.create_connection((LOOPBACK, port), timeout=PROBE_TIMEOUT_S) as sock:
            sock.settimeout(quiet_s)
            try:
                data = sock.recv(MAX_REPLY_BYTES)
            except TimeoutError:
                return ServiceHealth.UP  # still open, quiet: a service waiting for us
    except OSError:
        return ServiceHealth.DOWN
    return ServiceHealth.UP if data else ServiceHealth.DOWN


def probe_tunnel(status: TunnelStatus, kind: str = "custom") -> ServiceHealth:
    """The health of the service behind ``status`` (UNKNOWN unless the tunnel is UP)."""
    if status.state is not TunnelState.UP or not status.spec.local_port:
        return ServiceHealth.UNKNOWN
    path = HTTP_PATHS.get(kind)
    if path is not None:
        return probe_http(status.spec.local_port, path)
    return probe_tcp(status.spec.local_port)


def probe_statuses(
    statuses: Iterable[TunnelStatus], kinds: Mapping[str, str]
) -> dict[str, ServiceHealth]:
    """Probe every tunnel; ``kinds`` maps a tunnel id to its saved kind (default custom)."""
    return {s.tunnel_id: probe_tunnel(s, kinds.get(s.tunnel_id, "custom")) for s in statuses}


def distinct_services(
    statuses: Iterable[TunnelStatus], preferred: Iterable[str] = ()
) -> list[TunnelStatus]:
    """One tunnel per service on the instance (remote host and port), in first-seen order.

    Of two tunnels to the same service the one in ``preferred`` (e.g. the saved ones) wins,
    then the one that is UP.
    """
    favourite = set(preferred)
    chosen: dict[tuple[str, int], TunnelStatus] = {}
    for status in statuses:
        key = (status.spec.remote_host, status.spec.remote_port)
        current = chosen.get(key)
        if current is None or _rank(status, favourite) > _rank(current, favourite):
            chosen[key] = status
    return list(chosen.values())


def _rank(status: TunnelStatus, favourite: set[str]) -> tuple[bool, bool]:
    return status.tunnel_id in favourite, status.state is TunnelState.UP


def _read_some(sock: socket.socket, wanted: int) -> bytes:
    """Up to ``wanted`` bytes (at most :data:`MAX_REPLY_BYTES`), stopping at EOF."""
    reply = b""
    while len(reply) < min(wanted, MAX_REPLY_BYTES):
        chunk = sock.recv(MAX_REPLY_BYTES - len(reply))
        if not chunk:
            break
        reply += chunk
    return reply
