"""`gpudesk push ALIAS LOCAL [REMOTE]` and `gpudesk pull ALIAS REMOTE [LOCAL]`.

Both log in once (the saved instance's key or password, host key pinned) and move files over
SFTP channels of that one connection. REMOTE defaults to the instance's work folder; a
relative REMOTE is relative to it. Text mode shows a progress bar on a terminal (``rich``);
``--json`` prints one line per finished file, progress lines at most :data:`JSON_PROGRESS_HZ`
times a second, and last ``{"event": "done", "files_sent", "bytes_sent", "files_skipped",
"conflicts"}``. Exit 0 when everything is there, 8 when conflicts were left alone, 2 on bad
input, 6 when the instance is unreachable. Ctrl-C stops cleanly; the next run resumes.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from typing import Any

from gpudesk.commands.runcontrol import open_secrets, stop_on_signals
from gpudesk.core.errors import ExitCode, GpuDeskError
from gpudesk.core.store.instances import Instance, InstanceStore
from gpudesk.core.transfer.model import (
    Direction,
    FileDone,
    Progress,
    TransferReport,
    TransferRequest,
)
from gpudesk.core.transfer.plan import TransferPlan
from gpudesk.core.transfer.roots import check_request
from gpudesk.core.transfer.runner import TransferCallbacks, run_transfer
from gpudesk.core.tunnels import instance_connector

#: At most this many JSON progress lines per second.
JSON_PROGRESS_HZ = 4.0
EXIT_INTERRUPTED = 130


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``push`` and ``pull`` subcommands."""
    push = subparsers.add_parser("push", help="copy a local file or folder to an instance")
    push.add_argument("alias", metavar="ALIAS", help="a saved instance")
    push.add_argument("local", metavar="LOCAL", help="the file or folder to send")
    push.add_argument("remote", metavar="REMOTE", nargs="?", default="", help="folder to copy into")
    pull = subparsers.add_parser("pull", help="copy a file or folder from an instance")
    pull.add_argument("alias", metavar="ALIAS", help="a saved instance")
    pull.add_argument("remote", metavar="REMOTE", help="the remote file or folder to fetch")
    pull.add_argument("local", metavar="LOCAL", nargs="?", default=".", help="folder to copy into")
    for parser, direction in ((push, Direction.PUSH), (pull, Direction.PULL)):
        parser.add_argument(
            "--exclude",
            action="append",
            default=[],
            metavar="PATTERN",
            help="leave out files matching this .gitignore-style pattern (repeatable)",
        )
        parser.add_argument(
            "--checksum", action="store_true", help="compare content, not size and time"
        )
        parser.add_argument(
            "--delete", action="store_true", help="remove files the source does not have"
        )
        parser.add_argument("--dry-run", action="store_true", help="show what would happen")
        parser.add_argument("--json", action="store_true", help="print JSON lines")
        parser.set_defaults(handler=run, direction=direction)


def _workdir(instance: Instance) -> str | None:
    if instance.workdir:
        return instance.workdir
    platform_id = instance.platform_id or instance.target.platform_id
    if platform_id:
        from gpudesk.core.catalog.platforms import default_catalog  # only here: a quicker start

        try:
            workdir = default_catalog().by_id(platform_id).workdir
        except GpuDeskError:
            return None
        return workdir if workdir.startswith("/") else None
    return None


def run(args: argparse.Namespace) -> int:
    """Push or pull; the exit code says whether conflicts were left."""
    request = TransferRequest(
        direction=args.direction,
        local=args.local,
        remote=args.remote,
        excludes=tuple(args.exclude),
        checksum=args.checksum,
        delete=args.delete,
        dry_run=args.dry_run,
    )
    check_request(request)  # before logging in
    instance = InstanceStore().require(args.alias)
    secrets = open_secrets()
    cancel = threading.Event()
    output = JsonOutput() if args.json else TextOutput()
    try:
        with (
            stop_on_signals(cancel, signal.SIGINT, signal.SIGTERM),
            instance_connector(instance, secrets=secrets)() as connection,
        ):
            report = run_transfer(
                connection,
                request,
                instance_id=instance.instance_id,
                callbacks=output.callbacks(),
                cancel=cancel,
                workdir=_workdir(instance),
            )
    finally:
        output.close()
    output.finish(report)
    if report.cancelled:
        print("gpudesk: stopped; run the same command again to resume.", file=sys.stderr)
        return EXIT_INTERRUPTED
    return ExitCode.TRANSFER_CONFLICTS if report.conflicts else ExitCode.OK


