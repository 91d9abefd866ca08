"""Pull many small files as ONE tar stream from the instance, each placed through a part file.

The instance runs ``tar -c --null --no-recursion -T -`` in the source folder with the
planned names on stdin (each as ``./name``, so none reads as an option), optionally gzip on a
slow link (as :mod:`.streampush` decides). The stream is input from an untrusted machine:
it is read through :class:`BoundedStream` (at most the planned bytes plus header room, after
decompression too, so no gzip bomb and no endless stream), and every member must be a
regular file that was asked for, not seen before, with the planned size and time — anything
else stops the pull with ``transfer.bad_stream``. Each file is written to its local part file,
given its mode and time, and renamed to its final name: a cut stream leaves no half-written
file at a final name. Without GNU tar or bsdtar on the instance, SFTP is used.
"""

from __future__ import annotations

import contextlib
import os
import tarfile
import zlib
from collections.abc import Callable, Sequence
from typing import Any

import paramiko

from gpudesk.core.ssh.remote import Connection
from gpudesk.core.transfer import streamplan, streampush
from gpudesk.core.transfer.localfiles import part_name
from gpudesk.core.transfer.model import FileDone, TransferError
from gpudesk.core.transfer.plan import SendItem
from gpudesk.core.transfer.roots import Roots
from gpudesk.core.transfer.sftperrors import connection_lost, local_io_error
from gpudesk.core.transfer.streampush import StreamEvents, start_command
from gpudesk.core.transfer.tarformat import BLOCK

#: Room for the headers of one member (a long name takes a few blocks more).
_HEADER_ROOM = 8 * BLOCK
#: Decompressed bytes made at once.
_PIECE = 1 << 20
#: File data per pull command: a stream is held to its planned size, so this bounds memory.
PULL_BATCH_BYTES = 32 * 1024 * 1024


