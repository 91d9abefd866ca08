"""The tray's "Open Jupyter" and "Open TensorBoard": find or start the app, keep its tunnel saved.

:func:`open_jupyter_tunnel` and :func:`open_tensorboard_tunnel` run off the GUI thread. Each
asks the instance for a running server (or starts one,
:func:`gpudesk.core.apps.jupyter.find_or_start_jupyter` /
:func:`gpudesk.core.apps.tensorboard.find_or_start_tensorboard`) over the instance's existing
connection when the supervisor has one (``run_on_instance``), else over one new login; then
:func:`_open_app_tunnel` makes sure a saved tunnel of that kind (``jupyter`` or
``tensorboard``) points at that server's port (saving or correcting it in
``Instance.tunnels``), starts it and waits until it is UP.

A Jupyter URL carries the token: never log it. :func:`write_redirect_page` (from
:mod:`gpudesk.core.apps.redirect`, shared with ``gpudesk jupyter``) hands it to the browser
without putting it in a command line or a file.
TensorBoard has no token: its URL can be opened directly.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from gpudesk.core.apps.jupyter import JupyterServer, default_workdir, find_or_start_jupyter
from gpudesk.core.apps.redirect import (  # re-exported: the tray opens pages through here
    remove_stale_redirect_pages as remove_stale_redirect_pages,
)
from gpudesk.core.apps.redirect import (
    write_redirect_page as write_redirect_page,
)
from gpudesk.core.apps.tensorboard import (
    TensorBoardServer,
    default_logdir,
    find_or_start_tensorboard,
)
from gpudesk.core.errors import GpuDeskError, InputError
from gpudesk.core.models import Platform
from gpudesk.core.ssh.remote import CommandResult, Connection
from gpudesk.core.store.instances import Instance, InstanceStore
from gpudesk.core.store.secrets import SecretStore
from gpudesk.core.tunnels.link import ConnectFn
from gpudesk.core.tunnels.model import LOOPBACK, LocalPortBusyError, TunnelState
from gpudesk.core.tunnels.savedtunnels import (
    BookEntry,
    SavedTunnel,
    TunnelBook,
    TunnelKind,
    save_tunnel,
)
from gpudesk.core.tunnels.supervisor import TunnelSupervisor

JUPYTER_NAME = "Jupyter"
PREFERRED_LOCAL_PORT = 8888
TENSORBOARD_NAME = "TensorBoard"
TENSORBOARD_LOCAL_PORT = 6006


@dataclass(frozen=True)
class JupyterOpening:
    """A Jupyter reachable in the local browser (``url`` holds the token: do not log it)."""

    tunnel_id: str
    local_port: int
    url: str = field(repr=False)
    server: JupyterServer


@dataclass(frozen=True)
class TensorBoardOpening:
    """A TensorBoard reachable in the local browser at ``url`` (no token)."""

    tunnel_id: str
    local_port: int
    url: str
    server: TensorBoardServer


class RemoteApp(Protocol):
    """Where a web app listens on the instance (a Jupyter or TensorBoard server)."""

    @property
    def remote_port(self) -> int:
        """Its port on the instance."""
        ...

    @property
    def remote_host(self) -> str:
        """Its address as seen from the instance."""
        ...


@dataclass(frozen=True)
class AppTunnel:
    """The saved tunnel of one app: its kind, default name and preferred local port."""

    kind: TunnelKind
    name: str
    preferred_port: int


JUPYTER_TUNNEL = AppTunnel("jupyter", JUPYTER_NAME, PREFERRED_LOCAL_PORT)
TENSORBOARD_TUNNEL = AppTunnel("tensorboard", TENSORBOARD_NAME, TENSORBOARD_LOCAL_PORT)


class SupervisorCommands:
    """Looks like a :class:`Connection` for ``run``; runs over the supervisor's connection."""

    def __init__(self, supervisor: TunnelSupervisor, instance: str) -> None:
        self.supervisor = supervisor
        self.instance = instance

    def run(self, command: str, *, stdin: bytes = b"", timeout: float = 60.0) -> CommandResult:
        """Run ``command`` over the instance's existing connection."""
        return self.supervisor.run_on_instance(self.instance, command, stdin=stdin, timeout=timeout)


@contextlib.contextmanager
def _commands(
    supervisor: TunnelSupervisor, alias: str, connect: ConnectFn
) -> Iterator[Connection | SupervisorCommands]:
    connected = any(t.state is TunnelState.UP for t in supervisor.tunnels(alias))
    if connected:
        yield SupervisorCommands(supervisor, alias)
        return
    with connect() as connection:
        yield connection


def free_local_port(preferred: int = PREFERRED_LOCAL_PORT, tries: int = 12) -> int:
    """``preferred`` or one of the next ports if free on 127.0.0.1; else 0 (any free one)."""
    for port in range(preferred, preferred + tries):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((LOOPBACK, port))
            except OSError:
                continue
            return port
    return 0


