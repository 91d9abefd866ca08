"""What the dashboard's instance buttons do: open, copy, re-point, rename, remove, power.

:class:`DashboardActions` carries out an :class:`~gpudesk.ui.widgets.instance_actions.Action`
for one alias. Opening Jupyter, TensorBoard and VS Code goes through the tray controller (the
same code as the tray menu). "Copy Jupyter URL for VS Code" brings the Jupyter tunnel up and
puts its local URL with the token on the clipboard (never in a log or the status bar). After
a re-point, rename or removal the instance's tunnels follow on the thread pool
(:mod:`gpudesk.core.tunnels.follow`); :attr:`DashboardActions.instances_changed` then asks
the window to reload its list. Power on/off of an instance linked to a platform account is
:class:`~gpudesk.ui.power_actions.PowerActions`; after a power-on its tunnels follow too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

from gpudesk.core.apps.jupyterlink import open_jupyter_tunnel
from gpudesk.core.desktop.terminal import open_terminal
from gpudesk.core.desktop.traymenu import platform_of, ssh_command_for
from gpudesk.core.editor.instance_removal import plan_instance_removal
from gpudesk.core.editor.repoint import RepointResult
from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.errors import GpuDeskError, InputError
from gpudesk.core.store.instances import Instance, instance_not_found
from gpudesk.core.tunnels.follow import drop_instance_tunnels, register_instance_tunnels
from gpudesk.core.tunnels.servicehealth import distinct_services
from gpudesk.ui.bridges import BackgroundTask, run_in_background
from gpudesk.ui.dialogs.errors import show_error
from gpudesk.ui.dialogs.instance_edit import RemoveDialog, RenameDialog
from gpudesk.ui.dialogs.repoint_dialog import RepointDialog
from gpudesk.ui.power_actions import PowerActions
from gpudesk.ui.services import Services
from gpudesk.ui.widgets.instance_actions import Action
from gpudesk.ui.widgets.text import fmt

if TYPE_CHECKING:
    from gpudesk.ui.tray_controller import TrayController

#: How long a confirmation stays in the status bar (ms).
MESSAGE_MS = 10_000


class DashboardActions(QObject):
    """Runs the instance actions of ``window`` (its status bar shows the outcome)."""

    instances_changed = Signal(str)  # the alias to select afterwards ("" for none)
    jupyter_url_copied = Signal(str)  # alias (the URL itself never travels in a signal)

    def __init__(self, window: QMainWindow, services: Services, controller: TrayController) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self.controller = controller
        self.dialog: object | None = None
        self.tasks: set[BackgroundTask] = set()
        self.last_terminal: list[str] = []
        self.power = PowerActions(window, self._say)
        self.power.followed.connect(self.follow)
        self.power.failed.connect(controller.action_failed)

    def run(self, action: str, alias: str) -> None:
        """Do ``action`` for the saved instance ``alias``."""
        instance = self.services.instances.get(alias)
        if instance is None:
            show_error(self.window, instance_not_found(alias))
            return
        handlers: dict[Action, Callable[[], object]] = {
            Action.EDITOR: lambda: self.controller.open_in_editor(alias),
            Action.JUPYTER: lambda: self.controller.open_jupyter(alias),
            Action.TENSORBOARD: lambda: self.controller.open_tensorboard(alias),
            Action.TERMINAL: lambda: self.open_terminal(instance),
            Action.COPY_SSH: lambda: self.copy_ssh_command(instance),
            Action.JUPYTER_URL: lambda: self.copy_jupyter_url(instance),
            Action.REPOINT: lambda: self.repoint(instance),
            Action.RENAME: lambda: self.rename(instance),
            Action.REMOVE: lambda: self.remove(instance),
            Action.POWER_ON: lambda: self.power.power_on(instance),
            Action.POWER_OFF: lambda: self.power.power_off(instance),
        }
        self.controller.reload_instances()  # the controller may not know a new instance yet
        handlers[Action(action)]()

    # --- open and copy ----------------------------------------------------------------------

    def copy_ssh_command(self, instance: Instance) -> None:
        """``ssh ALIAS`` (or the full command without an alias) to the clipboard."""
        has_alias = SshConfig().entry_path(instance.alias).exists()
        command = ssh_command_for(instance, has_alias)
        QGuiApplication.clipboard().setText(command)
        self._say(fmt(self.tr("Copied: %1"), command))

    def open_terminal(self, instance: Instance) -> None:
        """The system terminal running ``ssh ALIAS``."""
        if not SshConfig().entry_path(instance.alias).exists():
            show_error(self.window, _no_alias(instance.alias))
            return
        try:
            self.last_terminal = open_terminal(instance.alias)
        except GpuDeskError as error:
            show_error(self.window, error)
            return
        self._say(fmt(self.tr("Opened a terminal: ssh %1"), instance.alias))

    def copy_jupyter_url(self, instance: Instance) -> None:
        """Bring Jupyter's tunnel up; its local URL with the token goes to the clipboard."""
        controller, services = self.controller, self.services
        connect = controller.connector(instance)
        platform = platform_of(services.catalog, instance.platform_id)

        def work(_task: BackgroundTask) -> str:
            opening = open_jupyter_tunnel(
                instance,
                supervisor=controller.supervisor,
                book=controller.book,
                store=services.instances,
                secrets=services.secrets,
                connect=connect,
                platform=platform,
            )
            return opening.url

        def copied(url: object) -> None:
            QGuiApplication.clipboard().setText(str(url))
            self._say(
                self.tr(
                    "Copied the Jupyter URL (it holds the token). In VS Code: Select Kernel > "
                    "Existing Jupyter Server, then paste."
                )
            )
            self.jupyter_url_copied.emit(instance.alias)

        self._say(self.tr("Starting Jupyter on the instance…"))
        self._background(work, copied)

    def drop_duplicate_services(self, alias: str) -> list[str]:
        """Remove tunnels of ``alias`` that forward a service its Jupyter/TensorBoard tunnel
        already forwards (e.g. a "Port 8888" added by hand); return the removed ids."""
        controller = self.controller
        apps = [e.tunnel_id for e in controller.book.of_instance(alias) if e.saved.kind != "custom"]
        statuses = controller.supervisor.tunnels(alias)
        kept = {s.tunnel_id for s in distinct_services(statuses, preferred=apps)}
        removed = [s.tunnel_id for s in statuses if s.tunnel_id not in kept]
        for tunnel_id in removed:
            if controller.book.get(tunnel_id) is not None:
                controller.remove_saved_tunnel(tunnel_id)
            else:
                self._background(_remover(controller, tunnel_id), lambda _none: None)
        if removed:
            self._say(self.tr("Removed a tunnel to the same service on the instance."))
        return removed

    # --- edit -------------------------------------------------------------------------------

    def repoint(self, instance: Instance) -> None:
        """Ask for the new command; afterwards the tunnels follow to the new address."""
        dialog = RepointDialog(instance, self.services, self.window)
        dialog.repointed.connect(self.on_dialog_repointed)
        dialog.open()
        self.dialog = dialog

    def on_dialog_repointed(self, result: RepointResult) -> None:
        """The instance moved: its tunnels log in at the new address from now on."""
        self.follow(result.instance.alias, result.instance)
        address = result.instance.target.address
        self._say(fmt(self.tr("%1 now points at %2."), result.instance.alias, address))

    def rename(self, instance: Instance) -> None:
        """Ask for the new name; afterwards the tunnels follow to it."""
        dialog = RenameDialog(instance, self.window)
        dialog.accepted.connect(lambda: self._renamed(instance.alias, dialog.renamed))
        dialog.open()
        self.dialog = dialog

    def _renamed(self, old: str, renamed: Instance | None) -> None:
        if renamed is not None:
            self.follow(old, renamed)
            self._say(fmt(self.tr("Renamed %1 to %2."), old, renamed.alias))

    def remove(self, instance: Instance) -> None:
        """List what goes; on "Remove" its tunnels stop and everything listed goes."""
        services = self.services
        try:
            plan = plan_instance_removal(
                instance.alias,
                store=services.instances,
                secrets=services.secrets,
                host_keys=services.host_keys,
                ssh_config=SshConfig(),
            )
        except GpuDeskError as error:
            show_error(self.window, error)
            return
        dialog = RemoveDialog(plan, services.secrets, services.host_keys, self.window)
        dialog.accepted.connect(lambda: self._removed(instance.alias))
        dialog.open()
        self.dialog = dialog

    def _removed(self, alias: str) -> None:
        self.follow(alias, None)
        self._say(fmt(self.tr("Removed %1."), alias))

    def follow(self, old_alias: str, instance: Instance | None) -> BackgroundTask:
        """Tunnels of ``old_alias`` stop; those of ``instance`` (if any) come up as before."""
        controller = self.controller
        controller.forget_connector(old_alias)
        controller.reload_instances()
        connect = controller.connector(instance) if instance is not None else None

        def work(_task: BackgroundTask) -> list[GpuDeskError]:
            running = drop_instance_tunnels(controller.supervisor, controller.book, old_alias)
            if instance is None or connect is None:
                return []
            return register_instance_tunnels(
                controller.supervisor, controller.book, instance, connect, running
            )

        def done(problems: object) -> None:
            for problem in problems if isinstance(problems, list) else []:
                controller.action_failed.emit(problem)
            self.instances_changed.emit(instance.alias if instance else "")

        self.instances_changed.emit(instance.alias if instance else "")
        return self._background(work, done)

    # --- helpers ----------------------------------------------------------------------------

    def _background(
        self, work: Callable[[BackgroundTask], Any], done: Callable[[Any], None]
    ) -> BackgroundTask:
        task = run_in_background(work)
        self.tasks.add(task)
        task.succeeded.connect(done)
        task.failed.connect(self.controller.action_failed)
        task.finished.connect(lambda: self.tasks.discard(task))
        return task

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, MESSAGE_MS)


def _remover(controller: TrayController, tunnel_id: str) -> Callable[[BackgroundTask], None]:
    """Background work that stops and forgets one (unsaved) tunnel."""

    def work(_task: BackgroundTask) -> None:
        controller.supervisor.remove(tunnel_id)

    return work


def _no_alias(alias: str) -> InputError:
    return InputError(
        "open.unknown_alias",
        f"gpudesk has no ssh alias {alias!r}, so no terminal can log in with it.",
        "Finish the set-up of this instance in gpudesk first (it writes the alias).",
    )
