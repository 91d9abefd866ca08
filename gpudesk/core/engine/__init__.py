"""The engine: one desk holding every instance's tunnels and GPU monitors, for both faces.

* :mod:`.events`: what happens on the desk, as typed events (:data:`DeskEvent`), and the
  stream that delivers them (callbacks, or a blocking iterator for the CLI).
* :mod:`.desk`: :class:`Desk`, the engine itself: the tunnel supervisor, the saved-tunnel
  book, the GPU monitors, the notification policy, wake-up detection, the login callables,
  Jupyter, TensorBoard and VS Code, and saved-tunnel editing. Thread-safe; no Qt.
* :mod:`.commanddesk`: the desk as the CLI's tunnel and monitor commands use it.
* :mod:`.gpuwatch`: instances whose GPUs are watched without a tunnel (their own connection).
* :mod:`.customtunnels`: naming the tunnels added by hand.
* :mod:`.guardwatch`: the cost guard's countdowns, read over the tunnels' connections.
* :mod:`.linked`: saved instances linked to a platform account (following login, power off).
* :mod:`.heartbeat`: the desk's clock thread (wake-up polling, notification grace periods).
* :mod:`.instancecache`: the saved instances as last read, refreshed off the caller's thread.

The GUI wraps the desk in a small Qt adapter (``gpudesk/ui/tray_controller.py``) that turns
events into signals; the CLI subscribes to the same events.

The top room of core: may import every other room (``desktop``, ``providers``, ``guard``,
``apps``, ``monitor``, ``tunnels``, ``editor``, ``catalog``, ``keys``, ``ssh``, ``store``) and
the base modules; nothing in core imports it.
"""

from gpudesk.core.engine.desk import Desk
from gpudesk.core.engine.events import (
    ActionFailed,
    DeskEvent,
    EditorOpened,
    EventQueue,
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

__all__ = [
    "ActionFailed",
    "Desk",
    "DeskEvent",
    "EditorOpened",
    "EventQueue",
    "EventStream",
    "GuardChanged",
    "GuardCountdown",
    "IdleAlerted",
    "InstancesChanged",
    "JupyterOpened",
    "NotificationRaised",
    "PoweredOff",
    "ReadingChanged",
    "Restored",
    "SamplingFailed",
    "StateChanged",
    "TensorBoardOpened",
    "TunnelChanged",
    "WatchChanged",
    "WokeUp",
]
