"""`gpudesk tunnel ALIAS LPORT:RPORT [...] [--json-events]`: keep port forwards up.

Each forward listens on 127.0.0.1:LPORT (0 picks a free port) and reaches RPORT on the
instance; all share one SSH connection, probed and reconnected by the tunnel supervisor. One
line per state change goes to stdout (``--json-events``: one JSON object per line with exactly
``tunnel``, ``state``, ``reason``, ``time``). Ctrl-C or SIGTERM stops cleanly (exit 0).

Exit codes before the tunnels are up, as ``check``: 2 bad input or a busy local port (the
message offers a free one), 3 password/key refused, 4 host key not pinned yet, 5 host key
changed, 6 unreachable. A tunnel that FAILS later (e.g. the host key changed on a reconnect)
ends the command with that error's code.
"""

from __future__ import annotations

import argparse
import json
import queue
import signal
import sys
import threading
from collections.abc import Callable, Sequence

from gpudesk.commands.common import (
    add_accept_new_host_key,
    host_key_confirmer,
)
from gpudesk.commands.runcontrol import open_secrets, stop_on_signals
from gpudesk.core.engine.commanddesk import command_desk, subscribe_tunnel_events
from gpudesk.core.errors import ExitCode
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.store.settings import Settings, load_settings
from gpudesk.core.tunnels import (
    ConnectFn,
    TunnelEvent,
    TunnelSpec,
    TunnelState,
    TunnelStatus,
    TunnelSupervisor,
    instance_connector,
)
from gpudesk.core.tunnels.model import iso_time

_POLL_S = 0.2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``tunnel`` subcommand."""
    parser = subparsers.add_parser(
        "tunnel",
        help="forward local ports to a saved instance and keep them up",
        description="Forward 127.0.0.1:LPORT to RPORT on the instance until interrupted.",
    )
    parser.add_argument("alias", metavar="ALIAS", help="a saved instance")
    parser.add_argument(
        "forwards",
        nargs="+",
        metavar="LPORT:RPORT",
        help="local port : remote port (LPORT 0 picks a free port; LPORT:HOST:RPORT also works)",
    )
    parser.add_argument(
        "--json-events",
        action="store_true",
        help='print each change as JSON: {"tunnel","state","reason","time"}',
    )
    add_accept_new_host_key(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the tunnels of a saved instance until Ctrl-C / SIGTERM."""
    specs = [TunnelSpec.parse(text) for text in args.forwards]
    instance = InstanceStore().require(args.alias)
    secrets = open_secrets()
    connect = instance_connector(
        instance,
        secrets=secrets,
        confirm_new_host_key=host_key_confirmer(args.accept_new_host_key),
    )
    return run_tunnels(
        instance.alias, connect, specs, settings=load_settings(), json_events=args.json_events
    )


def run_tunnels(
    key: str,
    connect: ConnectFn,
    specs: Sequence[TunnelSpec],
    *,
    settings: Settings,
    json_events: bool,
    stop: threading.Event | None = None,
    on_up: Callable[[list[TunnelStatus]], None] | None = None,
) -> int:
    """Run ``specs`` over one connection until ``stop`` is set (or Ctrl-C / SIGTERM).

    ``on_up`` is called once with the tunnels' status when all are first UP (``gpudesk
    jupyter`` opens the browser there); without it, text mode prints the local URLs.

    Raises:
        GpuDeskError: Before all tunnels are up: the first error (busy port, login refused,
            host key, unreachable). Later: the error of a FAILED tunnel.
    """
    stop = stop or threading.Event()
    events: queue.SimpleQueue[TunnelEvent] = queue.SimpleQueue()
    print_lock = threading.Lock()

    def on_event(event: TunnelEvent) -> None:
        with print_lock:
            print(format_event(event, json_events), flush=True)
        events.put(event)

    desk = command_desk(settings)  # the same engine as the GUI's
    supervisor = desk.supervisor
    subscribe_tunnel_events(desk, on_event)
    with stop_on_signals(stop, signal.SIGINT, signal.SIGTERM):
        try:
            ids = [supervisor.add(key, connect, spec) for spec in specs]
            if not _wait_until_up(supervisor, ids, events, stop):
                return ExitCode.OK
            if on_up is not None:
                on_up(supervisor.tunnels())
            elif not json_events:
                for status in supervisor.tunnels():
                    print(
                        f"gpudesk: {status.local_url} -> {status.spec.remote_host}:"
                        f"{status.spec.remote_port} on {key} (Ctrl-C stops)",
                        file=sys.stderr,
                    )
            while not stop.wait(_POLL_S):
                statuses = supervisor.tunnels()
                if statuses and all(s.state is TunnelState.FAILED for s in statuses):
                    error = statuses[0].error
                    if error is not None:
                        raise error
                    return ExitCode.FAILURE
            return ExitCode.OK
        finally:
            desk.close()


def _wait_until_up(
    supervisor: TunnelSupervisor,
    ids: list[str],
    events: queue.SimpleQueue[TunnelEvent],
    stop: threading.Event,
) -> bool:
    """Wait until every tunnel is UP (True) or stop is set (False); raise the first error."""
    while not stop.is_set():
        if all(supervisor.status(i).state is TunnelState.UP for i in ids):
            return True
        try:
            event = events.get(timeout=_POLL_S)
        except queue.Empty:
            continue
        if event.error is not None and event.state is not TunnelState.UP:
            raise event.error
    return False


def format_event(event: TunnelEvent, as_json: bool) -> str:
    """One output line for ``event``."""
    if as_json:
        return json.dumps(event.as_json(), ensure_ascii=False)
    return f"{iso_time(event.time)}  {event.spec.label}  {event.state.value}  {event.reason}"
