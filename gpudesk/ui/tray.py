"""The system tray icon: the overall state, a menu rebuilt when it opens, notifications.

:class:`TrayIcon` shows ``resources/icons/tray-<state>.svg`` and a one-line tooltip, both
following :class:`~gpudesk.ui.tray_controller.TrayController`'s signals. Its menu is built
from the core's :class:`~gpudesk.core.desktop.traymenu.MenuModel` each time it opens (as vorta
does): per instance a header line (GPU, memory, time up, estimated cost), a checkable toggle
per tunnel that really starts/stops it, "Open Jupyter", "Open in VS Code", "Copy ssh
command" (and "Stop it in the console" while the GPU idles); then "Connect all",
"Disconnect all", "Open gpudesk", "Quit" (which stops every tunnel cleanly; ``quit_handler``
lets ``app.py`` route it through the main window's question when tunnels are up).

A cost guard counting down shows in its instance's section ("powers off in N min", then
"Postpone 30 min" and "Cancel power-off", both run off the GUI thread), and is announced once
per countdown. An instance linked to a platform account has "Power off…" (and, while its GPU
idles, "GPU idle: power off now…"), each asking first in a box naming the instance. A GPU
monitor that stopped on its own says so, with its reason, under the header.

Notifications go through ``showMessage`` once per event (the policy decides); clicking the
GPU-idle message opens the platform console. The menu answers from the desk's memory; opening
it asks the desk to re-read the saved instances off the GUI thread, and the menu is rebuilt if
they changed. ``gpudesk/app.py`` wires the tray (or, where no tray exists, the state panel).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMenu, QMessageBox, QSystemTrayIcon, QWidget

from gpudesk.core.desktop.notifications import Notification, NotificationKind
from gpudesk.core.desktop.traymenu import InstanceSection, MenuModel
from gpudesk.core.desktop.traystate import OverallState
from gpudesk.core.guard.countdown import PowerOffNotice
from gpudesk.ui.power_off_question import power_off_question
from gpudesk.ui.tray_controller import TrayController
from gpudesk.ui.tray_texts import TrayTexts
from gpudesk.ui.widgets.stateicon import state_icon
from gpudesk.ui.widgets.text import fmt

log = logging.getLogger(__name__)

#: How long a notification bubble stays (ms).
MESSAGE_MS = 10_000


def show_window(window: QWidget) -> None:
    """Bring ``window`` forward (from the tray, or when a second launch hands over)."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


