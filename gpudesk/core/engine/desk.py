"""The desk: every saved instance's tunnels and GPU monitors, behind one thread-safe object.

:class:`Desk` owns the app's :class:`TunnelSupervisor`, restores the saved tunnels at start
(auto-connect per instance), runs one GPU monitor per instance with a tunnel up or watched on
its own connection (:class:`MonitorHub`, :class:`GpuWatches`), decides notifications
(:class:`NotificationPolicy`), notices sleep and network changes (:class:`WakeDetector`,
ticked by its :class:`Heartbeat`), watches the cost guards of connected instances
(:class:`GuardWatch`), keeps the overall state
(:class:`TrayStateModel`) and the login of each instance (following the alias of one linked to
a platform account, :class:`LinkedInstances`, which also powers it off), and opens
Jupyter, TensorBoard and VS Code. What happens comes out as typed events
(:mod:`gpudesk.core.engine.events`) on :attr:`Desk.events`.

Methods documented as blocking (network, keyring, files) must run off a GUI thread; the
others only touch memory and return at once. Everything is safe to call from any thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from gpudesk.core.apps.jupyterlink import (
    open_jupyter_tunnel,
    open_tensorboard_tunnel,
    remove_stale_redirect_pages,
    write_redirect_page,
)
from gpudesk.core.catalog.platforms import Catalog
from gpudesk.core.desktop.autostart import apply_autostart
from gpudesk.core.desktop.notifications import Notification, NotificationPolicy
from gpudesk.core.desktop.traymenu import MenuModel, build_menu_model, platform_of
from gpudesk.core.desktop.traystate import TrayStateModel
from gpudesk.core.desktop.wakeup import WakeDetector
from gpudesk.core.editor.editorlaunch import open_instance_in_editor
from gpudesk.core.engine.customtunnels import CustomTunnelEditing
from gpudesk.core.engine.events import (
    ActionFailed,
    DeskEvent,
    EditorOpened,
    EventStream,
    GuardChanged,
    GuardCountdown,
    IdleAlerted,
    InstancesChanged,
    JupyterOpened,
    NotificationRaised,
    PoweredOff,
    ReadingChanged,
    Restored,
    SamplingFailed,
    StateChanged,
    TensorBoardOpened,
    TunnelChanged,
    WatchChanged,
    WokeUp,
)
from gpudesk.core.engine.gpuwatch import GpuWatches
from gpudesk.core.engine.guardwatch import GuardWatch
from gpudesk.core.engine.heartbeat import Heartbeat
from gpudesk.core.engine.instancecache import InstanceCache
from gpudesk.core.engine.linked import LinkedInstances
from gpudesk.core.errors import GpuDeskError
from gpudesk.core.monitor.gpumonitor import IdleRule, RunSample
from gpudesk.core.monitor.hub import MonitorHub, supervisor_sampler
from gpudesk.core.ssh.hostkeys import HostKeyStore
from gpudesk.core.ssh.remote import CommandResult
from gpudesk.core.store.instances import Instance, InstanceStore
from gpudesk.core.store.secrets import SecretStore
from gpudesk.core.store.settings import Settings
from gpudesk.core.tunnels import TunnelEvent, TunnelState, TunnelSupervisor
from gpudesk.core.tunnels.link import ConnectFn
from gpudesk.core.tunnels.savedtunnels import (
    RestoreProblem,
    TunnelBook,
    restore_tunnels,
)

log = logging.getLogger(__name__)


class Desk(CustomTunnelEditing):
    """Tunnels, monitors and notifications of every saved instance.

    Args:
        settings: The app's settings (intervals, the idle rule, start at login).
        instances: Where the instances are saved.
        catalog: The platforms (console links in the menu).
        secrets: Where passwords, passphrases and Jupyter tokens are kept.
        host_keys: The app's pinned host keys (default: the app-owned known_hosts).
        supervisor: The tunnel supervisor (default: built from ``settings``).
        sampler: Samples one instance's GPUs (default: over its tunnels' or its own
            connection).
        policy: The notification policy.
        wake: The wake detector (default: one reporting to this desk).
        wake_interval_s: How often to poll for sleep/wake and network changes.
        monitor_gpus: False to never sample GPUs (``gpudesk tunnel``).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        instances: InstanceStore,
        catalog: Catalog,
        secrets: SecretStore,
        host_keys: HostKeyStore | None = None,
        supervisor: TunnelSupervisor | None = None,
        sampler: Callable[[str], RunSample] | None = None,
        policy: NotificationPolicy | None = None,
        wake: WakeDetector | None = None,
        wake_interval_s: float = 5.0,
        monitor_gpus: bool = True,
    ) -> None:
        self.settings = settings
        self.store = instances
        self.catalog = catalog
        self.secrets = secrets
        self.host_keys = host_keys
        self.events = EventStream()
        self.supervisor = supervisor or TunnelSupervisor.from_settings(settings)
        self.book = TunnelBook()
        self.state = TrayStateModel()
        self.policy = policy or NotificationPolicy()
        self.monitor_gpus = monitor_gpus
        self.cache = InstanceCache(instances, self._on_instances_changed)
        self.closing = False
        self._lock = threading.Lock()
        self._wake_lock = threading.Lock()
        self._connectors: dict[str, ConnectFn] = {}
        self.watches = GpuWatches(self.supervisor, self._on_watch_changed)
        self.hub = MonitorHub(
            sampler or (lambda alias: supervisor_sampler(self, alias)),
            interval_s=float(settings.monitor_interval_s),
            rule=IdleRule(settings.idle_threshold_pct, settings.idle_minutes * 60.0),
            price_of=self._price_of,
            on_reading=lambda reading: self._publish(ReadingChanged(reading)),
            on_alert=self._on_idle_alert,
            on_busy=self._on_gpu_busy,
            on_problem=lambda problem: self._publish(SamplingFailed(problem)),
        )
        self.wake = wake or WakeDetector(self._on_wake, interval_s=wake_interval_s)
        self.wake_interval_s = wake_interval_s
        self._last_wake_check = time.monotonic()
        self.heartbeat = Heartbeat(self.tick)
        self.linked = LinkedInstances(instances, secrets, host_keys)
        self.guards = GuardWatch(
            self.supervisor.run_on_instance,
            on_notice=lambda notice: self._publish(GuardCountdown(notice)),
            on_change=lambda alias: self._publish(GuardChanged(alias)),
        )
        self._unsubscribe = self.supervisor.subscribe(self._on_tunnel_event)

    # --- start ------------------------------------------------------------------------------

    def start_watching(self) -> None:
        """Start the heartbeat: wake-up polling and notification grace periods (quick)."""
        self.heartbeat.start()

    def restore(self, *, connect: bool = True) -> list[RestoreProblem]:
        """Register the saved tunnels; start those of auto-connect instances (blocking).

        Publishes :class:`StateChanged`, an :class:`ActionFailed` per tunnel that could not
        start (a busy port), then :class:`Restored`. Returns the problems.
        """
        problems: list[RestoreProblem] = []
        try:
            instances = self.cache.refresh()
            self.linked.refresh(instances)
            problems = restore_tunnels(
                self.supervisor, instances, self.connector, self.book, connect=connect
            )
            apply_autostart(self.settings.start_at_login)
            remove_stale_redirect_pages()
        except GpuDeskError as error:
            self._publish(ActionFailed(error))
        self.state.reset(self.supervisor.tunnels())
        self._publish(
            StateChanged(self.state.state),
            *(ActionFailed(problem.error) for problem in problems),
            Restored(tuple(problems)),
        )
        return problems

    def connector(self, instance: Instance) -> ConnectFn:
        """The login of ``instance`` (one per alias, built once; following a linked one)."""
        with self._lock:
            connect = self._connectors.get(instance.alias)
            if connect is None:
                connect = self.linked.connector(instance)
                self._connectors[instance.alias] = connect
            return connect

    def forget_connector(self, alias: str) -> None:
        """Drop the login cached for ``alias`` (the instance was re-pointed or renamed)."""
        with self._lock:
            self._connectors.pop(alias, None)

    def apply_settings(self, settings: Settings) -> None:
        """New settings: the idle rule and intervals follow at once (quick)."""
        self.settings = settings
        self.hub.rule = IdleRule(settings.idle_threshold_pct, settings.idle_minutes * 60.0)
        self.hub.interval_s = float(settings.monitor_interval_s)

    def apply_start_at_login(self) -> None:
        """Make starting at login match the settings (blocking: writes a file)."""
        apply_autostart(self.settings.start_at_login)

    def watch_gpus(
        self, alias: str, connect: ConnectFn | None = None, price_per_hour: float | None = None
    ) -> None:
        """Sample ``alias`` without a tunnel, over a connection of its own (blocking: the
        first login, whose errors are raised). Changes of that connection come as
        :class:`WatchChanged`; ``connect`` and ``price_per_hour`` replace the saved ones."""
        instance = self._require(alias)
        price = instance.price_per_hour if price_per_hour is None else price_per_hour
        self.watches.watch(alias, connect or self.connector(instance), price)

    def run_on_instance(
        self, alias: str, command: str, *, stdin: bytes = b"", timeout: float = 20.0
    ) -> CommandResult:
        """Run ``command`` over the live connection of ``alias``, its own or its tunnels'."""
        link = self.watches.link_of(alias)
        if link is not None:
            return self.watches.run(link, command, stdin=stdin, timeout=timeout)
        return self.supervisor.run_on_instance(alias, command, stdin=stdin, timeout=timeout)

    # --- what the menu shows ----------------------------------------------------------------

    @property
    def instances(self) -> list[Instance]:
        """The saved instances as last read (quick)."""
        return self.cache.instances

    def instance(self, alias: str) -> Instance | None:
        """The saved instance called ``alias``, as last read (quick)."""
        return self.cache.get(alias)

    def menu_model(self) -> MenuModel:
        """The tray menu's content now, from memory (quick; see :meth:`refresh_instances`)."""
        catalog = self.catalog

        def console_url(platform_id: str | None) -> str | None:
            platform = platform_of(catalog, platform_id)
            return platform.console_url if platform else None

        return build_menu_model(
            self.cache.instances,
            self.supervisor.tunnels(),
            self.book,
            self.hub.readings(),
            now=time.time(),
            console_url_of=console_url,
            has_ssh_alias=self.cache.has_ssh_alias,
        )

    def refresh_instances(self) -> None:
        """Re-read the saved instances on a worker thread; :class:`InstancesChanged` if new."""
        self.cache.refresh_soon()

    # --- actions (blocking unless said otherwise) -------------------------------------------

    def set_tunnel_enabled(self, tunnel_id: str, enabled: bool) -> None:
        """Really start or stop one tunnel."""
        if enabled:
            self.supervisor.start(tunnel_id)
        else:
            self.supervisor.stop(tunnel_id, "switched off")

    def connect_all(self) -> None:
        """Start every tunnel that is off or failed; raise the first error after trying all."""
        errors = []
        for status in self.supervisor.tunnels():
            if not status.state.active:
                try:
                    self.supervisor.start(status.tunnel_id)
                except GpuDeskError as error:
                    errors.append(error)
        if errors:
            raise errors[0]

    def disconnect_all(self) -> None:
        """Stop every tunnel."""
        for status in self.supervisor.tunnels():
            if status.state.active:
                self.supervisor.stop(status.tunnel_id, "disconnected from the tray")

    def open_jupyter(self, alias: str) -> JupyterOpened:
        """Find or start Jupyter, bring its saved tunnel up, write the redirect page."""
        instance = self._require(alias)
        opening = open_jupyter_tunnel(
            instance, secrets=self.secrets, **self._app_tunnel_args(instance)
        )
        opened = JupyterOpened(alias, str(write_redirect_page(opening.url)))
        self._publish(opened)
        return opened

    def open_tensorboard(self, alias: str) -> TensorBoardOpened:
        """Find or start TensorBoard and bring its saved tunnel up."""
        instance = self._require(alias)
        opening = open_tensorboard_tunnel(instance, **self._app_tunnel_args(instance))
        opened = TensorBoardOpened(alias, opening.url)
        self._publish(opened)
        return opened

    def open_in_editor(self, alias: str) -> EditorOpened:
        """``gpudesk open ALIAS``: the instance's folder in VS Code over Remote-SSH."""
        open_instance_in_editor(self._require(alias))
        opened = EditorOpened(alias)
        self._publish(opened)
        return opened

    def _app_tunnel_args(self, instance: Instance) -> dict[str, Any]:
        """What :func:`open_jupyter_tunnel` and :func:`open_tensorboard_tunnel` share."""
        return {
            "supervisor": self.supervisor,
            "book": self.book,
            "store": self.store,
            "connect": self.connector(instance),
            "platform": platform_of(self.catalog, instance.platform_id),
        }

    def power_off(self, alias: str) -> PoweredOff:
        """Power the platform instance of ``alias`` off through its account's API."""
        self.linked.power_off(alias)
        powered_off = PoweredOff(alias)
        self._publish(powered_off)
        return powered_off

    # --- the clock and closing ----------------------------------------------------------

    def tick(self) -> float:
        """Release "lost" notifications whose grace passed; notice a changed instances file;
        poll for a wake-up (quick). Returns the seconds until the next tick is due."""
        self._show(self.policy.tick())
        self.cache.refresh_if_changed()
        if time.monotonic() - self._last_wake_check >= self.wake_interval_s:
            self.check_wake()
        return 1.0 if self.policy.pending_lost() else self.wake_interval_s

    def check_wake(self) -> str | None:
        """Poll for sleep/wake and network changes now (quick); the reason, or None."""
        with self._wake_lock:
            self._last_wake_check = time.monotonic()
            return self.wake.check()

    def close(self, timeout: float = 5.0) -> None:
        """Stop the clock, every GPU monitor and every tunnel (blocking, bounded)."""
        self.closing = True
        self.heartbeat.stop()
        self.watches.close()  # first: a sample waiting on a watched link ends with it
        self.hub.close(timeout=timeout)
        self.guards.close(timeout=timeout)
        self.supervisor.close()  # its last events (STOPPED) still reach the subscribers
        self._unsubscribe()

    # --- what arrives from the supervisor, the monitors and the wake detector --------------

    def _on_tunnel_event(self, event: TunnelEvent) -> None:
        """Update the state, the notifications and which instances are monitored."""
        out: list[DeskEvent] = []
        if self.state.apply(event):
            out.append(StateChanged(self.state.state))
        out += [NotificationRaised(note) for note in self.policy.on_tunnel_event(event)]
        if self.policy.pending_lost():
            self.heartbeat.poke()  # tick every second until the grace period is over
        self._update_monitored()
        out.append(TunnelChanged(event))
        self._publish(*out)

    def _update_monitored(self) -> None:
        """Sample the instances with a tunnel up or a watch; guards only for the former."""
        if not self.closing and self.monitor_gpus:
            running = {s.instance for s in self.supervisor.tunnels() if s.state is TunnelState.UP}
            self.hub.set_running(running | self.watches.watched())
            self.guards.set_running(running)

    def _on_watch_changed(self, event: WatchChanged) -> None:
        if event.state is TunnelState.RECONNECTING:
            self.hub.restart_idle(event.alias)
        self._update_monitored()
        self._publish(event)

    def _on_idle_alert(self, alias: str, idle_for_s: float, price: float | None) -> None:
        reading = self.hub.reading(alias)
        self._publish(IdleAlerted(alias, idle_for_s, price, reading.cost if reading else None))
        if self.state.set_idle(alias, True):
            self._publish(StateChanged(self.state.state))
        self._show(self.policy.on_idle_alert(alias, idle_for_s, price))

    def _on_gpu_busy(self, alias: str) -> None:
        self.policy.gpu_busy(alias)
        if self.state.set_idle(alias, False):
            self._publish(StateChanged(self.state.state))

    def _on_wake(self, reason: str) -> None:
        self.supervisor.probe_now()
        self.hub.sample_now()
        self._publish(WokeUp(reason))

    def _on_instances_changed(self, instances: list[Instance]) -> None:
        self.linked.refresh(instances)
        self._publish(InstancesChanged(tuple(instances)))

    def _price_of(self, alias: str) -> float | None:
        watched, price = self.watches.price_of(alias)
        if watched:
            return price
        instance = self.cache.get(alias)
        return instance.price_per_hour if instance else None

    def _show(self, notes: list[Notification]) -> None:
        self._publish(*(NotificationRaised(note) for note in notes))

    def _publish(self, *events: DeskEvent) -> None:
        if events:
            self.events.publish(*events)
