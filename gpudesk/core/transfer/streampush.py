"""Push many small files as tar streams into a staging folder, then move them into place.

Sent one by one over SFTP, a small file costs round trips (open, write, check, close,
rename); on a 40 ms link 10,000 of them take far longer than rsync. Here they go as tar
streams (:mod:`.tarformat`) on exec channels into ``<root>/.gpudesk-stage-<random>/`` —
inside the destination tree, so on the same file system and every move is an atomic rename —
unpacked by the instance's ``tar -x -p --no-same-owner`` (mode and time kept). Only when
``tar`` has read a WHOLE stream without an error does the script sent as its last member run
(:func:`~.streamplan.moves_script`): ``mv -f -- a b c <folder>/`` per destination folder,
``K <n>`` printed for each that succeeded; a new folder holding only small files is
moved in whole, one rename instead of one per file. A stream cut short (a lost link, Cancel) never
reaches its moves: nothing half-written is at a final name, and the next run removes the
stale staging folder.

The files go in batches (:func:`~.streamplan.batches`), one command each. While a batch
streams, the next batch's command is started on another channel and the previous batch is
moved into place by the instance; a batch's script member is sent only after the previous
batch's report came back, so the last script may remove the whole staging folder. Only GNU
tar or bsdtar is used; without one :meth:`StreamPush.open` says so and the caller uses SFTP.
On a link slower than a local network (first round trip over
:data:`COMPRESS_ABOVE_RTT_S`) the stream is gzip level 1 when the instance has gzip.
"""

from __future__ import annotations

import contextlib
import logging
import os
import posixpath
import secrets
import time
import zlib
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import paramiko

from gpudesk.core.errors import GpuDeskError
from gpudesk.core.ssh.remote import Connection, read_bounded_output
from gpudesk.core.transfer import streamplan
from gpudesk.core.transfer.model import STAGE_PREFIX, FileDone, TransferError
from gpudesk.core.transfer.plan import SendItem
from gpudesk.core.transfer.roots import Roots
from gpudesk.core.transfer.sftperrors import (
    connection_lost,
    disk_full,
    local_io_error,
    status_error,
)
from gpudesk.core.transfer.tarformat import END_OF_ARCHIVE, file_header, padding

log = logging.getLogger(__name__)

#: Bytes handed to the channel at once.
SEND_BLOCK = 1024 * 1024
#: The tar program on the instance (a module attribute so tests can point it elsewhere).
TAR_PROGRAM = "tar"
CHANNEL_TIMEOUT_S = 30.0
#: A first round trip slower than this (not a local network) turns on gzip for the stream.
COMPRESS_ABOVE_RTT_S = 0.005
#: What a batch's report may print (``K <n>`` lines and errors).
MAX_REPORT_BYTES = 1024 * 1024


@dataclass(frozen=True)
class StreamEvents:
    """What the stream reports: bytes handed to the link, and each file in its place."""

    on_bytes: Callable[[int], None]
    on_done: Callable[[FileDone, SendItem], None]


@dataclass
class _Sent:
    """A batch whose stream is complete and whose report is awaited."""

    channel: paramiko.Channel
    groups: list[streamplan.MoveGroup]
    files: int


