"""One push or pull on a worker thread; progress and the outcome come back as Qt signals.

Signals are emitted from the worker thread; Qt queues them to the receivers' (GUI) thread.
:meth:`TransferTask.cancel` sets the core's cancel event: the transfer stops cleanly and the
next run resumes it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from gpudesk.core.ssh.remote import Connection
from gpudesk.core.transfer.model import TransferRequest
from gpudesk.core.transfer.runner import TransferCallbacks, run_transfer

#: Progress signals at most this often (seconds).
PROGRESS_EVERY_S = 0.2


class TransferTask(QObject):
    """Runs :func:`~gpudesk.core.transfer.runner.run_transfer` off the GUI thread.

    Signals:
        progressed(Progress): bytes, rate and ETA.
        file_finished(FileDone): one file is at its final name.
        succeeded(TransferReport): the transfer ended (maybe cancelled, maybe with conflicts).
        failed(BaseException): it stopped on an error (a ``GpuDeskError`` for known ones).
        finished(): after ``succeeded`` or ``failed``.
    """

    progressed = Signal(object)
    file_finished = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(
        self,
        connect: Callable[[], Connection],
        request: TransferRequest,
        *,
        instance_id: str,
        workdir: str | None,
        owns_connection: bool = True,
    ) -> None:
        super().__init__()
        self.login = connect
        self.request = request
        self.instance_id = instance_id
        self.workdir = workdir
        self.owns_connection = owns_connection
        self.cancel_event = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the worker thread."""
        self._thread = threading.Thread(target=self._run, name="gpudesk-files", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the transfer to stop (it finishes the requests in flight, then ends)."""
        self.cancel_event.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the worker thread; True when it ended."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        callbacks = TransferCallbacks(
            on_progress=self.progressed.emit, on_file=self.file_finished.emit
        )
        try:
            connection = self.login()
            try:
                report = run_transfer(
                    connection,
                    self.request,
                    instance_id=self.instance_id,
                    callbacks=callbacks,
                    cancel=self.cancel_event,
                    workdir=self.workdir,
                )
            finally:
                if self.owns_connection:
                    connection.close()
        except Exception as error:
            self.failed.emit(error)
        else:
            self.succeeded.emit(report)
        self.finished.emit()
