"""Run one push or pull over an authenticated connection: :func:`run_transfer`.

Steps: resolve the roots, walk both sides (the instance's by one ``find``,
:mod:`.findlisting`), compare with the record (:mod:`.plan`), report the plan (deletions
listed before anything is deleted), check part files left by an interrupted run
(:mod:`.resume`), then move the files: small ones of a folder as tar streams
(:mod:`.streampush`, :mod:`.streampull`) while big ones go through
:class:`~.pipeline.Pipeline` s on SFTP channels, all on the ONE transport; the record is saved
as files finish, and ``--delete`` runs last.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import paramiko

from gpudesk.core.errors import GpuDeskError
from gpudesk.core.ssh.remote import Connection
from gpudesk.core.transfer import remotecmd
from gpudesk.core.transfer.destedits import delete_planned, make_dirs
from gpudesk.core.transfer.filejobs import DownloadJob, FileMove, UploadJob
from gpudesk.core.transfer.localfiles import part_name, sha256_file
from gpudesk.core.transfer.model import (
    Direction,
    FileDone,
    Progress,
    TransferError,
    TransferReport,
    TransferRequest,
    Tree,
)
from gpudesk.core.transfer.pipeline import Job, Pipeline, PipelineEvents
from gpudesk.core.transfer.plan import SendItem, TransferPlan, make_plan, synced_pair
from gpudesk.core.transfer.progressmeter import ProgressMeter
from gpudesk.core.transfer.record import SyncRecord
from gpudesk.core.transfer.resume import resume_offset
from gpudesk.core.transfer.roots import Roots, resolve_roots
from gpudesk.core.transfer.sftperrors import connection_lost, disk_full
from gpudesk.core.transfer.streamplan import (
    fits_in_command,
    stage_cleanup,
    stream_candidates,
    whole_folders,
)
from gpudesk.core.transfer.streampull import StreamPull
from gpudesk.core.transfer.streampush import StreamEvents, StreamPush
from gpudesk.core.transfer.trees import walk_both

log = logging.getLogger(__name__)

WINDOW_SIZE = 16 * 1024 * 1024
MAX_PACKET_SIZE = 256 * 1024
CHANNEL_TIMEOUT_S = 30.0
RECORD_SAVE_EVERY_S = 2.0


#: Bytes per read or write request. OpenSSH's sftp-server takes requests of up to 255 KiB
#: (``SFTP_MAX_MSG_LENGTH`` less headers); the SFTP draft promises only 32 KiB to others.
#: Fewer, bigger requests cost less Python per byte (measured in ``bench/transfer.py``).
OPENSSH_CHUNK = 255 * 1024
PORTABLE_CHUNK = 32 * 1024


def chunk_for(server_version: str) -> int:
    """The request size for a server announcing ``server_version`` (its SSH banner)."""
    return OPENSSH_CHUNK if "OpenSSH" in server_version else PORTABLE_CHUNK


@dataclass(frozen=True)
class TransferTuning:
    """Knobs measured in ``bench/transfer.py``: SFTP channels and what each keeps in flight.

    ``chunk`` 0 picks :func:`chunk_for` the server.
    """

    channels: int = 2
    chunk: int = 0
    max_files: int = 128
    max_bytes: int = 8 * 1024 * 1024


@dataclass
class TransferCallbacks:
    """What a caller hears while a transfer runs (all optional; called on its thread)."""

    on_plan: Callable[[TransferPlan], None] | None = None
    on_progress: Callable[[Progress], None] | None = None
    on_file: Callable[[FileDone], None] | None = None


def open_sftp(connection: Connection) -> paramiko.SFTPClient:
    """A new SFTP channel on the connection's transport (no new login)."""
    try:
        sftp = paramiko.SFTPClient.from_transport(
            connection.transport, window_size=WINDOW_SIZE, max_packet_size=MAX_PACKET_SIZE
        )
    except (paramiko.SSHException, EOFError, OSError) as exc:
        raise connection_lost(exc) from exc
    if sftp is None:
        raise connection_lost(EOFError("no SFTP channel"))
    sftp.get_channel().settimeout(CHANNEL_TIMEOUT_S)
    return sftp