class StreamPush:
    """One run's small files: :meth:`open`, then :meth:`send` (on any thread).

    Args:
        connection: The logged-in connection (a new exec channel per batch).
        roots: The transfer's roots (the remote root is the destination tree).
        parts: Part files (relative) left on the instance by earlier runs; removed when the
            stream brings their file.
        whole: New folders (relative) placed whole (:func:`~.streamplan.whole_folders`):
            not made beforehand, their files kept in one batch.
    """

    def __init__(
        self,
        connection: Connection,
        roots: Roots,
        parts: set[str],
        whole: Collection[str] = (),
    ) -> None:
        self.connection = connection
        self.roots = roots
        self.parts = parts
        self.whole = whole
        self.stage = posixpath.join(roots.remote, STAGE_PREFIX + secrets.token_hex(6))
        self.compress = False
        self.first: paramiko.Channel | None = None

    def open(self, stale: set[str], dirs: Sequence[str]) -> bool:
        """Start the first batch's command: stale staging folders removed, tar checked,
        ``dirs`` (relative, parents first) made.

        Returns False (no folder made) when the instance has no GNU tar or bsdtar.

        Raises:
            TransferError: A folder could not be made (e.g. permission denied).
            ConnectionLostError: The link dropped.
        """
        self.first = self._start(0, stale, dirs)
        return self.first is not None

    def _start(
        self, number: int, stale: Iterable[str] = (), dirs: Sequence[str] = ()
    ) -> paramiko.Channel | None:
        """Open a channel and run batch ``number``'s command up to its ``R`` line."""

        def command(gzip: bool) -> str:
            return streamplan.batch_command(
                self.roots, self.stage, number, TAR_PROGRAM, stale=stale, dirs=dirs, compress=gzip
            )

        decided = None if number == 0 else self.compress
        started = start_command(self.connection, self.roots.remote, command, decided)
        if started is None:
            return None
        channel, self.compress, _rest = started
        return channel

    def remove_stage(self) -> None:
        """Remove this run's staging folder (best effort: a next run removes it too)."""
        with contextlib.suppress(GpuDeskError):
            command = streamplan.stage_cleanup(self.roots.remote, {posixpath.basename(self.stage)})
            self.connection.run(command, timeout=60.0)

    def send(
        self, items: Sequence[SendItem], events: StreamEvents, stopped: Callable[[], bool]
    ) -> None:
        """Send ``items`` (after :meth:`open`); returns early once ``stopped()``, with
        nothing half-placed and the staging folder removed.

        Raises:
            TransferError: tar or a move failed on the instance, or a source file changed.
            ConnectionLostError: The link dropped (the stage is left for the next run).
        """
        batches = list(streamplan.batches(items, whole=self.whole))
        channels: list[paramiko.Channel] = []
        waiting: _Sent | None = None
        upcoming: Future[paramiko.Channel | None] | None = None
        finished = lost = False
        try:
            with ThreadPoolExecutor(1, thread_name_prefix="gpudesk-stream-start") as starter:
                for number, batch in enumerate(batches):
                    channel = self.first if upcoming is None else upcoming.result()
                    upcoming = None
                    if channel is None:
                        raise refused(self.roots.remote, "unpack files into", "tar is gone")
                    channels.append(channel)
                    if number + 1 < len(batches):
                        upcoming = starter.submit(self._start, number + 1)
                    last = number + 1 == len(batches)
                    sent = self._send_batch(channel, number, batch, last, events, stopped, waiting)
                    waiting = sent
                    if sent is None:  # stopped: this batch never reaches its moves
                        break
            if waiting is not None:
                self._collect(waiting, events)
            finished = waiting is not None
        except (paramiko.SSHException, OSError, EOFError) as exc:
            lost = True
            raise connection_lost(exc) from exc
        except GpuDeskError as exc:
            lost = exc.code == "transfer.connection_lost"
            raise
        finally:
            if upcoming is not None and upcoming.done() and upcoming.exception() is None:
                channels += [c for c in (upcoming.result(),) if c is not None]
            if not finished and not lost:
                for open_channel in channels:  # tar must be done before its folder goes
                    _end_quietly(open_channel)
                self.remove_stage()
            self._close(channels)

    @staticmethod
    def _close(channels: list[paramiko.Channel]) -> None:
        for channel in channels:
            with contextlib.suppress(paramiko.SSHException, OSError, EOFError):
                channel.close()

    def _send_batch(
        self,
        channel: paramiko.Channel,
        number: int,
        batch: list[SendItem],
        last: bool,
        events: StreamEvents,
        stopped: Callable[[], bool],
        previous: _Sent | None,
    ) -> _Sent | None:
        """Stream one batch; the previous batch's report is read before the script member
        goes. None when stopped before the stream was whole."""
        folder = posixpath.join(self.stage, f"b{number}")
        groups = streamplan.move_groups(batch, self.whole)
        remove = self.stage if last else folder
        script = streamplan.moves_script(self.roots, folder, groups, self.parts, remove)
        packer = zlib.compressobj(1, zlib.DEFLATED, 31) if self.compress else None

        def put(data: bytes) -> None:
            channel.sendall(data if packer is None else packer.compress(data))

        pending: list[bytes] = []
        size = 0
        for item in batch:
            if stopped():
                if previous is not None:
                    self._collect(previous, events)
                return None
            data = _read_whole(self.roots.local_path(item.source.path), item)
            mode = item.source.mode or 0o644
            header = file_header(f"f/{item.dest_path}", len(data), mode, item.source.mtime)
            pending += (header, data, padding(len(data)))
            size += len(data) + 1024
            events.on_bytes(len(data))
            if size >= SEND_BLOCK:
                put(b"".join(pending))
                pending, size = [], 0
        if previous is not None:
            self._collect(previous, events)  # its script ran before this one can start
        pending += (file_header(streamplan.SCRIPT_NAME, len(script), 0o600, int(time.time())),)
        pending += (script, padding(len(script)), END_OF_ARCHIVE)
        put(b"".join(pending))
        if packer is not None:
            channel.sendall(packer.flush())
        channel.shutdown_write()
        return _Sent(channel, groups, len(batch))

    def _collect(self, sent: _Sent, events: StreamEvents) -> None:
        """Read a batch's report: its placed files reported, a failure raised."""
        deadline = time.monotonic() + 120.0 + 0.05 * sent.files
        stdout, stderr = read_bounded_output(sent.channel, deadline, MAX_REPORT_BYTES)
        status = sent.channel.recv_exit_status()
        placed = streamplan.placed_groups(stdout, len(sent.groups))
        for index in sorted(placed):
            for item in sent.groups[index].items:
                size = item.source.size
                events.on_done(FileDone(item.dest_path, size, size, 0), item)
        if status != 0 or len(placed) != len(sent.groups):
            raise refused(self.roots.remote, "unpack and move files into", stderr)


