"""The desk as Qt signals: a thin adapter between :class:`~gpudesk.core.engine.Desk` and the UI.

The engine (tunnels, GPU monitors, notifications, wake-up detection, Jupyter, TensorBoard,
VS Code, saved tunnels) is :class:`gpudesk.core.engine.Desk`, which has no Qt.
:class:`TrayController` subscribes to its events and re-emits them as signals; events come
from worker threads, so they travel through a private signal that Qt queues to the GUI
thread, and every public signal is emitted there. Desk calls that block (starting and
stopping tunnels, Jupyter, VS Code, saving, quitting) run on the thread pool
(:func:`gpudesk.ui.bridges.run_in_background`); the rest (the menu's content, adding a
custom tunnel's listener) answer from memory on the GUI thread.

The tray, the state panel, the main window and its tunnels panel use the signals and methods
here; the engine's parts stay reachable as ``supervisor``, ``book``, ``hub`` and ``desk``;
``state`` is the overall state as signalled so far (:class:`ShownState`).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from gpudesk.core.desktop.notifications import NotificationPolicy
from gpudesk.core.desktop.traymenu import MenuModel
from gpudesk.core.desktop.traystate import OverallState, Summary, TrayStateModel
from gpudesk.core.desktop.wakeup import WakeDetector
from gpudesk.core.engine import (
    ActionFailed,
    Desk,
    DeskEvent,
    EditorOpened,
    GuardChanged,
    GuardCountdown,
    InstancesChanged,
    JupyterOpened,
    NotificationRaised,
    PoweredOff,
    ReadingChanged,
    Restored,
    StateChanged,
    TensorBoardOpened,
    TunnelChanged,
    WokeUp,
)
from gpudesk.core.guard.countdown import PowerOffNotice
from gpudesk.core.monitor.gpumonitor import RunSample
from gpudesk.core.store.instances import Instance, instance_not_found
from gpudesk.core.store.settings import Settings
from gpudesk.core.tunnels import TunnelSupervisor
from gpudesk.core.tunnels.link import ConnectFn
from gpudesk.ui.bridges import BackgroundTask, run_in_background
from gpudesk.ui.services import Services

log = logging.getLogger(__name__)

#: The redirect page that carries a Jupyter token is deleted after this long (ms).
REDIRECT_PAGE_MS = 60_000


class ShownState:
    """The overall state as the GUI has been told it (updated on the GUI thread only).

    The desk's own :class:`TrayStateModel` changes on worker threads, ahead of the queued
    signals; the icon, the tooltip and the tests read this copy, taken just before each
    state or tunnel signal is emitted, so what they read matches what was signalled.
    """

    def __init__(self, model: TrayStateModel) -> None:
        self._state = model.state
        self._summary = model.summary()

    def catch_up(self, model: TrayStateModel) -> None:
        """Copy the desk's state now."""
        self._state, self._summary = model.state, model.summary()

    @property
    def state(self) -> OverallState:
        """The overall state (the icon)."""
        return self._state

    def summary(self) -> Summary:
        """The tooltip's facts."""
        return self._summary