def summary(report: TransferReport) -> dict[str, Any]:
    """The last JSON line."""
    data: dict[str, Any] = {
        "event": "done",
        "files_sent": report.files_sent,
        "bytes_sent": report.bytes_sent,
        "files_skipped": report.files_skipped,
        "conflicts": list(report.conflicts),
    }
    if report.deleted:
        data["deleted"] = list(report.deleted)
    if report.skipped_links:
        data["skipped_links"] = list(report.skipped_links)
    if report.saved_beside:
        data["saved_beside"] = list(report.saved_beside)
    if report.dry_run:
        data["dry_run"] = True
        data["would_send"] = list(report.planned)
    if report.cancelled:
        data["cancelled"] = True
    return data


class JsonOutput:
    """JSON lines on stdout: deletions planned, each file, throttled progress, the summary."""

    def __init__(self) -> None:
        self._last = 0.0

    def callbacks(self) -> TransferCallbacks:
        """The callbacks printing this output."""
        return TransferCallbacks(self.plan, self.progress, self.file)

    @staticmethod
    def _print(data: dict[str, Any]) -> None:
        print(json.dumps(data, ensure_ascii=False), flush=True)

    def plan(self, plan: TransferPlan) -> None:
        """List what will be deleted before anything is."""
        for path in plan.delete:
            self._print({"event": "delete", "path": path})

    def progress(self, progress: Progress) -> None:
        """A progress line, at most JSON_PROGRESS_HZ a second."""
        now = time.monotonic()
        if now - self._last < 1.0 / JSON_PROGRESS_HZ:
            return
        self._last = now
        self._print(
            {
                "event": "progress",
                "bytes_done": progress.bytes_done,
                "bytes_total": progress.bytes_total,
                "files_done": progress.files_done,
                "files_total": progress.files_total,
                "rate_bytes_s": round(progress.rate_bps),
                "eta_s": None if progress.eta_s is None else round(progress.eta_s, 1),
            }
        )

    def file(self, done: FileDone) -> None:
        """One line per finished file."""
        self._print(
            {
                "event": "file",
                "path": done.path,
                "size": done.size,
                "bytes_sent": done.bytes_sent,
                "resumed_from": done.resumed_from,
            }
        )

    def close(self) -> None:
        """Nothing to tear down."""

    def finish(self, report: TransferReport) -> None:
        """The summary line."""
        self._print(summary(report))


class TextOutput:
    """A progress bar on a terminal (``rich``), plain lines otherwise."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )
        from rich.progress import (
            Progress as Bar,
        )

        self.console = Console(stderr=True)
        self.bar: Bar | None = None
        self.task: Any = None
        if self.console.is_terminal:
            self.bar = Bar(
                "[progress.description]{task.description}",
                BarColumn(),
                DownloadColumn(),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )

    def callbacks(self) -> TransferCallbacks:
        """The callbacks drawing this output."""
        return TransferCallbacks(self.plan, self.progress, None)

    def plan(self, plan: TransferPlan) -> None:
        """Say what will be deleted before anything is."""
        for path in plan.delete:
            print(f"delete {path}", flush=True)

    def progress(self, progress: Progress) -> None:
        """Move the bar."""
        if self.bar is None:
            return
        if self.task is None:
            self.bar.start()
            self.task = self.bar.add_task("files", total=progress.bytes_total)
        description = f"{progress.files_done}/{progress.files_total} files"
        self.bar.update(
            self.task,
            completed=progress.bytes_done,
            total=progress.bytes_total,
            description=description,
        )

    def close(self) -> None:
        """Remove the bar."""
        if self.bar is not None and self.task is not None:
            self.bar.stop()

    def finish(self, report: TransferReport) -> None:
        """A short summary on stdout; conflicts listed."""
        verb = "would send" if report.dry_run else "sent"
        count = len(report.planned) if report.dry_run else report.files_sent
        print(
            f"{verb} {count} files ({report.bytes_sent:,} bytes), "
            f"{report.files_skipped} already there"
        )
        for path in report.deleted:
            print(f"{'would delete' if report.dry_run else 'deleted'} {path}")
        for path in report.skipped_links:
            print(f"not followed (link): {path}")
        for path in report.conflicts:
            print(f"conflict, left alone: {path}")
        if report.conflicts:
            print(
                f"{len(report.conflicts)} files changed on the destination since gpudesk last "
                "synced them; they were not overwritten.",
                file=sys.stderr,
            )
