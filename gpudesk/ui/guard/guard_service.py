"""Runs the core's guard calls (install, status, postpone, cancel) off the GUI thread.

Each call logs in with the given ``connect`` function, does one thing, closes the
connection and reports by a signal (Qt queues it to the GUI thread): ``status_received``
with the new :class:`GuardStatus`, or ``failed`` with the :class:`GpuDeskError`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from gpudesk.core.errors import GpuDeskError
from gpudesk.core.guard.control import cancel_guard, guard_status, install_guard, postpone_guard
from gpudesk.core.guard.rules import GuardRules
from gpudesk.core.guard.status import GuardStatus
from gpudesk.core.ssh.remote import Connection

log = logging.getLogger(__name__)

ConnectFn = Callable[[], Connection]


class GuardService(QObject):
    """One instance's guard, driven from the window."""

    status_received = Signal(object)
    failed = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, connect: ConnectFn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.connect_instance = connect
        self._threads: list[threading.Thread] = []

    def arm(self, rules: GuardRules) -> None:
        """Install (or replace) the guard with ``rules``."""
        self._start(lambda connection: install_guard(connection, rules))

    def refresh(self) -> None:
        """Read the guard's status."""
        self._start(guard_status)

    def postpone(self, minutes: float) -> None:
        """Hold the power-off for ``minutes``."""
        self._start(lambda connection: postpone_guard(connection, minutes))

    def cancel(self) -> None:
        """Stop and remove the guard."""
        self._start(cancel_guard)

    def _start(self, action: Callable[[Connection], GuardStatus]) -> None:
        self._threads = [thread for thread in self._threads if thread.is_alive()]
        thread = threading.Thread(target=self._run, args=(action,), daemon=True)
        self._threads.append(thread)
        self.busy_changed.emit(True)
        thread.start()

    def _run(self, action: Callable[[Connection], GuardStatus]) -> None:
        try:
            with self.connect_instance() as connection:
                status = action(connection)
        except GpuDeskError as error:
            self.failed.emit(error)
        except Exception as error:  # the thread must report, never die silently
            log.exception("guard call failed")
            self.failed.emit(error)
        else:
            self.status_received.emit(status)
        finally:
            self.busy_changed.emit(False)
