"""The desk as the CLI's ``tunnel``, ``jupyter`` and ``tensorboard`` commands use it.

A command opens the keyring itself and brings its own login callable, prints one line per
tunnel change, and never samples GPUs: :func:`command_desk` builds such a desk, and
:func:`subscribe_tunnel_events` hands it the tunnel events only.
"""

from __future__ import annotations

from collections.abc import Callable

from gpudesk.core.catalog.platforms import default_catalog
from gpudesk.core.engine.desk import Desk
from gpudesk.core.engine.events import DeskEvent, TunnelChanged
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.store.secrets import MemorySecretStore
from gpudesk.core.store.settings import Settings
from gpudesk.core.tunnels.model import TunnelEvent


def command_desk(settings: Settings) -> Desk:
    """A desk without GPU sampling or keyring, and no clock until ``start_watching``."""
    return Desk(
        settings,
        instances=InstanceStore(),
        catalog=default_catalog(),
        secrets=MemorySecretStore(),
        monitor_gpus=False,
    )


def subscribe_tunnel_events(
    desk: Desk, callback: Callable[[TunnelEvent], None]
) -> Callable[[], None]:
    """Call ``callback`` with each tunnel event of ``desk``; returns the unsubscribe function."""

    def forward(event: DeskEvent) -> None:
        if isinstance(event, TunnelChanged):
            callback(event.event)

    return desk.events.subscribe(forward)
