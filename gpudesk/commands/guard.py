"""`gpudesk guard ALIAS`: install, read, postpone or cancel the cost guard on an instance.

Installing (the default) replaces any guard there and prints its state; ``--status``,
``--postpone MINUTES`` and ``--cancel`` act on the running one. ``--json`` prints
``{"active","rules","idle_for_s","powers_off_at","last_sample","phase","reason","notice"}``.
Without any rule the idle rule applies with the settings' minutes and threshold.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from gpudesk.commands.common import add_json_and_handler, print_json
from gpudesk.commands.runcontrol import open_secrets
from gpudesk.core.errors import ExitCode, InputError
from gpudesk.core.guard.control import (
    cancel_guard,
    check_postpone_minutes,
    guard_status,
    install_guard,
    postpone_guard,
)
from gpudesk.core.guard.rules import (
    DEFAULT_GRACE_MINUTES,
    DEFAULT_INTERVAL_S,
    GuardRules,
    next_clock_time,
    power_off_command_for,
)
from gpudesk.core.guard.status import GuardStatus
from gpudesk.core.monitor.gpumonitor import iso_time
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.store.settings import load_settings
from gpudesk.core.tunnels import instance_connector

_RULE_OPTIONS = (
    "idle_minutes",
    "idle_threshold",
    "after_pid",
    "after_process",
    "at",
    "max_hours",
    "grace_minutes",
    "interval",
    "power_off_command",
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``guard`` subcommand."""
    parser = subparsers.add_parser(
        "guard", help="power an instance off from the instance itself when it idles or ends"
    )
    parser.add_argument("alias", metavar="ALIAS", help="a saved instance")
    parser.add_argument("--idle-minutes", type=float, metavar="M", help="idle window")
    parser.add_argument(
        "--idle-threshold", type=float, metavar="PCT", help="utilisation below this is idle"
    )
    process = parser.add_mutually_exclusive_group()
    process.add_argument("--after-pid", type=int, metavar="PID", help="after this process ends")
    process.add_argument(
        "--after-process", metavar="PATTERN", help="after the first process matching this ends"
    )
    clock = parser.add_mutually_exclusive_group()
    clock.add_argument("--at", metavar="HH:MM", help="power off at this local time")
    clock.add_argument("--max-hours", type=float, metavar="H", help="power off after H hours")
    parser.add_argument("--grace-minutes", type=float, metavar="G", help="warning time (default 5)")
    parser.add_argument(
        "--interval", type=float, metavar="S", help="sampling period on the instance (60)"
    )
    parser.add_argument(
        "--power-off-command", metavar="CMD", help="run on the instance to power it off"
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--status", action="store_true", help="show the guard's state")
    action.add_argument("--postpone", type=float, metavar="MINUTES", help="hold the power-off")
    action.add_argument("--cancel", action="store_true", help="stop and remove the guard")
    add_json_and_handler(parser, run)


def rules_from_args(args: argparse.Namespace, platform_id: str | None) -> GuardRules:
    """The rules the options ask for (validated), with the platform's power-off command."""
    settings = load_settings()
    idle_minutes = args.idle_minutes
    other_rule = any(
        value is not None for value in (args.after_pid, args.after_process, args.at, args.max_hours)
    )
    if idle_minutes is None and (args.idle_threshold is not None or not other_rule):
        idle_minutes = float(settings.idle_minutes)
    rules = GuardRules(
        idle_minutes=idle_minutes,
        idle_threshold_pct=(
            args.idle_threshold
            if args.idle_threshold is not None
            else float(settings.idle_threshold_pct)
        ),
        after_pid=args.after_pid,
        after_process=args.after_process,
        deadline=None if args.at is None else next_clock_time(args.at, datetime.now().astimezone()),
        max_hours=args.max_hours,
        grace_minutes=DEFAULT_GRACE_MINUTES if args.grace_minutes is None else args.grace_minutes,
        interval_s=DEFAULT_INTERVAL_S if args.interval is None else args.interval,
        power_off_command=args.power_off_command or power_off_command_for(platform_id),
    )
    rules.validate()
    return rules


def run(args: argparse.Namespace) -> int:
    """Install, or act on, the guard of one saved instance."""
    acting = args.status or args.cancel or args.postpone is not None
    if acting and any(getattr(args, name) is not None for name in _RULE_OPTIONS):
        raise InputError(
            "guard.bad_rule",
            "Rules are given only when installing the guard, not with "
            "--status, --postpone or --cancel.",
            "Run `gpudesk guard ALIAS --idle-minutes 30` to install it with new rules.",
        )
    if args.postpone is not None:
        check_postpone_minutes(args.postpone)  # before logging in
    instance = InstanceStore().require(args.alias)
    rules = None if acting else rules_from_args(args, instance.platform_id)
    if rules is not None and rules.power_off_command is None:
        print(
            "gpudesk: no way to power this platform off from inside the instance is known; "
            "the guard will only warn (give --power-off-command to change that).",
            file=sys.stderr,
        )
    secrets = open_secrets()
    with instance_connector(instance, secrets=secrets)() as connection:
        if args.status:
            status = guard_status(connection)
        elif args.cancel:
            status = cancel_guard(connection)
        elif args.postpone is not None:
            status = postpone_guard(connection, args.postpone)
        elif rules is not None:
            status = install_guard(connection, rules)
    if args.json:
        print_json(status.to_json())
    else:
        print(describe(status))
    return ExitCode.OK


def describe(status: GuardStatus) -> str:
    """The status in a few English lines."""
    if not status.active:
        ended = f" (last state: {status.phase})" if status.phase else ""
        return f"No guard is running{ended}."
    rules = status.rules
    parts = []
    if rules.get("idle_minutes") is not None:
        parts.append(
            f"idle below {rules['idle_threshold_pct']:g} % for {rules['idle_minutes']:g} min"
        )
    if rules.get("after_pid") is not None:
        parts.append(f"after process {rules['after_pid']} ends")
    if rules.get("at") is not None:
        parts.append(f"at {rules['at']}")
    if rules.get("max_hours") is not None:
        parts.append(f"after {rules['max_hours']:g} h")
    lines = [f"Guard running: {'; '.join(parts) or 'no rule'}."]
    if status.warns_only:
        lines.append("No power-off command is known for this platform: the guard only warns.")
    if status.idle_for_s is not None:
        lines.append(f"Idle for {status.idle_for_s:.0f} s.")
    sample = status.last_sample
    if sample is not None:
        gpus = ", ".join(f"GPU{g.index} {g.util} %" for g in sample.gpus)
        lines.append(f"Last sample: {gpus if sample.readable else sample.problem}.")
    if status.powers_off_at is not None:
        lines.append(f"Powers off at {iso_time(status.powers_off_at)}.")
    return "\n".join(lines)