def open_jupyter_tunnel(
    instance: Instance,
    *,
    supervisor: TunnelSupervisor,
    book: TunnelBook,
    store: InstanceStore,
    secrets: SecretStore,
    connect: ConnectFn,
    platform: Platform | None = None,
    wait_s: float = 30.0,
) -> JupyterOpening:
    """Find or start Jupyter on ``instance`` and bring its saved tunnel UP.

    Raises:
        RemoteCommandError: Jupyter missing (with the install command) or did not start.
        LocalPortBusyError: The saved local port and the suggested one are both taken.
        GpuDeskError: The tunnel FAILED (its error), or other login problems.
        TimeoutError: The tunnel did not come up within ``wait_s``.
    """
    conn: Any
    with _commands(supervisor, instance.alias, connect) as conn:
        server = find_or_start_jupyter(
            conn,
            workdir=default_workdir(platform, instance.workdir),
            secret_store=secrets,
            instance_id=instance.instance_id,
        )
    tunnel_id, port = _open_app_tunnel(
        JUPYTER_TUNNEL, instance, server, supervisor, book, store, connect, wait_s
    )
    return JupyterOpening(tunnel_id, port, server.local_url(port, show_token=True), server)


def open_tensorboard_tunnel(
    instance: Instance,
    *,
    supervisor: TunnelSupervisor,
    book: TunnelBook,
    store: InstanceStore,
    connect: ConnectFn,
    platform: Platform | None = None,
    wait_s: float = 30.0,
) -> TensorBoardOpening:
    """Find or start TensorBoard on ``instance`` (platform log dir) and bring its tunnel UP.

    The saved tunnel is of kind ``tensorboard`` and prefers local port 6006. Raises as
    :func:`open_jupyter_tunnel` does (``tensorboard.missing`` with the install command).
    """
    conn: Any
    with _commands(supervisor, instance.alias, connect) as conn:
        server = find_or_start_tensorboard(conn, logdir=default_logdir(platform))
    tunnel_id, port = _open_app_tunnel(
        TENSORBOARD_TUNNEL, instance, server, supervisor, book, store, connect, wait_s
    )
    return TensorBoardOpening(tunnel_id, port, server.local_url(port), server)


def _open_app_tunnel(
    app: AppTunnel,
    instance: Instance,
    server: RemoteApp,
    supervisor: TunnelSupervisor,
    book: TunnelBook,
    store: InstanceStore,
    connect: ConnectFn,
    wait_s: float,
) -> tuple[str, int]:
    """Point the saved ``app.kind`` tunnel at ``server``, start it, wait for UP.

    Returns:
        The tunnel id and the local port it listens on.
    """
    entry = next((e for e in book.of_instance(instance.alias) if e.saved.kind == app.kind), None)
    if entry is None or (entry.saved.remote_port, entry.saved.remote_host) != (
        server.remote_port,
        server.remote_host,
    ):
        local = entry.saved.local_port if entry else free_local_port(app.preferred_port)
        entry = _replace_entry(
            app, instance, entry, local, server, supervisor, book, store, connect
        )
    try:
        supervisor.start(entry.tunnel_id)
    except LocalPortBusyError as busy:
        if not busy.suggested_port:
            raise
        entry = _replace_entry(
            app, instance, entry, busy.suggested_port, server, supervisor, book, store, connect
        )
        supervisor.start(entry.tunnel_id)
    status = supervisor.wait_for(
        entry.tunnel_id, TunnelState.UP, TunnelState.FAILED, TunnelState.STOPPED, timeout=wait_s
    )
    if status.state is not TunnelState.UP:
        raise status.error or InputError(
            "tunnel.not_up",
            f"The {app.name} tunnel is {status.reason}.",
            "Check that the instance is running, then try again.",
        )
    return entry.tunnel_id, status.spec.local_port


def _replace_entry(
    app: AppTunnel,
    instance: Instance,
    old: BookEntry | None,
    local_port: int,
    server: RemoteApp,
    supervisor: TunnelSupervisor,
    book: TunnelBook,
    store: InstanceStore,
    connect: ConnectFn,
) -> BookEntry:
    """Save an ``app`` tunnel to ``server`` (replacing ``old``) and register it, STOPPED."""
    if old is not None:
        supervisor.remove(old.tunnel_id)
        book.discard(old.tunnel_id)
    saved = SavedTunnel(
        name=old.saved.name if old else app.name,
        local_port=local_port,
        remote_port=server.remote_port,
        remote_host=server.remote_host,
        kind=app.kind,
    )
    # An unsaved instance (or a read-only file): the tunnel still works for this session.
    with contextlib.suppress(GpuDeskError):
        save_tunnel(store, instance.alias, saved)
    tunnel_id = supervisor.add(instance.alias, connect, saved.spec, start=False)
    entry = BookEntry(tunnel_id, instance.alias, saved)
    book.add(entry)
    return entry