def run_transfer(
    connection: Connection,
    request: TransferRequest,
    *,
    instance_id: str,
    callbacks: TransferCallbacks | None = None,
    cancel: threading.Event | None = None,
    tuning: TransferTuning = TransferTuning(),
    workdir: str | None = None,
) -> TransferReport:
    """Push or pull as ``request`` says; the connection stays open for the caller.

    A relative remote path in ``request`` is relative to ``workdir`` (the instance's work
    folder; None: the login home).

    Raises:
        InputError: A source that does not exist, or a file where a folder must be.
        TransferError: A refused write, a full disk, a file that changed mid-way.
        ConnectionLostError: The connection dropped (what finished is kept; run it again).
    """
    calls = callbacks or TransferCallbacks()
    stop = cancel or threading.Event()
    sftp = open_sftp(connection)
    try:
        run = _Run(connection, sftp, request, instance_id, calls, stop, tuning, workdir)
        return run.go()
    except (paramiko.SSHException, EOFError, ConnectionError, TimeoutError) as exc:
        raise connection_lost(exc) from exc
    finally:
        # On a dropped link closing fails too (EOFError): that must not hide the real error.
        with contextlib.suppress(paramiko.SSHException, EOFError, OSError):
            sftp.close()


class _Run:
    def __init__(
        self,
        connection: Connection,
        sftp: paramiko.SFTPClient,
        request: TransferRequest,
        instance_id: str,
        calls: TransferCallbacks,
        cancel: threading.Event,
        tuning: TransferTuning,
        workdir: str | None,
    ) -> None:
        self.connection, self.sftp, self.request = connection, sftp, request
        self.calls, self.cancel, self.tuning = calls, cancel, tuning
        self.push = request.direction is Direction.PUSH
        self.roots: Roots = resolve_roots(sftp, request, workdir)
        self.record = SyncRecord(instance_id, self.roots.local, self.roots.remote)
        self.lock = threading.Lock()
        self.sent: list[FileDone] = []
        self.run = connection.run

    # --- planning -------------------------------------------------------------------------

    def go(self) -> TransferReport:
        source, dest = walk_both(
            self.sftp, self.roots, self.request.excludes, push=self.push, run=self.run
        )
        hashes = self._hashes(source, dest) if self.request.checksum else None
        plan = make_plan(
            self.request.direction,
            source,
            dest,
            self.record,
            delete=self.request.delete,
            hashes=hashes,
            conflict_policy=self.request.conflict_policy,
        )
        if self.calls.on_plan is not None:
            self.calls.on_plan(plan)
        report = TransferReport(
            files_skipped=len(plan.equal),
            conflicts=tuple(plan.conflicts),
            deleted=tuple(plan.delete),
            planned=tuple(item.dest_path for item in plan.send),
            skipped_links=tuple(source.skipped_links),
            saved_beside=tuple(i.dest_path for i in plan.send if i.dest_path != i.source.path),
            dry_run=self.request.dry_run,
        )
        if self.request.dry_run:
            return report
        for path, synced in plan.equal.items():
            self.record.put(path, synced)
        roots, sftp, run = self.roots, self.sftp, self.run
        offsets = {
            item.dest_path: resume_offset(item, dest, roots, sftp, run, push=self.push)
            for item in plan.send
        }
        cancelled = self._move(plan, offsets, dest)
        if not cancelled and plan.delete:
            delete_planned(self.sftp, self.roots, plan, push=self.push)
            for path in plan.delete:
                self.record.forget(path)
        self.record.save()
        bytes_sent = sum(done.bytes_sent for done in self.sent)
        deleted = report.deleted if not cancelled else ()
        return replace(
            report,
            files_sent=len(self.sent),
            bytes_sent=bytes_sent,
            deleted=deleted,
            cancelled=cancelled,
        )

    def _hashes(self, source: Tree, dest: Tree) -> tuple[dict[str, str], dict[str, str]]:
        both = sorted(set(source.files) & set(dest.files))
        remote_tree = dest if self.push else source
        local = {p: sha256_file(self.roots.local_path(p)) for p in both}
        remote_paths = [self.roots.remote_path(p) for p in both]
        total = sum(remote_tree.files[p].size for p in both)
        remote_list = remotecmd.remote_sha256(self.connection.run, remote_paths, total)
        remote = dict(zip(both, remote_list, strict=True))
        return (local, remote) if self.push else (remote, local)

    # --- moving -------------------------------------------------------------------------

    def _job(self, pipeline: Pipeline, item: SendItem, offset: int) -> Job:
        entry, dest = item.source, item.dest_path
        source_path = self.roots.local_path if self.push else self.roots.remote_path
        dest_path = self.roots.remote_path if self.push else self.roots.local_path
        move = FileMove(
            dest,
            source_path(entry.path),
            dest_path(part_name(dest)),
            dest_path(dest),
            entry.size,
            entry.mode,
            entry.mtime,
            offset,
            item,
        )
        return UploadJob(pipeline, move) if self.push else DownloadJob(pipeline, move)

    def _finished(self, meter: ProgressMeter, done: FileDone, item: Any) -> None:
        meter.file_finished(done.path)
        with self.lock:
            self.sent.append(done)
            if isinstance(item, SendItem) and item.dest_path == item.source.path:
                self.record.put(
                    item.source.path, synced_pair(self.request.direction, item.source, item.source)
                )
        if self.calls.on_file is not None:
            self.calls.on_file(done)

    def _stream_first(
        self, items: list[SendItem], plan: TransferPlan, dest: Tree
    ) -> tuple[list[SendItem], tuple[StreamPush | StreamPull, list[SendItem]] | None]:
        """Make the folders, and split off the small files a tar stream takes (a folder
        pushed or pulled, tar on the instance). Stale staging folders are removed either way.

        Returns the files left for SFTP and the opened :class:`StreamPush` with its files.
        """
        small, rest = stream_candidates(items)
        if not self.push and self.roots.single is None and small:
            make_dirs(self.sftp, self.roots, plan.make_dirs, push=False)
            puller = StreamPull(self.connection, self.roots)
            return (rest, (puller, small)) if puller.open() else (items, None)
        if not self.push or self.roots.single is not None or not small:
            if self.push and dest.stages:
                self.run(stage_cleanup(self.roots.remote, dest.stages), timeout=60.0)
            make_dirs(self.sftp, self.roots, plan.make_dirs, push=self.push)
            return items, None
        # New folders of small files only are moved in whole by the stream; the others
        # are made first: by the first stream command when no file goes over SFTP (no
        # round trip), else over SFTP.
        whole = whole_folders(plan.make_dirs, small, rest)
        dirs = [d for d in plan.make_dirs if d not in whole]
        in_command = not rest and fits_in_command(self.roots, dirs)
        if not in_command:
            make_dirs(self.sftp, self.roots, dirs, push=self.push)
        stream = StreamPush(self.connection, self.roots, dest.parts, whole)
        if not stream.open(dest.stages, dirs if in_command else []):
            made = dirs if not in_command else []
            make_dirs(
                self.sftp, self.roots, [d for d in plan.make_dirs if d not in made], push=True
            )
            return items, None
        return rest, (stream, small)

    def _move(self, plan: TransferPlan, offsets: dict[str, int], dest: Tree) -> bool:
        """Make folders and move the planned files; True when cancelled. Raises the first
        failure."""
        items = sorted(plan.send, key=lambda i: -i.source.size)  # big files start first
        meter = ProgressMeter(sum(i.source.size - offsets[i.dest_path] for i in items), len(items))
        items, streamed = self._stream_first(items, plan, dest)
        if not items and streamed is None:
            return self.cancel.is_set()
        queue: Iterator[SendItem] = iter(items)
        take = threading.Lock()

        def jobs_for(pipeline: Pipeline) -> Callable[[], Job | None]:
            def next_job() -> Job | None:
                with take:
                    item = next(queue, None)
                return None if item is None else self._job(pipeline, item, offsets[item.dest_path])

            return next_job

        events = PipelineEvents(
            meter.add_bytes, lambda done, item: self._finished(meter, done, item)
        )
        stop = threading.Event()
        errors: list[GpuDeskError] = []
        pipelines: list[Pipeline] = []
        threads = []
        if streamed is not None:
            stream_events = StreamEvents(events.on_bytes, events.on_done)
            threads.append(
                threading.Thread(
                    target=self._drive_stream,
                    args=(*streamed, stream_events, errors, stop),
                    name="gpudesk-transfer-stream",
                    daemon=True,
                )
            )
        count = min(self.tuning.channels, len(items))
        for number in range(count):
            sftp = self.sftp if number == 0 else open_sftp(self.connection)
            pipeline = Pipeline(
                sftp,
                events,
                self.cancel,
                stop,
                chunk=self.tuning.chunk or chunk_for(str(self.connection.transport.remote_version)),
                max_files=self.tuning.max_files,
                max_bytes=self.tuning.max_bytes,
            )
            pipelines.append(pipeline)
            threads.append(
                threading.Thread(
                    target=self._drive,
                    args=(pipeline, jobs_for(pipeline), errors, stop),
                    name=f"gpudesk-transfer-{number}",
                    daemon=True,
                )
            )
        for thread in threads:
            thread.start()
        saved = time.monotonic()
        while alive := [thread for thread in threads if thread.is_alive()]:
            alive[0].join(0.2)
            if self.calls.on_progress is not None:
                self.calls.on_progress(meter.snapshot())
            if time.monotonic() - saved > RECORD_SAVE_EVERY_S:
                with self.lock:
                    self.record.save()
                saved = time.monotonic()
        for pipeline in pipelines:
            if pipeline.sftp is not self.sftp:
                pipeline.sftp.close()
        if self.calls.on_progress is not None:
            self.calls.on_progress(meter.snapshot())
        failures = [job.error for p in pipelines for job in p.failed if job.error is not None]
        if errors or failures:
            self.record.save()
            raise self._refine(errors[0] if errors else failures[0])
        return self.cancel.is_set()

    @staticmethod
    def _drive(
        pipeline: Pipeline,
        jobs: Callable[[], Job | None],
        errors: list[GpuDeskError],
        stop: threading.Event,
    ) -> None:
        try:
            pipeline.run(jobs)
        except GpuDeskError as exc:
            errors.append(exc)
            stop.set()

    def _drive_stream(
        self,
        stream: StreamPush | StreamPull,
        small: list[SendItem],
        events: StreamEvents,
        errors: list[GpuDeskError],
        stop: threading.Event,
    ) -> None:
        try:
            stream.send(small, events, lambda: self.cancel.is_set() or stop.is_set())
        except GpuDeskError as exc:
            errors.append(exc)
            stop.set()
        except Exception as exc:  # a thread must never end silently: the run would look whole
            log.exception("the file stream failed")
            errors.append(
                TransferError(
                    "transfer.request_failed",
                    f"The file stream to the instance failed ({type(exc).__name__}: {exc}).",
                    "Try again; if it keeps failing, run it with -v and report it.",
                )
            )
            stop.set()

    def _refine(self, error: GpuDeskError) -> GpuDeskError:
        """A failed write on a full disk says so."""
        if error.code != "transfer.write_failed" or not self.push:
            return error
        free = remotecmd.remote_free_bytes(self.connection.run, self.roots.remote)
        if free is not None and free < 1024 * 1024:
            return disk_full(self.roots.remote, free)
        return error
