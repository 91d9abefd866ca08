"""Custom tunnels added by hand ("Add port"): their names, and the desk's editing of them.

A custom tunnel is named after the remote port it reaches (``Port 7860``); a second one to
the same port gets a number (``Port 7860 (2)``). The GUI passes a translated namer; the
engine's default is English. :class:`CustomTunnelEditing` is the part of the desk that adds,
saves and removes them.
"""

from __future__ import annotations

from collections.abc import Callable

from gpudesk.core.engine.instancecache import InstanceCache
from gpudesk.core.store.instances import Instance, InstanceStore, instance_not_found
from gpudesk.core.tunnels.link import ConnectFn
from gpudesk.core.tunnels.savedtunnels import (
    BookEntry,
    SavedTunnel,
    TunnelBook,
    remove_saved_tunnel,
    save_tunnel,
)
from gpudesk.core.tunnels.supervisor import TunnelSupervisor

#: Names a new custom tunnel: ``namer(remote_port, number)``, number 1 for the first.
TunnelNamer = Callable[[int, int], str]


def english_tunnel_name(remote_port: int, number: int) -> str:
    """``Port 7860``, then ``Port 7860 (2)``, ..."""
    return f"Port {remote_port}" if number == 1 else f"Port {remote_port} ({number})"


def new_custom_tunnel(
    book: TunnelBook, alias: str, local_port: int, remote_port: int, namer: TunnelNamer
) -> SavedTunnel:
    """A custom tunnel of ``alias`` with the first name ``namer`` gives that is not taken.

    Raises:
        InputError: Unusable ports (``tunnel.bad_spec``).
    """
    taken = {entry.saved.name for entry in book.of_instance(alias)}
    number = 1
    while (name := namer(remote_port, number)) in taken:
        number += 1
    return SavedTunnel(name, local_port, remote_port, kind="custom")


class CustomTunnelEditing:
    """The desk's saved custom tunnels: add, save, forget, remove (part of the desk)."""

    book: TunnelBook
    store: InstanceStore
    supervisor: TunnelSupervisor
    cache: InstanceCache

    def connector(self, instance: Instance) -> ConnectFn:
        """The login of ``instance`` (the desk's)."""
        raise NotImplementedError

    def add_custom_tunnel(
        self, instance: Instance, local_port: int, remote_port: int, namer: TunnelNamer
    ) -> tuple[str, SavedTunnel]:
        """Add and start a custom tunnel of ``instance`` without saving it (quick).

        Raises:
            LocalPortBusyError: ``local_port`` is taken (nothing is added).
            InputError: Unusable ports.
        """
        saved = new_custom_tunnel(self.book, instance.alias, local_port, remote_port, namer)
        tunnel_id = self.supervisor.add(instance.alias, self.connector(instance), saved.spec)
        self.book.add(BookEntry(tunnel_id, instance.alias, saved))
        return tunnel_id, saved

    def add_saved_tunnel(
        self,
        alias: str,
        local_port: int,
        remote_port: int,
        namer: TunnelNamer = english_tunnel_name,
    ) -> str:
        """Add, start and save a custom tunnel of ``alias``; return its tunnel id."""
        tunnel_id, saved = self.add_custom_tunnel(
            self._require(alias), local_port, remote_port, namer
        )
        self.save_tunnel(alias, saved)
        return tunnel_id

    def save_tunnel(self, alias: str, saved: SavedTunnel) -> None:
        """Save ``saved`` with the instance (a locked read-modify-write of the file)."""
        save_tunnel(self.store, alias, saved)

    def forget_tunnel(self, tunnel_id: str) -> BookEntry | None:
        """Forget which saved tunnel ``tunnel_id`` is (quick); return what it was."""
        entry = self.book.get(tunnel_id)
        self.book.discard(tunnel_id)
        return entry

    def remove_tunnel(self, tunnel_id: str, entry: BookEntry | None) -> None:
        """Stop and remove ``tunnel_id`` and its saved entry (see :meth:`forget_tunnel`)."""
        self.supervisor.remove(tunnel_id)
        if entry is not None:
            remove_saved_tunnel(self.store, entry.alias, entry.saved.name)

    def remove_saved_tunnel(self, tunnel_id: str) -> None:
        """Stop ``tunnel_id``, forget it and remove its saved entry."""
        self.remove_tunnel(tunnel_id, self.forget_tunnel(tunnel_id))

    def _require(self, alias: str) -> Instance:
        instance = self.cache.get(alias)
        if instance is None:
            self.cache.refresh()
            instance = self.cache.get(alias)
        if instance is None:
            raise instance_not_found(alias)
        return instance
