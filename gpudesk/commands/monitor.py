"""`gpudesk monitor ALIAS`: sample the GPUs of a saved instance and warn when they idle.

One line per sample (``--json``: ``{"time","gpus":[{"index","util","mem_used_mib",
"mem_total_mib"}],"idle_for_s","cost"}``) and one ``{"alert":"idle","alias","idle_for_s",
"price_per_hour","cost"}`` line when the idle rule fires (once per idle period). All samples
share one SSH login. Ctrl-C or SIGTERM ends it cleanly (exit 0).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from types import FrameType
from typing import Any

from gpudesk.core.errors import ExitCode, InputError
from gpudesk.core.monitor.gpumonitor import (
    GpuMonitor,
    IdleRule,
    connection_sampler,
    idle_alert_text,
)
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.store.secrets import open_secret_store
from gpudesk.core.store.settings import load_settings
from gpudesk.core.tunnels import instance_connector


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``monitor`` subcommand."""
    parser = subparsers.add_parser(
        "monitor", help="watch GPU utilisation and warn when an instance idles"
    )
    parser.add_argument("alias", metavar="ALIAS", help="a saved instance")
    parser.add_argument("--interval", type=float, metavar="S", help="seconds between samples")
    parser.add_argument(
        "--idle-minutes", type=float, metavar="M", help="idle window (fractions allowed)"
    )
    parser.add_argument(
        "--idle-threshold", type=float, metavar="PCT", help="utilisation below this is idle"
    )
    parser.add_argument("--price-per-hour", type=float, metavar="P", help="for the estimate")
    parser.add_argument("--json", action="store_true", help="print JSON lines")
    parser.set_defaults(handler=run)


def _positive(value: float | None, name: str) -> None:
    if value is not None and value <= 0:
        raise InputError(
            "monitor.bad_value", f"{name} must be greater than 0.", f"For example: {name} 30"
        )


def run(args: argparse.Namespace) -> int:
    """Sample until interrupted."""
    for value, name in (
        (args.interval, "--interval"),
        (args.idle_minutes, "--idle-minutes"),
        (args.price_per_hour, "--price-per-hour"),
    ):
        _positive(value, name)
    if args.idle_threshold is not None and not 0 < args.idle_threshold <= 100:
        raise InputError(
            "monitor.bad_value",
            "--idle-threshold must be a percentage between 0 and 100.",
            "For example: --idle-threshold 5",
        )
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
    connection = instance_connector(instance, secrets=secrets)()
    try:
        monitor = GpuMonitor(
            instance.alias,
            connection_sampler(connection.run),
            interval_s=args.interval or settings.monitor_interval_s,
            rule=rule,
            price_per_hour=price,
        )
        if not args.json:
            print(rule.describe(), file=sys.stderr, flush=True)
        for record in monitor.run(stop):
            print(json.dumps(record) if args.json else _human(record), flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        connection.close()
        signal.signal(signal.SIGTERM, previous)
    return ExitCode.OK


def _human(record: dict[str, Any]) -> str:
    if "alert" in record:
        return "ALERT " + idle_alert_text(
            record["alias"], record["idle_for_s"], record["price_per_hour"]
        )
    gpus = "  ".join(
        f"GPU{g['index']} {g['util']:>3} % {g['mem_used_mib']}/{g['mem_total_mib']} MiB"
        for g in record["gpus"]
    )
    cost = f"  cost ≈ {record['cost']:.2f}" if record["cost"] is not None else ""
    return f"{record['time']}  {gpus or 'no GPU'}  idle {record['idle_for_s']:.0f} s{cost}"
