"""The composition root of the GUI: logging, QApplication, translator, qasync loop,
excepthook, services, then the main window. Read top to bottom: that is the start order."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from types import TracebackType

os.environ.setdefault("QT_API", "pyside6")

from PySide6.QtWidgets import QApplication, QMessageBox

from gpudesk.core.errors import GpuDeskError
from gpudesk.logsetup import configure_logging

log = logging.getLogger(__name__)


def install_excepthook() -> None:
    """Log every uncaught exception; show the user a message and a hint, never a traceback."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught: %s", "".join(traceback.format_exception(kind, error, tb)))
        if QApplication.instance() is None:
            return
        if isinstance(error, GpuDeskError):
            text, hint = error.message, error.hint
        else:
            text = QApplication.translate("app", "Something went wrong: %1").replace(
                "%1", str(error) or kind.__name__
            )
            hint = QApplication.translate("app", "The details are in the log file.")
        QMessageBox.warning(None, "gpudesk", f"{text}\n\n{hint}")

    sys.excepthook = hook


def create_application(argv: Sequence[str]) -> QApplication:
    """The QApplication with the app's names set (QSettings uses them)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *argv])
    app.setApplicationName("gpudesk")
    app.setOrganizationName("gpudesk")
    app.setApplicationDisplayName("gpudesk")
    return app


def main(argv: Sequence[str] = ()) -> int:
    """Start the GUI and run until the user quits."""
    import qasync

    from gpudesk.ui.i18n import choose_language, install_translator
    from gpudesk.ui.main_window import MainWindow
    from gpudesk.ui.services import Services

    configure_logging()
    app = create_application(argv)
    services = Services.create()
    install_translator(app, choose_language(services.settings.language))
    install_excepthook()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = MainWindow(services)
    window.show()
    quitting = asyncio.Event()
    app.aboutToQuit.connect(quitting.set)
    with loop:
        loop.run_until_complete(quitting.wait())
    return 0
