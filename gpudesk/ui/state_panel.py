"""The tray's state as a panel of the main window, for desktops without a system tray.

Where ``QSystemTrayIcon.isSystemTrayAvailable()`` is False (GNOME without the AppIndicator
extension, a bare X server), :class:`StatePanel` shows what the tray would: the overall
state with its icon and summary, per instance the header line and a checkbox per tunnel
(really starting/stopping it), "Open Jupyter", "Open in VS Code", "Copy ssh command",
"Connect all" / "Disconnect all", and the latest notification. Like the tray it shows why a GPU
monitor stopped, a cost guard's countdown with "Postpone 30 min" / "Cancel power-off", and,
on a GPU-idle alert of an instance linked to a platform account, "Power off now…" (asked
first). It also says how to get a tray, and that closing the window quits gpudesk here.

Embed it with one call: ``attach_state_panel(main_window, controller)`` (a dock widget).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.desktop.notifications import Notification, NotificationKind
from gpudesk.core.desktop.traymenu import InstanceSection
from gpudesk.core.desktop.traystate import OverallState
from gpudesk.core.guard.countdown import PowerOffNotice
from gpudesk.ui.power_off_question import power_off_question
from gpudesk.ui.tray_controller import TrayController
from gpudesk.ui.tray_texts import TrayTexts
from gpudesk.ui.widgets.stateicon import state_icon
from gpudesk.ui.widgets.text import esc

#: Redraw at most this often when events pour in (ms).
_REFRESH_MS = 150


class StatePanel(QWidget):
    """Tunnels, GPUs and notifications of every instance, without a tray."""

    def __init__(self, controller: TrayController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statePanel")
        self.controller = controller
        self.texts = TrayTexts(self)
        self.icon_label = QLabel()
        self.summary_label = QLabel()
        self.summary_label.setObjectName("stateSummary")
        self.summary_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.icon_label)
        top.addWidget(self.summary_label, 1)
        self.instances_box = QWidget()
        self.instances_layout = QGridLayout(self.instances_box)
        self.instances_layout.setContentsMargins(0, 0, 0, 0)
        self.connect_all_button = QPushButton(self.tr("Connect all"))
        self.connect_all_button.setObjectName("connectAllButton")
        self.connect_all_button.clicked.connect(self.on_connect_all_button_clicked)
        self.disconnect_all_button = QPushButton(self.tr("Disconnect all"))
        self.disconnect_all_button.setObjectName("disconnectAllButton")
        self.disconnect_all_button.clicked.connect(self.on_disconnect_all_button_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.connect_all_button)
        buttons.addWidget(self.disconnect_all_button)
        buttons.addStretch(1)
        self.notice_label = QLabel()
        self.notice_label.setObjectName("stateNotice")
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()
        self.console_button = QPushButton(self.tr("Open the console"))
        self.console_button.setObjectName("consoleButton")
        self.console_button.clicked.connect(self.on_console_button_clicked)
        self.console_button.hide()
        self._console_url = ""
        self.power_off_button = QPushButton(self.tr("Power off now…"))
        self.power_off_button.setObjectName("powerOffButton")
        self.power_off_button.clicked.connect(self.on_power_off_button_clicked)
        self.power_off_button.hide()
        self._idle_alias = ""
        self.power_off_box: QMessageBox | None = None
        self.hint_label = QLabel(
            self.tr(
                "No system tray was found, so gpudesk shows its state here and quits when this "
                "window is closed. On GNOME, install the “AppIndicator and KStatusNotifierItem "
                "Support” extension (Debian/Ubuntu: gnome-shell-extension-appindicator), log "
                "out and in, and start gpudesk again to keep it in the tray."
            )
        )
        self.hint_label.setObjectName("trayHint")
        self.hint_label.setWordWrap(True)
        self.hint_label.setStyleSheet("color: #57606a;")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.instances_box)
        layout.addLayout(buttons)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.console_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.power_off_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.hint_label)
        layout.addStretch(1)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.setInterval(_REFRESH_MS)
        self.refresh_timer.timeout.connect(self.refresh)
        controller.state_changed.connect(self.on_controller_changed)
        controller.tunnel_changed.connect(self.on_controller_changed)
        controller.reading_changed.connect(self.on_controller_changed)
        controller.notification_raised.connect(self.on_controller_notification_raised)
        controller.action_failed.connect(self.on_controller_action_failed)
        controller.instances_changed.connect(self.on_controller_changed)
        controller.guard_changed.connect(self.on_controller_changed)
        controller.guard_countdown.connect(self.on_controller_guard_countdown)
        self.refresh()

    def on_controller_changed(self, _change: object) -> None:
        """Something changed: redraw soon (coalesced)."""
        self.refresh_timer.start()

    def refresh(self) -> None:
        """Redraw everything from the controller's menu model."""
        model = self.controller.menu_model()
        state = model.summary.state
        self.icon_label.setPixmap(state_icon(state).pixmap(32, 32))
        self.icon_label.setProperty("state", state.value)
        self.summary_label.setText(self.texts.summary(model.summary))
        while self.instances_layout.count():
            item = self.instances_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        row = 0
        for section in model.sections:
            row = self._add_section(section, row)
        self.connect_all_button.setEnabled(model.can_connect_all)
        self.disconnect_all_button.setEnabled(model.can_disconnect_all)

    def _add_section(self, section: InstanceSection, row: int) -> int:
        grid = self.instances_layout
        header = QLabel(f"<b>{self.texts.header(section)}</b>")
        header.setObjectName(f"header:{section.alias}")
        if section.reading is not None and section.reading.cost is not None:
            header.setToolTip(self.texts.cost_label())
        grid.addWidget(header, row, 0, 1, 3)
        row += 1
        alias = section.alias
        stopped = self.texts.monitor_stopped(section.reading)
        if stopped is not None:
            grid.addWidget(self._plain_label(f"stopped:{alias}", stopped), row, 0, 1, 3)
            row += 1
        countdown = self.controller.countdowns().get(alias)
        if countdown is not None:
            line = self._plain_label(f"countdown:{alias}", self.texts.countdown(countdown))
            grid.addWidget(line, row, 0)
            guard_buttons = (
                ("postpone", self.texts.postpone_action(), self.controller.postpone_guard),
                ("cancelguard", self.texts.cancel_action(), self.controller.cancel_guard),
            )
            for place, (key, label, act) in enumerate(guard_buttons, start=1):
                guard_button = QPushButton(label)
                guard_button.setObjectName(f"{key}:{alias}")
                guard_button.clicked.connect(lambda _checked=False, a=act: a(alias))
                grid.addWidget(guard_button, row, place)
            row += 1
        for toggle in section.toggles:
            box = QCheckBox(self.texts.tunnel(toggle))
            box.setObjectName(f"tunnel:{toggle.tunnel_id}")
            box.setChecked(toggle.checked)
            box.setToolTip(toggle.reason)
            box.toggled.connect(
                lambda on, tid=toggle.tunnel_id: self.controller.set_tunnel_enabled(tid, on)
            )
            grid.addWidget(box, row, 0, 1, 3)
            row += 1
        for column, (name, text, slot) in enumerate(
            (
                ("jupyter", self.tr("Open Jupyter"), lambda: self.controller.open_jupyter(alias)),
                (
                    "vscode",
                    self.tr("Open in VS Code"),
                    lambda: self.controller.open_in_editor(alias),
                ),
                (
                    "copyssh",
                    self.tr("Copy ssh command"),
                    lambda: QGuiApplication.clipboard().setText(section.ssh_command),
                ),
            )
        ):
            button = QPushButton(text)
            button.setObjectName(f"{name}:{alias}")
            button.clicked.connect(slot)
            grid.addWidget(button, row, column)
        return row + 1

    def _plain_label(self, name: str, text: str) -> QLabel:
        """A label showing ``text`` as plain text (it may carry what the instance printed)."""
        label = QLabel(text)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        return label

    def on_connect_all_button_clicked(self) -> None:
        """Start every tunnel."""
        self.controller.connect_all()

    def on_disconnect_all_button_clicked(self) -> None:
        """Stop every tunnel."""
        self.controller.disconnect_all()

    def on_controller_notification_raised(self, note: Notification) -> None:
        """Show the latest notification here (there is no tray to show it)."""
        title, text = self.texts.notification(note)
        self.notice_label.setText(f"<b>{esc(title)}</b><br>{esc(text)}")
        self.notice_label.show()
        url = ""
        if note.kind is NotificationKind.GPU_IDLE:
            section = next(
                (s for s in self.controller.menu_model().sections if s.alias == note.instance),
                None,
            )
            url = section.console_url or "" if section else ""
        self._console_url = url
        self.console_button.setVisible(bool(url))
        idle = note.kind is NotificationKind.GPU_IDLE
        self._idle_alias = note.instance if idle else ""
        self.power_off_button.setVisible(idle and self.controller.is_linked(note.instance))

    def on_power_off_button_clicked(self) -> None:
        """The idle alert's "Power off now…": ask, naming the instance, then power it off."""
        alias = self._idle_alias
        box = power_off_question(self, alias)
        box.accepted.connect(lambda: self.controller.power_off(alias))
        self.power_off_box = box
        box.open()

    def on_controller_guard_countdown(self, notice: PowerOffNotice) -> None:
        """A guard announced a power-off: say so here (Postpone / Cancel are by its line)."""
        title, text = self.texts.countdown_message(notice)
        self.notice_label.setText(f"<b>{esc(title)}</b><br>{esc(text)}")
        self.notice_label.show()
        self.console_button.hide()
        self.power_off_button.hide()

    def on_controller_action_failed(self, error: object) -> None:
        """Say what did not work."""
        self.notice_label.setText(esc(self.texts.error(error)))
        self.notice_label.show()

    def on_console_button_clicked(self) -> None:
        """Open the platform console of the idle instance."""
        if self._console_url:
            QDesktopServices.openUrl(QUrl(self._console_url))

    @property
    def state(self) -> OverallState:
        """The state the icon shows (for tests)."""
        return OverallState(self.icon_label.property("state"))


def attach_state_panel(window: QMainWindow, controller: TrayController) -> StatePanel:
    """Embed the state panel in ``window`` as a dock widget on the right; return it."""
    panel = StatePanel(controller)
    dock = QDockWidget(QCoreApplication.translate("StatePanel", "Tunnels and GPUs"), window)
    dock.setObjectName("stateDock")
    dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    return panel
