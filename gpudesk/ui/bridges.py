"""Run blocking core calls off the GUI thread and bring results back as Qt signals.

paramiko and keyring block; the GUI thread never does. :func:`run_in_background` runs a
callable on Qt's thread pool and delivers its result, its error, or progress lines through
signals of a :class:`BackgroundTask`, which Qt queues to the GUI thread. Views connect to
``succeeded``/``failed``/``progressed`` and never touch widgets from the worker.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

log = logging.getLogger(__name__)


class BackgroundTask(QObject):
    """Signals of one background call (all delivered on the GUI thread)."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(str)
    finished = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.cancelled = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop; results that still arrive are dropped."""
        self.cancelled.set()


class _Runner(QRunnable):
    def __init__(self, task: BackgroundTask, work: Callable[[BackgroundTask], Any]) -> None:
        super().__init__()
        self.task = task
        self.work = work

    def run(self) -> None:
        try:
            result = self.work(self.task)
        except Exception as error:  # every error goes back to the view
            log.info("background task failed: %r", error)
            self._emit(self.task.failed, error)
        else:
            self._emit(self.task.succeeded, result)
        self._emit(self.task.finished)

    def _emit(self, signal: Any, *args: Any) -> None:
        if signal is not self.task.finished and self.task.cancelled.is_set():
            return
        try:
            signal.emit(*args)
        except RuntimeError:
            # The app is shutting down and Qt already deleted the task's C++ object.
            log.debug("background task finished after its receiver was gone")


_running: set[BackgroundTask] = set()


def run_in_background(work: Callable[[BackgroundTask], Any]) -> BackgroundTask:
    """Start ``work(task)`` on the thread pool; ``task.progressed.emit`` reports progress.

    The work starts on the next turn of the GUI event loop, so the caller connects to the
    task's signals first and no early result is lost (a signal emitted while nothing is
    connected is dropped by Qt). The task is kept alive until it finishes.
    """
    task = BackgroundTask()
    _running.add(task)
    task.finished.connect(lambda: _running.discard(task))

    def start() -> None:
        if task.cancelled.is_set():
            task.finished.emit()
            return
        QThreadPool.globalInstance().start(_Runner(task, work))

    QTimer.singleShot(0, task, start)
    return task
