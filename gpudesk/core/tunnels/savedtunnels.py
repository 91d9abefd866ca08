"""The tunnels saved per instance, and restoring them into the supervisor at start.

Each saved instance keeps its tunnels in :attr:`Instance.tunnels` as plain JSON objects::

    {"name": "Jupyter", "local_port": 8888, "remote_port": 8888,
     "remote_host": "127.0.0.1", "kind": "jupyter"}

``kind`` is ``jupyter``, ``tensorboard`` or ``custom``. :class:`SavedTunnel` reads and writes
them; the ``save_*`` functions change them in the :class:`InstanceStore` (a locked
read-modify-write). :func:`restore_tunnels` registers every saved tunnel of every instance
with a :class:`TunnelSupervisor` at start, and starts those of instances set to
``auto_connect``; :class:`TunnelBook` remembers which supervisor tunnel is which saved one.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, get_args

from gpudesk.core.errors import GpuDeskError, InputError
from gpudesk.core.store.instances import Instance, InstanceStore
from gpudesk.core.tunnels.link import ConnectFn
from gpudesk.core.tunnels.model import LOOPBACK, LocalPortBusyError, TunnelSpec
from gpudesk.core.tunnels.supervisor import TunnelSupervisor

log = logging.getLogger(__name__)

TunnelKind = Literal["jupyter", "tensorboard", "custom"]
KINDS: tuple[str, ...] = get_args(TunnelKind)
_MAX_NAME = 64


@dataclass(frozen=True)
class SavedTunnel:
    """One saved tunnel of an instance (``name`` is unique within the instance)."""

    name: str
    local_port: int
    remote_port: int
    remote_host: str = LOOPBACK
    kind: TunnelKind = "custom"

    def __post_init__(self) -> None:
        if not self.name.strip() or len(self.name) > _MAX_NAME or not self.name.isprintable():
            raise InputError(
                "tunnel.bad_name",
                f"A tunnel name has 1 to {_MAX_NAME} printable characters: {self.name!r}.",
                "Name it after what it serves, e.g. Jupyter or Gradio demo.",
            )
        if self.kind not in KINDS:
            raise InputError(
                "tunnel.bad_kind",
                f"Unknown tunnel kind {self.kind!r}.",
                "Use jupyter, tensorboard or custom.",
            )
        self.spec  # noqa: B018 - validates the ports and host (raises tunnel.bad_spec)

    @property
    def spec(self) -> TunnelSpec:
        """The forward it describes."""
        return TunnelSpec(self.local_port, self.remote_port, self.remote_host)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object kept in ``Instance.tunnels``."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SavedTunnel:
        """Read one saved object.

        Raises:
            InputError: A field is missing or unusable.
        """
        try:
            kind = str(data.get("kind", "custom"))
            return cls(
                name=str(data["name"]),
                local_port=int(data["local_port"]),
                remote_port=int(data["remote_port"]),
                remote_host=str(data.get("remote_host", LOOPBACK)),
                kind=kind,  # type: ignore[arg-type]  # checked in __post_init__
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(
                "tunnel.bad_saved",
                f"A saved tunnel is malformed ({exc!r}): {data!r}.",
                "Remove the tunnel and add it again.",
            ) from None


def saved_tunnels(instance: Instance) -> list[SavedTunnel]:
    """The instance's saved tunnels; malformed entries are logged and skipped."""
    result: list[SavedTunnel] = []
    for item in instance.tunnels:
        try:
            result.append(SavedTunnel.from_dict(dict(item)))
        except InputError as error:
            log.warning("%s: skipping a saved tunnel: %s", instance.alias, error.message)
    return result


def with_tunnel(instance: Instance, tunnel: SavedTunnel) -> Instance:
    """``instance`` with ``tunnel`` added (or replacing the one with the same name)."""
    kept = [t for t in instance.tunnels if t.get("name") != tunnel.name]
    return dataclasses.replace(instance, tunnels=(*kept, tunnel.to_dict()))


def without_tunnel(instance: Instance, name: str) -> Instance:
    """``instance`` without the saved tunnel called ``name``."""
    kept = tuple(t for t in instance.tunnels if t.get("name") != name)
    return dataclasses.replace(instance, tunnels=kept)


