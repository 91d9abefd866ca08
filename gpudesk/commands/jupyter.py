"""`gpudesk jupyter ALIAS` and `gpudesk tensorboard ALIAS`: the web app in the local browser.

Each command logs in to the saved instance, finds a running server or starts one detached
(:mod:`gpudesk.core.apps.jupyter`), opens a tunnel to it through the tunnel supervisor (the same
engine as ``gpudesk tunnel``: it reconnects by itself), prints the local URL, opens the
browser, and keeps the tunnel up until Ctrl-C or SIGTERM. The server keeps running on the
instance afterwards (notebooks and their kernels survive); ``--stop`` stops one gpudesk
started.

``--port`` is the LOCAL port (default: any free one); the remote port is chosen free on the
instance. The Jupyter token is masked in what is printed unless ``--show-token``; the browser
gets it through a private redirect page that holds only a one-time local address
(:mod:`gpudesk.core.apps.redirect`), so it is in no command line and no file on this computer.
``--accept-new-host-key`` trusts the instance's host key on first contact (never a changed one).

With ``--json`` stdout carries JSON lines: one ``{"tunnel", "state", "reason", "time"}`` per
tunnel state change (as ``gpudesk tunnel --json-events`` prints them: CONNECTING, UP, ...,
STOPPED) and, once the tunnel is UP, the one line with a ``"url"``::

    {"service": "jupyter", "url": "http://127.0.0.1:18888/lab?token=***",
     "local_port": 18888, "remote_host": "127.0.0.1", "remote_port": 40123,
     "started": true, "token_masked": true, "pid": 4242, "root_dir": "/root/autodl-tmp"}

(TensorBoard: ``"service": "tensorboard"``, ``"logdir"`` instead of ``"root_dir"``, no
``"token_masked"``). ``started`` is true when gpudesk started the server (false for one
that was running, e.g. the platform's own). Exit code 0 after Ctrl-C/SIGTERM.
``--stop --json`` prints ``{"service", "stopped"}``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
import webbrowser
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from gpudesk.commands.common import (
    add_accept_new_host_key,
    host_key_confirmer,
    port_number,
)
from gpudesk.commands.runcontrol import open_secrets, stop_on_signals
from gpudesk.core.apps.jupyter import (
    JupyterServer,
    TensorBoardServer,
    default_logdir,
    default_workdir,
    find_or_start_jupyter,
    find_or_start_tensorboard,
    stop_server,
)
from gpudesk.core.apps.redirect import remove_stale_redirect_pages, write_redirect_page
from gpudesk.core.apps.remote_apps import shell_dir
from gpudesk.core.catalog.platforms import default_catalog
from gpudesk.core.engine.commanddesk import command_desk, subscribe_tunnel_events
from gpudesk.core.errors import ExitCode, GpuDeskError, RemoteCommandError
from gpudesk.core.models import Platform
from gpudesk.core.store.instances import Instance, InstanceStore
from gpudesk.core.store.secrets import SecretStore
from gpudesk.core.store.settings import load_settings
from gpudesk.core.tunnels import (
    ConnectFn,
    TunnelEvent,
    TunnelSpec,
    TunnelState,
    instance_connector,
)

#: Seconds to wait for the tunnel's first login.
TUNNEL_UP_TIMEOUT = 60.0
_RETRY = "Check that the instance is running, then run the command again."
_NO_BROWSER = "gpudesk: no web browser could be opened here; open the URL above yourself."


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``jupyter`` and ``tensorboard`` subcommands."""
    jupyter = subparsers.add_parser(
        "jupyter", help="open the instance's Jupyter in the local browser (starts it if needed)"
    )
    _common_arguments(jupyter)
    jupyter.add_argument(
        "--show-token", action="store_true", help="print the URL with the real token"
    )
    jupyter.add_argument("--workdir", metavar="DIR", help="where a new Jupyter starts")
    jupyter.set_defaults(handler=run_jupyter)
    board = subparsers.add_parser(
        "tensorboard", help="open TensorBoard of the instance in the local browser"
    )
    _common_arguments(board)
    board.add_argument("--logdir", metavar="DIR", help="log dir (default: the platform's)")
    board.set_defaults(handler=run_tensorboard)


def _common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("alias", help="the saved instance")
    parser.add_argument(
        "--port",
        type=port_number(allow_zero=True),
        default=0,
        metavar="N",
        help="LOCAL port (default: any free one)",
    )
    add_accept_new_host_key(parser)
    parser.add_argument("--no-browser", action="store_true", help="only print the URL")
    parser.add_argument("--json", action="store_true", help="print JSON lines")
    parser.add_argument(
        "--stop", action="store_true", help="stop the server gpudesk started, then exit"
    )


def _instance(alias: str) -> tuple[Instance, Platform | None]:
    instance = InstanceStore().require(alias)
    platform = None
    if instance.platform_id:
        with contextlib.suppress(GpuDeskError, KeyError):
            platform = default_catalog().by_id(instance.platform_id)
    return instance, platform


def _connector(instance: Instance, store: SecretStore, args: argparse.Namespace) -> ConnectFn:
    return instance_connector(
        instance,
        secrets=store,
        confirm_new_host_key=host_key_confirmer(args.accept_new_host_key),
    )


def _secrets() -> SecretStore:
    store = open_secrets()
    return store


