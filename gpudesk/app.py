"""The composition root of the GUI: logging, QApplication, the single-instance hand-over,
services, translator, excepthook, qasync loop, then the main window and the tray. Read top to
bottom: that is the start order."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from types import TracebackType

os.environ.setdefault("QT_API", "pyside6")

from PySide6.QtCore import QLibraryInfo, QTranslator
from PySide6.QtWidgets import QApplication

from gpudesk.logsetup import configure_logging

log = logging.getLogger(__name__)


def install_excepthook() -> None:
    """Log every uncaught exception; show the user a message and a hint, never a traceback."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught: %s", "".join(traceback.format_exception(kind, error, tb)))
        if QApplication.instance() is None:
            return
        from gpudesk.ui.dialogs.errors import show_error

        show_error(QApplication.activeWindow(), error)

    sys.excepthook = hook


def install_qt_translations(app: QApplication, language: str) -> QTranslator | None:
    """Qt's own texts (OK, Cancel, Close, ...) in ``language``; None for English or missing."""
    if language == "en":
        return None
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{language}", folder):
        return None
    app.installTranslator(translator)
    return translator


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
    from gpudesk.ui.single_instance import SingleInstance
    from gpudesk.ui.tray import install_tray, show_window

    configure_logging()
    app = create_application(argv)
    single = SingleInstance(parent=app)
    if single.hand_over():
        return 0  # the running gpudesk brought its window forward
    single.listen()
    services = Services.create()
    language = choose_language(services.settings.language)
    install_translator(app, language)
    install_qt_translations(app, language)
    install_excepthook()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = MainWindow(services)
    single.activation_requested.connect(lambda: show_window(window))
    controller, _tray = install_tray(app, services, window)
    window.attach_controller(controller)
    window.quit_handler = controller.quit
    window.settings_changed.connect(controller.apply_settings)
    window.show()
    quitting = asyncio.Event()
    app.aboutToQuit.connect(quitting.set)
    with loop:
        loop.run_until_complete(quitting.wait())
    return 0
