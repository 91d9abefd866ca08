"""The main window: a dashboard of your instances, the platforms, and the set-up wizard.

Two views in a stack: "home" and the wizard. Home has three tabs: the dashboard (one row per
instance: platform, GPU, state, live GPU use and memory, time up and the session's cost, the
same figures as the tray; below it the selected instance's header, actions, tunnels, cost
guard and files, :mod:`gpudesk.ui.instance_details` and :mod:`gpudesk.ui.instance_views`,
once :meth:`MainWindow.attach_controller` gave it the tray controller), the platforms and
the AutoDL account (:mod:`gpudesk.ui.account_tab`). The actions are carried out by
:class:`~gpudesk.ui.dashboard_actions.DashboardActions`. Quitting with tunnels up asks
first; which instances had tunnels up is saved (auto-connect) so they come back at the next
start when the "restore tunnels" setting is on. The window opens the wizard by itself when a
set-up was left unfinished, at the same step. Window geometry and layout are UI state and
live in QSettings; everything else comes from the core services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QItemSelection, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.errors import GpuDeskError
from gpudesk.core.store.instances import Instance
from gpudesk.core.store.settings import load_state
from gpudesk.core.tunnels.follow import remember_running
from gpudesk.core.wizard import STATE_KEY
from gpudesk.ui.account_tab import AccountTab
from gpudesk.ui.catalog_view import CatalogView
from gpudesk.ui.dashboard_actions import DashboardActions
from gpudesk.ui.dialogs.about import AboutDialog
from gpudesk.ui.dialogs.errors import describe_error, show_error
from gpudesk.ui.dialogs.quit_question import quit_question
from gpudesk.ui.dialogs.settings_dialog import SettingsDialog
from gpudesk.ui.instance_details import InstanceDetails
from gpudesk.ui.instance_views import install_instance_views
from gpudesk.ui.power_actions import account_link
from gpudesk.ui.services import Services
from gpudesk.ui.tray_texts import TrayTexts
from gpudesk.ui.widgets.instance_table import InstanceTableModel, live_texts
from gpudesk.ui.widgets.text import fmt, icon, scale_font
from gpudesk.ui.wizard.wizard_widget import WizardWidget

if TYPE_CHECKING:
    from gpudesk.ui.tray_controller import TrayController

#: How long an action's error stays in the status bar (ms).
ERROR_MESSAGE_MS = 20_000
#: How often the time-up and cost figures move on without a new reading (ms).
LIVE_REFRESH_MS = 30_000


class MainWindow(QMainWindow):
    """The window a user sees first.

    ``settings_changed`` carries the new :class:`Settings` after the settings dialog saved
    them; ``quit_handler`` (set by the tray wiring) stops every tunnel before quitting.
    """

    settings_changed = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.settings_dialog: SettingsDialog | None = None
        self.quit_handler: Callable[[], None] | None = None
        self.controller: TrayController | None = None
        self.actions_runner: DashboardActions | None = None
        self._remembered: set[str] | None = None  # instances running when last remembered
        self.about_dialog: AboutDialog | None = None
        self.tray_texts = TrayTexts(self)
        self.live_timer = QTimer(self)
        self.live_timer.setInterval(LIVE_REFRESH_MS)
        self.live_timer.timeout.connect(self.refresh_states)
        self.setObjectName("mainWindow")
        # Qt adds the application display name ("gpudesk") to the title itself.
        self.setWindowTitle(self.tr("Your cloud GPUs"))
        self.setWindowIcon(icon("gpudesk"))
        self.instance_model = InstanceTableModel(services.catalog)
        self.instance_table = QTableView()
        self.instance_table.setObjectName("instanceTable")
        self.instance_table.setModel(self.instance_model)
        self.instance_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.instance_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.instance_table.verticalHeader().setVisible(False)
        self.instance_table.setAlternatingRowColors(True)
        header = self.instance_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.instance_table.selectionModel().selectionChanged.connect(
            self.on_instance_selection_changed
        )
        self.details = InstanceDetails()
        self.empty_label = QLabel(
            self.tr(
                "No instances yet. Set up your first one: gpudesk walks you through choosing a "
                "platform, a GPU and an image, then connects to the machine and checks it."
            )
        )
        self.empty_label.setObjectName("emptyLabel")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #57606a; padding: 24px;")
        self.instance_stack = QStackedWidget()
        self.instance_stack.addWidget(self.empty_label)
        self.instance_stack.addWidget(self.instance_table)
        self.wizard = WizardWidget(services)
        self.wizard.finished.connect(self.on_wizard_finished)
        self.wizard.cancelled.connect(self.on_wizard_cancelled)
        self.stack = QStackedWidget()
        self.home = self._build_home(services)
        self.stack.addWidget(self.home)
        self.stack.addWidget(self.wizard)
        self.setCentralWidget(self.stack)
        self._build_menus()
        self.refresh_instances()
        if services.secrets_warning:
            self.keyring_label = QLabel(
                self.tr("No secure system keyring: passwords are kept until gpudesk quits.")
            )
            self.keyring_label.setToolTip(services.secrets_warning)
            self.statusBar().addPermanentWidget(self.keyring_label)
        self.resize(1100, 720)
        self._restore_state()
        if STATE_KEY in load_state():
            self.show_wizard(resume=True)

    # --- building ---------------------------------------------------------------------------

    def _build_home(self, services: Services) -> QWidget:
        self.home_tabs = QTabWidget()
        self.home_tabs.setObjectName("homeTabs")
        self.dashboard = self._build_dashboard()
        self.home_tabs.addTab(self.dashboard, self.tr("Instances"))
        self.catalog_view = CatalogView(services.catalog)
        platforms = QWidget()
        platforms_layout = QVBoxLayout(platforms)
        platforms_heading = QLabel(self.tr("GPU platforms at a glance"))
        scale_font(platforms_heading, 1.3, bold=True)
        platforms_layout.addWidget(platforms_heading)
        platforms_layout.addWidget(self.catalog_view, 1)
        self.platforms_page = platforms
        self.home_tabs.addTab(platforms, self.tr("Platforms"))
        self.account_tab = AccountTab.add_to(self.home_tabs, services.settings)
        self.settings_changed.connect(self.account_tab.apply_settings)
        home = QWidget()
        layout = QVBoxLayout(home)
        layout.addWidget(self.home_tabs)
        return home

    def _build_dashboard(self) -> QWidget:
        heading = QLabel(self.tr("Your GPU instances"))
        scale_font(heading, 1.3, bold=True)
        self.new_button = QPushButton(self.tr("Set up a new GPU instance"))
        self.new_button.setObjectName("newInstanceButton")
        self.new_button.clicked.connect(self.on_new_button_clicked)
        self.existing_button = QPushButton(self.tr("Add one I already rent"))
        self.existing_button.setObjectName("existingInstanceButton")
        self.existing_button.clicked.connect(self.on_existing_button_clicked)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.existing_button)
        top.addWidget(self.new_button)
        instances = QWidget()
        instances_layout = QVBoxLayout(instances)
        instances_layout.setContentsMargins(0, 0, 0, 0)
        instances_layout.addLayout(top)
        instances_layout.addWidget(self.instance_stack, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("homeSplitter")
        self.splitter.addWidget(instances)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([220, 480])  # QSettings may restore the user's own split
        return self.splitter

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        new_action = QAction(self.tr("&New instance…"), self)
        new_action.setShortcut(QKeySequence.StandardKey.New)
        new_action.triggered.connect(self.on_new_button_clicked)
        existing_action = QAction(self.tr("&Add an instance I already rent…"), self)
        existing_action.triggered.connect(self.on_existing_button_clicked)
        settings_action = QAction(self.tr("&Settings…"), self)
        settings_action.setObjectName("settingsAction")
        settings_action.triggered.connect(self.on_settings_action_triggered)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.on_quit_action_triggered)
        account_action = self.account_tab.connect_action
        for action in (new_action, existing_action, account_action, settings_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about_action = QAction(self.tr("&About / Help…"), self)
        about_action.setObjectName("aboutAction")
        about_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        about_action.triggered.connect(self.on_about_action_triggered)
        help_menu.addAction(about_action)
        self.settings_action = settings_action
        self.about_action = about_action

    # --- instances --------------------------------------------------------------------------

    def refresh_instances(self, select: str = "") -> None:
        """Reload the instance list from the store (and select ``select``)."""
        try:
            instances = self.services.instances.list()
        except GpuDeskError as error:
            show_error(self, error)
            instances = []
        self.instance_model.set_instances(instances)
        if self.controller is not None:
            self.controller.reload_instances()  # Open Jupyter etc. find a new instance at once
        self.instance_stack.setCurrentWidget(self.instance_table if instances else self.empty_label)
        self.details.setVisible(bool(instances))  # no tunnels to show before the first instance
        row = self.instance_model.row_of(select) if select else -1
        if row >= 0:
            self.instance_table.selectRow(row)
        self.on_instance_selection_changed()  # a model reset clears the selection silently
        self.refresh_states()

    def selected_instance(self) -> Instance | None:
        """The instance selected in the table, if any."""
        rows = self.instance_table.selectionModel().selectedRows()
        instances = self.instance_model.instances
        return instances[rows[0].row()] if rows and rows[0].row() < len(instances) else None

    def on_instance_selection_changed(
        self, _selected: QItemSelection | None = None, _deselected: QItemSelection | None = None
    ) -> None:
        """Show the tunnels of the selected instance below the table."""
        self.details.show_instance(self.selected_instance())

    # --- tunnels (through the tray controller) ----------------------------------------------

    def attach_controller(self, controller: TrayController) -> None:
        """Show tunnels, follow their events in the State column, report failed actions."""
        self.controller = controller
        self.details.attach(controller)
        self.details.power_check = lambda instance: account_link(instance) is not None
        self.instance_views = install_instance_views(self, controller)
        self.actions_runner = DashboardActions(self, self.services, controller)
        self.actions_runner.instances_changed.connect(self.on_actions_instances_changed)
        self.details.action_requested.connect(self.actions_runner.run)
        self.account_tab.followed.connect(self.actions_runner.follow)
        controller.tunnel_changed.connect(self.on_controller_tunnel_changed)
        controller.restored.connect(self.refresh_states)
        controller.reading_changed.connect(self.on_controller_reading_changed)
        controller.action_failed.connect(self.on_controller_action_failed)
        controller.jupyter_opened.connect(self.on_controller_app_opened)
        controller.tensorboard_opened.connect(self.on_controller_app_opened)
        controller.editor_opened.connect(self.on_controller_editor_opened)
        self.live_timer.start()
        self.on_instance_selection_changed()
        self.refresh_states()

    def refresh_states(self) -> None:
        """The State and live columns of every instance, and the selected one's header."""
        if self.controller is None:
            return
        tunnels = self.controller.supervisor.tunnels()
        sections = {s.alias: s for s in self.controller.menu_model().sections}
        for instance in self.instance_model.instances:
            mine = [s for s in tunnels if s.instance == instance.alias]
            self.instance_model.set_state(instance.alias, self.details.state_text(mine))
            self.instance_model.set_live(
                instance.alias, live_texts(sections.get(instance.alias), self.tray_texts)
            )
        selected = self.selected_instance()
        self.details.refresh(sections.get(selected.alias) if selected else None)

    def on_controller_reading_changed(self, _reading: object) -> None:
        """A new GPU sample: the live columns follow."""
        self.refresh_states()

    def on_controller_app_opened(self, alias: str, _where: str) -> None:
        """Jupyter or TensorBoard opened in the browser (a tunnel duplicating it goes)."""
        self.statusBar().showMessage(fmt(self.tr("Opened in the browser for %1."), alias), 8000)
        if self.actions_runner is not None:
            removed = self.actions_runner.drop_duplicate_services(alias)
            panel = self.details.panel
            if panel is not None:
                for tunnel_id in removed:
                    panel.forget(tunnel_id)

    def on_controller_editor_opened(self, alias: str) -> None:
        """VS Code was asked to open the instance."""
        self.statusBar().showMessage(fmt(self.tr("VS Code opens %1."), alias), 8000)

    def on_actions_instances_changed(self, select: str) -> None:
        """An instance was re-pointed, renamed or removed: reload the list."""
        self.details.show_instance(None)
        self.refresh_instances(select=select)

    def on_controller_tunnel_changed(self, _event: object) -> None:
        """A tunnel changed state: its instance's State column follows; which instances run
        is remembered (whichever way gpudesk quits, the tray's Quit included)."""
        self.refresh_states()
        if self.controller is not None and not self.controller.closing:
            running = self.running_instances()
            if running != self._remembered:
                self._remembered = running
                self.remember_running_tunnels()

    def on_controller_action_failed(self, error: BaseException) -> None:
        """An action (Open Jupyter, Add port, ...) failed: message and hint in the status bar."""
        message, hint, details = describe_error(error)
        self.statusBar().showMessage(f"{message} {hint}".strip(), ERROR_MESSAGE_MS)
        self.statusBar().setToolTip(details)

    # --- wizard -----------------------------------------------------------------------------

    def show_wizard(self, *, resume: bool = False, have_instance: bool = False) -> None:
        """Open the wizard: resumed, from the start, or at Connect."""
        if have_instance:
            self.wizard.start_with_instance()
        elif self.wizard.start(resume=resume) and resume:
            self.statusBar().showMessage(self.tr("Picked up the set-up where you left off."), 8000)
        self.stack.setCurrentWidget(self.wizard)
        if not resume:
            self.statusBar().clearMessage()

    def show_home(self) -> None:
        """Back to the instance list."""
        self.stack.setCurrentWidget(self.home)

    def on_new_button_clicked(self) -> None:
        """Start the wizard (or continue an unfinished one)."""
        self.statusBar().clearMessage()
        self.show_wizard(resume=True)

    def on_existing_button_clicked(self) -> None:
        """Start the wizard at Connect."""
        self.show_wizard(have_instance=True)

    def on_wizard_finished(self, alias: str) -> None:
        """Show the list, with the new instance selected."""
        self.refresh_instances(select=alias)
        self.show_home()
        if alias:
            self.statusBar().showMessage(fmt(self.tr("Saved %1."), alias), 8000)

    def on_wizard_cancelled(self) -> None:
        """Back to the list."""
        self.show_home()

    # --- dialogs ----------------------------------------------------------------------------

    def on_settings_action_triggered(self) -> None:
        """Open the settings."""
        dialog = SettingsDialog(self.services.settings, self)
        dialog.accepted.connect(self.on_settings_dialog_accepted)
        dialog.open()
        self.settings_dialog = dialog

    def on_settings_dialog_accepted(self) -> None:
        """Keep the saved settings (the language applies at the next start)."""
        if self.settings_dialog is not None:
            self.services.settings = self.settings_dialog.settings
            self.settings_changed.emit(self.services.settings)

    def on_quit_action_triggered(self) -> None:
        """Quit gpudesk (asking first when tunnels are up), through the tray's shutdown."""
        if not self.confirm_quit():
            return
        self.remember_running_tunnels()
        if self.quit_handler is not None:
            self.quit_handler()
        else:
            self.close()
            QApplication.quit()

    def running_instances(self) -> set[str]:
        """Aliases with a tunnel started (connecting, up or reconnecting)."""
        if self.controller is None:
            return set()
        return {s.instance for s in self.controller.supervisor.tunnels() if s.state.active}

    def confirm_quit(self) -> bool:
        """True when nothing runs, or the user agrees to close the running tunnels."""
        running = self.running_instances()
        if not running:
            return True
        self.quit_box = quit_question(self, running, restore=self.services.settings.restore_tunnels)
        return self.quit_box.exec() == QMessageBox.StandardButton.Yes

    def remember_running_tunnels(self) -> None:
        """Save per instance whether its tunnels come back at the next start (auto-connect)."""
        running = self.running_instances() if self.services.settings.restore_tunnels else set()
        try:
            instances = self.services.instances.list()
        except GpuDeskError as error:
            self.on_controller_action_failed(error)
            return
        for problem in remember_running(self.services.instances, instances, running):
            self.on_controller_action_failed(problem)

    def on_about_action_triggered(self) -> None:
        """Open About / Help."""
        dialog = AboutDialog(self.services.catalog, self)
        dialog.open()
        self.about_dialog = dialog

    # --- window state -----------------------------------------------------------------------

    def _restore_state(self) -> None:
        settings = QSettings()
        for key, restore in (
            ("main_window/geometry", self.restoreGeometry),
            ("main_window/state", self.restoreState),
            ("main_window/splitter", self.splitter.restoreState),
        ):
            value = settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Remember the window layout (UI state only) and where the wizard is."""
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/state", self.saveState())
        settings.setValue("main_window/splitter", self.splitter.saveState())
        if self.stack.currentWidget() is self.wizard:
            self.wizard.save_progress()
            page = self.wizard.current_page()
            if page is not None:
                page.cancel()
        super().closeEvent(event)
