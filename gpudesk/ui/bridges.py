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

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

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
            if not self.task.cancelled.is_set():
                self.task.failed.emit(error)
        else:
            if not self.task.cancelled.is_set():
                self.task.succeeded.emit(result)
        self.task.finished.emit()


_running: set[BackgroundTask] = set()


def run_in_background(work: Callable[[BackgroundTask], Any]) -> BackgroundTask:
    """Start ``work(task)`` on the thread pool; ``task.progressed.emit`` reports progress.

    The returned task is kept alive until it finishes (callers need not hold it).
    """
    task = BackgroundTask()
    _running.add(task)
    task.finished.connect(lambda: _running.discard(task))
    QThreadPool.globalInstance().start(_Runner(task, work))
    return task
