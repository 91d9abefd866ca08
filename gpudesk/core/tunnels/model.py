"""The plain data of tunnels: what to forward, the states a tunnel goes through, its events.

A tunnel is one local forward (``ssh -L LPORT:RHOST:RPORT``) over the shared SSH connection
of an instance. Its state is one of :class:`TunnelState`; every change produces a
:class:`TunnelEvent` with a human reason and the time it happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum

from gpudesk.core.errors import GpuDeskError, InputError

#: Where every forward listens. Never another address: a tunnel is for this computer only.
LOOPBACK = "127.0.0.1"

_HOST_RE = re.compile(r"^[A-Za-z0-9._:-]{1,253}$")


class TunnelState(str, Enum):
    """Where a tunnel is in its life.

    ``STOPPED``: not listening (never started, or stopped by the user).
    ``CONNECTING``: listening locally, first login to the instance under way.
    ``UP``: the SSH connection answers; local connections are forwarded.
    ``RECONNECTING``: the connection was lost (or the first login failed for a reason that
    may pass); retrying with backoff, still listening locally.
    ``FAILED``: a problem a retry cannot fix (password or key refused, host key changed):
    not listening, not retrying until the user starts it again.
    """

    STOPPED = "STOPPED"
    CONNECTING = "CONNECTING"
    UP = "UP"
    RECONNECTING = "RECONNECTING"
    FAILED = "FAILED"

    @property
    def active(self) -> bool:
        """True while the tunnel listens and wants to be up."""
        return self in (TunnelState.CONNECTING, TunnelState.UP, TunnelState.RECONNECTING)


@dataclass(frozen=True)
class TunnelSpec:
    """One local forward: ``127.0.0.1:local_port`` -> ``remote_host:remote_port`` on the instance.

    Attributes:
        local_port: The port on this computer; 0 picks a free one when the tunnel starts.
        remote_port: The port on the instance (or on ``remote_host`` as the instance sees it).
        remote_host: The host the instance connects to; usually its own loopback.
    """

    local_port: int
    remote_port: int
    remote_host: str = LOOPBACK

    def __post_init__(self) -> None:
        if not 0 <= self.local_port <= 65535:
            raise _bad_spec(f"the local port {self.local_port} is not between 0 and 65535")
        if not 1 <= self.remote_port <= 65535:
            raise _bad_spec(f"the remote port {self.remote_port} is not between 1 and 65535")
        if not _HOST_RE.match(self.remote_host) or self.remote_host.startswith("-"):
            raise _bad_spec(f"{self.remote_host!r} is not a host name or address")

    @property
    def label(self) -> str:
        """``LPORT:RHOST:RPORT``, as in ``ssh -L``."""
        host = f"[{self.remote_host}]" if ":" in self.remote_host else self.remote_host
        return f"{self.local_port}:{host}:{self.remote_port}"

    @classmethod
    def parse(cls, text: str) -> TunnelSpec:
        """Read ``LPORT:RPORT`` or ``LPORT:RHOST:RPORT`` (``LPORT`` 0 = any free port).

        Raises:
            InputError: ``tunnel.bad_spec`` with what is wrong.
        """
        parts = text.strip().split(":")
        host = LOOPBACK
        if len(parts) >= 3:
            host = ":".join(parts[1:-1]).strip("[]")
            parts = [parts[0], parts[-1]]
        if len(parts) != 2 or not all(p.isascii() and p.isdigit() and len(p) <= 5 for p in parts):
            raise _bad_spec(f"{text!r} is not LOCAL_PORT:REMOTE_PORT")
        return cls(int(parts[0]), int(parts[1]), host)


def _bad_spec(what: str) -> InputError:
    return InputError(
        "tunnel.bad_spec",
        f"Cannot use this tunnel: {what}.",
        "Write LOCAL_PORT:REMOTE_PORT, e.g. 8888:8888 (0 as the local port picks a free one).",
    )


class LocalPortBusyError(InputError):
    """The local port is taken by another program; ``suggested_port`` is free right now."""

    def __init__(self, port: int, suggested_port: int | None, detail: str = "") -> None:
        offer = (
            f"Port {suggested_port} is free: use it instead."
            if suggested_port
            else "Choose another local port (0 picks a free one)."
        )
        super().__init__(
            "tunnel.local_port_busy",
            f"The local port {port} is already in use{f' ({detail})' if detail else ''}.",
            offer,
        )
        self.port = port
        self.suggested_port = suggested_port


def iso_time(timestamp: float) -> str:
    """A wall-clock timestamp as ISO 8601 UTC with milliseconds (``...T12:00:00.123Z``)."""
    moment = datetime.fromtimestamp(timestamp, tz=timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class TunnelStatus:
    """A snapshot of one tunnel.

    Attributes:
        tunnel_id: Unique in its supervisor; stable across stop and start.
        instance: The key of the connection it shares (the instance alias or id).
        spec: What it forwards; ``local_port`` is the bound port once started.
        state: The current state.
        reason: Why it is in that state, in one sentence.
        since: Wall-clock time (``time.time()``) of the last change.
        remote_refused: True when the last local connection was refused on the instance
            (nothing listens on the remote port); cleared by the next one that works.
        error: The error behind a FAILED or RECONNECTING state, if any.
    """

    tunnel_id: str
    instance: str
    spec: TunnelSpec
    state: TunnelState
    reason: str
    since: float
    remote_refused: bool = False
    error: GpuDeskError | None = field(default=None, compare=False)

    @property
    def local_url(self) -> str:
        """``http://127.0.0.1:PORT/``: where a browser reaches the forwarded service."""
        return f"http://{LOOPBACK}:{self.spec.local_port}/"


@dataclass(frozen=True)
class TunnelEvent:
    """One change of a tunnel: its new state, why, and when.

    Attributes:
        tunnel_id: Which tunnel (see :attr:`TunnelStatus.tunnel_id`).
        instance: The connection it belongs to.
        spec: What it forwards (the bound local port once started).
        state: The state after the change.
        previous: The state before it.
        reason: A human sentence: why.
        time: Wall-clock time of the change (``time.time()``).
        error: The error behind it, if any (its ``exit_code`` tells the CLI how to exit).
    """

    tunnel_id: str
    instance: str
    spec: TunnelSpec
    state: TunnelState
    previous: TunnelState
    reason: str
    time: float
    error: GpuDeskError | None = field(default=None, compare=False)

    def as_json(self) -> dict[str, str]:
        """Exactly ``{"tunnel", "state", "reason", "time"}`` (what ``--json-events`` prints)."""
        return {
            "tunnel": self.spec.label,
            "state": self.state.value,
            "reason": self.reason,
            "time": iso_time(self.time),
        }