def save_tunnel(store: InstanceStore, alias: str, tunnel: SavedTunnel) -> Instance:
    """Add or replace a saved tunnel of the instance ``alias``; return the saved instance."""
    return _change(store, alias, lambda i: with_tunnel(i, tunnel))


def remove_saved_tunnel(store: InstanceStore, alias: str, name: str) -> Instance:
    """Forget the saved tunnel ``name`` of ``alias``."""
    return _change(store, alias, lambda i: without_tunnel(i, name))


def set_auto_connect(store: InstanceStore, alias: str, enabled: bool) -> Instance:
    """Whether ``alias``'s saved tunnels start with gpudesk."""
    return _change(store, alias, lambda i: dataclasses.replace(i, auto_connect=enabled))


def _change(store: InstanceStore, alias: str, edit: Callable[[Instance], Instance]) -> Instance:
    return store.change(alias, edit)  # one locked read-modify-write: no lost update


@dataclass(frozen=True)
class BookEntry:
    """A supervisor tunnel that stands for a saved tunnel."""

    tunnel_id: str
    alias: str
    saved: SavedTunnel


class TunnelBook:
    """Which supervisor tunnel is which saved tunnel (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, BookEntry] = {}

    def add(self, entry: BookEntry) -> None:
        """Remember ``entry``."""
        with self._lock:
            self._entries[entry.tunnel_id] = entry

    def get(self, tunnel_id: str) -> BookEntry | None:
        """The saved tunnel behind ``tunnel_id``, if any."""
        with self._lock:
            return self._entries.get(tunnel_id)

    def find(self, alias: str, name: str) -> BookEntry | None:
        """The entry of saved tunnel ``name`` of ``alias``."""
        with self._lock:
            return next(
                (e for e in self._entries.values() if e.alias == alias and e.saved.name == name),
                None,
            )

    def of_instance(self, alias: str) -> list[BookEntry]:
        """The entries of one instance, in the order added."""
        with self._lock:
            return [e for e in self._entries.values() if e.alias == alias]

    def entries(self) -> list[BookEntry]:
        """All entries, in the order added."""
        with self._lock:
            return list(self._entries.values())

    def discard(self, tunnel_id: str) -> None:
        """Forget ``tunnel_id``."""
        with self._lock:
            self._entries.pop(tunnel_id, None)


@dataclass(frozen=True)
class RestoreProblem:
    """A saved tunnel that could not be started at start-up (kept, STOPPED)."""

    alias: str
    name: str
    error: GpuDeskError


def restore_tunnels(
    supervisor: TunnelSupervisor,
    instances: Iterable[Instance],
    connector: Callable[[Instance], ConnectFn],
    book: TunnelBook,
    *,
    connect: bool = True,
) -> list[RestoreProblem]:
    """Register every saved tunnel with ``supervisor``; start those of auto-connect instances.

    Tunnels already in ``book`` are left alone (calling it twice adds nothing). A busy local
    port does not stop the others: it is returned as a problem and the tunnel stays STOPPED.

    Args:
        supervisor: The app's supervisor; the instance key is the alias.
        instances: The saved instances.
        connector: Builds the login callable of an instance (``instance_connector``).
        book: Where the mapping is kept.
        connect: False to register only (never start), e.g. in a safe mode.

    Returns:
        The tunnels that could not be started.
    """
    problems: list[RestoreProblem] = []
    for instance in instances:
        tunnels = saved_tunnels(instance)
        if not tunnels:
            continue
        login = connector(instance)
        for saved in tunnels:
            if book.find(instance.alias, saved.name) is not None:
                continue
            tunnel_id = supervisor.add(instance.alias, login, saved.spec, start=False)
            book.add(BookEntry(tunnel_id, instance.alias, saved))
            if not (connect and instance.auto_connect):
                continue
            try:
                supervisor.start(tunnel_id)
            except (LocalPortBusyError, InputError) as error:
                log.warning("%s/%s not started: %s", instance.alias, saved.name, error.message)
                problems.append(RestoreProblem(instance.alias, saved.name, error))
    return problems
