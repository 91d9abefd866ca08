"""Tunnel states, their reasons and the health of the service behind them, in the UI language.

The core words a tunnel's reason in English for logs and the CLI ("connected to root@h:22",
"Could not log in: ...; next try in 7.8 s"). :class:`TunnelTexts` words the same facts in
the UI language from the state, the error behind it (translated by its code) and the
numbers in the reason; an unknown reason is shown as it came. It also gives the one-line
summary of an instance's tunnels (the instance list's State column): connected, reconnecting,
or not answering at all (what a powered-off instance looks like from here).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QObject

from gpudesk.core.errors import UnreachableError
from gpudesk.core.tunnels import TunnelState, TunnelStatus
from gpudesk.core.tunnels.servicehealth import ServiceHealth
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.widgets.text import fmt

_NEXT_TRY = re.compile(r"(?:next try|reconnecting) in ([0-9]+(?:\.[0-9])?) s")
_CONNECTED = re.compile(r"^connected to (\S{1,300})$")


class TunnelTexts(QObject):
    """Translated words for tunnels (a QObject only for ``tr()``)."""

    def state_name(self, state: TunnelState) -> str:
        """The name of a state: Up, Stopped, ..."""
        return {
            TunnelState.STOPPED: self.tr("Stopped"),
            TunnelState.CONNECTING: self.tr("Connecting"),
            TunnelState.UP: self.tr("Up"),
            TunnelState.RECONNECTING: self.tr("Reconnecting"),
            TunnelState.FAILED: self.tr("Failed"),
        }[state]

    def reason(self, state: TunnelState, reason: str, error: BaseException | None = None) -> str:
        """Why a tunnel is in ``state``, in the UI language."""
        if state is TunnelState.STOPPED:
            return self.tr("Stopped.")
        if state is TunnelState.CONNECTING:
            return self.tr("Connecting to the instance…")
        if state is TunnelState.UP:
            match = _CONNECTED.match(reason)
            return (
                fmt(self.tr("Connected to %1."), match.group(1)) if match else self.tr("Connected.")
            )
        if error is not None:
            message, hint, _details = describe_error(error)
            if state is TunnelState.FAILED:
                return f"{message} {hint}".strip()
            return f"{message} {self._next_try(reason)}".strip()
        if state is TunnelState.RECONNECTING:
            if reason.startswith("connection lost"):
                return f"{self.tr('Connection lost.')} {self._next_try(reason)}".strip()
            return f"{self.tr('Reconnecting.')} {self._next_try(reason)}".strip()
        return reason

    def _next_try(self, reason: str) -> str:
        match = _NEXT_TRY.search(reason)
        if match is None:
            return self.tr("Trying again.")
        return fmt(self.tr("Next try in %1 s."), match.group(1))

    def status_reason(self, status: TunnelStatus) -> str:
        """:meth:`reason` of a snapshot, plus a refused port when that is what happened."""
        text = self.reason(status.state, status.reason, status.error)
        if status.state is TunnelState.UP and status.remote_refused:
            refused = self.tr("Nothing answers on port %1 of the instance.")
            return f"{text} {fmt(refused, status.spec.remote_port)}"
        return text

    def health(self, health: ServiceHealth) -> str:
        """What a service probe found."""
        return {
            ServiceHealth.UP: self.tr("Service answers"),
            ServiceHealth.DOWN: self.tr("Service down"),
            ServiceHealth.UNKNOWN: "",
        }[health]

    def instance_state(self, statuses: Iterable[TunnelStatus]) -> str:
        """One line about an instance's tunnels: "2 tunnels up", "Reconnecting", ..."""
        statuses = list(statuses)
        failed = [s for s in statuses if s.state is TunnelState.FAILED]
        if failed:
            return fmt(self.tr("Failed: %1"), self.status_reason(failed[0]))
        states = {s.state for s in statuses}
        if TunnelState.RECONNECTING in states:
            retrying = [s for s in statuses if s.state is TunnelState.RECONNECTING]
            if all(isinstance(s.error, UnreachableError) for s in retrying):
                return self.tr("Not answering (powered off?)")
            return self.tr("Reconnecting")
        if TunnelState.CONNECTING in states:
            return self.tr("Connecting")
        up = sum(s.state is TunnelState.UP for s in statuses)
        if up == 1:
            return self.tr("1 tunnel up")
        if up:
            return fmt(self.tr("%1 tunnels up"), up)
        return self.tr("Not connected")
