"""The cost guard of one instance, as a view the dashboard hosts.

Top: the rules (:class:`GuardForm`) and "Arm guard". Below: the guard's state as the
instance reports it: armed rules, idle-for, the countdown, the last sample, the notice it
announced; "Postpone" and "Cancel guard". Network calls go through a :class:`GuardService`;
the view only shows what it reports. While a guard runs the view refreshes every 30 s, and
the countdown ticks every second in between.
"""

from __future__ import annotations

import time
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.guard.countdown import PowerOffNotice
from gpudesk.core.guard.status import GuardStatus
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.guard.guard_form import GuardForm
from gpudesk.ui.guard.guard_service import GuardService

REFRESH_MS = 30_000
TICK_MS = 1_000


def notice_text(notice: PowerOffNotice) -> str:
    """The tray's translated text for a countdown."""
    if notice.warns_only:
        return (
            QCoreApplication.translate(
                "GuardView",
                "%1: the guard's rule fired; stop the instance in the console within %2 min.",
            )
            .replace("%1", notice.alias)
            .replace("%2", str(notice.minutes_left))
        )
    return (
        QCoreApplication.translate("GuardView", "%1 powers off in %2 min")
        .replace("%1", notice.alias)
        .replace("%2", str(notice.minutes_left))
    )


