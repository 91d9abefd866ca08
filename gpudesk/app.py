"""The composition root of the GUI, the only wiring: logging, QApplication, the single-instance
hand-over, the qasync loop, then services, translator, excepthook, the main window, the desk's
Qt adapter and the tray (or the state panel). Read :func:`main` and :func:`build_desktop` top
to bottom: that is the start order. Nothing on the way waits on the keyring or a file lock:
the keyring opens on a worker thread and the GUI awaits it on the qasync loop."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

os.environ.setdefault("QT_API", "pyside6")

from PySide6.QtCore import QLibraryInfo, QTranslator
from PySide6.QtWidgets import QApplication

from gpudesk.logsetup import configure_logging

if TYPE_CHECKING:
    from gpudesk.ui.main_window import MainWindow
    from gpudesk.ui.services import Services
    from gpudesk.ui.single_instance import SingleInstance
    from gpudesk.ui.tray import TrayIcon
    from gpudesk.ui.tray_controller import TrayController

log = logging.getLogger(__name__)


@dataclass
class Desktop:
    """What :func:`build_desktop` wired: the services and the objects the user sees."""

    services: Services
    window: MainWindow
    controller: TrayController
    tray: TrayIcon | None


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


def build_desktop(app: QApplication) -> Desktop:
    """Services, translations, excepthook, the main window, the desk's adapter, the tray.

    Nothing here waits: the keyring opens on a worker thread, the saved tunnels are restored
    on the thread pool. What is built lives as long as the app, so it leaves the garbage
    collector's scans (``gc.freeze``): a full collection of the whole heap stopped the loop for
    60 ms or more, now it scans only what came later. Where no system tray exists the main
    window embeds the state panel.
    gpudesk then keeps running when the window is closed (with a tray and ``close_to_tray``);
    "Quit" (the window's or the tray's: both ask first while tunnels are up) stops every tunnel
    cleanly.
    """
    from PySide6.QtWidgets import QSystemTrayIcon

    from gpudesk.ui.accounts.power_follower import power_on_news
    from gpudesk.ui.i18n import choose_language, install_translator
    from gpudesk.ui.main_window import MainWindow
    from gpudesk.ui.services import Services
    from gpudesk.ui.state_panel import attach_state_panel
    from gpudesk.ui.tray import TrayIcon, attach_window, show_window
    from gpudesk.ui.tray_controller import TrayController

    gc.freeze()  # what is loaded lives as long as the app: no collection scans it again
    services = Services.create()
    language = choose_language(services.settings.language)
    install_translator(app, language)
    install_qt_translations(app, language)
    install_excepthook()
    window = MainWindow(services)
    app.setQuitOnLastWindowClosed(False)
    controller = TrayController(services, parent=app)
    attach_window(controller, window)
    controller.shutdown_finished.connect(app.quit)
    app.aboutToQuit.connect(controller.shutdown_now)
    tray: TrayIcon | None = None
    if QSystemTrayIcon.isSystemTrayAvailable():
        controller.tray_available = True
        tray = TrayIcon(controller, parent=app)
        tray.window_requested.connect(lambda: show_window(window))
        tray.quit_handler = window.on_quit_action_triggered  # the same question as the window's
        power_on_news().instance_up.connect(controller.announce_instance_up)
        tray.show()
    else:
        log.info("no system tray here: the main window shows the state panel")
        attach_state_panel(window, controller)
    controller.start()
    window.attach_controller(controller)
    window.quit_handler = controller.quit
    window.settings_changed.connect(controller.apply_settings)
    gc.freeze()  # the window and the engine too
    return Desktop(services, window, controller, tray)


async def report_keyring(desktop: Desktop) -> str | None:
    """Wait (without blocking the loop) for the keyring to open; say so if there is none."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QLabel

    from gpudesk.core.store.openingsecrets import OpeningSecretStore

    secrets = desktop.services.secrets
    if not isinstance(secrets, OpeningSecretStore):
        return desktop.services.secrets_warning
    try:
        _store, warning = await asyncio.wrap_future(secrets.opened)
    except Exception as error:  # using a secret will report it; nothing to add here
        log.warning("the keyring could not be opened: %r", error)
        return None
    desktop.services.secrets_warning = warning
    if warning:
        label = QLabel(
            QCoreApplication.translate(
                "MainWindow", "No secure system keyring: passwords are kept until gpudesk quits."
            )
        )
        label.setObjectName("keyringNotice")
        label.setToolTip(warning)
        desktop.window.statusBar().addPermanentWidget(label)
    return warning


async def run_desktop(app: QApplication, single: SingleInstance | None = None) -> int:
    """Build and show the desktop, then run until the app quits (on the qasync loop)."""
    from gpudesk.ui.tray import show_window

    desktop = build_desktop(app)
    if single is not None:
        single.activation_requested.connect(lambda: show_window(desktop.window))
    desktop.window.show()
    quitting = asyncio.Event()
    app.aboutToQuit.connect(quitting.set)
    # qasync keeps no strong reference to tasks: this local does, until the app quits.
    keyring_task = asyncio.ensure_future(report_keyring(desktop))
    await quitting.wait()
    keyring_task.cancel()
    return 0


def main(argv: Sequence[str] = ()) -> int:
    """Start the GUI and run until the user quits."""
    import qasync

    from gpudesk.ui.single_instance import SingleInstance

    configure_logging()
    app = create_application(argv)
    single = SingleInstance(parent=app)
    if single.hand_over():
        return 0  # the running gpudesk brought its window forward
    single.listen()
    # Python 3.11 has no asyncio.run(loop_factory=...): a Runner with qasync's loop.
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        return runner.run(run_desktop(app, single))
