"""Await blocking core calls on the Qt event loop (qasync), so no slot ever blocks.

The app runs a qasync loop (``app.py``). A page starts its work as an asyncio task on that
loop with :class:`TaskHolder` (which keeps the task referenced: qasync's ``asyncSlot`` keeps
none, and an unreferenced task can be collected mid-way) and, inside the coroutine, awaits
:func:`run_blocking`: the paramiko or keyring call runs on a worker thread while the GUI goes
on. :func:`progress_on_gui` hands a core progress callback to the worker that calls back on
the GUI thread. Cancelling the task stops the waiting at once; the worker's late result is
dropped.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

#: The threads the waits run on (not Qt's pool: no QThread outlives a test or the app).
_EXECUTOR = ThreadPoolExecutor(max_workers=4, thread_name_prefix="gpudesk-wait")
_active = 0
_active_lock = threading.Lock()


def active_workers() -> int:
    """How many blocking calls are still running (a cancelled wait leaves its call running)."""
    with _active_lock:
        return _active


async def run_blocking(work: Callable[[], T]) -> T:
    """Run ``work()`` on a worker thread and await its result on the GUI thread."""

    def counted() -> T:
        global _active
        with _active_lock:
            _active += 1
        try:
            return work()
        finally:
            with _active_lock:
                _active -= 1

    return await asyncio.get_running_loop().run_in_executor(_EXECUTOR, counted)


def progress_on_gui(show: Callable[[str], None]) -> Callable[[str], None]:
    """A progress callback for a worker thread that calls ``show`` on the GUI thread.

    Call it on the GUI thread (inside the coroutine), where the running loop is known.
    """
    loop = asyncio.get_running_loop()

    def report(step: str) -> None:
        loop.call_soon_threadsafe(show, step)

    return report


class TaskHolder:
    """At most one running task of a page, kept referenced until it is done.

    The coroutine calls :meth:`release` once its wait is over, so that what it shows next
    (buttons, "busy") already sees the page idle.
    """

    def __init__(self) -> None:
        self._task: asyncio.Task[Any] | None = None

    @property
    def running(self) -> bool:
        """True while the task is under way."""
        return self._task is not None and not self._task.done()

    def start(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        """Schedule ``coroutine`` on the running qasync loop (``running`` is True at once)."""
        self._task = asyncio.ensure_future(coroutine)
        self._task.add_done_callback(self._finished)

    def release(self) -> None:
        """The wait is over (call it in the coroutine before showing the outcome)."""
        self._task = None

    def cancel(self) -> bool:
        """Stop waiting; True when there was a task to stop."""
        task, self._task = self._task, None
        if task is None or task.done():
            return False
        task.cancel()
        return True

    def _finished(self, task: asyncio.Task[Any]) -> None:
        if task is self._task:
            self._task = None
        if not task.cancelled() and task.exception() is not None:
            log.error("wizard task failed", exc_info=task.exception())
