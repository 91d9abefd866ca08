"""The two kinds of file job: :class:`UploadJob` and :class:`DownloadJob`.

Each is a small state machine on a :class:`~gpudesk.core.transfer.pipeline.Pipeline`:
open → writes or reads (as many in flight as the pipeline allows) → mode and times → size
check → close → final name. See :mod:`gpudesk.core.transfer.pipeline`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, BinaryIO

from paramiko.sftp import (
    CMD_ATTRS,
    CMD_DATA,
    CMD_EXTENDED,
    CMD_FSETSTAT,
    CMD_FSTAT,
    CMD_HANDLE,
    CMD_OPEN,
    CMD_READ,
    CMD_STATUS,
    CMD_WRITE,
    SFTP_EOF,
    SFTP_FLAG_CREATE,
    SFTP_FLAG_READ,
    SFTP_FLAG_TRUNC,
    SFTP_FLAG_WRITE,
    int64,
)
from paramiko.sftp_attr import SFTPAttributes

from gpudesk.core.transfer.model import TransferError
from gpudesk.core.transfer.pipeline import Handler, Job, Pipeline, sftp_attrs
from gpudesk.core.transfer.sftperrors import status_error


@dataclass(frozen=True)
class FileMove:
    """One file to move: where from, the part file, the final name, and what to keep.

    Attributes:
        path: The relative path reported back.
        source: The absolute source path (local for uploads, remote for downloads).
        part: The absolute part-file path on the destination side.
        final: The absolute final path on the destination side.
        size: Bytes of the source.
        mode: Permission bits to give the result.
        mtime: Modification time to give the result (whole seconds).
        offset: Bytes already in the part file (verified): the transfer starts there.
        tag: Handed back with the result.
    """

    path: str
    source: str
    part: str
    final: str
    size: int
    mode: int
    mtime: int
    offset: int
    tag: Any


class UploadJob(Job):
    """Local file → remote part file → final name."""

    def __init__(self, pipeline: Pipeline, move: FileMove) -> None:
        super().__init__(pipeline, move.path, move.size, move.offset, move.tag)
        self.local, self.part, self.final = move.source, move.part, move.final
        self.mode, self.mtime = move.mode, move.mtime
        self.position = move.offset
        self.source: BinaryIO | None = None
        self.tail_sent = False

    def start(self) -> None:
        """Open (create, or continue) the part file on the instance."""
        flags = SFTP_FLAG_WRITE | SFTP_FLAG_CREATE | (0 if self.offset else SFTP_FLAG_TRUNC)
        self.request(self._opened, CMD_OPEN, self.part, flags, sftp_attrs(0o600))

    def _opened(self, kind: int, msg: Any) -> None:
        if kind != CMD_HANDLE:
            self.check_status(kind, msg, "create")
        self.handle = msg.get_binary()
        self.source = open(self.local, "rb")  # noqa: SIM115 - closed in cleanup
        self.source.seek(self.offset)

    def pump(self) -> None:
        """Send writes while the budget allows; then mode, times, size check and close."""
        if self.handle is None or self.closing or self.error is not None or self.source is None:
            return
        while self.position < self.size and self.pipeline.has_room(self):
            data = self.source.read(min(self.pipeline.chunk, self.size - self.position))
            if not data:
                raise self._changed()
            at = self.position
            self.position += len(data)
            self.request(
                self._written(len(data)), CMD_WRITE, self.handle, int64(at), data, size=len(data)
            )
        if self.position >= self.size and not self.tail_sent:
            self.tail_sent = True
            times = sftp_attrs(self.mode, self.mtime)
            self.request(self._ok("set mode"), CMD_FSETSTAT, self.handle, times)
            self.request(self._sized, CMD_FSTAT, self.handle)
            self.close_handle()

    def _changed(self) -> TransferError:
        return TransferError(
            "transfer.source_changed",
            f"{self.path} changed while it was being sent.",
            "Run the transfer again when the file is no longer being written.",
        )

    def _written(self, count: int) -> Handler:
        def written(kind: int, msg: Any) -> None:
            self.check_status(kind, msg, "write")
            self.sent += count
            self.pipeline.events.on_bytes(count)

        return written

    def _ok(self, what: str) -> Handler:
        return lambda kind, msg: self.check_status(kind, msg, what)

    def _sized(self, kind: int, msg: Any) -> None:
        if kind != CMD_ATTRS:
            self.check_status(kind, msg, "check")
        if SFTPAttributes._from_msg(msg).st_size != self.size:
            raise TransferError(
                "transfer.verify_failed",
                f"{self.path} has the wrong size on the instance after the transfer.",
                "Run the transfer again; it starts that file afresh.",
            )

    def closed(self) -> None:
        """Rename the complete part file to its final name (if the source did not change)."""
        info = os.stat(self.local)
        if info.st_size != self.size or int(info.st_mtime) != self.mtime:
            raise self._changed()  # the part file stays; the next run checks it again
        self.request(self._renamed, CMD_EXTENDED, "posix-rename@openssh.com", self.part, self.final)

    def _renamed(self, kind: int, msg: Any) -> None:
        self.check_status(kind, msg, "rename")
        self.done()

    def cleanup(self) -> None:
        """Close the local file."""
        if self.source is not None:
            self.source.close()


class DownloadJob(Job):
    """Remote file → local part file → final name (mode and time set before the rename)."""

    def __init__(self, pipeline: Pipeline, move: FileMove) -> None:
        super().__init__(pipeline, move.path, move.size, move.offset, move.tag)
        self.remote, self.part, self.final = move.source, move.part, move.final
        self.mode, self.mtime = move.mode, move.mtime
        self.requested = move.offset
        self.written = move.offset
        self.early: dict[int, bytes] = {}
        self.target: BinaryIO | None = None
        self.tail_sent = False

    def start(self) -> None:
        """Open the remote file for reading."""
        self.request(self._opened, CMD_OPEN, self.remote, SFTP_FLAG_READ, sftp_attrs())

    def _opened(self, kind: int, msg: Any) -> None:
        if kind != CMD_HANDLE:
            self.check_status(kind, msg, "open")
        self.handle = msg.get_binary()
        flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
        fd = os.open(self.part, flags | (0 if self.offset else os.O_TRUNC), 0o600)
        self.target = os.fdopen(fd, "r+b")
        self.target.seek(self.offset)
        self.target.truncate()

    def pump(self) -> None:
        """Send reads while the budget allows; when all bytes are in, check size and close."""
        if self.handle is None or self.closing or self.error is not None:
            return
        while self.requested < self.size and self.pipeline.has_room(self):
            count = min(self.pipeline.chunk, self.size - self.requested)
            self._read(self.requested, count)
            self.requested += count
        if self.written >= self.size and not self.tail_sent:
            self.tail_sent = True
            self.request(self._same, CMD_FSTAT, self.handle)
            self.close_handle()

    def _read(self, at: int, count: int) -> None:
        def got(kind: int, msg: Any) -> None:
            if kind != CMD_DATA:
                code = msg.get_int() if kind == CMD_STATUS else None
                if code == SFTP_EOF:
                    raise self._changed()
                raise status_error(self.path, "read", code, msg.get_text() if code else "")
            data = msg.get_string()
            if not data:
                raise self._changed()
            if len(data) < count:  # a short read: ask for the rest
                self._read(at + len(data), count - len(data))
            self.early[at] = data
            self._flush()

        self.request(got, CMD_READ, self.handle, int64(at), count, size=count)

    def _flush(self) -> None:
        if self.target is None:
            return
        while self.written in self.early:
            data = self.early.pop(self.written)
            self.target.write(data)
            self.written += len(data)
            self.sent += len(data)
            self.pipeline.events.on_bytes(len(data))

    def _changed(self) -> TransferError:
        return TransferError(
            "transfer.source_changed",
            f"{self.path} changed on the instance while it was being fetched.",
            "Run the transfer again when the file is no longer being written.",
        )

    def _same(self, kind: int, msg: Any) -> None:
        if kind != CMD_ATTRS:
            self.check_status(kind, msg, "check")
        attrs = SFTPAttributes._from_msg(msg)
        if attrs.st_size != self.size or int(attrs.st_mtime or 0) != self.mtime:
            raise self._changed()

    def closed(self) -> None:
        """Flush, set mode and times, and give the part file its final name."""
        if self.target is None:
            return
        # No fsync (rsync does none either): the rename below is what keeps a half-copied
        # file from ever showing at its final name.
        self.target.close()
        self.target = None
        if os.path.getsize(self.part) != self.size:
            raise self._changed()
        os.chmod(self.part, self.mode or 0o644)
        os.utime(self.part, (self.mtime, self.mtime))
        os.replace(self.part, self.final)
        self.done()

    def cleanup(self) -> None:
        """Close the local part file (it stays for the next run)."""
        if self.target is not None:
            self.target.close()
