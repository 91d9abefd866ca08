"""`gpudesk monitor ALIAS`: sample the GPUs of a saved instance and warn when they idle.

One line per sample (``--json``: ``{"time","gpus":[{"index","util","mem_used_mib",
"mem_total_mib"}],"idle_for_s","cost"}``) and one ``{"alert":"idle","alias","idle_for_s",
"price_per_hour","cost"}`` line when the idle rule fires (once per idle period). All samples
share one SSH login. It runs on the window's engine: the desk samples the instance over a
connection of its own (:meth:`~gpudesk.core.engine.desk.Desk.watch_gpus`) and this command
prints the desk's events. When the connection drops (or hangs: the tunnels' liveness probe)
it logs in again with the tunnels' backoff and says so
(``{"state":"reconnecting","alias","reason","retry_in_s","time"}``, then
``{"state":"connected","alias","time"}``); a sample that fails on the instance is one
``{"time","alias","problem"}`` line (values that cannot be true: ``{"time","gpus":[],
"idle_for_s","cost","problem"}``), once until it is fixed, and sampling goes on.

It ends only on Ctrl-C or SIGTERM (exit 0), or when the host key changed (exit 5) or is no
longer pinned (exit 4) or the login is refused (exit 3) on a reconnect: errors no retry fixes,
as for the tunnels. Before the first sample: 2 bad input, 3 login refused, 4 host key
not pinned (``--accept-new-host-key`` trusts it on first contact, never a changed one),
5 host key changed, 6 unreachable.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from typing import Any

from gpudesk.commands.common import (
    add_accept_new_host_key,
    bounded_number,
    host_key_confirmer,
)
from gpudesk.commands.runcontrol import open_secrets, stop_on_signals
from gpudesk.core.engine.commanddesk import monitor_desk
from gpudesk.core.engine.events import (
    DeskEvent,
    IdleAlerted,
    ReadingChanged,
    SamplingFailed,
    WatchChanged,
)
from gpudesk.core.errors import ExitCode, GpuDeskError
from gpudesk.core.monitor.gpumonitor import (
    IdleRule,
    alert_record,
    idle_alert_text,
    iso_time,
    sample_record,
    unreadable_record,
)
from gpudesk.core.monitor.hub import InstanceReading, SamplingProblem
from gpudesk.core.ssh.untrusted import plain_text
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.store.settings import load_settings
from gpudesk.core.tunnels import TunnelState, instance_connector

Record = dict[str, Any]

#: Bounds of the options: a sample at most once a second, windows up to a week.
MIN_INTERVAL_S = 1.0
MAX_INTERVAL_S = 24 * 3600.0
MAX_IDLE_MINUTES = 7 * 24 * 60.0
MAX_PRICE_PER_HOUR = 1_000_000.0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``monitor`` subcommand."""
    parser = subparsers.add_parser(
        "monitor", help="watch GPU utilisation and warn when an instance idles"
    )
    parser.add_argument("alias", metavar="ALIAS", help="a saved instance")
    parser.add_argument(
        "--interval",
        type=bounded_number(MIN_INTERVAL_S, MAX_INTERVAL_S),
        metavar="S",
        help=f"seconds between samples (at least {MIN_INTERVAL_S:g})",
    )
    parser.add_argument(
        "--idle-minutes",
        type=bounded_number(0, MAX_IDLE_MINUTES, low_open=True),
        metavar="M",
        help="idle window (fractions allowed)",
    )
    parser.add_argument(
        "--idle-threshold",
        type=bounded_number(0, 100, low_open=True),
        metavar="PCT",
        help="utilisation below this is idle",
    )
    parser.add_argument(
        "--price-per-hour",
        type=bounded_number(0, MAX_PRICE_PER_HOUR, low_open=True),
        metavar="P",
        help="for the estimate",
    )
    add_accept_new_host_key(parser)
    parser.add_argument("--json", action="store_true", help="print JSON lines")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Sample until interrupted, on the same engine (the desk) as the window."""
    instance = InstanceStore().require(args.alias)
    settings = load_settings()
    secrets = open_secrets()
    rule = IdleRule(
        threshold_pct=args.idle_threshold or settings.idle_threshold_pct,
        window_s=60.0 * (args.idle_minutes or settings.idle_minutes),
    )
    price = args.price_per_hour if args.price_per_hour is not None else instance.price_per_hour
    stop = threading.Event()
    connect = instance_connector(
        instance,
        secrets=secrets,
        confirm_new_host_key=host_key_confirmer(args.accept_new_host_key),
    )
    interval = args.interval or max(MIN_INTERVAL_S, settings.monitor_interval_s)
    desk = monitor_desk(settings, rule, interval)
    records = MonitorRecords(instance.alias)
    try:
        with stop_on_signals(stop, signal.SIGTERM), desk.events.queue() as events:
            desk.watch_gpus(instance.alias, connect, price)  # the first login's errors end it
            if not args.json:
                print(rule.describe(), file=sys.stderr, flush=True)
            while not stop.is_set():
                event = events.get(timeout=0.25)
                for record in records.of(event) if event is not None else []:
                    print(json.dumps(record) if args.json else _human(record), flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        desk.close()
    return ExitCode.OK


class MonitorRecords:
    """The desk's events about the watched instance as this command's records.

    A new reading without an error is a sample; the idle alert, a failed sample (once until
    fixed) and the connection's drops and returns are records of their own. A connection that
    failed for good (host key changed or no longer pinned, login refused) or a monitor that
    stopped raises: the command ends with that error's exit code.
    """

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self.last_sampled_at: float | None = None
        self.lost = False

    def of(self, event: DeskEvent) -> list[Record]:
        """The records ``event`` makes (none for events about anything else)."""
        match event:
            case ReadingChanged(reading) if reading.alias == self.alias:
                return self._reading(reading)
            case IdleAlerted(alias, idle_for_s, price_per_hour, cost) if alias == self.alias:
                return [alert_record(alias, idle_for_s, price_per_hour, cost)]
            case SamplingFailed(problem) if problem.alias == self.alias:
                return [self._problem(problem)]
            case WatchChanged() if event.alias == self.alias:
                return self._connection(event)
        return []

    def _reading(self, reading: InstanceReading) -> list[Record]:
        if reading.stopped is not None:
            raise monitor_stopped(reading.stopped)
        at = reading.sampled_at
        if reading.error is not None or at is None or at == self.last_sampled_at:
            return []
        self.last_sampled_at = at
        return [sample_record(at, reading.gpus, reading.idle_for_s, reading.cost)]

    def _problem(self, problem: SamplingProblem) -> Record:
        if problem.unreadable:
            return unreadable_record(problem.at, problem.idle_for_s, problem.cost, problem.message)
        return {"time": iso_time(problem.at), "alias": self.alias, "problem": problem.message}

    def _connection(self, event: WatchChanged) -> list[Record]:
        if event.state is TunnelState.FAILED:
            raise event.error or monitor_stopped(event.reason)
        if event.state is TunnelState.RECONNECTING:
            self.lost = True
            return [
                {
                    "state": "reconnecting",
                    "alias": self.alias,
                    "reason": plain_text(event.cause or event.reason, limit=300),
                    "retry_in_s": round(event.retry_in_s or 0.0, 1),
                    "time": iso_time(event.time),
                }
            ]
        if event.state is TunnelState.UP and self.lost:
            self.lost = False
            return [{"state": "connected", "alias": self.alias, "time": iso_time(event.time)}]
        return []


def monitor_stopped(why: str) -> GpuDeskError:
    """The monitor ended although nobody stopped it: never silently."""
    return GpuDeskError(
        "monitor.stopped",
        f"The GPU monitor stopped: {plain_text(why, limit=300)}",
        "Run gpudesk monitor again; with -v the log says more.",
    )


def _human(record: dict[str, Any]) -> str:
    if "alert" in record:
        return "ALERT " + idle_alert_text(
            record["alias"], record["idle_for_s"], record["price_per_hour"]
        )
    if record.get("state") == "reconnecting":
        return (
            f"{record['time']}  connection lost ({record['reason']}); "
            f"retrying in {record['retry_in_s']:g} s"
        )
    if record.get("state") == "connected":
        return f"{record['time']}  connected again"
    if "problem" in record:
        return f"{record['time']}  {record['problem']}"
    gpus = "  ".join(
        f"GPU{g['index']} {g['util']:>3} % {g['mem_used_mib']}/{g['mem_total_mib']} MiB"
        for g in record["gpus"]
    )
    cost = f"  cost ≈ {record['cost']:.2f}" if record["cost"] is not None else ""
    return f"{record['time']}  {gpus or 'no GPU'}  idle {record['idle_for_s']:.0f} s{cost}"
