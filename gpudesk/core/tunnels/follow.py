"""Tunnels follow their instance when it is re-pointed, renamed or removed.

The supervisor keys an instance's tunnels by its alias and logs in with the callable it was
given; after an edit both may be stale. :func:`drop_instance_tunnels` stops and forgets
every tunnel of an alias (and says which saved ones were running);
:func:`register_instance_tunnels` registers the saved tunnels of the edited instance with a
fresh login callable and starts the ones that were running before. Both block while tunnels
stop: call them off the GUI thread. :func:`remember_running` saves, when gpudesk quits,
which instances had tunnels up, so exactly those come back at the next start.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from gpudesk.core.errors import GpuDeskError
from gpudesk.core.store.instances import Instance, InstanceStore
from gpudesk.core.tunnels.link import ConnectFn
from gpudesk.core.tunnels.savedtunnels import (
    BookEntry,
    TunnelBook,
    saved_tunnels,
    set_auto_connect,
)
from gpudesk.core.tunnels.supervisor import TunnelSupervisor

log = logging.getLogger(__name__)


def drop_instance_tunnels(supervisor: TunnelSupervisor, book: TunnelBook, alias: str) -> set[str]:
    """Stop and forget every tunnel of ``alias``; return the names of saved ones that ran."""
    running: set[str] = set()
    for status in supervisor.tunnels(alias):
        entry = book.get(status.tunnel_id)
        if entry is not None and status.state.active:
            running.add(entry.saved.name)
        book.discard(status.tunnel_id)
        supervisor.remove(status.tunnel_id)
    return running


def register_instance_tunnels(
    supervisor: TunnelSupervisor,
    book: TunnelBook,
    instance: Instance,
    connect: ConnectFn,
    start: Iterable[str] = (),
) -> list[GpuDeskError]:
    """Register the saved tunnels of ``instance``; start those named in ``start``.

    Returns:
        The errors of tunnels that could not start (a busy local port); the others run.
    """
    wanted = set(start)
    problems: list[GpuDeskError] = []
    for saved in saved_tunnels(instance):
        if book.find(instance.alias, saved.name) is not None:
            continue
        tunnel_id = supervisor.add(instance.alias, connect, saved.spec, start=False)
        book.add(BookEntry(tunnel_id, instance.alias, saved))
        if saved.name not in wanted:
            continue
        try:
            supervisor.start(tunnel_id)
        except GpuDeskError as error:
            log.warning("%s/%s not started: %s", instance.alias, saved.name, error.message)
            problems.append(error)
    return problems


def remember_running(
    store: InstanceStore, instances: Iterable[Instance], running: set[str]
) -> list[GpuDeskError]:
    """Save per instance whether its tunnels come back at the next start (auto-connect).

    Instances in ``running`` get auto-connect on, the others off; unchanged ones are not
    written. Returns the errors of instances that could not be saved.
    """
    problems: list[GpuDeskError] = []
    for instance in instances:
        wanted = instance.alias in running
        if instance.auto_connect == wanted:
            continue
        try:
            set_auto_connect(store, instance.alias, wanted)
        except GpuDeskError as error:
            problems.append(error)
    return problems
