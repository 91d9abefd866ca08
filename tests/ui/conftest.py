"""Fixtures for the GUI tests (pytest-qt, offscreen): services, windows, links, QSettings.

* QSettings go to a temporary INI directory, never the real user's config.
* Links the UI opens in "the system browser" are caught by a URL handler and recorded.
* The offscreen platform's "does not support propagateSizeHints()" notice is not a failure.
* A qasync event loop runs on Qt's loop, as in the app, so pages can await their work.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, QSettings, QUrl
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from gpudesk.ui import i18n
from gpudesk.ui.main_window import MainWindow
from gpudesk.ui.services import Services

#: Printed by the offscreen platform plugin when a window is shown; harmless.
OFFSCREEN_NOTICES = ("This plugin does not support propagateSizeHints",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Let every GUI test ignore the offscreen plugin's harmless notices."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(*OFFSCREEN_NOTICES))


class OpenedUrls:
    """Records URLs that QDesktopServices.openUrl would open in a browser."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def open(self, url: QUrl) -> bool:
        """Record instead of opening."""
        self.urls.append(url.toString())
        return True


@pytest.fixture(autouse=True)
def isolated_qsettings(qapp: QCoreApplication, tmp_path: Path) -> Iterator[Path]:
    """QSettings in a temporary INI directory; English UI unless a test installs another."""
    qapp.setOrganizationName("gpudesk-tests")
    qapp.setApplicationName("gpudesk")
    folder = tmp_path / "qsettings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    i18n._current = "en"
    yield folder
    i18n._current = "en"


@pytest.fixture(autouse=True)
def qasync_loop(qapp: QCoreApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """The qasync loop app.py runs; Qt's own loop (run by pytest-qt's waits) drives it."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.set_event_loop(None)


@pytest.fixture(autouse=True)
def opened_urls(monkeypatch: pytest.MonkeyPatch) -> OpenedUrls:
    """Catch every link the UI opens (PySide6 6.12 refuses setUrlHandler from Python)."""
    handler = OpenedUrls()
    monkeypatch.setattr(QDesktopServices, "openUrl", handler.open)
    return handler


@pytest.fixture
def services() -> Services:
    """The app's services over the test's temporary dirs and fake keyring."""
    return Services.create()


@pytest.fixture
def window(qtbot: QtBot, services: Services) -> MainWindow:
    """A shown main window."""
    main = MainWindow(services)
    qtbot.addWidget(main)
    main.show()
    return main