def run_jupyter(args: argparse.Namespace) -> int:
    """Find or start Jupyter, tunnel it, open the browser, wait for Ctrl-C."""
    if args.workdir:
        shell_dir(args.workdir)  # refused before any login
    remove_stale_redirect_pages()
    instance, platform = _instance(args.alias)
    store = _secrets()
    connect = _connector(instance, store, args)
    workdir = args.workdir or default_workdir(platform, instance.workdir)
    with connect() as connection:
        server = find_or_start_jupyter(
            connection,
            workdir=workdir,
            secret_store=store,
            instance_id=instance.instance_id,
            start=not args.stop,
        )
        if args.stop:
            stopped = stop_server(
                connection, server, secret_store=store, instance_id=instance.instance_id
            )
            return _report_stop(stopped, "Jupyter", instance, args.json)

    def describe(local_port: int) -> dict[str, Any]:
        return {
            "service": "jupyter",
            "url": server.local_url(local_port, show_token=args.show_token),
            **_ports(server, local_port),
            "token_masked": not args.show_token,
            "root_dir": server.root_dir,
        }

    return _serve(args, instance, connect, server, describe, _jupyter_opener(server))


def run_tensorboard(args: argparse.Namespace) -> int:
    """Find or start TensorBoard, tunnel it, open the browser, wait for Ctrl-C."""
    if args.logdir:
        shell_dir(args.logdir)  # refused before any login
    instance, platform = _instance(args.alias)
    connect = _connector(instance, _secrets(), args)
    logdir = args.logdir or default_logdir(platform)
    with connect() as connection:
        board = find_or_start_tensorboard(connection, logdir=logdir, start=not args.stop)
        if args.stop:
            return _report_stop(stop_server(connection, board), "TensorBoard", instance, args.json)

    def describe(local_port: int) -> dict[str, Any]:
        return {
            "service": "tensorboard",
            "url": board.local_url(local_port),
            **_ports(board, local_port),
            "logdir": board.logdir,
        }

    def open_board(local_port: int) -> Iterator[None]:
        if not webbrowser.open(board.local_url(local_port)):
            print(_NO_BROWSER, file=sys.stderr, flush=True)
        yield

    return _serve(args, instance, connect, board, describe, contextlib.contextmanager(open_board))


def _ports(server: JupyterServer | TensorBoardServer, local_port: int) -> dict[str, Any]:
    return {
        "local_port": local_port,
        "remote_host": server.remote_host,
        "remote_port": server.remote_port,
        "started": server.started_by_gpudesk,
        "pid": server.pid,
    }


def _report_stop(stopped: bool, what: str, instance: Instance, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"service": what.lower(), "stopped": stopped}))
    else:
        print(f"{what} on {instance.alias}: {'stopped' if stopped else 'was not running'}.")
    return ExitCode.OK


def _jupyter_opener(
    server: JupyterServer,
) -> Callable[[int], contextlib.AbstractContextManager[None]]:
    """Open the browser through a redirect page without the token, removed at the end."""

    @contextlib.contextmanager
    def open_jupyter(local_port: int) -> Iterator[None]:
        page = write_redirect_page(server.local_url(local_port, show_token=True), "Jupyter")
        try:
            if not webbrowser.open(page.as_uri()):
                print(_NO_BROWSER, file=sys.stderr, flush=True)
            yield
        finally:
            page.unlink(missing_ok=True)

    return open_jupyter


def _serve(
    args: argparse.Namespace,
    instance: Instance,
    connect: Callable[[], Any],
    server: JupyterServer | TensorBoardServer,
    describe: Callable[[int], dict[str, Any]],
    open_browser: Callable[[int], contextlib.AbstractContextManager[None]],
) -> int:
    """Tunnel to ``server``, print, open the browser, and wait for Ctrl-C or SIGTERM."""
    stop = threading.Event()
    failure: list[GpuDeskError] = []
    desk = command_desk(load_settings())  # the same engine as the GUI's
    supervisor = desk.supervisor

    printing = threading.Lock()  # events come from the supervisor's thread: whole lines only

    def say(text: str, stream: TextIO) -> None:
        with printing:
            stream.write(text + "\n")
            stream.flush()

    def on_event(event: TunnelEvent) -> None:
        if args.json:
            say(json.dumps(event.as_json()), sys.stdout)
        else:
            say(f"tunnel {event.spec.label}: {event.state.value} ({event.reason})", sys.stderr)
        if event.state is TunnelState.FAILED:
            failure.append(event.error or RemoteCommandError("tunnel.failed", event.reason, _RETRY))
            stop.set()

    with stop_on_signals(stop, signal.SIGTERM), contextlib.ExitStack() as cleanup:
        cleanup.callback(desk.close)
        spec = TunnelSpec(args.port, server.remote_port, server.remote_host)
        tunnel_id = supervisor.add(instance.alias, connect, spec, start=False)
        subscribe_tunnel_events(desk, on_event)
        supervisor.start(tunnel_id)
        status = supervisor.wait_for(
            tunnel_id, TunnelState.UP, TunnelState.FAILED, timeout=TUNNEL_UP_TIMEOUT
        )
        if status.state is TunnelState.FAILED:
            raise status.error or RemoteCommandError("tunnel.failed", status.reason, _RETRY)
        info = describe(status.spec.local_port)
        say(json.dumps(info) if args.json else _summary(info, instance), sys.stdout)
        if not args.no_browser:
            cleanup.enter_context(open_browser(status.spec.local_port))
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    if failure:
        raise failure[0]
    return ExitCode.OK


def _summary(info: dict[str, Any], instance: Instance) -> str:
    name = "Jupyter" if info["service"] == "jupyter" else "TensorBoard"
    whose = "started by gpudesk" if info["started"] else "already running"
    lines = [
        f"{name} on {instance.alias} ({whose}, port {info['remote_port']} on the instance)",
        f"  {info['url']}",
    ]
    if info.get("token_masked"):
        lines.append("  (token hidden: --show-token prints it; the browser gets it anyway)")
    lines.append(f"Press Ctrl-C to close the tunnel; {name} keeps running on the instance.")
    return "\n".join(lines)