def start_command(
    connection: Connection, root: str, command_for: Callable[[bool], str], gzip: bool | None
) -> tuple[paramiko.Channel, bool, bytes] | None:
    """Open an exec channel and run ``command_for(gzip wanted)`` up to its ``R`` line.

    ``gzip`` None decides by the channel's opening time (one round trip) against
    :data:`COMPRESS_ABOVE_RTT_S`. Returns the channel, whether the stream is gzip (the
    instance has it) and what followed the ``R`` line; None when the instance has no GNU tar
    or bsdtar.

    Raises:
        TransferError: The command failed before it was ready (e.g. permission denied).
        ConnectionLostError: The link dropped.
    """
    started = time.monotonic()
    try:
        channel = connection.transport.open_session(timeout=CHANNEL_TIMEOUT_S)
    except (paramiko.SSHException, OSError, EOFError) as exc:
        raise connection_lost(exc) from exc
    wanted = time.monotonic() - started > COMPRESS_ABOVE_RTT_S if gzip is None else gzip
    try:
        channel.settimeout(CHANNEL_TIMEOUT_S)
        channel.exec_command(command_for(wanted))
        ready, rest = ready_line(channel)
    except (paramiko.SSHException, OSError, EOFError) as exc:
        channel.close()
        raise connection_lost(exc) from exc
    if ready is None or ready == "N":
        status = channel.recv_exit_status() if ready == "N" else -1
        said = b""
        with contextlib.suppress(OSError, paramiko.SSHException):
            said = channel.recv_stderr(4096) if channel.eof_received else b""
        channel.close()
        if status == streamplan.NO_TAR:
            log.info("no GNU tar or bsdtar on the instance: small files go over SFTP")
            return None
        raise refused(root, "create a folder in", said.decode("utf-8", "replace"))
    return channel, ready == "R -z", rest


def _end_quietly(channel: paramiko.Channel) -> None:
    """Close a batch's input and wait (bounded) for its command to end: a cut stream never
    reaches its moves, and nothing writes into the staging folder once it is removed."""
    with contextlib.suppress(GpuDeskError, paramiko.SSHException, OSError, EOFError):
        if not channel.closed:
            channel.shutdown_write()
            read_bounded_output(channel, time.monotonic() + 30.0, MAX_REPORT_BYTES)


def ready_line(channel: paramiko.Channel) -> tuple[str | None, bytes]:
    """A command's ``R``/``N`` line (other lines, e.g. from a chatty login script, skipped)
    and what came after it; None when the command ended first or printed too much."""
    seen = b""
    while len(seen) < 65536:
        data: bytes = channel.recv(4096)
        if not data:
            return None, b""
        seen += data
        answer, rest = streamplan.ready_answer(seen)
        if answer is not None:
            return answer, rest
    return None, b""


def _read_whole(path: str, item: SendItem) -> bytes:
    """The whole local file, which must still be as the walk saw it."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(item.source.size + 1)
            info = os.fstat(handle.fileno())
    except OSError as exc:
        raise local_io_error(item.source.path, exc) from exc
    if len(data) != item.source.size or int(info.st_mtime) != item.source.mtime:
        raise TransferError(
            "transfer.source_changed",
            f"{item.source.path} changed while it was being sent.",
            "Run the transfer again when the file is no longer being written.",
        )
    return data


def refused(root: str, what: str, stderr: str) -> TransferError:
    """The error for a failed tar or move on the instance, from what it printed."""
    said = " ".join(stderr.split())
    if "No space left" in said or "Disk quota exceeded" in said:
        return disk_full(root, None)  # said by tar or mv themselves: no need to ask df
    code = 3 if "Permission denied" in said else None  # SSH_FX_PERMISSION_DENIED
    return status_error(root, what, code, said)
