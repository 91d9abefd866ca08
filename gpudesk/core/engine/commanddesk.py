"""The desk as the CLI's ``tunnel``, ``jupyter``, ``tensorboard`` and ``monitor`` use it.

A command opens the keyring itself and brings its own login callable. The tunnel commands
print one line per tunnel change and never sample GPUs: :func:`command_desk` builds such a
desk, and :func:`subscribe_tunnel_events` hands it the tunnel events only. ``monitor``
samples one instance on its own connection (:meth:`Desk.watch_gpus`) with the command's idle
rule and interval: :func:`monitor_desk`.
"""

from __future__ import annotations

from collections.abc import Callable

from gpudesk.core.catalog.platforms import default_catalog
from gpudesk.core.engine.desk import Desk
from gpudesk.core.engine.events import DeskEvent, TunnelChanged
from gpudesk.core.monitor.gpumonitor import IdleRule
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


def monitor_desk(settings: Settings, rule: IdleRule, interval_s: float) -> Desk:
    """A desk that samples GPUs with ``rule`` every ``interval_s`` (the first sample at once),
    without keyring or clock: the command watches one instance with :meth:`Desk.watch_gpus`."""
    desk = Desk(
        settings,
        instances=InstanceStore(),
        catalog=default_catalog(),
        secrets=MemorySecretStore(),
    )
    desk.hub.rule, desk.hub.interval_s, desk.hub.first_sample_s = rule, interval_s, 0.0
    return desk


def subscribe_tunnel_events(
    desk: Desk, callback: Callable[[TunnelEvent], None]
) -> Callable[[], None]:
    """Call ``callback`` with each tunnel event of ``desk``; returns the unsubscribe function."""

    def forward(event: DeskEvent) -> None:
        if isinstance(event, TunnelChanged):
            callback(event.event)

    return desk.events.subscribe(forward)
