"""The home view's detail area: the tunnels of the instance selected in the instance table.

:class:`InstanceDetails` shows a placeholder until the tray controller is attached and an
instance is selected; then the :class:`~gpudesk.ui.tunnels_panel.TunnelsPanel` of that
instance, saving its tunnels through the controller and asking it to open Jupyter and
TensorBoard. A new panel is built when the selection changes (the old one unsubscribes
from the supervisor when it is deleted). :meth:`InstanceDetails.state_text` is the
one-line summary the instance table's State column shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from gpudesk.core.store.instances import Instance
from gpudesk.core.tunnels import TunnelState, TunnelStatus
from gpudesk.ui.tunnels_panel import TunnelsPanel

if TYPE_CHECKING:
    from gpudesk.ui.tray_controller import TrayController


class InstanceDetails(QWidget):
    """The tunnels panel of the selected instance, or a placeholder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("instanceDetails")
        self.controller: TrayController | None = None
        self.panel: TunnelsPanel | None = None
        self.placeholder = QLabel(self.tr("Select an instance to see its tunnels."))
        self.placeholder.setObjectName("detailsPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("color: #57606a; padding: 16px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def attach(self, controller: TrayController) -> None:
        """Use ``controller``'s supervisor, saved tunnels and app openers from now on."""
        self.controller = controller

    def show_instance(self, instance: Instance | None) -> None:
        """Show the tunnels of ``instance`` (None: the placeholder)."""
        shown = self.panel.instance if self.panel is not None else None
        if shown and instance and (shown.alias, shown.target) == (instance.alias, instance.target):
            return
        self._drop_panel()
        controller = self.controller
        if instance is None or controller is None:
            self.stack.setCurrentWidget(self.placeholder)
            return
        panel = TunnelsPanel(
            controller.supervisor, instance, controller.connector(instance), keeper=controller
        )
        panel.open_jupyter_requested.connect(controller.open_jupyter)
        panel.open_tensorboard_requested.connect(controller.open_tensorboard)
        self.panel = panel
        self.stack.addWidget(panel)
        self.stack.setCurrentWidget(panel)

    def _drop_panel(self) -> None:
        if self.panel is None:
            return
        self.stack.removeWidget(self.panel)
        self.panel.deleteLater()
        self.panel = None

    def state_text(self, statuses: list[TunnelStatus]) -> str:
        """What the State column says about one instance's tunnels."""
        failed = [s for s in statuses if s.state is TunnelState.FAILED]
        if failed:
            return self.tr("Failed: {reason}").format(reason=failed[0].reason)
        states = {s.state for s in statuses}
        if TunnelState.RECONNECTING in states:
            return self.tr("Reconnecting")
        if TunnelState.CONNECTING in states:
            return self.tr("Connecting")
        up = sum(s.state is TunnelState.UP for s in statuses)
        if up == 1:
            return self.tr("1 tunnel up")
        if up:
            return self.tr("{count} tunnels up").format(count=up)
        # The table's own default text (and its translation).
        return QCoreApplication.translate("InstanceTable", "Not connected")
