"""Glue between a view and the tunnel supervisor: events on the GUI thread, saved tunnels.

:class:`SupervisorBridge` re-emits the supervisor's events (from its threads) as a Qt signal,
which Qt queues to the GUI thread. :class:`TunnelKeeper` is what a view needs to save the
tunnels it adds with their instance (the tray controller is one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from gpudesk.core.tunnels import TunnelEvent, TunnelSupervisor
from gpudesk.core.tunnels.savedtunnels import TunnelBook


class SupervisorBridge(QObject):
    """Re-emits every supervisor event as :attr:`tunnel_event_received` on the GUI thread.

    Call :meth:`close` (or delete the bridge's parent) to unsubscribe.
    """

    tunnel_event_received = Signal(object)

    def __init__(self, supervisor: TunnelSupervisor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = supervisor.subscribe(self._relay)
        unsubscribe = self._unsubscribe
        # The C++ object may go first: stop the supervisor calling into a deleted object.
        self.destroyed.connect(lambda *_: unsubscribe())

    def _relay(self, event: TunnelEvent) -> None:
        self.tunnel_event_received.emit(event)  # from the supervisor's thread: queued

    def close(self) -> None:
        """Stop relaying events."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


class TunnelKeeper(Protocol):
    """Keeps custom tunnels saved with their instance (the tray controller is one)."""

    @property
    def book(self) -> TunnelBook:
        """Which supervisor tunnel is which saved tunnel."""
        ...

    def add_saved_tunnel(self, alias: str, local_port: int, remote_port: int) -> str:
        """Add, start and save a tunnel; raise ``LocalPortBusyError`` at once when busy."""
        ...

    def remove_saved_tunnel(self, tunnel_id: str) -> object:
        """Stop and forget a tunnel and its saved entry (in the background)."""
        ...