class TrayController(QObject):
    """The desk's events as signals, and its actions run off the GUI thread."""

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
    instances_changed = Signal(object)  # list[Instance]: the saved instances were re-read
    guard_countdown = Signal(object)  # PowerOffNotice: announce it (once per countdown)
    guard_changed = Signal(str)  # alias: its countdown began, moved or ended
    powered_off = Signal(str)  # alias: the platform accepted powering it off
    instance_up = Signal(str)  # alias: a power-on from gpudesk reached a running instance
    shutdown_finished = Signal()
    window_hidden_to_tray = Signal()

    _event_arrived = Signal(object)
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
        self.desk = Desk(
            services.settings,
            instances=services.instances,
            catalog=services.catalog,
            secrets=services.secrets,
            host_keys=services.host_keys,
            supervisor=supervisor,
            sampler=sampler,
            policy=policy,
            wake=wake,
            wake_interval_s=wake_interval_ms / 1000,
        )
        self.supervisor = self.desk.supervisor
        self.book = self.desk.book
        self.state = ShownState(self.desk.state)
        self.policy = self.desk.policy
        self.hub = self.desk.hub
        self.wake = self.desk.wake
        self.tray_available = False
        self._event_arrived.connect(self.on_desk_event_arrived)  # queued from worker threads
        self._work_done.connect(self.on_work_done)
        self._work_failed.connect(self.action_failed)
        self._unsubscribe = self.desk.events.subscribe(self._event_arrived.emit)

    @property
    def closing(self) -> bool:
        """True once quitting began."""
        return self.desk.closing

    @property
    def instances(self) -> list[Instance]:
        """The saved instances as the desk last read them."""
        return self.desk.instances

    # --- start ------------------------------------------------------------------------------

    def start(self, *, connect: bool = True) -> BackgroundTask:
        """Restore the saved tunnels (auto-connect ones start) and begin watching."""
        self.desk.start_watching()
        return self._background(lambda: self.desk.restore(connect=connect))

    def reload_instances(self) -> None:
        """Re-read the saved instances off the GUI thread (``instances_changed`` if new)."""
        self.desk.refresh_instances()

    def connector(self, instance: Instance) -> ConnectFn:
        """The login callable of ``instance`` (one per alias, built once)."""
        return self.desk.connector(instance)

    def forget_connector(self, alias: str) -> None:
        """Drop the login cached for ``alias`` (the instance was re-pointed or renamed)."""
        self.desk.forget_connector(alias)

    def apply_settings(self, settings: Settings) -> None:
        """New settings were saved: the idle rule, intervals and start-at-login follow."""
        self.services.settings = settings
        self.desk.apply_settings(settings)
        self._background(self.desk.apply_start_at_login)

    # --- what the menu shows ----------------------------------------------------------------

    def menu_model(self) -> MenuModel:
        """The tray menu's content now, from memory (never reads a file)."""
        return self.desk.menu_model()

    def instance(self, alias: str) -> Instance | None:
        """The saved instance called ``alias``."""
        return self.desk.instance(alias)

    # --- actions (each runs off the GUI thread) ---------------------------------------------

    def set_tunnel_enabled(self, tunnel_id: str, enabled: bool) -> BackgroundTask:
        """Really start or stop one tunnel through the supervisor."""
        return self._background(lambda: self.desk.set_tunnel_enabled(tunnel_id, enabled))

    def connect_all(self) -> BackgroundTask:
        """Start every tunnel that is off or failed."""
        return self._background(self.desk.connect_all)

    def disconnect_all(self) -> BackgroundTask:
        """Stop every tunnel."""
        return self._background(self.desk.disconnect_all)

    def open_jupyter(self, alias: str) -> BackgroundTask:
        """Find or start Jupyter, bring its saved tunnel up, then ``jupyter_opened``."""
        return self._background(lambda: self.desk.open_jupyter(alias))

    def open_tensorboard(self, alias: str) -> BackgroundTask:
        """Find or start TensorBoard, bring its saved tunnel up, then ``tensorboard_opened``."""
        return self._background(lambda: self.desk.open_tensorboard(alias))

    def open_in_editor(self, alias: str) -> BackgroundTask:
        """``gpudesk open ALIAS``: the instance's folder in VS Code over Remote-SSH."""
        return self._background(lambda: self.desk.open_in_editor(alias))

    # --- the cost guard and platform instances --------------------------------------------

    def countdowns(self) -> dict[str, PowerOffNotice]:
        """The guards counting down now, by alias (from memory)."""
        return self.desk.guards.countdowns()

    def postpone_guard(self, alias: str) -> BackgroundTask:
        """Hold ``alias``'s power-off for another half hour (over the tunnels' connection)."""
        return self._background(lambda: self.desk.guards.postpone(alias))

    def cancel_guard(self, alias: str) -> BackgroundTask:
        """Stop ``alias``'s guard (over the tunnels' connection)."""
        return self._background(lambda: self.desk.guards.cancel(alias))

    def is_linked(self, alias: str) -> bool:
        """True when ``alias`` is a platform instance gpudesk can power off (from memory)."""
        return self.desk.linked.link(alias) is not None

    def power_off(self, alias: str) -> BackgroundTask:
        """Power ``alias`` off through its platform account, then ``powered_off``."""
        return self._background(lambda: self.desk.power_off(alias))

    def announce_instance_up(self, alias: str) -> None:
        """A power-on started from gpudesk reached a running instance: ``instance_up``; the
        saved instances are re-read (its alias may point somewhere new)."""
        self.desk.refresh_instances()
        self.instance_up.emit(alias)

    # --- saved custom tunnels (the tunnels panel's "Add port" and "Remove") -----------------

    def add_saved_tunnel(self, alias: str, local_port: int, remote_port: int) -> str:
        """Add, start and save a custom tunnel of ``alias``; return its tunnel id.

        Binding the local port is quick, so this runs on the GUI thread and a busy port is
        reported at once; the instance file is written in the background (a failure there
        arrives as ``action_failed``; the tunnel keeps working for this session). Only an
        instance the desk has not seen yet (saved a moment ago) is read from the file here.

        Raises:
            LocalPortBusyError: ``local_port`` is taken (nothing is added or saved).
            InputError: Unknown instance, or unusable ports.
        """
        instance = self.desk.instance(alias)
        if instance is None:
            self.desk.cache.refresh()  # a read, never a lock wait
            instance = self.desk.instance(alias)
        if instance is None:
            raise instance_not_found(alias)
        tunnel_id, saved = self.desk.add_custom_tunnel(
            instance, local_port, remote_port, self._tunnel_name
        )
        self._background(lambda: self.desk.save_tunnel(alias, saved))
        return tunnel_id

    def _tunnel_name(self, remote_port: int, number: int) -> str:
        if number == 1:
            return self.tr("Port {port}").format(port=remote_port)
        return self.tr("Port {port} ({number})").format(port=remote_port, number=number)

    def remove_saved_tunnel(self, tunnel_id: str) -> BackgroundTask:
        """Stop ``tunnel_id``, forget it, and remove its saved entry (in the background)."""
        entry = self.desk.forget_tunnel(tunnel_id)
        return self._background(lambda: self.desk.remove_tunnel(tunnel_id, entry))

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
        self.desk.closing = True
        self._background(self._close_engine, lambda _none: self.shutdown_finished.emit())

    def shutdown_now(self) -> None:
        """Last resort when the app quits by another way: close everything, bounded."""
        self._close_engine()

    def _close_engine(self) -> None:
        self._unsubscribe()
        self.desk.close()

    # --- the desk's events, on the GUI thread -----------------------------------------------

    def on_desk_event_arrived(self, event: DeskEvent) -> None:
        """Re-emit one desk event as the matching signal (open the browser first)."""
        if isinstance(event, TunnelChanged | StateChanged):
            self.state.catch_up(self.desk.state)  # before the slots read it
        match event:
            case TunnelChanged(tunnel_event):
                self.tunnel_changed.emit(tunnel_event)
            case StateChanged(state):
                self.state_changed.emit(state)
            case ReadingChanged(reading):
                self.reading_changed.emit(reading)
            case NotificationRaised(note):
                self.notification_raised.emit(note)
            case ActionFailed(error):
                self.action_failed.emit(error)
            case JupyterOpened(alias, page):
                # The page holds the token: open it, delete it soon.
                QDesktopServices.openUrl(QUrl.fromLocalFile(page))
                QTimer.singleShot(REDIRECT_PAGE_MS, lambda: _remove_file(page))
                self.jupyter_opened.emit(alias, page)
            case TensorBoardOpened(alias, url):
                QDesktopServices.openUrl(QUrl(url))
                self.tensorboard_opened.emit(alias, url)
            case EditorOpened(alias):
                self.editor_opened.emit(alias)
            case WokeUp(reason):
                self.woke_up.emit(reason)
            case Restored():
                self.restored.emit()
            case InstancesChanged(instances):
                self.instances_changed.emit(list(instances))
            case GuardCountdown(notice):
                self.guard_countdown.emit(notice)
            case GuardChanged(alias):
                self.guard_changed.emit(alias)
            case PoweredOff(alias):
                self.powered_off.emit(alias)

    def on_wake_timer_timeout(self) -> None:
        """Poll for sleep/wake and network changes now (the desk's heartbeat also does)."""
        self.desk.check_wake()


def _remove_file(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
