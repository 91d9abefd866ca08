"""run_in_background: results come back on the GUI thread, even when the work is instant."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from gpudesk.ui.bridges import BackgroundTask, run_in_background


def test_instant_result_is_not_lost(qtbot: QtBot) -> None:
    results: list[object] = []
    task = run_in_background(lambda _task: 42)
    task.succeeded.connect(results.append)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert results == [42]


def test_error_and_progress_reach_the_gui_thread(qtbot: QtBot) -> None:
    seen: list[tuple[str, bool]] = []
    gui_thread = threading.get_ident()

    def work(task: BackgroundTask) -> None:
        task.progressed.emit("half way")
        raise ValueError("boom")

    task = run_in_background(work)
    task.progressed.connect(lambda text: seen.append((text, threading.get_ident() == gui_thread)))
    errors: list[object] = []
    task.failed.connect(errors.append)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert seen == [("half way", True)]
    assert len(errors) == 1 and isinstance(errors[0], ValueError)


def test_cancel_before_start_runs_nothing(qtbot: QtBot) -> None:
    ran = threading.Event()
    task = run_in_background(lambda _task: ran.set())
    task.cancel()
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert not ran.is_set()


@pytest.mark.parametrize("count", [20])
def test_many_tasks(qtbot: QtBot, count: int) -> None:
    results: list[object] = []
    tasks = [run_in_background(lambda _task, n=n: n) for n in range(count)]
    for task in tasks:
        task.succeeded.connect(results.append)
    qtbot.waitUntil(lambda: len(results) == count, timeout=5000)
    assert sorted(results) == list(range(count))  # type: ignore[type-var]
