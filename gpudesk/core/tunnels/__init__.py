"""Tunnels that stay up: local forwards over one shared SSH connection per instance.

* :mod:`.model`: what a tunnel is (:class:`TunnelSpec`), its states (:class:`TunnelState`),
  snapshots (:class:`TunnelStatus`) and events (:class:`TunnelEvent`).
* :mod:`.forward`: the 127.0.0.1 listener and the byte pumps over ``direct-tcpip`` channels.
* :mod:`.socketfeed`: paramiko's reader thread writing incoming data straight to the socket.
* :mod:`.liveness`: the keepalive probe that notices a frozen server or a cut link.
* :mod:`.backoff`: when to retry.
* :mod:`.link`: one instance's connection, kept up by its own thread.
* :mod:`.events`: delivering events to subscribers.
* :mod:`.supervisor`: :class:`TunnelSupervisor`, the one object the app and the CLI use.
* :mod:`.connector`: the login callable for a saved instance.
* :mod:`.savedtunnels`: the tunnels saved per instance, and applying them to the supervisor.

No Qt here; the GUI turns events into signals (``gpudesk/ui/tunnels_panel.py``).

May import: base modules, ``store``, ``ssh``, ``keys``, ``editor`` and ``catalog``.
"""

from gpudesk.core.tunnels.backoff import BackoffPolicy
from gpudesk.core.tunnels.connector import instance_connector
from gpudesk.core.tunnels.events import EventCallback
from gpudesk.core.tunnels.link import ConnectFn, TransportTuning
from gpudesk.core.tunnels.model import (
    LOOPBACK,
    LocalPortBusyError,
    TunnelEvent,
    TunnelSpec,
    TunnelState,
    TunnelStatus,
)
from gpudesk.core.tunnels.supervisor import TunnelSupervisor

__all__ = [
    "LOOPBACK",
    "BackoffPolicy",
    "ConnectFn",
    "EventCallback",
    "LocalPortBusyError",
    "TransportTuning",
    "TunnelEvent",
    "TunnelSpec",
    "TunnelState",
    "TunnelStatus",
    "TunnelSupervisor",
    "instance_connector",
]
