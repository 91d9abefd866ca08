"""Many SFTP requests in flight on one channel, several files at a time.

paramiko's ``SFTPFile.set_pipelined`` and ``prefetch`` keep one file's writes or reads in
flight but wait for every open, close and rename: with thousands of small files that is a
round trip after another. :class:`Pipeline` drives each file as a small state machine
(open → writes or reads → set mode and times → check size → close → rename) and keeps up to
``max_files`` files and ``max_bytes`` bytes in flight on its channel, so round trips overlap.
It sends through paramiko's own request numbering (``SFTPClient._async_request``) and lets
paramiko's reader deliver each reply to the request's callback; paramiko pins the SFTP
internals it has kept for a decade (``>=3.4``).

A file appears at its final name only when all its bytes were acknowledged, its size checked
(``FSTAT``) and its handle closed: uploads write ``.<name>.gpudesk-part`` on the instance and
rename it with ``posix-rename@openssh.com``; downloads write a local part file and
``os.replace`` it. A stopped transfer leaves the part file, and the next run resumes it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import paramiko
from paramiko.sftp import (
    CMD_CLOSE,
    CMD_STATUS,
    SFTP_OK,
)
from paramiko.sftp_attr import SFTPAttributes

from gpudesk.core.transfer.model import FileDone, TransferError
from gpudesk.core.transfer.sftperrors import connection_lost, local_io_error, status_error

CHUNK = 32 * 1024  # what every SFTP server must accept; the runner picks per server
MAX_FILES_IN_FLIGHT = 64
MAX_BYTES_IN_FLIGHT = 8 * 1024 * 1024
MAX_REPLIES_PER_TURN = 64
FLUSH_BYTES = 256 * 1024

Handler = Callable[[int, Any], None]


class PipelineEvents:
    """What a pipeline reports; the runner collects it (called on the pipeline's thread)."""

    def __init__(
        self,
        on_bytes: Callable[[int], None],
        on_done: Callable[[FileDone, Any], None],
    ) -> None:
        self.on_bytes = on_bytes
        self.on_done = on_done


class _Reply:
    """Receives one reply from paramiko's reader (held strongly in ``Pipeline._pending``)."""

    __slots__ = ("__weakref__", "handler", "pipeline", "size")

    def __init__(self, pipeline: Pipeline, handler: Handler, size: int) -> None:
        self.pipeline = pipeline
        self.handler = handler
        self.size = size

    def _async_response(self, kind: int, msg: Any, num: int) -> None:
        self.pipeline._answered(num, self, kind, msg)


class Job:
    """One file's transfer; subclasses drive the requests. ``tag`` goes back to the runner."""

    def __init__(self, pipeline: Pipeline, path: str, size: int, offset: int, tag: Any) -> None:
        self.pipeline = pipeline
        self.path = path
        self.size = size
        self.offset = offset
        self.tag = tag
        self.handle: bytes | None = None
        self.outstanding = 0
        self.closing = False
        self.cancelled = False
        self.finished = False
        self.error: TransferError | None = None
        self.sent = 0

    def start(self) -> None:
        """Send the first request."""
        raise NotImplementedError

    def pump(self) -> None:
        """Send what the pipeline's budget allows."""

    def request(
        self, handler: Handler, kind: int, *args: Any, size: int = 0, always: bool = False
    ) -> None:
        """Send a request for this job; ``handler(kind, msg)`` gets the reply.

        After the job failed, only handlers sent with ``always`` still run (the close).
        """
        self.outstanding += 1

        def answered(reply_kind: int, msg: Any) -> None:
            self.outstanding -= 1
            if self.error is None or always:
                try:
                    handler(reply_kind, msg)
                except TransferError as exc:
                    self.fail(exc)
                except OSError as exc:
                    self.fail(self.local_error(exc))
            self.settle()
            self.pipeline.touched[self] = None

        self.pipeline.send(answered, kind, *args, size=size)

    def fail(self, error: TransferError) -> None:
        """Stop this file: the first error is kept, the handle closed, the part file left."""
        if self.error is None:
            self.error = error
        self.close_handle()

    def close_handle(self) -> None:
        """Send CLOSE once (the reply ends the job unless more replies are due)."""
        if self.handle is not None and not self.closing:
            self.closing = True
            self.request(self._after_close, CMD_CLOSE, self.handle, always=True)

    def stop(self) -> None:
        """Cancelled: close the handle; the part file stays (never given its final name)."""
        if not self.closing:
            self.cancelled = True
        self.close_handle()

    def _after_close(self, kind: int, msg: Any) -> None:
        self.handle = None
        if self.error is None and not self.cancelled:
            self.check_status(kind, msg, "close")
            self.closed()

    def closed(self) -> None:
        """The handle is closed and every byte acknowledged: make the file final."""

    def settle(self) -> None:
        """Finish the job when nothing more is due."""
        if self.outstanding == 0 and (self.error is not None or self.finished):
            self.finished = True
            self.cleanup()

    def cleanup(self) -> None:
        """Release local resources."""

    def local_error(self, exc: OSError) -> TransferError:
        """A local file error as a TransferError."""
        return local_io_error(self.path, exc)

    def check_status(self, kind: int, msg: Any, what: str) -> None:
        """Raise when a STATUS reply is not OK."""
        if kind != CMD_STATUS:
            raise status_error(self.path, what, None, "unexpected reply")
        code = msg.get_int()
        if code != SFTP_OK:
            raise status_error(self.path, what, code, msg.get_text())

    def done(self) -> None:
        """Report success."""
        self.finished = True
        done = FileDone(self.path, self.size, self.sent, self.offset)
        self.pipeline.events.on_done(done, self.tag)


def sftp_attrs(mode: int | None = None, mtime: int | None = None) -> SFTPAttributes:
    attrs = SFTPAttributes()
    if mode is not None:
        attrs.st_mode = mode
    if mtime is not None:
        attrs.st_atime = mtime
        attrs.st_mtime = mtime
    return attrs


def _stalled(path: str) -> TransferError:
    return TransferError(
        "transfer.request_failed",
        f"The transfer of {path} stalled.",
        "Run the transfer again; finished files are kept.",
    )


class Pipeline:
    """Drives jobs on one SFTP channel until none is left, the run is cancelled or fails.

    Args:
        sftp: An SFTP client on its own channel (one per pipeline, one transport for all).
        events: Where bytes and finished files are reported.
        cancel: Set by the user to stop: no new requests; replies due are read; handles
            closed.
        failed: Set by any pipeline of the run whose file failed; stops the others too.
        chunk: Bytes per read or write request.
        max_files: Files in flight at once.
        max_bytes: Request bytes in flight at once.
    """

    def __init__(
        self,
        sftp: paramiko.SFTPClient,
        events: PipelineEvents,
        cancel: threading.Event,
        failed: threading.Event,
        *,
        chunk: int = CHUNK,
        max_files: int = MAX_FILES_IN_FLIGHT,
        max_bytes: int = MAX_BYTES_IN_FLIGHT,
    ) -> None:
        self.sftp = sftp
        self.events = events
        self.cancel = cancel
        self.failed_event = failed
        self.chunk = chunk
        self.max_files = max_files
        self.max_bytes = max_bytes
        self.in_flight = 0
        self._pending: dict[int, _Reply] = {}
        self.failed: list[Job] = []
        #: Jobs to pump next: started, answered, or given room (insertion-ordered).
        self.touched: dict[Job, None] = {}
        self._blocked: dict[Job, None] = {}

    def has_room(self, job: Job) -> bool:
        """True while another data request fits the byte budget; else ``job`` waits for room."""
        if self.in_flight < self.max_bytes and not self.stopping():
            return True
        self._blocked[job] = None
        return False

    def stopping(self) -> bool:
        """True once the user cancelled or a file of the run failed."""
        return self.cancel.is_set() or self.failed_event.is_set()

    def send(self, handler: Handler, kind: int, *args: Any, size: int = 0) -> None:
        """Send one request; ``handler`` gets its reply."""
        reply = _Reply(self, handler, size)
        num = self.sftp._async_request(reply, kind, *args)
        self._pending[num] = reply
        self.in_flight += size

    def _answered(self, num: int, reply: _Reply, kind: int, msg: Any) -> None:
        self._pending.pop(num, None)
        self.in_flight -= reply.size
        if reply.size and self._blocked and self.in_flight < self.max_bytes:
            self.touched.update(self._blocked)
            self._blocked.clear()
        reply.handler(kind, msg)

    def run(self, next_job: Callable[[], Job | None]) -> None:
        """Run jobs until ``next_job()`` has none and none is active, or the run stops.

        ``next_job`` may be shared with other pipelines, and may have new jobs later (jobs can
        add jobs, as a folder listing adds its subfolders); None means none right now.

        Raises:
            ConnectionLostError: the channel died or stopped answering.
        """
        active: dict[Job, None] = {}
        idle_rounds = 0
        was_stopping = False
        # Requests sent in one turn of the loop leave in one channel write: a socket send per
        # request made each one wait for the interpreter lock behind paramiko's reader thread.
        outgoing: list[bytes] = []
        self.sftp._write_all = outgoing.append
        try:
            while True:
                stopping = self.stopping()
                if stopping and not was_stopping:
                    was_stopping = True
                    self.touched.update(active)
                while not stopping and len(active) < self.max_files:
                    job = next_job()
                    if job is None:
                        break
                    active[job] = None
                    self._guard(job, job.start)
                    self.touched[job] = None
                while self.touched:
                    job = next(iter(self.touched))
                    del self.touched[job]
                    if job not in active:
                        continue
                    if stopping:
                        job.stop()
                    else:
                        self._guard(job, job.pump)
                    job.settle()
                    if job.finished:
                        del active[job]
                        if job.error is not None:
                            self.failed.append(job)
                            self.failed_event.set()  # the first failure stops the whole run
                if not self._pending:
                    idle_rounds += 1
                    if not active:
                        return
                    if stopping or idle_rounds > 2:  # nothing due and nothing sent: stop
                        for job in active:
                            if not stopping and job.error is None:
                                job.error = _stalled(job.path)
                                self.failed.append(job)
                            job.finished = True
                            job.cleanup()
                        return
                    continue
                idle_rounds = 0
                self._flush(outgoing)
                self.sftp._read_response()
                # Take every reply already here before sending more: the next turn then
                # sends its requests together instead of one write per reply.
                for _ in range(MAX_REPLIES_PER_TURN):
                    if not self._pending or not self.sftp.sock.recv_ready():
                        break
                    self.sftp._read_response()
        except (paramiko.SSHException, EOFError, OSError) as exc:
            for job in active:
                job.cleanup()
            raise connection_lost(exc) from exc
        finally:
            del self.sftp._write_all  # every request answered: nothing is left unsent

    def _flush(self, outgoing: list[bytes]) -> None:
        """Write the queued requests, small ones joined, at most :data:`FLUSH_BYTES` a write.

        (paramiko's writer re-slices what is left after each packet: one huge write would
        copy megabytes per packet.)
        """
        group: list[bytes] = []
        size = 0
        for packet in outgoing:
            if group and size + len(packet) > FLUSH_BYTES:
                type(self.sftp)._write_all(self.sftp, b"".join(group))
                group, size = [], 0
            group.append(packet)
            size += len(packet)
        if group:
            type(self.sftp)._write_all(self.sftp, b"".join(group))
        outgoing.clear()

    @staticmethod
    def _guard(job: Job, step: Callable[[], None]) -> None:
        try:
            step()
        except TransferError as exc:
            job.fail(exc)
        except OSError as exc:
            job.fail(job.local_error(exc))


class _Collect:
    """Keeps the reply of one request of :func:`send_all`."""

    __slots__ = ("__weakref__", "reply")

    def __init__(self) -> None:
        self.reply: tuple[int, str] | None = None

    def _async_response(self, kind: int, msg: Any, num: int) -> None:
        if kind == CMD_STATUS:
            self.reply = (msg.get_int(), msg.get_text())
        else:
            self.reply = (SFTP_OK, "")


def send_all(
    sftp: paramiko.SFTPClient, requests: list[tuple[int, tuple[Any, ...]]]
) -> list[tuple[int, str]]:
    """Send every ``(kind, args)`` request at once; return each (status code, text) in order.

    For independent requests (make these folders, remove these files): one round trip for
    all instead of one each.

    Raises:
        ConnectionLostError: the channel died or stopped answering.
    """
    collectors = [_Collect() for _ in requests]
    try:
        for collector, (kind, args) in zip(collectors, requests, strict=True):
            sftp._async_request(collector, kind, *args)
        while any(c.reply is None for c in collectors):
            sftp._read_response()
    except (paramiko.SSHException, EOFError, OSError) as exc:
        raise connection_lost(exc) from exc
    return [c.reply or (SFTP_OK, "") for c in collectors]
