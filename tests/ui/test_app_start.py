"""The composition root: the desktop it wires, and the keyring notice awaited on qasync's loop.

The keyring backends are FAKES from ``tests/fakes.py`` (the real keychain is never touched);
the window, the desk's adapter, the state panel and the qasync loop are real.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator

import keyring
import pytest
import qasync
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel
from pytestqt.qtbot import QtBot

from gpudesk.app import Desktop, build_desktop, report_keyring
from tests.fakes import FileKeyring, NoKeyringKeyring


@pytest.fixture
def desktop(qtbot: QtBot, qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desktop]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # build_desktop installs its own
    built = build_desktop(qapp)
    qtbot.addWidget(built.window)
    yield built
    built.controller.shutdown_now()
    qapp.aboutToQuit.disconnect(built.controller.shutdown_now)
    built.controller.shutdown_finished.disconnect(qapp.quit)


def _await(qapp: QApplication, desktop: Desktop) -> str | None:
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(report_keyring(desktop))
    finally:
        asyncio.set_event_loop(None)
        loop.close()


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.fakes.NoKeyringKeyring")
    keyring.set_keyring(NoKeyringKeyring())


@pytest.mark.usefixtures("no_keyring")
def test_no_keyring_is_said_in_the_status_bar_once_it_opened(
    qapp: QApplication, desktop: Desktop
) -> None:
    assert desktop.window.findChild(QLabel, "keyringNotice") is None  # not known yet
    warning = _await(qapp, desktop)
    assert warning is not None and "keyring" in warning
    assert desktop.services.secrets_warning == warning
    notice = desktop.window.findChild(QLabel, "keyringNotice")
    assert notice is not None and notice.toolTip() == warning
    assert not desktop.services.secrets.persistent


def test_a_working_keyring_adds_no_notice(qapp: QApplication, desktop: Desktop) -> None:
    assert isinstance(keyring.get_keyring(), FileKeyring)
    assert _await(qapp, desktop) is None
    assert desktop.window.findChild(QLabel, "keyringNotice") is None
    assert desktop.services.secrets.persistent


def test_without_a_tray_the_window_shows_the_state_panel(desktop: Desktop) -> None:
    assert desktop.tray is None  # offscreen: no system tray
    assert desktop.window.findChild(QDockWidget, "stateDock") is not None
    assert desktop.window.controller is desktop.controller