class GuardView(QWidget):
    """Arm, watch, postpone and cancel the guard of one instance."""

    def __init__(
        self,
        alias: str,
        service: GuardService,
        *,
        price_per_hour: float | None = None,
        power_off_command: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("guardView")
        self.alias = alias
        self.service = service
        self.status: GuardStatus | None = None
        self.received_at = 0.0
        self.form = GuardForm(price_per_hour, power_off_command)
        self.arm_button = QPushButton(self.tr("Arm guard"))
        self.state_label = QLabel(self.tr("Not checked yet."))
        self.rules_label = QLabel()
        self.idle_label = QLabel()
        self.countdown_label = QLabel()
        self.countdown_label.setObjectName("guardCountdown")
        self.sample_label = QLabel()
        self.notice_label = QLabel()
        self.error_label = QLabel()
        self.error_label.setObjectName("guardError")
        for label in (self.rules_label, self.notice_label, self.error_label, self.state_label):
            label.setWordWrap(True)
        self.postpone_minutes = QDoubleSpinBox()
        self.postpone_minutes.setRange(1, 24 * 60)
        self.postpone_minutes.setDecimals(0)
        self.postpone_minutes.setValue(30)
        self.postpone_minutes.setSuffix(self.tr(" min"))
        self.postpone_button = QPushButton(self.tr("Postpone"))
        self.cancel_button = QPushButton(self.tr("Cancel guard"))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self._build()
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self.service.refresh)
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(self.show_countdown)
        self.arm_button.clicked.connect(self.on_arm_button_clicked)
        self.postpone_button.clicked.connect(self.on_postpone_button_clicked)
        self.cancel_button.clicked.connect(self.service.cancel)
        self.refresh_button.clicked.connect(self.service.refresh)
        self.service.status_received.connect(self.show_status)
        self.service.failed.connect(self.show_error)
        self.service.busy_changed.connect(self.on_service_busy_changed)
        self._set_controls(active=False)

    def _build(self) -> None:
        intro = QLabel(
            self.tr(
                "The guard runs on the instance itself, so it powers an idle GPU off even "
                "while this computer sleeps or the network is down."
            )
        )
        intro.setWordWrap(True)
        rules_box = QGroupBox(self.tr("Rules"))
        rules_layout = QVBoxLayout(rules_box)
        rules_layout.addWidget(self.form)
        rules_layout.addWidget(self.arm_button)
        status_box = QGroupBox(self.tr("On the instance"))
        status_layout = QVBoxLayout(status_box)
        for label in (
            self.state_label,
            self.rules_label,
            self.idle_label,
            self.countdown_label,
            self.sample_label,
            self.notice_label,
        ):
            status_layout.addWidget(label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.postpone_minutes)
        buttons.addWidget(self.postpone_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.cancel_button)
        status_layout.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(rules_box)
        layout.addWidget(status_box)
        layout.addWidget(self.error_label)
        layout.addStretch(1)

    def on_arm_button_clicked(self) -> None:
        """Install the guard with the form's rules."""
        try:
            rules = self.form.rules()
            rules.validate()
        except Exception as error:  # a bad rule is shown, not raised
            self.show_error(error)
            return
        self.service.arm(rules)

    def on_postpone_button_clicked(self) -> None:
        """Hold the power-off for the chosen minutes."""
        self.service.postpone(self.postpone_minutes.value())

    def on_service_busy_changed(self, busy: bool) -> None:
        """Disable the buttons while a call runs."""
        self.arm_button.setEnabled(not busy)
        self.refresh_button.setEnabled(not busy)
        active = bool(self.status and self.status.active)
        self.postpone_button.setEnabled(not busy and active)
        self.cancel_button.setEnabled(not busy and active)

    def _set_controls(self, *, active: bool) -> None:
        self.postpone_button.setEnabled(active)
        self.postpone_minutes.setEnabled(active)
        self.cancel_button.setEnabled(active)
        self.arm_button.setText(
            self.tr("Re-arm with these rules") if active else self.tr("Arm guard")
        )

    def show_error(self, error: object) -> None:
        """Show a failed call as message and hint."""
        if not isinstance(error, BaseException):
            return
        message, hint, _details = describe_error(error)
        self.error_label.setText(f"{message}\n{hint}".strip())

    def show_status(self, status: object) -> None:
        """Show what the instance reported."""
        if not isinstance(status, GuardStatus):
            return
        self.status = status
        self.received_at = time.monotonic()
        self.error_label.clear()
        self._set_controls(active=status.active)
        if status.active:
            self.refresh_timer.start()
            self.tick_timer.start()
        else:
            self.refresh_timer.stop()
            self.tick_timer.stop()
        self.state_label.setText(self._state_text(status))
        self.rules_label.setText(self._rules_text(status))
        idle = status.idle_for_s
        self.idle_label.setText(
            "" if idle is None else self.tr("GPU idle for %1 min").replace("%1", f"{idle / 60:.1f}")
        )
        self.sample_label.setText(self._sample_text(status))
        self.notice_label.setText(
            self.tr("Announced on the instance: %1").replace("%1", status.notice)
            if status.notice
            else ""
        )
        self.show_countdown()

    def _state_text(self, status: GuardStatus) -> str:
        if status.active:
            if status.phase == "grace":
                return self.tr("Armed: a rule fired, the instance is about to be powered off.")
            text = self.tr("Armed: watching the instance.")
            if status.warns_only:
                text += " " + self.tr(
                    "No power-off command is known for this platform: the guard only warns."
                )
            return text
        phases = {
            "powered_off": self.tr("The guard powered the instance off."),
            "power_off_failed": self.tr("The guard's power-off command failed; see its log."),
            "warned": self.tr("The guard warned and ended; stop the instance in the console."),
            "stopped": self.tr("The guard stopped without powering off."),
        }
        return phases.get(status.phase or "", self.tr("No guard is running."))

    def _rules_text(self, status: GuardStatus) -> str:
        rules = status.rules
        if not rules or not status.active:
            return ""
        parts = []
        if rules.get("idle_minutes") is not None and rules.get("idle_threshold_pct") is not None:
            parts.append(
                self.tr("every GPU below %1 % for %2 min")
                .replace("%1", f"{rules['idle_threshold_pct']:g}")
                .replace("%2", f"{rules['idle_minutes']:g}")
            )
        if rules.get("after_pid") is not None:
            parts.append(self.tr("after process %1 ends").replace("%1", str(rules["after_pid"])))
        if rules.get("at") is not None:
            parts.append(self.tr("at %1").replace("%1", _local_clock(rules["at"])))
        if rules.get("max_hours") is not None:
            parts.append(self.tr("after %1 h").replace("%1", f"{rules['max_hours']:g}"))
        return self.tr("Rules: %1").replace("%1", self.tr("; ").join(parts))

    def _sample_text(self, status: GuardStatus) -> str:
        sample = status.last_sample
        if sample is None:
            return ""
        if not sample.readable:
            return self.tr("Last sample: GPU not readable (%1)").replace("%1", sample.problem or "")
        gpus = ", ".join(f"GPU{g.index} {g.util} %" for g in sample.gpus)
        return self.tr("Last sample: %1").replace("%1", gpus)

    def show_countdown(self) -> None:
        """Minutes and seconds until the power-off, ticking between refreshes."""
        status = self.status
        left = None if status is None else status.seconds_left()
        if status is None or left is None or not status.active:
            self.countdown_label.clear()
            return
        left = max(0.0, left - (time.monotonic() - self.received_at))
        minutes, seconds = divmod(int(left), 60)
        template = self.tr("Warns in %1") if status.warns_only else self.tr("Powers off in %1")
        self.countdown_label.setText(template.replace("%1", f"{minutes}:{seconds:02d}"))


def _local_clock(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone().strftime("%H:%M")
