"""The watchdog of ``test_gui_never_waits`` catches a blocking call in a slot.

Its bound leaves out the time the GUI thread waited for a CPU; these tests plant work that
keeps the loop from ticking for 300 ms, sleeping (as a keyring prompt, a file lock or a
socket would) or computing, and check that the watchdog reports it over the 100 ms bound and
names the slot that did it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from tests.ui.watchdog import GAP_LIMIT_S, Watchdog

PLANTED_S = 0.3


def blocking_slot() -> None:
    """A slot that sleeps: no CPU wanted, so no run-queue wait to take off."""
    time.sleep(PLANTED_S)


def computing_slot() -> None:
    """A slot that computes for 300 ms of its own CPU time, however loaded the machine."""
    started = time.thread_time()
    while time.thread_time() - started < PLANTED_S:
        pass


def watch(qtbot: QtBot, slot: object) -> Watchdog:
    watchdog = Watchdog()
    watchdog.start()
    try:
        qtbot.wait(50)
        QTimer.singleShot(0, slot)  # type: ignore[call-overload]
        qtbot.wait(int(PLANTED_S * 1000) + 200)
    finally:
        watchdog.stop()
    print(f"\n{getattr(slot, '__name__', slot)}: {watchdog.figures()}")
    return watchdog


def test_a_sleeping_slot_is_caught_and_named(qtbot: QtBot) -> None:
    worst = watch(qtbot, blocking_slot).worst()
    assert worst.busy_s >= PLANTED_S * 0.9 > GAP_LIMIT_S
    assert any("blocking_slot" in stack for stack in worst.stacks), worst.stacks


def test_a_computing_slot_is_caught_and_named(qtbot: QtBot) -> None:
    worst = watch(qtbot, computing_slot).worst()
    assert worst.busy_s >= PLANTED_S * 0.9 > GAP_LIMIT_S
    assert any("computing_slot" in stack for stack in worst.stacks), worst.stacks
