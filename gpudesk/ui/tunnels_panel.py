"""The tunnels of one instance: their live state, start/stop, "Add port", Jupyter, TensorBoard.

The panel is a thin view over the core :class:`~gpudesk.core.tunnels.TunnelSupervisor`:
supervisor events reach it as a Qt signal through a :class:`SupervisorBridge` (events come
from the supervisor's thread; Qt queues them to the GUI thread). Adding or starting a tunnel
only binds a local port, so it runs on the GUI thread and a busy port is reported at once
with the free port offered; stopping waits for threads and runs in the background.

"Open Jupyter"/"Open TensorBoard" only emit ``open_*_requested`` with the alias. Given a
:class:`TunnelKeeper` (the tray controller), "Add port" saves the tunnel with the instance,
"Remove" forgets the saved entry too, and saved tunnels show their names.

The State column says what the tunnel does, the Service column whether the service on the
instance answers through it (:class:`~gpudesk.ui.widgets.service_watch.ServiceWatch`, off
the GUI thread): a tunnel can be up while Jupyter on the instance is dead. A port already
forwarded by another tunnel of the instance is not added twice.

Embed it with the instance's login callable (:func:`gpudesk.core.tunnels.instance_connector`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.errors import GpuDeskError
from gpudesk.core.store.instances import Instance
from gpudesk.core.tunnels import (
    ConnectFn,
    LocalPortBusyError,
    TunnelEvent,
    TunnelSpec,
    TunnelState,
    TunnelStatus,
    TunnelSupervisor,
)
from gpudesk.core.tunnels.servicehealth import ServiceHealth
from gpudesk.ui.bridges import BackgroundTask, run_in_background
from gpudesk.ui.widgets.service_watch import ServiceWatch
from gpudesk.ui.widgets.supervisor_bridge import SupervisorBridge, TunnelKeeper
from gpudesk.ui.widgets.text import fmt, scale_font
from gpudesk.ui.widgets.tunnel_texts import TunnelTexts

_COLUMNS = 7  # name, local, remote, state, service, reason, actions
_NAME, _LOCAL, _REMOTE, _STATE, _SERVICE, _REASON, _ACTIONS = range(_COLUMNS)
_HEALTH_COLOURS = {ServiceHealth.UP: "#1a7f37", ServiceHealth.DOWN: "#cf222e"}
#: Colours of the state column (readable on light and dark backgrounds).
_STATE_COLOURS = {
    TunnelState.UP: "#1a7f37",
    TunnelState.CONNECTING: "#0969da",
    TunnelState.RECONNECTING: "#bf8700",
    TunnelState.FAILED: "#cf222e",
    TunnelState.STOPPED: "#6e7781",
}


class TunnelsPanel(QWidget):
    """Tunnels of one instance with their state, start/stop, "Add port" and app buttons.

    Args:
        supervisor: The app's tunnel supervisor.
        instance: The saved instance.
        connect: Logs in to it (see :func:`gpudesk.core.tunnels.instance_connector`).
        keeper: Saves added tunnels and names saved ones; None for the bare supervisor.
        show_app_buttons: False when the window names the instance and offers Open
            Jupyter/TensorBoard itself (no title, no app buttons in the panel).
    """

    open_jupyter_requested = Signal(str)
    open_tensorboard_requested = Signal(str)
    #: Every event of this instance's tunnels, on the GUI thread (for the tray).
    tunnel_state_changed = Signal(object)

    def __init__(
        self,
        supervisor: TunnelSupervisor,
        instance: Instance,
        connect: ConnectFn,
        parent: QWidget | None = None,
        *,
        keeper: TunnelKeeper | None = None,
        show_app_buttons: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tunnelsPanel")
        self.supervisor = supervisor
        self.instance = instance
        self.keeper = keeper
        self._connect = connect
        self._rows: dict[str, int] = {}
        self._buttons: dict[str, tuple[QPushButton, QPushButton]] = {}
        self._removed: set[str] = set()
        self._stopping: set[str] = set()
        self._tasks: set[BackgroundTask] = set()
        self.texts = TunnelTexts(self)
        self._build(show_app_buttons)
        self.watch = ServiceWatch(
            lambda: self.supervisor.tunnels(self.instance.alias), self._kinds, parent=self
        )
        self.watch.health_changed.connect(self.on_watch_health_changed)
        self.bridge = SupervisorBridge(supervisor, self)
        self.bridge.tunnel_event_received.connect(self.on_bridge_tunnel_event_received)
        for status in supervisor.tunnels(instance.alias):
            self._show(status)

    # --- building ----------------------------------------------------------------------------

    def _build(self, show_app_buttons: bool) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 10)
        title = self._build_title()
        layout.addWidget(title)
        apps = self._build_app_buttons()
        if show_app_buttons:
            layout.addLayout(apps)
        else:  # embedded where the window names the instance and offers the apps
            title.hide()
            self.jupyter_button.hide()
            self.tensorboard_button.hide()
        layout.addWidget(self._build_table(), 1)
        layout.addLayout(self._build_add_row())
        layout.addWidget(self._build_message())

    def _build_title(self) -> QLabel:
        title = QLabel(
            self.tr("Tunnels to {alias} ({address})").format(
                alias=self.instance.alias, address=self.instance.target.address
            )
        )
        title.setObjectName("tunnelsTitle")
        scale_font(title, 1.1, bold=True)
        return title

    def _build_table(self) -> QTableWidget:
        self.table = QTableWidget(0, _COLUMNS)
        self.table.setObjectName("tunnelsTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Local"),
                self.tr("On the instance"),
                self.tr("State"),
                self.tr("Service"),
                self.tr("Why"),
                "",
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        for column in (_NAME, _LOCAL, _REMOTE, _STATE, _SERVICE, _ACTIONS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_REASON, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnHidden(_NAME, self.keeper is None)
        return self.table

    def _build_add_row(self) -> QHBoxLayout:
        self.local_port = QSpinBox()
        self.local_port.setObjectName("localPort")
        self.local_port.setRange(0, 65535)
        self.local_port.setSpecialValueText(self.tr("any free port"))
        self.remote_port = QSpinBox()
        self.remote_port.setObjectName("remotePort")
        self.remote_port.setRange(1, 65535)
        self.remote_port.setValue(8888)
        self.add_button = QPushButton(self.tr("Add port"))
        self.add_button.setObjectName("addPort")
        self.add_button.clicked.connect(self.on_add_button_clicked)
        add_row = QHBoxLayout()
        add_row.addWidget(QLabel(self.tr("Local port")))
        add_row.addWidget(self.local_port)
        add_row.addWidget(QLabel(self.tr("Port on the instance")))
        add_row.addWidget(self.remote_port)
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        return add_row

    def _build_app_buttons(self) -> QHBoxLayout:
        self.jupyter_button = QPushButton(self.tr("Open Jupyter"))
        self.jupyter_button.setObjectName("openJupyter")
        self.jupyter_button.clicked.connect(
            lambda: self.open_jupyter_requested.emit(self.instance.alias)
        )
        self.tensorboard_button = QPushButton(self.tr("Open TensorBoard"))
        self.tensorboard_button.setObjectName("openTensorBoard")
        self.tensorboard_button.clicked.connect(
            lambda: self.open_tensorboard_requested.emit(self.instance.alias)
        )
        apps = QHBoxLayout()
        apps.addWidget(self.jupyter_button)
        apps.addWidget(self.tensorboard_button)
        apps.addStretch(1)
        return apps

    def _build_message(self) -> QLabel:
        self.message = QLabel()
        self.message.setObjectName("tunnelsMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        return self.message

    # --- queries (tests, main window) --------------------------------------------------------

    def tunnel_ids(self) -> list[str]:
        """The tunnels shown, top to bottom."""
        return sorted(self._rows, key=self._rows.__getitem__)

    def state_text(self, tunnel_id: str) -> str:
        """The state as shown in the row of ``tunnel_id``."""
        return self._cell_text(tunnel_id, _STATE)

    def name_text(self, tunnel_id: str) -> str:
        """The name shown for ``tunnel_id`` (empty for a tunnel that is not saved)."""
        return self._cell_text(tunnel_id, _NAME)

    def action_button(self, tunnel_id: str) -> QPushButton:
        """The Start/Stop button of a row."""
        return self._buttons[tunnel_id][0]

    def remove_button(self, tunnel_id: str) -> QPushButton:
        """The Remove button of a row."""
        return self._buttons[tunnel_id][1]

    def state_name(self, state: TunnelState) -> str:
        """The translated name of a state."""
        return self.texts.state_name(state)

    def service_text(self, tunnel_id: str) -> str:
        """What the Service column says for ``tunnel_id`` (empty while not probed)."""
        return self._cell_text(tunnel_id, _SERVICE)

    def reason_text(self, tunnel_id: str) -> str:
        """The Why column of ``tunnel_id``."""
        return self._cell_text(tunnel_id, _REASON)

    def _cell_text(self, tunnel_id: str, column: int) -> str:
        item = self.table.item(self._rows[tunnel_id], column)
        return item.text() if item is not None else ""

    # --- slots -------------------------------------------------------------------------------

    def on_add_button_clicked(self) -> None:
        """Add and start a tunnel for the ports entered."""
        local, remote = self.local_port.value(), self.remote_port.value()
        taken = next(
            (
                s
                for s in self.supervisor.tunnels(self.instance.alias)
                if s.spec.remote_port == remote
            ),
            None,
        )
        if taken is not None:
            text = self.tr("Port %1 on the instance is already forwarded (to 127.0.0.1:%2).")
            self.message.setText(fmt(text, remote, taken.spec.local_port))
            self.message.show()
            return
        try:
            if self.keeper is not None:
                tunnel_id = self.keeper.add_saved_tunnel(self.instance.alias, local, remote)
            else:
                spec = TunnelSpec(local, remote)
                tunnel_id = self.supervisor.add(self.instance.alias, self._connect, spec)
        except GpuDeskError as error:
            self._report(error)
            self._refresh_all()
            return
        self.message.hide()
        self._show(self.supervisor.status(tunnel_id))

    def on_bridge_tunnel_event_received(self, event: TunnelEvent) -> None:
        """Update the row of the tunnel that changed (events of other instances are skipped)."""
        if event.instance != self.instance.alias or event.tunnel_id in self._removed:
            return
        try:
            status = self.supervisor.status(event.tunnel_id)
        except GpuDeskError:  # removed meanwhile (e.g. a Jupyter tunnel moved to a new port)
            self._drop_row(event.tunnel_id)
            return
        self._show(status)
        self.tunnel_state_changed.emit(event)

    def on_watch_health_changed(self, health: dict[str, ServiceHealth]) -> None:
        """Show what the probes found in the Service column."""
        for tunnel_id in list(self._rows):
            self._show_health(tunnel_id, health.get(tunnel_id, ServiceHealth.UNKNOWN))

    def _show_health(self, tunnel_id: str, health: ServiceHealth) -> None:
        item = QTableWidgetItem(self.texts.health(health))
        if health in _HEALTH_COLOURS:
            item.setForeground(QColor(_HEALTH_COLOURS[health]))
        if health is ServiceHealth.DOWN:
            item.setToolTip(
                self.tr("The tunnel is up, but nothing answers behind it on the instance.")
            )
        self.table.setItem(self._rows[tunnel_id], _SERVICE, item)

    def _kinds(self) -> dict[str, str]:
        if self.keeper is None:
            return {}
        return {
            e.tunnel_id: e.saved.kind for e in self.keeper.book.of_instance(self.instance.alias)
        }

    def _on_action(self, tunnel_id: str) -> None:
        status = self.supervisor.status(tunnel_id)
        if status.state.active:
            # Start is offered again only once the stop has released the local port.
            self._stopping.add(tunnel_id)
            self.action_button(tunnel_id).setEnabled(False)
            task = self._run(lambda _task: self.supervisor.stop(tunnel_id))
            task.finished.connect(lambda: self._on_stop_finished(tunnel_id))
            return
        try:
            self.supervisor.start(tunnel_id)
        except GpuDeskError as error:
            self._report(error)
        self._show(self.supervisor.status(tunnel_id))

    def _on_remove(self, tunnel_id: str) -> None:
        """Stop and forget a tunnel (and its saved entry); its row goes at once."""
        self._drop_row(tunnel_id)
        if self.keeper is not None:
            self.keeper.remove_saved_tunnel(tunnel_id)
        else:
            self._run(lambda _task: self.supervisor.remove(tunnel_id))

    def _on_stop_finished(self, tunnel_id: str) -> None:
        self._stopping.discard(tunnel_id)
        if tunnel_id in self._rows and tunnel_id not in self._removed:
            self._show(self.supervisor.status(tunnel_id))

    def _run(self, work: Callable[[BackgroundTask], object]) -> BackgroundTask:
        task = run_in_background(work)
        self._tasks.add(task)
        task.finished.connect(lambda: self._tasks.discard(task))
        task.failed.connect(self._report)
        return task

    # --- rows --------------------------------------------------------------------------------

    def _refresh_all(self) -> None:
        for status in self.supervisor.tunnels(self.instance.alias):
            self._show(status)

    def _show(self, status: TunnelStatus) -> None:
        if status.tunnel_id in self._removed:
            return
        row = self._rows.get(status.tunnel_id)
        if row is None:
            row = self._add_row(status.tunnel_id)
        spec = status.spec
        local = f"127.0.0.1:{spec.local_port}" if spec.local_port else self.tr("any free port")
        entry = self.keeper.book.get(status.tunnel_id) if self.keeper is not None else None
        state = QTableWidgetItem(self.state_name(status.state))
        state.setForeground(QColor(_STATE_COLOURS[status.state]))
        why = self.texts.status_reason(status)
        reason = QTableWidgetItem(why)
        reason.setToolTip(why)
        items = {
            _NAME: QTableWidgetItem(entry.saved.name if entry else ""),
            _LOCAL: QTableWidgetItem(local),
            _REMOTE: QTableWidgetItem(f"{spec.remote_host}:{spec.remote_port}"),
            _STATE: state,
            _REASON: reason,
        }
        for column, item in items.items():
            self.table.setItem(row, column, item)
        if status.state is not TunnelState.UP:
            self._show_health(status.tunnel_id, ServiceHealth.UNKNOWN)
        elif status.tunnel_id not in self.watch.health:
            self.watch.probe_now()
        button = self.action_button(status.tunnel_id)
        button.setText(self.tr("Stop") if status.state.active else self.tr("Start"))
        button.setEnabled(status.tunnel_id not in self._stopping)

    def forget(self, tunnel_id: str) -> None:
        """Drop the row of a tunnel removed elsewhere (its last event may not say so)."""
        self._drop_row(tunnel_id)

    def _drop_row(self, tunnel_id: str) -> None:
        """Forget the row of ``tunnel_id`` for good (later events of it are ignored)."""
        self._removed.add(tunnel_id)
        row = self._rows.pop(tunnel_id, None)
        self._buttons.pop(tunnel_id, None)
        if row is None:
            return
        self.table.removeRow(row)
        self._rows = {t: r - 1 if r > row else r for t, r in self._rows.items()}

    def _add_row(self, tunnel_id: str) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._rows[tunnel_id] = row
        action = QPushButton()
        action.setObjectName("tunnelAction")
        action.clicked.connect(lambda: self._on_action(tunnel_id))
        remove = QPushButton(self.tr("Remove"))
        remove.setObjectName("tunnelRemove")
        remove.setToolTip(self.tr("Stop this tunnel and forget it"))
        remove.clicked.connect(lambda: self._on_remove(tunnel_id))
        cell = QWidget()
        buttons = QHBoxLayout(cell)
        buttons.setContentsMargins(2, 0, 2, 0)
        buttons.setSpacing(4)
        buttons.addWidget(action)
        buttons.addWidget(remove)
        self.table.setCellWidget(row, _ACTIONS, cell)
        self._buttons[tunnel_id] = (action, remove)
        return row

    def _report(self, error: object) -> None:
        if isinstance(error, LocalPortBusyError) and error.suggested_port:
            self.local_port.setValue(error.suggested_port)
            text = self.tr("Port {port} is used by another program. {free} is free: try it.")
            self.message.setText(text.format(port=error.port, free=error.suggested_port))
        elif isinstance(error, GpuDeskError):
            self.message.setText(f"{error.message} {error.hint}".strip())
        else:
            self.message.setText(str(error))
        self.message.show()