class BoundedStream:
    """A read-only file over a channel: at most ``limit`` bytes (decompressed) are handed out.

    ``leftover`` is what was read past the ready line; ``gzip`` decompresses on the way, in
    pieces of at most :data:`_PIECE` bytes, so a small input never blows up in memory.
    """

    def __init__(self, channel: paramiko.Channel, limit: int, leftover: bytes, gzip: bool):
        self.channel = channel
        self.left = limit
        self.unpack = zlib.decompressobj(31) if gzip else None
        self.raw = leftover
        self.buffer = b""

    def _fill(self) -> bool:
        while not self.buffer:
            if not self.raw and self.unpack is not None:
                self.raw = self.unpack.unconsumed_tail
            if not self.raw:
                self.raw = self.channel.recv(1 << 18)
                if not self.raw:
                    return False
            if self.unpack is None:
                self.buffer, self.raw = self.raw, b""
            else:
                self.buffer, self.raw = self.unpack.decompress(self.raw, _PIECE), b""
        return True

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (at least one unless the stream ended)."""
        if not self._fill():
            return b""
        wanted = size if size >= 0 else _PIECE
        data, self.buffer = self.buffer[:wanted], self.buffer[wanted:]
        self.left -= len(data)
        if self.left < 0:
            raise _bad_stream("more than was asked for")
        return data


class StreamPull:
    """One run's small files from the instance: :meth:`open`, then :meth:`send`."""

    def __init__(self, connection: Connection, roots: Roots) -> None:
        self.connection = connection
        self.roots = roots
        self.first: tuple[paramiko.Channel, bytes] | None = None
        self.compress = False

    def open(self) -> bool:
        """Start the first batch's tar; False when the instance has no usable tar.

        Raises:
            TransferError: The source folder could not be entered.
            ConnectionLostError: The link dropped.
        """
        self.first = self._start(first=True)
        return self.first is not None

    def _start(self, *, first: bool = False) -> tuple[paramiko.Channel, bytes] | None:
        def command(gzip: bool) -> str:
            return streamplan.pull_command(self.roots, streampush.TAR_PROGRAM, compress=gzip)

        started = start_command(
            self.connection, self.roots.remote, command, None if first else self.compress
        )
        if started is None:
            return None
        channel, self.compress, leftover = started
        return channel, leftover

    def send(
        self, items: Sequence[SendItem], events: StreamEvents, stopped: Callable[[], bool]
    ) -> None:
        """Fetch ``items`` batch by batch (after :meth:`open`); stops between files once
        ``stopped()``.

        Raises:
            TransferError: A member that was not asked for or not as planned, or tar failed.
            ConnectionLostError: The link dropped (placed files stay; run it again).
        """
        for number, batch in enumerate(streamplan.batches(items, PULL_BATCH_BYTES)):
            started = self.first if number == 0 else self._start()
            if started is None or stopped():
                return
            self._fetch(*started, batch, events, stopped)

    def _fetch(
        self,
        channel: paramiko.Channel,
        leftover: bytes,
        batch: list[SendItem],
        events: StreamEvents,
        stopped: Callable[[], bool],
    ) -> None:
        wanted = {item.source.path: item for item in batch}
        names = b"".join(b"./" + p.encode("utf-8", "surrogateescape") + b"\0" for p in wanted)
        limit = sum(i.source.size + _HEADER_ROOM for i in batch) + 2 * tarfile.RECORDSIZE
        try:
            with contextlib.closing(channel):
                channel.sendall(names)
                channel.shutdown_write()
                stream = BoundedStream(channel, limit, leftover, self.compress)
                got = self._unpack(stream, wanted, events, stopped)
                if stopped():
                    return
                status = channel.recv_exit_status()
                said = channel.recv_stderr(4096) if channel.recv_stderr_ready() else b""
        except (paramiko.SSHException, OSError, EOFError) as exc:
            raise connection_lost(exc) from exc
        except tarfile.TarError as exc:
            raise _bad_stream(exc) from exc
        if status != 0 or got != len(batch):
            raise TransferError(
                "transfer.source_changed",
                f"{len(batch) - got} files changed or vanished on the instance while they "
                f"were being fetched ({' '.join(said.decode('utf-8', 'replace').split())}).",
                "Run the transfer again when the files are no longer being written.",
            )

    def _unpack(
        self,
        stream: BoundedStream,
        wanted: dict[str, SendItem],
        events: StreamEvents,
        stopped: Callable[[], bool],
    ) -> int:
        """Place each member as it arrives; returns how many were placed."""
        placed = 0
        with tarfile.open(fileobj=stream, mode="r|") as archive:  # type: ignore[call-overload]
            for member in archive:
                if stopped():
                    return placed
                name = member.name.removeprefix("./")
                item = wanted.pop(name, None)
                if item is None or not member.isreg():
                    raise _bad_stream(f"an entry that was not asked for: {name[:100]!r}")
                if (member.size, int(member.mtime)) != (item.source.size, item.source.mtime):
                    raise TransferError(
                        "transfer.source_changed",
                        f"{name} changed on the instance while it was being fetched.",
                        "Run the transfer again when the file is no longer being written.",
                    )
                handle = archive.extractfile(member)
                data = handle.read() if handle is not None else b""
                self._place(item, data)
                placed += 1
                events.on_bytes(len(data))
                events.on_done(FileDone(item.dest_path, len(data), len(data), 0), item)
        return placed

    def _place(self, item: SendItem, data: bytes) -> None:
        """Write a part file, give it mode and time, rename it to its final name."""
        part = self.roots.local_path(part_name(item.dest_path))
        try:
            with open(part, "wb") as handle:
                handle.write(data)
            os.chmod(part, item.source.mode or 0o644)
            os.utime(part, (item.source.mtime, item.source.mtime))
            os.replace(part, self.roots.local_path(item.dest_path))
        except OSError as exc:
            raise local_io_error(item.dest_path, exc) from exc


def _bad_stream(what: Any) -> TransferError:
    return TransferError(
        "transfer.bad_stream",
        f"The instance sent files in a form gpudesk cannot trust ({str(what)[:200]}).",
        "Something on the instance answers in place of tar; check it there. Files already "
        "fetched are whole; the others were not written.",
    )
