"""The guard's rules as widgets: idle, after a process, a time limit (or a ¥ budget), grace.

:meth:`GuardForm.rules` turns what is filled in into a ``GuardRules``; the core validates it.
A budget in ¥ becomes hours at the instance's hourly price.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QTimeEdit,
    QWidget,
)

from gpudesk.core.guard.rules import GuardRules, next_clock_time


class GuardForm(QWidget):
    """Inputs for every rule; unchecked or "none" parts are left out of the rules."""

    def __init__(
        self,
        price_per_hour: float | None,
        power_off_command: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.price_per_hour = price_per_hour
        self.idle_check = QCheckBox(self.tr("Power off when every GPU idles"))
        self.idle_check.setChecked(True)
        self.idle_minutes = self._spin(1, 24 * 60, 30, self.tr(" min"))
        self.idle_threshold = self._spin(1, 100, 5, self.tr(" %"))
        self.process_mode = QComboBox()
        self.process_mode.addItem(self.tr("No"), "none")
        self.process_mode.addItem(self.tr("Process id"), "pid")
        self.process_mode.addItem(self.tr("Command line contains"), "pattern")
        self.process_text = QLineEdit()
        self.process_text.setPlaceholderText(self.tr("e.g. train.py"))
        self.time_mode = QComboBox()
        self.time_mode.addItem(self.tr("No limit"), "none")
        self.time_mode.addItem(self.tr("At a time of day"), "at")
        self.time_mode.addItem(self.tr("After some hours"), "hours")
        if price_per_hour:
            self.time_mode.addItem(self.tr("When a budget is spent (¥)"), "budget")
        self.at_time = QTimeEdit(QTime(7, 0))
        self.at_time.setDisplayFormat("HH:mm")
        self.hours = self._spin(0.1, 24 * 30, 8, self.tr(" h"))
        self.budget = self._spin(1, 100_000, 20, self.tr(" ¥"))
        self.grace = self._spin(0, 120, 5, self.tr(" min"))
        self.power_off = QLineEdit(power_off_command or "")
        self.power_off.setPlaceholderText(
            self.tr("unknown for this platform: the guard only warns")
        )
        self._build()

    @staticmethod
    def _spin(low: float, high: float, value: float, suffix: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(low, high)
        spin.setDecimals(1)
        spin.setValue(value)
        spin.setSuffix(suffix)
        return spin

    def _build(self) -> None:
        layout = QFormLayout(self)
        idle_row = QHBoxLayout()
        idle_row.addWidget(self.idle_minutes)
        idle_row.addWidget(self.idle_threshold)
        layout.addRow(self.idle_check)
        layout.addRow(self.tr("Idle for, below"), idle_row)
        process_row = QHBoxLayout()
        process_row.addWidget(self.process_mode)
        process_row.addWidget(self.process_text, 1)
        layout.addRow(self.tr("After a process ends"), process_row)
        time_row = QHBoxLayout()
        time_row.addWidget(self.time_mode)
        for widget in (self.at_time, self.hours, self.budget):
            time_row.addWidget(widget)
        layout.addRow(self.tr("Time limit"), time_row)
        layout.addRow(self.tr("Warning before power-off"), self.grace)
        layout.addRow(self.tr("Power-off command"), self.power_off)
        self.time_mode.currentIndexChanged.connect(self.on_time_mode_current_index_changed)
        self.process_mode.currentIndexChanged.connect(self.on_time_mode_current_index_changed)
        self.idle_check.toggled.connect(self.on_time_mode_current_index_changed)
        self.on_time_mode_current_index_changed()

    def on_time_mode_current_index_changed(self, *_args: object) -> None:
        """Show only the inputs the chosen modes use."""
        mode = self.time_mode.currentData()
        self.at_time.setVisible(mode == "at")
        self.hours.setVisible(mode == "hours")
        self.budget.setVisible(mode == "budget")
        self.process_text.setEnabled(self.process_mode.currentData() != "none")
        self.idle_minutes.setEnabled(self.idle_check.isChecked())
        self.idle_threshold.setEnabled(self.idle_check.isChecked())

    def rules(self) -> GuardRules:
        """The rules as filled in (validated by the core when armed)."""
        process_mode = self.process_mode.currentData()
        text = self.process_text.text().strip()
        after_pid = int(text) if process_mode == "pid" and text.isdigit() else None
        if process_mode == "pid" and after_pid is None:
            after_pid = -1  # the core refuses it with a clear message
        time_mode = self.time_mode.currentData()
        deadline = None
        if time_mode == "at":
            at = self.at_time.time()
            deadline = next_clock_time(
                f"{at.hour():02d}:{at.minute():02d}", datetime.now().astimezone()
            )
        max_hours = None
        if time_mode == "hours":
            max_hours = self.hours.value()
        elif time_mode == "budget" and self.price_per_hour:
            max_hours = self.budget.value() / self.price_per_hour
        return GuardRules(
            idle_minutes=self.idle_minutes.value() if self.idle_check.isChecked() else None,
            idle_threshold_pct=self.idle_threshold.value(),
            after_pid=after_pid,
            after_process=text if process_mode == "pattern" and text else None,
            deadline=deadline,
            max_hours=max_hours,
            grace_minutes=self.grace.value(),
            power_off_command=self.power_off.text().strip() or None,
        )
