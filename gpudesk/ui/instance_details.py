"""The home view's detail area: what the selected instance is doing, and what to do with it.

:class:`InstanceDetails` shows a placeholder until the tray controller is attached and an
instance is selected; then, for that instance: a header (alias, address, state, the live
GPU line: utilisation, memory, time up and the session's cost, the same figure as the tray),
the row of actions (:class:`~gpudesk.ui.widgets.instance_actions.InstanceActions`, which the
window handles), and tabs. The first tab is the
:class:`~gpudesk.ui.tunnels_panel.TunnelsPanel`; other views of one instance (cost guard,
files, ...) are added with :meth:`InstanceDetails.add_view` and are built for each instance
shown. A new panel is built when the selection changes (the old one unsubscribes from the
supervisor when it is deleted).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from gpudesk.core.desktop.traymenu import InstanceSection
from gpudesk.core.store.instances import Instance
from gpudesk.core.tunnels import TunnelStatus
from gpudesk.ui.tray_texts import TrayTexts
from gpudesk.ui.tunnels_panel import TunnelsPanel
from gpudesk.ui.widgets.instance_actions import InstanceActions
from gpudesk.ui.widgets.text import esc, scale_font
from gpudesk.ui.widgets.tunnel_texts import TunnelTexts

if TYPE_CHECKING:
    from gpudesk.ui.tray_controller import TrayController

#: Builds one extra tab for an instance (e.g. a cost-guard or files view).
ViewFactory = Callable[[Instance], QWidget]


class InstanceDetails(QWidget):
    """Header, actions and tabs of the selected instance, or a placeholder."""

    #: An action button was pressed: (action id, alias); see ``InstanceActions``.
    action_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("instanceDetails")
        self.controller: TrayController | None = None
        self.panel: TunnelsPanel | None = None
        self.instance: Instance | None = None
        self.views: list[tuple[str, ViewFactory]] = []
        # Whether an instance can be powered on/off through a platform account (quick).
        self.power_check: Callable[[Instance], bool] = lambda _instance: False
        self.texts = TunnelTexts(self)
        self.tray_texts = TrayTexts(self)
        self.placeholder = QLabel(self.tr("Select an instance to see its tunnels."))
        self.placeholder.setObjectName("detailsPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("color: #57606a; padding: 16px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self._build_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def _build_page(self) -> QWidget:
        self.title_label = QLabel()
        self.title_label.setObjectName("detailsTitle")
        self.title_label.setTextFormat(Qt.TextFormat.RichText)
        scale_font(self.title_label, 1.15)
        self.gpu_label = QLabel()
        self.gpu_label.setObjectName("detailsGpu")
        self.gpu_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_bar = InstanceActions()
        self.action_bar.triggered.connect(self.on_actions_triggered)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("detailsTabs")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.gpu_label)
        layout.addWidget(self.action_bar)
        layout.addWidget(self.tabs, 1)
        self.page = page
        return page

    def attach(self, controller: TrayController) -> None:
        """Use ``controller``'s supervisor, saved tunnels and app openers from now on."""
        self.controller = controller

    def add_view(self, title: str, factory: ViewFactory) -> None:
        """Add a tab built by ``factory(instance)`` for every instance shown from now on."""
        self.views.append((title, factory))
        if self.instance is not None:
            self.show_instance(self.instance, rebuild=True)

    def show_instance(self, instance: Instance | None, *, rebuild: bool = False) -> None:
        """Show ``instance`` (None: the placeholder)."""
        shown = self.instance
        same = (
            shown and instance and (shown.alias, shown.target) == (instance.alias, instance.target)
        )
        if same and self.panel is not None and not rebuild:
            self.instance = instance
            self.refresh()
            return
        self._drop_tabs()
        controller = self.controller
        self.instance = instance
        if instance is None or controller is None:
            self.instance = None
            self.placeholder.setText(
                self.tr("Select an instance to see its tunnels.")
                if instance is None
                else self.tr("The tunnels appear once gpudesk's tunnel service has started.")
            )
            self.stack.setCurrentWidget(self.placeholder)
            return
        self.action_bar.set_power_available(self.power_check(instance))
        panel = TunnelsPanel(
            controller.supervisor,
            instance,
            controller.connector(instance),
            keeper=controller,
            show_app_buttons=False,
        )
        panel.open_jupyter_requested.connect(controller.open_jupyter)
        panel.open_tensorboard_requested.connect(controller.open_tensorboard)
        self.panel = panel
        self.tabs.addTab(panel, self.tr("Tunnels"))
        for title, factory in self.views:
            self.tabs.addTab(factory(instance), title)
        self.stack.setCurrentWidget(self.page)
        self.refresh()

    def refresh(self, section: InstanceSection | None = None) -> None:
        """Update the header from the tunnels and the tray's facts of this instance."""
        instance, controller = self.instance, self.controller
        if instance is None or controller is None:
            return
        statuses = controller.supervisor.tunnels(instance.alias)
        title = f"<b>{esc(instance.alias)}</b>  {esc(instance.target.user)}@"
        title += f"{esc(instance.target.address)} · {esc(self.state_text(statuses))}"
        self.title_label.setText(title)
        self.gpu_label.setText(self.gpu_text(section))

    def gpu_text(self, section: InstanceSection | None) -> str:
        """``GPU 87 % · 10.2/24.0 GiB · up 3 min · ≈ ¥0.10``: the tray's line, without the alias."""
        if section is None or section.reading is None or not section.reading.running:
            return self.tr("GPU: not watched (no tunnel up).")
        return self.tray_texts.header(section).removeprefix(section.alias).lstrip(" ·")

    def on_actions_triggered(self, action: str) -> None:
        """Pass a button press on with the alias."""
        if self.instance is not None:
            self.action_requested.emit(action, self.instance.alias)

    def _drop_tabs(self) -> None:
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if widget is not None:
                widget.deleteLater()
        self.panel = None

    def state_text(self, statuses: list[TunnelStatus]) -> str:
        """What the State column says about one instance's tunnels."""
        return self.texts.instance_state(statuses)
