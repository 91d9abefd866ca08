"""`gpudesk monitor ALIAS`: sample the GPUs of a saved instance and warn when they idle.

One line per sample (``--json``: ``{"time","gpus":[{"index","util","mem_used_mib",
"mem_total_mib"}],"idle_for_s","cost"}``) and one ``{"alert":"idle","alias","idle_for_s",
"price_per_hour","cost"}`` line when the idle rule fires (once per idle period). All samples
share one SSH login. When the connection drops it reconnects with the tunnels' backoff and
says so (``{"state":"reconnecting","alias","reason","retry_in_s","time"}``, then
``{"state":"connected","alias","time"}``); a sample that fails on the instance is one
``{"time","alias","problem"}`` line and sampling goes on.

It ends only on Ctrl-C or SIGTERM (exit 0), or when the host key changed (exit 5) or is no
longer pinned (exit 4). Before the first sample: 2 bad input, 3 login refused, 4 host key
not pinned (``--accept-new-host-key`` trusts it on first contact, never a changed one),
5 host key changed, 6 unreachable.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from types import FrameType
from typing import Any

from gpudesk.commands.common import (
    add_accept_new_host_key,
    bounded_number,
    host_key_confirmer,
)
from gpudesk.core.errors import ExitCode
from gpudesk.core.monitor.gpumonitor import GpuMonitor, IdleRule, idle_alert_text
from gpudesk.core.monitor.session import MonitorSession
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.store.secrets import open_secret_store
from gpudesk.core.store.settings import load_settings
from gpudesk.core.tunnels import instance_connector

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
    """Sample until interrupted."""
    instance = InstanceStore().require(args.alias)
    settings = load_settings()
    secrets, warning = open_secret_store()
    if warning:
        print(f"gpudesk: {warning}", file=sys.stderr)
    rule = IdleRule(
        threshold_pct=args.idle_threshold or settings.idle_threshold_pct,
        window_s=60.0 * (args.idle_minutes or settings.idle_minutes),
    )
    price = args.price_per_hour if args.price_per_hour is not None else instance.price_per_hour
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    connect = instance_connector(
        instance,
        secrets=secrets,
        confirm_new_host_key=host_key_confirmer(args.accept_new_host_key),
    )
    monitor = GpuMonitor(
        instance.alias,
        lambda: (0, ""),  # the session samples over its own connection
        interval_s=args.interval or max(MIN_INTERVAL_S, settings.monitor_interval_s),
        rule=rule,
        price_per_hour=price,
    )
    try:
        with MonitorSession(monitor, connect) as session:
            session.open()
            if not args.json:
                print(rule.describe(), file=sys.stderr, flush=True)
            for record in session.run(stop):
                print(json.dumps(record) if args.json else _human(record), flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    return ExitCode.OK


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
