"""The dashboard's per-instance tabs beyond the tunnels: the cost guard and Files.

:func:`install_instance_views` adds both to the window's
:class:`~gpudesk.ui.instance_details.InstanceDetails` once the tray controller is attached.

* **Cost guard**: a :class:`~gpudesk.ui.guard.guard_view.GuardView` logging in with the
  desk's login callable of the instance (one cached callable per alias, its calls on worker
  threads), the instance's price and the platform's in-instance power-off command. Its status
  is read when the tab is first shown and on every refresh; what it says (armed, counting
  down) also shows in the instance's row (:meth:`InstanceTableModel.set_guard`).
* **Files**: a :class:`~gpudesk.ui.files.FilesView` whose login is :class:`SharedLogin`:
  the connection the tunnels already hold when they are up, otherwise one login kept for the
  view's life. The view never closes it (``owns_connection=False``).
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QWidget

from gpudesk.core.guard.rules import power_off_command_for
from gpudesk.core.guard.status import GuardStatus
from gpudesk.core.ssh.remote import Connection
from gpudesk.core.store.instances import Instance
from gpudesk.core.tunnels import TunnelSupervisor
from gpudesk.core.tunnels.link import ConnectFn
from gpudesk.ui.files import FilesView
from gpudesk.ui.guard.guard_service import GuardService
from gpudesk.ui.guard.guard_view import GuardView
from gpudesk.ui.widgets.instance_table import InstanceTableModel

#: Set on a guard view once its status was asked for.
STATUS_ASKED = "statusAsked"

if TYPE_CHECKING:
    from gpudesk.ui.main_window import MainWindow
    from gpudesk.ui.tray_controller import TrayController


class SharedLogin:
    """A login callable that borrows the tunnels' connection, or keeps one of its own.

    Called on worker threads. The connection it returns must not be closed by the caller;
    :meth:`close` ends the one it made itself (if any).
    """

    def __init__(self, supervisor: TunnelSupervisor, alias: str, connect: ConnectFn) -> None:
        self.supervisor = supervisor
        self.alias = alias
        self.connect = connect
        self._own: Connection | None = None
        self._lock = threading.Lock()

    def __call__(self) -> Connection:
        """The tunnels' live connection, else this login's own (logging in when needed)."""
        shared = self.supervisor.connection_of(self.alias)
        if shared is not None:
            return shared
        with self._lock:
            if self._own is None or not self._own.is_active:
                self._own = self.connect()
            return self._own

    def close(self) -> None:
        """Log out the connection this login made (the tunnels' one stays)."""
        with self._lock:
            own, self._own = self._own, None
        if own is not None:
            own.close()


def guard_note(status: GuardStatus) -> str:
    """The cost guard's state in a few words for the instance's row ("" when none runs)."""
    if not status.active:
        return ""
    if status.phase == "grace" and status.powers_off_at:
        clock = datetime.fromtimestamp(status.powers_off_at).strftime("%H:%M")
        return QCoreApplication.translate("InstanceViews", "guard: powers off at %1").replace(
            "%1", clock
        )
    return QCoreApplication.translate("InstanceViews", "guard armed")


class InstanceViews(QObject):
    """Builds the Guard and Files tabs of each instance the dashboard shows."""

    def __init__(self, window: MainWindow, controller: TrayController) -> None:
        super().__init__(window)
        self.model: InstanceTableModel = window.instance_model
        self.controller = controller
        self.tabs = window.details.tabs
        self.tabs.currentChanged.connect(self.on_tabs_current_changed)
        window.details.add_view(self.tr("Cost guard"), self.guard_view)
        window.details.add_view(self.tr("Files"), self.files_view)

    def guard_view(self, instance: Instance) -> QWidget:
        """The cost guard of ``instance``; its status is read at once (off the GUI thread)."""
        service = GuardService(self.controller.connector(instance))
        view = GuardView(
            instance.alias,
            service,
            price_per_hour=instance.price_per_hour,
            power_off_command=power_off_command_for(instance.platform_id),
        )
        # No Qt parent: the service outlives the view while a call of it still runs.
        alias = instance.alias
        service.status_received.connect(lambda status: self.on_guard_status(alias, status))
        return view

    def on_tabs_current_changed(self, _index: int) -> None:
        """A guard tab shown for the first time reads the guard's status (off the GUI thread).

        Looked at once the event loop is back: while the tabs of another instance are being
        dropped, the current tab passes over views that are about to go.
        """
        QTimer.singleShot(0, self.read_shown_guard)

    def read_shown_guard(self) -> None:
        """Ask the shown guard tab's status if nobody asked yet."""
        view = self.tabs.currentWidget()
        if isinstance(view, GuardView) and not view.property(STATUS_ASKED):
            view.setProperty(STATUS_ASKED, True)
            view.service.refresh()

    def on_guard_status(self, alias: str, status: object) -> None:
        """The guard of ``alias`` reported: its row says whether it is armed or counting."""
        if isinstance(status, GuardStatus):
            self.model.set_guard(alias, guard_note(status))

    def files_view(self, instance: Instance) -> QWidget:
        """The Files view of ``instance`` over the tunnels' connection (or one login)."""
        login = SharedLogin(
            self.controller.supervisor, instance.alias, self.controller.connector(instance)
        )
        view = FilesView(login, instance.instance_id, instance.workdir, owns_connection=False)
        view.setObjectName("filesView")
        view.destroyed.connect(lambda _object=None: login.close())
        return view


def install_instance_views(window: MainWindow, controller: TrayController) -> InstanceViews:
    """Add the Guard and Files tabs to ``window``'s instance details."""
    return InstanceViews(window, controller)
