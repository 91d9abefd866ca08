"""`gpudesk check CMD`: log in, verify the host key, and show what the instance is."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from gpudesk.commands.common import (
    add_login_arguments,
    credentials_from_args,
    host_key_confirmer,
    parse_target,
    print_json,
    progress_printer,
    target_json,
)
from gpudesk.core.catalog.platforms import default_catalog
from gpudesk.core.errors import ExitCode
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.check import CheckResult, check_instance
from gpudesk.core.ssh.hostkeys import pin_name_for_address


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``check`` subcommand."""
    parser = subparsers.add_parser("check", help="log in and show GPU, CUDA, Python, disk")
    add_login_arguments(parser)
    parser.set_defaults(handler=run)


def probe_directories(target: SshTarget) -> list[str]:
    """The platform's work and persistent directories, then the home directory."""
    directories: list[str] = []
    if target.platform_id:
        platform = default_catalog().by_id(target.platform_id)
        directories += [platform.workdir, *platform.persistent_dirs]
    directories.append("~")
    return list(dict.fromkeys(d for d in directories if d))


def run(args: argparse.Namespace) -> int:
    """Check the instance; exit codes per :class:`ExitCode`."""
    target = parse_target(args.command)
    credentials = credentials_from_args(args, target)
    result = check_instance(
        target,
        credentials,
        pin_name=pin_name_for_address(target),
        directories=probe_directories(target),
        confirm_new_host_key=host_key_confirmer(args.accept_new_host_key),
        progress=progress_printer(not args.json),
    )
    if args.json:
        print_json(result_as_json(result))
    else:
        print(format_result(result))
    return ExitCode.OK


def result_as_json(result: CheckResult) -> dict[str, Any]:
    """The JSON document `check --json` prints."""
    report = asdict(result.report)
    return {
        "target": target_json(result.target),
        "host_key": {
            "pin": result.host_key.pin_name,
            "type": result.host_key.key.key_type,
            "fingerprint": result.host_key.key.fingerprint,
            "newly_pinned": result.host_key.newly_pinned,
        },
        "report": report,
    }


def _gib(value: int) -> str:
    return f"{value / 1024**3:.1f} GiB"


def format_result(result: CheckResult) -> str:
    """A readable summary, one fact per line."""
    report = result.report
    target = result.target
    pinned = "newly pinned" if result.host_key.newly_pinned else "matches the pin"
    lines = [
        f"Connected  {target.user}@{target.address}"
        + (f" ({target.platform_id})" if target.platform_id else ""),
        f"Host key   {result.host_key.key.key_type} {result.host_key.key.fingerprint} ({pinned})",
        f"Hostname   {report.hostname}",
        f"OS         {report.os_name}",
    ]
    for gpu in report.gpus:
        lines.append(
            f"GPU {gpu.index}      {gpu.name}, {gpu.memory_total_mib} MiB "
            f"({gpu.memory_used_mib} MiB used), {gpu.utilization_pct} % busy"
        )
    if not report.gpus:
        lines.append("GPU        none found")
    if report.driver_version or report.cuda_version:
        lines.append(
            f"Driver     {report.driver_version or '?'}, CUDA {report.cuda_version or '?'}"
        )
    lines.append(f"Python     {report.python_version or 'not found'}")
    if report.torch:
        cuda = "sees CUDA" if report.torch.cuda_available else "does NOT see CUDA"
        lines.append(f"PyTorch    {report.torch.version}, {cuda}")
    for disk in report.disks:
        lines.append(
            f"Disk       {disk.path}: {_gib(disk.free_bytes)} free of {_gib(disk.total_bytes)}"
        )
    lines += [f"Note       {note}" for note in report.notes]
    return "\n".join(lines)
