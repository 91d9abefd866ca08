"""The tray's and the state panel's words: every user-visible string goes through ``tr()``.

The core gives facts (:mod:`gpudesk.core.desktop.traymenu`, :mod:`gpudesk.core.desktop.traystate`,
:mod:`gpudesk.core.desktop.notifications`);
:class:`TrayTexts` words them in the UI language. Both the
tray menu and the state panel use it, so they say the same thing.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from gpudesk.core.desktop.notifications import Notification, NotificationKind
from gpudesk.core.desktop.traymenu import InstanceSection, TunnelToggle
from gpudesk.core.desktop.traystate import OverallState, Summary
from gpudesk.core.guard.countdown import PowerOffNotice
from gpudesk.core.monitor.hub import InstanceReading
from gpudesk.core.tunnels.model import TunnelState
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.guard.guard_view import notice_text
from gpudesk.ui.widgets.text import fmt
from gpudesk.ui.widgets.tunnel_texts import TunnelTexts

# The monitor's reason for stopping is cut to this many characters in the menu.
STOPPED_REASON_CHARS = 160


class TrayTexts(QObject):
    """Translated wording of tray facts (one instance is enough for the whole app)."""

    def duration(self, seconds: float) -> str:
        """``42 s``, ``17 min``, ``3 h 05 min``."""
        if seconds < 60:
            return fmt(self.tr("%1 s"), int(seconds))
        minutes = int(seconds // 60)
        if minutes < 60:
            return fmt(self.tr("%1 min"), minutes)
        return fmt(self.tr("%1 h %2 min"), minutes // 60, f"{minutes % 60:02d}")

    def money(self, amount: float) -> str:
        """``≈ ¥2.10`` (the price the user entered, in the platform's currency)."""
        return fmt(self.tr("≈ ¥%1"), f"{amount:.2f}")

    def header(self, section: InstanceSection) -> str:
        """``autodl-4090 · GPU 87 % · 10.2/24.0 GiB · up 1 h 05 min · ≈ ¥2.10``."""
        parts = [section.alias]
        reading = section.reading
        parts += self._gpu_parts(reading)
        if section.up_for_s is not None:
            parts.append(fmt(self.tr("up %1"), self.duration(section.up_for_s)))
        if reading is not None and reading.cost is not None:
            parts.append(self.money(reading.cost))
        return " · ".join(parts)

    def _gpu_parts(self, reading: InstanceReading | None) -> list[str]:
        if reading is not None and reading.stopped:
            return [self.tr("GPU monitor stopped")]
        if reading is None or not reading.running:
            return []
        if reading.gpus:
            used, total = reading.memory_mib or (0, 0)
            return [
                fmt(self.tr("GPU %1 %"), reading.max_util),
                fmt(self.tr("%1/%2 GiB"), f"{used / 1024:.1f}", f"{total / 1024:.1f}"),
            ]
        if reading.error:
            return [self.tr("GPU unknown")]
        return [self.tr("GPU …")]

    def cost_label(self) -> str:
        """The honest label next to every cost."""
        return self.tr("Estimate from what gpudesk saw, not the platform's bill.")

    def total(self, amount: float) -> str:
        """The total line."""
        return fmt(self.tr("Total %1 (estimate, not the bill)"), self.money(amount))

    def state_word(self, state: TunnelState) -> str:
        """A tunnel state in a few words."""
        return {
            TunnelState.STOPPED: self.tr("off"),
            TunnelState.CONNECTING: self.tr("connecting…"),
            TunnelState.UP: self.tr("up"),
            TunnelState.RECONNECTING: self.tr("reconnecting…"),
            TunnelState.FAILED: self.tr("failed"),
        }[state]

    def tunnel(self, toggle: TunnelToggle) -> str:
        """``Jupyter (localhost:8888) – up``."""
        # The default names are translated; names the user chose are shown as they are.
        name = {"Jupyter": self.tr("Jupyter"), "TensorBoard": self.tr("TensorBoard")}.get(
            toggle.name, toggle.name
        )
        where = fmt(self.tr("localhost:%1"), toggle.local_port) if toggle.local_port else ""
        text = f"{name} ({where})" if where else name
        return fmt(self.tr("%1 – %2"), text, self.state_word(toggle.state))

    def summary(self, summary: Summary) -> str:
        """The tooltip line."""
        if summary.state is OverallState.FAILED:
            instance, reason = summary.failed[0]
            return fmt(self.tr("gpudesk: %1 failed: %2"), instance, reason)
        if summary.state is OverallState.RECONNECTING:
            return fmt(
                self.tr("gpudesk: reconnecting %1 (%2 of %3 tunnels up)"),
                ", ".join(summary.reconnecting),
                summary.up,
                summary.active,
            )
        if summary.state is OverallState.IDLE_GPU:
            return fmt(self.tr("gpudesk: GPU idle on %1"), ", ".join(summary.idle))
        if summary.state is OverallState.ALL_UP:
            return fmt(
                self.tr("gpudesk: %1 tunnels up on %2 instances"),
                summary.up,
                summary.instances_up,
            )
        return self.tr("gpudesk: nothing running")

    def notification(self, note: Notification) -> tuple[str, str]:
        """(title, text) of a notification."""
        kind, alias = note.kind, note.instance
        if kind is NotificationKind.LOST:
            return (
                fmt(self.tr("%1: connection lost"), alias),
                fmt(
                    self.tr("Down for %1 (%2). gpudesk keeps retrying."),
                    self.duration(note.down_for_s),
                    TunnelTexts(self)
                    .reason(TunnelState.RECONNECTING, note.reason, note.error)
                    .rstrip("."),
                ),
            )
        if kind is NotificationKind.BACK_UP:
            return (
                fmt(self.tr("%1: back up"), alias),
                fmt(self.tr("The tunnels work again after %1."), self.duration(note.down_for_s)),
            )
        if kind is NotificationKind.HOST_KEY_CHANGED:
            return (
                fmt(self.tr("%1: host key changed"), alias),
                self.tr(
                    "The instance presented a different host key, so gpudesk stopped. If you "
                    "re-created the instance, check the new key on the platform console and "
                    "trust it again in gpudesk; otherwise do not connect."
                ),
            )
        if kind is NotificationKind.FAILED:
            return fmt(self.tr("%1: tunnel failed"), alias), self.failure(note)
        minutes = round(note.idle_for_s / 60)
        if note.price_per_hour:
            text = fmt(
                self.tr("%1: GPU idle for %2 min, about ¥%3 per hour. Stop it in the console?"),
                alias,
                minutes,
                f"{note.price_per_hour:g}",
            )
        else:
            text = fmt(self.tr("%1: GPU idle for %2 min. Stop it in the console?"), alias, minutes)
        return fmt(self.tr("%1: GPU idle"), alias), text

    def failure(self, note: Notification) -> str:
        """Why a tunnel failed and what to do, translated by the error's code when known."""
        if note.error is not None:
            message, hint, _details = describe_error(note.error)
        else:
            message, hint = note.reason, note.hint
        return fmt(self.tr("%1 %2"), message, hint).strip()

    def error(self, error: object) -> str:
        """An action's error in one line (message and hint)."""
        if isinstance(error, BaseException):
            message, hint, _details = describe_error(error)
            return fmt(self.tr("%1 %2"), message, hint).strip()
        return str(error)

    def release_note(self, days: int) -> str:
        """AutoDL and the like delete a stopped instance after some days."""
        return fmt(self.tr("Note: the platform releases stopped instances after %1 days."), days)

    def monitor_stopped(self, reading: InstanceReading | None) -> str | None:
        """``GPU monitor stopped: REASON`` when sampling ended on its own, else None."""
        if reading is None or not reading.stopped:
            return None
        reason = reading.stopped.strip()
        if len(reason) > STOPPED_REASON_CHARS:
            reason = reason[: STOPPED_REASON_CHARS - 1] + "…"
        return fmt(self.tr("GPU monitor stopped: %1"), reason)

    def countdown(self, notice: PowerOffNotice) -> str:
        """The menu line of a guard's countdown (``autodl-4090 powers off in 4 min``)."""
        return notice_text(notice)

    def postpone_action(self) -> str:
        """The guard's "Postpone" in the tray and the state panel."""
        return self.tr("Postpone 30 min")

    def cancel_action(self) -> str:
        """The guard's "Cancel" in the tray and the state panel."""
        return self.tr("Cancel power-off")

    def countdown_message(self, notice: PowerOffNotice) -> tuple[str, str]:
        """(title, text) of the notification that a guard announced a power-off."""
        title = fmt(self.tr("%1: the guard is counting down"), notice.alias)
        if notice.warns_only:
            return title, notice_text(notice)
        return title, fmt(
            self.tr("%1. Postpone or cancel it from the tray menu."), notice_text(notice)
        )

    def instance_up(self, alias: str) -> tuple[str, str]:
        """(title, text) of the notification that a powered-on instance is up."""
        return (
            fmt(self.tr("%1 is up"), alias),
            self.tr("The instance is running and gpudesk can reach it."),
        )

    def powered_off(self, alias: str) -> tuple[str, str]:
        """(title, text) after the platform accepted powering an instance off."""
        return (
            fmt(self.tr("%1: powering off"), alias),
            self.tr("The platform accepted the request and is stopping the instance."),
        )
