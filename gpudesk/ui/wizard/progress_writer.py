"""The wizard's progress into ``state.json`` off the GUI thread, one write after another.

Saving progress is a locked write with two ``fsync`` calls; another gpudesk process holding
the lock makes it wait (up to the lock's timeout), and a busy disk makes ``fsync`` slow. The
wizard saves at every step, so those writes go to one worker thread, in order: the GUI thread
only takes a snapshot of the progress (:meth:`~gpudesk.core.wizard.WizardFlow.to_progress`).
Finishing, cancelling and closing the window still write at once, after the pending writes
(:meth:`ProgressWriter.write_now`, :meth:`ProgressWriter.flush`): what the file holds then
must be final when the call returns.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from gpudesk.core.errors import GpuDeskError
from gpudesk.core.wizard import write_progress

log = logging.getLogger(__name__)

#: One worker for every wizard: writes of ``state.json`` never overtake one another.
_WRITER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gpudesk-progress")


class ProgressWriter:
    """Writes snapshots of the wizard's progress in the order they were taken."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: Future[None] | None = None

    def write_soon(self, progress: dict[str, Any]) -> None:
        """Queue ``progress`` for writing and return at once."""
        with self._lock:
            self._last = _WRITER.submit(_write, progress)

    def write_now(self, progress: dict[str, Any]) -> None:
        """Write ``progress`` after the queued ones, and return when it is written."""
        self.flush()
        _write(progress)

    def flush(self) -> None:
        """Wait until the queued writes are done (their failures are logged, not raised)."""
        with self._lock:
            last = self._last
        if last is not None:
            last.result()


def _write(progress: dict[str, Any]) -> None:
    try:
        write_progress(progress)
    except GpuDeskError as error:
        log.warning("could not save the wizard's progress: %s", error.code)
