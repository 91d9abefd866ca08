"""The settings dialog: language, the idle-GPU rule, tunnels at start, the low-balance warning.

The idle rule (below which utilisation a GPU counts as idle, and for how many minutes before
gpudesk reminds you that it bills) and whether tunnels that were up come back at the next
start. The language takes effect when gpudesk starts again; the dialog says so. Settings are
saved with :func:`gpudesk.core.store.settings.save_settings` (a small local file, written
atomically); the window hands the new settings to the tray controller.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.errors import GpuDeskError
from gpudesk.core.store.settings import Settings, save_settings
from gpudesk.ui.dialogs.errors import show_error


class SettingsDialog(QDialog):
    """Edit :class:`~gpudesk.core.store.settings.Settings`; ``settings`` holds the result."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.settings = settings
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageCombo")
        self.language_combo.addItem(self.tr("Follow the system"), "system")
        self.language_combo.addItem("English", "en")
        self.language_combo.addItem("中文（简体）", "zh_CN")
        index = self.language_combo.findData(settings.language)
        self.language_combo.setCurrentIndex(max(index, 0))
        note = QLabel(self.tr("A new language takes effect when gpudesk starts again."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #57606a;")
        self.idle_threshold_spin = QSpinBox()
        self.idle_threshold_spin.setObjectName("idleThreshold")
        self.idle_threshold_spin.setRange(0, 100)
        self.idle_threshold_spin.setSuffix(" %")
        self.idle_threshold_spin.setValue(settings.idle_threshold_pct)
        self.idle_minutes_spin = QSpinBox()
        self.idle_minutes_spin.setObjectName("idleMinutes")
        self.idle_minutes_spin.setRange(1, 24 * 60)
        self.idle_minutes_spin.setSuffix(self.tr(" min"))
        self.idle_minutes_spin.setValue(settings.idle_minutes)
        self.restore_box = QCheckBox(self.tr("Tunnels that were up come back when gpudesk starts"))
        self.restore_box.setObjectName("restoreTunnels")
        self.restore_box.setChecked(settings.restore_tunnels)
        self.low_balance_spin = QDoubleSpinBox()
        self.low_balance_spin.setObjectName("lowBalance")
        self.low_balance_spin.setRange(0, 100_000)
        self.low_balance_spin.setDecimals(0)
        self.low_balance_spin.setPrefix("¥")
        self.low_balance_spin.setValue(settings.low_balance_yuan)
        idle_note = QLabel(
            self.tr(
                "A GPU counts as idle below this utilisation; after this many idle minutes "
                "gpudesk reminds you that the instance is still billing."
            )
        )
        idle_note.setWordWrap(True)
        idle_note.setStyleSheet("color: #57606a;")
        form = QFormLayout()
        form.addRow(self.tr("Language:"), self.language_combo)
        form.addRow(self.tr("Idle below:"), self.idle_threshold_spin)
        form.addRow(self.tr("Remind after:"), self.idle_minutes_spin)
        form.addRow(idle_note)
        form.addRow(self.restore_box)
        form.addRow(self.tr("Warn when the AutoDL balance is below:"), self.low_balance_spin)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def accept(self) -> None:
        """Save the settings, then close; on failure show why and stay open."""
        chosen = dataclasses.replace(
            self.settings,
            language=self.language_combo.currentData(),
            idle_threshold_pct=self.idle_threshold_spin.value(),
            idle_minutes=self.idle_minutes_spin.value(),
            restore_tunnels=self.restore_box.isChecked(),
            low_balance_yuan=self.low_balance_spin.value(),
        )
        try:
            save_settings(chosen)
        except GpuDeskError as error:
            show_error(self, error)
            return
        self.settings = chosen
        super().accept()
