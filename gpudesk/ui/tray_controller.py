"""The tray's engine room: the supervisor, the GPU monitors, and core events as Qt signals.

:class:`TrayController` owns the app's :class:`TunnelSupervisor`, restores the saved tunnels
at start (auto-connect per instance), runs one GPU monitor per instance with a tunnel up
(:class:`MonitorHub`), decides notifications (:class:`NotificationPolicy`), notices sleep and
network changes (:class:`WakeDetector` -> ``probe_now``) and keeps the overall state
(:class:`TrayStateModel`). Core callbacks arrive on worker threads; they are re-emitted
through private signals, which Qt queues to the GUI thread, so every public signal and slot
runs there. Blocking work (starting/stopping tunnels, Jupyter, VS Code, quitting) runs on
the thread pool (:func:`gpudesk.ui.bridges.run_in_background`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from gpudesk.core.apps.jupyterlink import (
    JupyterOpening,
    TensorBoardOpening,
    open_jupyter_tunnel,
    open_tensorboard_tunnel,
    remove_stale_redirect_pages,
    write_redirect_page,
)
from gpudesk.core.desktop.autostart import apply_autostart
from gpudesk.core.desktop.notifications import Notification, NotificationPolicy
from gpudesk.core.desktop.traymenu import MenuModel, build_menu_model, platform_of
from gpudesk.core.desktop.traystate import TrayStateModel
from gpudesk.core.desktop.wakeup import WakeDetector
from gpudesk.core.editor.editorlaunch import open_instance_in_editor
from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.errors import GpuDeskError, InputError
from gpudesk.core.monitor.gpumonitor import IdleRule, RunSample
from gpudesk.core.monitor.hub import (
    MonitorHub,
    supervisor_sampler,
)
from gpudesk.core.store.instances import Instance
from gpudesk.core.store.settings import Settings
from gpudesk.core.tunnels import (
    TunnelEvent,
    TunnelState,
    TunnelSupervisor,
    instance_connector,
)
from gpudesk.core.tunnels.link import ConnectFn
from gpudesk.core.tunnels.savedtunnels import (
    BookEntry,
    SavedTunnel,
    TunnelBook,
    remove_saved_tunnel,
    restore_tunnels,
    save_tunnel,
)
from gpudesk.ui.bridges import BackgroundTask, run_in_background
from gpudesk.ui.services import Services

log = logging.getLogger(__name__)

#: The redirect page that carries a Jupyter token is deleted after this long (ms).
REDIRECT_PAGE_MS = 60_000


class TrayController(QObject):
    """Tunnels, monitors and notifications for the tray (or the state panel)."""

    tunnel_changed = Signal(object)  # TunnelEvent
    state_changed = Signal(object)  # OverallState
    reading_changed = Signal(object)  # InstanceReading
    notification_raised = Signal(object)  # Notification
    action_failed = Signal(object)  # GpuDeskError (or another exception)
    jupyter_opened = Signal(str, str)  # alias, the redirect page opened in the browser
    tensorboard_opened = Signal(str, str)  # alias, the URL opened in the browser
    editor_opened = Signal(str)  # alias
    woke_up = Signal(str)  # "wake" or "network"
    restored = Signal()  # the saved tunnels are registered (and auto-connect ones started)
    shutdown_finished = Signal()
    window_hidden_to_tray = Signal()

    _event_arrived = Signal(object)
    _reading_arrived = Signal(object)
    _alert_arrived = Signal(str, float, object)
    _busy_arrived = Signal(str)
    _work_done = Signal(object, object)
    _work_failed = Signal(object)

    def __init__(
        self,
        services: Services,
        *,
        supervisor: TunnelSupervisor | None = None,
        sampler: Callable[[str], RunSample] | None = None,
        policy: NotificationPolicy | None = None,
        wake: WakeDetector | None = None,
        wake_interval_ms: int = 5000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        settings = services.settings
        self.supervisor = supervisor or TunnelSupervisor.from_settings(settings)
        self.book = TunnelBook()
        self.state = TrayStateModel()
        self.policy = policy or NotificationPolicy()
        self.instances: list[Instance] = []
        self.tray_available = False
        self.closing = False
        self._connectors: dict[str, ConnectFn] = {}
        self.hub = MonitorHub(
            sampler or self._sampler,
            interval_s=float(settings.monitor_interval_s),
            rule=IdleRule(settings.idle_threshold_pct, settings.idle_minutes * 60.0),
            price_of=self._price_of,
            on_reading=self._reading_arrived.emit,
            on_alert=self._alert_arrived.emit,
            on_busy=self._busy_arrived.emit,
        )
        self._event_arrived.connect(self.on_supervisor_event_arrived)
        self._reading_arrived.connect(self.reading_changed)  # queued to the GUI thread
        self._alert_arrived.connect(self.on_hub_alert_arrived)
        self._busy_arrived.connect(self.on_hub_busy_arrived)
        self._work_done.connect(self.on_work_done)
        self._work_failed.connect(self.action_failed)
        self._unsubscribe = self.supervisor.subscribe(self._event_arrived.emit)
        self.wake = wake or WakeDetector(self._woke)
        self.wake_timer = QTimer(self)
        self.wake_timer.setInterval(wake_interval_ms)
        self.wake_timer.timeout.connect(self.on_wake_timer_timeout)
        self.grace_timer = QTimer(self)
        self.grace_timer.setInterval(1000)
        self.grace_timer.timeout.connect(self.on_grace_timer_timeout)

    # --- start ------------------------------------------------------------------------------

    def start(self, *, connect: bool = True) -> BackgroundTask:
        """Restore the saved tunnels (auto-connect ones start) and begin watching."""
        self.reload_instances()
        self.wake_timer.start()
        instances = list(self.instances)

        def restore() -> list[Any]:
            problems: list[Any] = []
            try:
                problems = restore_tunnels(
                    self.supervisor, instances, self.connector, self.book, connect=connect
                )
                apply_autostart(self.services.settings.start_at_login)
                remove_stale_redirect_pages()
            except GpuDeskError as error:
                self._work_failed.emit(error)
            return problems

        return self._background(restore, self.on_restore_succeeded)

    def on_restore_succeeded(self, problems: list[Any]) -> None:
        """Report tunnels that could not start (busy ports) once."""
        self.state.reset(self.supervisor.tunnels())
        self.state_changed.emit(self.state.state)
        for problem in problems:
            self.action_failed.emit(problem.error)
        self.restored.emit()

    def reload_instances(self) -> None:
        """Re-read the saved instances (cheap: one small JSON file)."""
        try:
            self.instances = self.services.instances.list()
        except GpuDeskError as error:
            log.warning("cannot read the saved instances: %s", error.message)

    def connector(self, instance: Instance) -> ConnectFn:
        """The login callable of ``instance`` (one per alias, built once)."""
        connect = self._connectors.get(instance.alias)
        if connect is None:
            connect = instance_connector(
                instance, secrets=self.services.secrets, host_keys=self.services.host_keys
            )
            self._connectors[instance.alias] = connect
        return connect

    def forget_connector(self, alias: str) -> None:
        """Drop the login cached for ``alias`` (the instance was re-pointed or renamed)."""
        self._connectors.pop(alias, None)

    def apply_settings(self, settings: Settings) -> None:
        """New settings were saved: the idle rule, intervals and start-at-login follow."""
        self.services.settings = settings
        self.hub.rule = IdleRule(settings.idle_threshold_pct, settings.idle_minutes * 60.0)
        self.hub.interval_s = float(settings.monitor_interval_s)
        self._background(lambda: apply_autostart(settings.start_at_login))

    # --- what the menu shows ----------------------------------------------------------------

    def menu_model(self) -> MenuModel:
        """The tray menu's content now (cheap; called when the menu opens)."""
        self.reload_instances()
        catalog, config = self.services.catalog, SshConfig()

        def console_url(platform_id: str | None) -> str | None:
            platform = platform_of(catalog, platform_id)
            return platform.console_url if platform else None

        return build_menu_model(
            self.instances,
            self.supervisor.tunnels(),
            self.book,
            self.hub.readings(),
            now=time.time(),
            console_url_of=console_url,
            has_ssh_alias=lambda alias: config.entry_path(alias).exists(),
        )

    def instance(self, alias: str) -> Instance | None:
        """The saved instance called ``alias``."""
        return next((i for i in self.instances if i.alias == alias), None)

    # --- actions (each runs off the GUI thread) ---------------------------------------------

    def set_tunnel_enabled(self, tunnel_id: str, enabled: bool) -> BackgroundTask:
        """Really start or stop one tunnel through the supervisor."""
        if enabled:
            return self._background(lambda: self.supervisor.start(tunnel_id))
        return self._background(lambda: self.supervisor.stop(tunnel_id, "switched off"))

    def connect_all(self) -> BackgroundTask:
        """Start every tunnel that is off or failed."""

        def start_all() -> None:
            errors = []
            for status in self.supervisor.tunnels():
                if not status.state.active:
                    try:
                        self.supervisor.start(status.tunnel_id)
                    except GpuDeskError as error:
                        errors.append(error)
            if errors:
                raise errors[0]

        return self._background(start_all)

    def disconnect_all(self) -> BackgroundTask:
        """Stop every tunnel."""

        def stop_all() -> None:
            for status in self.supervisor.tunnels():
                if status.state.active:
                    self.supervisor.stop(status.tunnel_id, "disconnected from the tray")

        return self._background(stop_all)

    def open_jupyter(self, alias: str) -> BackgroundTask:
        """Find or start Jupyter, bring its saved tunnel up, then ``jupyter_opened``."""

        def work(instance: Instance) -> tuple[str, str]:
            opening: JupyterOpening = open_jupyter_tunnel(
                instance, secrets=self.services.secrets, **self._app_tunnel_args(instance)
            )
            return alias, str(write_redirect_page(opening.url))

        return self._for_instance(alias, work, self.on_jupyter_task_succeeded)

    def on_jupyter_task_succeeded(self, result: tuple[str, str]) -> None:
        """Open the browser on the redirect page; delete the page (it holds the token) soon."""
        alias, page = result
        QDesktopServices.openUrl(QUrl.fromLocalFile(page))
        QTimer.singleShot(REDIRECT_PAGE_MS, lambda: _remove_file(page))
        self.jupyter_opened.emit(alias, page)

    def open_tensorboard(self, alias: str) -> BackgroundTask:
        """Find or start TensorBoard, bring its saved tunnel up, then ``tensorboard_opened``."""

        def work(instance: Instance) -> tuple[str, str]:
            opening: TensorBoardOpening = open_tensorboard_tunnel(
                instance, **self._app_tunnel_args(instance)
            )
            return alias, opening.url

        return self._for_instance(alias, work, self.on_tensorboard_task_succeeded)

    def on_tensorboard_task_succeeded(self, result: tuple[str, str]) -> None:
        """Open the browser on TensorBoard's local URL (it has no token)."""
        alias, url = result
        QDesktopServices.openUrl(QUrl(url))
        self.tensorboard_opened.emit(alias, url)

    def _app_tunnel_args(self, instance: Instance) -> dict[str, Any]:
        """What :func:`open_jupyter_tunnel` and :func:`open_tensorboard_tunnel` share."""
        return {
            "supervisor": self.supervisor,
            "book": self.book,
            "store": self.services.instances,
            "connect": self.connector(instance),
            "platform": platform_of(self.services.catalog, instance.platform_id),
        }

    def open_in_editor(self, alias: str) -> BackgroundTask:
        """``gpudesk open ALIAS``: the instance's folder in VS Code over Remote-SSH."""

        def work(instance: Instance) -> str:
            open_instance_in_editor(instance)
            return alias

        return self._for_instance(alias, work, self.editor_opened.emit)

    # --- saved custom tunnels (the tunnels panel's "Add port" and "Remove") -----------------

    def add_saved_tunnel(self, alias: str, local_port: int, remote_port: int) -> str:
        """Add, start and save a custom tunnel of ``alias``; return its tunnel id.

        Binding the local port is quick, so this runs on the GUI thread and a busy port is
        reported at once; the instance file is written in the background (a failure there
        arrives as ``action_failed``; the tunnel keeps working for this session).

        Raises:
            LocalPortBusyError: ``local_port`` is taken (nothing is added or saved).
            InputError: Unknown instance, or unusable ports.
        """
        instance = self.instance(alias)
        if instance is None:
            self.reload_instances()
            instance = self.instance(alias)
        if instance is None:
            raise _no_instance(alias)
        taken = {e.saved.name for e in self.book.of_instance(alias)}
        name = self.tr("Port {port}").format(port=remote_port)
        number = 2
        while name in taken:
            name = self.tr("Port {port} ({number})").format(port=remote_port, number=number)
            number += 1
        saved = SavedTunnel(name, local_port, remote_port, kind="custom")
        tunnel_id = self.supervisor.add(alias, self.connector(instance), saved.spec)
        self.book.add(BookEntry(tunnel_id, alias, saved))
        self._background(lambda: save_tunnel(self.services.instances, alias, saved))
        return tunnel_id

    def remove_saved_tunnel(self, tunnel_id: str) -> BackgroundTask:
        """Stop ``tunnel_id``, forget it, and remove its saved entry (in the background)."""
        entry = self.book.get(tunnel_id)
        self.book.discard(tunnel_id)

        def work() -> None:
            self.supervisor.remove(tunnel_id)
            if entry is not None:
                remove_saved_tunnel(self.services.instances, entry.alias, entry.saved.name)

        return self._background(work)

    def _for_instance(
        self, alias: str, work: Callable[[Instance], Any], done: Callable[[Any], None]
    ) -> BackgroundTask:
        """Run ``work(instance)`` for the saved instance ``alias`` in the background."""
        instance = self.instance(alias)

        def run() -> Any:
            if instance is None:
                raise _no_instance(alias)
            return work(instance)

        return self._background(run, done)

    def _background(
        self, work: Callable[[], Any], done: Callable[[Any], None] | None = None
    ) -> BackgroundTask:
        """Run ``work`` on the pool; ``done(result)`` or ``action_failed`` on the GUI thread.

        The result travels through this object's own queued signals, connected before the
        work starts, so a result that comes back at once is never lost.
        """

        def run(_task: BackgroundTask) -> None:
            try:
                result = work()
            except Exception as error:
                log.info("tray action failed: %r", error)
                self._work_failed.emit(error)
                return
            if done is not None:
                self._work_done.emit(done, result)

        return run_in_background(run)

    def on_work_done(self, done: Callable[[Any], None], result: Any) -> None:
        """Deliver a background result on the GUI thread."""
        done(result)

    # --- quitting ----------------------------------------------------------------

    def quit(self) -> None:
        """Stop every tunnel and monitor off the GUI thread, then ``shutdown_finished``."""
        if self.closing:
            return
        self.closing = True
        self.wake_timer.stop()
        self.grace_timer.stop()
        self._background(self._close_engine, lambda _none: self.shutdown_finished.emit())

    def shutdown_now(self) -> None:
        """Last resort when the app quits by another way: close everything, bounded."""
        self.closing = True
        self.wake_timer.stop()
        self.grace_timer.stop()
        self._close_engine()

    def _close_engine(self) -> None:
        self._unsubscribe()
        self.hub.close(timeout=5.0)
        self.supervisor.close()

    # --- core events, on the GUI thread -----------------------------------------------------

    def on_supervisor_event_arrived(self, event: TunnelEvent) -> None:
        """Update the state, the notifications and which instances are monitored."""
        if self.state.apply(event):
            self.state_changed.emit(self.state.state)
        self._show(self.policy.on_tunnel_event(event))
        if self.policy.pending_lost():
            self.grace_timer.start()
        if not self.closing:
            running = {s.instance for s in self.supervisor.tunnels() if s.state is TunnelState.UP}
            self.hub.set_running(running)
        self.tunnel_changed.emit(event)

    def on_hub_alert_arrived(self, alias: str, idle_for_s: float, price: float | None) -> None:
        """The idle rule fired: icon and one notification."""
        if self.state.set_idle(alias, True):
            self.state_changed.emit(self.state.state)
        self._show(self.policy.on_idle_alert(alias, idle_for_s, price))

    def on_hub_busy_arrived(self, alias: str) -> None:
        """The GPU is busy again (or no longer watched)."""
        self.policy.gpu_busy(alias)
        if self.state.set_idle(alias, False):
            self.state_changed.emit(self.state.state)

    def on_grace_timer_timeout(self) -> None:
        """Release "lost" notifications whose grace period passed."""
        self._show(self.policy.tick())
        if not self.policy.pending_lost():
            self.grace_timer.stop()

    def on_wake_timer_timeout(self) -> None:
        """Poll for sleep/wake and network changes (no blocking call)."""
        self.wake.check()

    def _woke(self, reason: str) -> None:
        self.supervisor.probe_now()
        self.hub.sample_now()
        self.woke_up.emit(reason)

    def _show(self, notes: list[Notification]) -> None:
        for note in notes:
            self.notification_raised.emit(note)

    # --- sampling ---------------------------------------------------------------------------

    def _price_of(self, alias: str) -> float | None:
        instance = self.instance(alias)
        return instance.price_per_hour if instance else None

    def _sampler(self, alias: str) -> RunSample:
        """Samples over the instance's existing connection (no new login per sample)."""
        return supervisor_sampler(self.supervisor, alias)


def _no_instance(alias: str) -> InputError:
    return InputError("instance.not_found", f"There is no instance called {alias!r}.")


def _remove_file(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
