"""The settings dialog: the UI language (system / English / 中文) for now.

The language takes effect when gpudesk starts again; the dialog says so. Settings are saved
with :func:`gpudesk.core.store.settings.save_settings` (a small local file, written atomically).
"""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
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
        form = QFormLayout()
        form.addRow(self.tr("Language:"), self.language_combo)
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
        chosen = dataclasses.replace(self.settings, language=self.language_combo.currentData())
        try:
            save_settings(chosen)
        except GpuDeskError as error:
            show_error(self, error)
            return
        self.settings = chosen
        super().accept()
