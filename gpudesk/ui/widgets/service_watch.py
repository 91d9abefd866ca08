"""Probe the services behind one instance's UP tunnels now and then, off the GUI thread.

:class:`ServiceWatch` runs :func:`gpudesk.core.tunnels.servicehealth.probe_statuses` on the
thread pool every ``interval_ms`` (and at once on :meth:`probe_now`), one round at a time,
and reports the result as :attr:`ServiceWatch.health_changed` (tunnel id -> health) on the
GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, QTimer, Signal

from gpudesk.core.tunnels import TunnelState, TunnelStatus
from gpudesk.core.tunnels.servicehealth import ServiceHealth, probe_statuses
from gpudesk.ui.bridges import BackgroundTask, run_in_background

#: Between two rounds of probes (ms).
PROBE_INTERVAL_MS = 10_000


class ServiceWatch(QObject):
    """Health of the services behind the UP tunnels given by ``statuses()``."""

    health_changed = Signal(object)  # dict[str, ServiceHealth]

    def __init__(
        self,
        statuses: Callable[[], list[TunnelStatus]],
        kinds: Callable[[], Mapping[str, str]],
        *,
        interval_ms: int = PROBE_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._statuses = statuses
        self._kinds = kinds
        self.health: dict[str, ServiceHealth] = {}
        self._task: BackgroundTask | None = None
        self._again = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.probe_now)
        self.timer.start()

    def probe_now(self) -> None:
        """Probe the UP tunnels now (after the round under way, if one is)."""
        if self._task is not None:
            self._again = True
            return
        up = [s for s in self._statuses() if s.state is TunnelState.UP]
        kinds = dict(self._kinds())
        if not up:
            self._deliver({})
            return
        task = run_in_background(lambda _task: probe_statuses(up, kinds))
        self._task = task
        task.succeeded.connect(self._deliver)
        task.finished.connect(self._round_finished)

    def _deliver(self, health: object) -> None:
        if isinstance(health, dict) and health != self.health:
            self.health = dict(health)
            self.health_changed.emit(self.health)

    def _round_finished(self) -> None:
        self._task = None
        if self._again:
            self._again = False
            self.probe_now()

    def stop(self) -> None:
        """No more rounds."""
        self.timer.stop()