class TrayIcon(QSystemTrayIcon):
    """The tray icon and its menu."""

    notification_shown = Signal(str, str, str)  # kind, title, text
    window_requested = Signal()

    def __init__(self, controller: TrayController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.texts = TrayTexts(self)
        self.menu = QMenu()
        self.menu.setObjectName("trayMenu")
        self.menu.setToolTipsVisible(True)
        self.menu.aboutToShow.connect(self.on_menu_about_to_show)
        self.setContextMenu(self.menu)
        self.model: MenuModel | None = None
        self.quit_handler: Callable[[], None] = controller.quit
        self.power_off_box: QMessageBox | None = None
        self._last_idle_console: str | None = None
        self._last_kind: NotificationKind | None = None
        self.on_controller_state_changed(controller.state.state)
        controller.state_changed.connect(self.on_controller_state_changed)
        controller.notification_raised.connect(self.on_controller_notification_raised)
        controller.tunnel_changed.connect(self.on_controller_tunnel_changed)
        controller.reading_changed.connect(self.on_controller_tunnel_changed)
        controller.window_hidden_to_tray.connect(self.on_controller_window_hidden_to_tray)
        controller.action_failed.connect(self.on_controller_action_failed)
        controller.instances_changed.connect(self.on_controller_tunnel_changed)
        controller.guard_changed.connect(self.on_controller_tunnel_changed)
        controller.guard_countdown.connect(self.on_controller_guard_countdown)
        controller.powered_off.connect(self.on_controller_powered_off)
        controller.instance_up.connect(self.on_controller_instance_up)
        self.messageClicked.connect(self.on_self_message_clicked)
        self.activated.connect(self.on_self_activated)
        self._told_hidden = False

    # --- icon and tooltip -------------------------------------------------------------------

    def on_controller_state_changed(self, state: OverallState) -> None:
        """A new overall state: icon and tooltip."""
        self.setIcon(state_icon(state))
        self.setToolTip(self.texts.summary(self.controller.state.summary()))

    def on_controller_tunnel_changed(self, _change: object) -> None:
        """Keep the tooltip (and an open menu) current."""
        self.setToolTip(self.texts.summary(self.controller.state.summary()))
        if self.menu.isVisible():
            self.rebuild_menu()

    # --- the menu ---------------------------------------------------------------------------

    def on_menu_about_to_show(self) -> None:
        """Rebuild the menu from the current state (vorta's pattern); re-read instances."""
        self.rebuild_menu()
        self.controller.reload_instances()  # off the GUI thread; a change rebuilds the menu

    def rebuild_menu(self) -> MenuModel:
        """Fill the menu from :meth:`TrayController.menu_model`; return the model used."""
        model = self.controller.menu_model()
        self.model = model
        menu = self.menu
        menu.clear()
        for section in model.sections:
            self._add_section(menu, section)
            menu.addSeparator()
        if model.total_cost is not None:
            total = menu.addAction(self.texts.total(model.total_cost))
            total.setEnabled(False)
            total.setToolTip(self.texts.cost_label())
            menu.addSeparator()
        self._action(menu, "connectAll", self.tr("Connect all"), self.controller.connect_all)
        menu.actions()[-1].setEnabled(model.can_connect_all)
        self._action(
            menu, "disconnectAll", self.tr("Disconnect all"), self.controller.disconnect_all
        )
        menu.actions()[-1].setEnabled(model.can_disconnect_all)
        menu.addSeparator()
        self._action(menu, "openWindow", self.tr("Open gpudesk"), self.window_requested.emit)
        self._action(menu, "quit", self.tr("Quit"), lambda: self.quit_handler())
        return model

    def _add_section(self, menu: QMenu, section: InstanceSection) -> None:
        # Enabled and bold: readable (a disabled line is grey); a click opens the window.
        header = self._action(
            menu, f"header:{section.alias}", self.texts.header(section), self.window_requested.emit
        )
        font = header.font()
        font.setBold(True)
        header.setFont(font)
        if section.reading is not None and section.reading.cost is not None:
            header.setToolTip(self.texts.cost_label())
        elif section.reading is not None and section.reading.error:
            header.setToolTip(section.reading.error)
        stopped = self.texts.monitor_stopped(section.reading)
        if stopped is not None:
            menu.addAction(stopped).setObjectName(f"stopped:{section.alias}")
        countdown = self.controller.countdowns().get(section.alias)
        if countdown is not None:
            self._add_countdown(menu, countdown)
        for toggle in section.toggles:
            action = menu.addAction(self.texts.tunnel(toggle))
            action.setObjectName(f"tunnel:{toggle.tunnel_id}")
            action.setCheckable(True)
            action.setChecked(toggle.checked)
            action.setToolTip(toggle.reason)
            tunnel_id = toggle.tunnel_id
            action.toggled.connect(
                lambda on, tid=tunnel_id: self.controller.set_tunnel_enabled(tid, on)
            )
        alias = section.alias
        self._action(
            menu, f"jupyter:{alias}", self.tr("Open Jupyter"), self.controller.open_jupyter, alias
        )
        self._action(
            menu,
            f"vscode:{alias}",
            self.tr("Open in VS Code"),
            self.controller.open_in_editor,
            alias,
        )
        self._action(
            menu,
            f"copyssh:{alias}",
            self.tr("Copy ssh command"),
            lambda command=section.ssh_command: self.copy_text(command),
        )
        if section.idle and section.console_url:
            console = self._action(
                menu,
                f"console:{alias}",
                self.tr("GPU idle: stop it in the console…"),
                self.open_url,
                section.console_url,
            )
            if section.release_after_days:
                console.setToolTip(self.texts.release_note(section.release_after_days))
        if self.controller.is_linked(alias):
            if section.idle:
                self._action(
                    menu,
                    f"poweroffnow:{alias}",
                    self.tr("GPU idle: power off now…"),
                    self.ask_power_off,
                    alias,
                )
            self._action(
                menu, f"poweroff:{alias}", self.tr("Power off…"), self.ask_power_off, alias
            )

    def _add_countdown(self, menu: QMenu, notice: PowerOffNotice) -> None:
        alias = notice.alias
        line = self._action(
            menu, f"countdown:{alias}", self.texts.countdown(notice), self.window_requested.emit
        )
        font = line.font()
        font.setBold(True)
        line.setFont(font)
        self._action(
            menu,
            f"postpone:{alias}",
            self.texts.postpone_action(),
            self.controller.postpone_guard,
            alias,
        )
        self._action(
            menu,
            f"cancelguard:{alias}",
            self.texts.cancel_action(),
            self.controller.cancel_guard,
            alias,
        )

    def ask_power_off(self, alias: str) -> QMessageBox:
        """Ask before powering ``alias`` off through its platform account (Yes powers off)."""
        box = power_off_question(None, alias)
        box.accepted.connect(lambda: self.controller.power_off(alias))
        self.power_off_box = box
        box.open()
        return box

    def _action(self, menu: QMenu, name: str, text: str, slot: object, *args: object) -> QAction:
        action = menu.addAction(text)
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot(*args))  # type: ignore[operator]
        return action

    def find_action(self, name: str) -> QAction | None:
        """The menu action called ``name`` (``tunnel:<id>``, ``quit``, ...), for tests."""
        return next((a for a in self.menu.actions() if a.objectName() == name), None)

    # --- small actions ----------------------------------------------------------------------

    def copy_text(self, text: str) -> None:
        """Put ``text`` on the clipboard."""
        QGuiApplication.clipboard().setText(text)
        self.showMessage("gpudesk", fmt(self.tr("Copied: %1"), text), self.icon(), 3000)

    def open_url(self, url: str) -> None:
        """Open ``url`` in the browser."""
        QDesktopServices.openUrl(QUrl(url))

    # --- notifications ----------------------------------------------------------------------

    def on_controller_notification_raised(self, note: Notification) -> None:
        """Show one notification (the policy already made it once per event)."""
        title, text = self.texts.notification(note)
        section = self._section(note.instance)
        if note.kind is NotificationKind.GPU_IDLE and section is not None:
            self._last_idle_console = section.console_url
            if section.release_after_days:
                text = f"{text} {self.texts.release_note(section.release_after_days)}"
        severity = {
            NotificationKind.BACK_UP: QSystemTrayIcon.MessageIcon.Information,
            NotificationKind.GPU_IDLE: QSystemTrayIcon.MessageIcon.Warning,
            NotificationKind.LOST: QSystemTrayIcon.MessageIcon.Warning,
        }.get(note.kind, QSystemTrayIcon.MessageIcon.Critical)
        self._last_kind = note.kind
        self.showMessage(title, text, severity, MESSAGE_MS)
        self.notification_shown.emit(note.kind.value, title, text)

    def on_controller_guard_countdown(self, notice: PowerOffNotice) -> None:
        """A guard announced a power-off: say so once (Postpone / Cancel are in the menu)."""
        self._tell("guard", *self.texts.countdown_message(notice), warn=True)

    def on_controller_powered_off(self, alias: str) -> None:
        """The platform accepted powering ``alias`` off."""
        self._tell("powered-off", *self.texts.powered_off(alias))

    def on_controller_instance_up(self, alias: str) -> None:
        """A power-on started from gpudesk reached a running instance."""
        self._tell("instance-up", *self.texts.instance_up(alias))

    def _tell(self, kind: str, title: str, text: str, *, warn: bool = False) -> None:
        icon = (
            QSystemTrayIcon.MessageIcon.Warning if warn else QSystemTrayIcon.MessageIcon.Information
        )
        self._last_kind = None
        self.showMessage(title, text, icon, MESSAGE_MS)
        self.notification_shown.emit(kind, title, text)

    def _section(self, alias: str) -> InstanceSection | None:
        model = self.controller.menu_model()
        return next((s for s in model.sections if s.alias == alias), None)

    def on_self_message_clicked(self) -> None:
        """The GPU-idle message opens the console; the others the window."""
        if self._last_kind is NotificationKind.GPU_IDLE and self._last_idle_console:
            self.open_url(self._last_idle_console)
        else:
            self.window_requested.emit()

    def on_self_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        """A left click (or double click) brings the window forward."""
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.window_requested.emit()

    def on_controller_window_hidden_to_tray(self) -> None:
        """Say once where gpudesk went."""
        if not self._told_hidden:
            self._told_hidden = True
            self.showMessage(
                "gpudesk",
                self.tr("gpudesk keeps your tunnels up from here. Quit from this menu."),
                QSystemTrayIcon.MessageIcon.Information,
                MESSAGE_MS,
            )

    def on_controller_action_failed(self, error: object) -> None:
        """An action from the menu failed: say what and what to do."""
        text = self.texts.error(error)
        self.showMessage(
            self.tr("gpudesk: that did not work"),
            text,
            QSystemTrayIcon.MessageIcon.Warning,
            MESSAGE_MS,
        )
        self.notification_shown.emit("error", "", text)


class WindowCloseWatcher(QObject):
    """After the main window closes: stay in the tray (tray + ``close_to_tray``) or quit.

    The window's own ``closeEvent`` runs first (it saves its layout); then, with a tray and
    the setting on, gpudesk keeps running (``window_hidden_to_tray``), else it quits cleanly.
    """

    def __init__(self, controller: TrayController, window: QWidget) -> None:
        super().__init__(window)
        self.controller = controller
        self.window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Look at the window's Close event, never swallow it."""
        if watched is self.window and event.type() == QEvent.Type.Close:
            QTimer.singleShot(0, self.on_window_closed)
        return False

    def on_window_closed(self) -> None:
        """Decide once the close went through (the window may have refused it)."""
        controller = self.controller
        if self.window.isVisible() or controller.closing:
            return
        if controller.tray_available and controller.services.settings.close_to_tray:
            controller.window_hidden_to_tray.emit()
        else:
            controller.quit()


def attach_window(controller: TrayController, window: QWidget) -> WindowCloseWatcher:
    """Make closing ``window`` hide it to the tray or quit gpudesk (see the watcher)."""
    return WindowCloseWatcher(controller, window)
