"""A preview of files before they are written: the list of paths and the exact new text.

Used by the Editor step: every file Next would write is listed, and the chosen one's whole
new text is shown in a fixed-width font, so what is written is what was seen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QListWidget, QPlainTextEdit, QWidget


class FilePreview:
    """The two widgets of a preview (the page lays them out) and the changes they show."""

    def __init__(self, parent: QWidget) -> None:
        self._changes: list[tuple[Path, str]] = []
        self.files = QListWidget(parent)
        self.files.setObjectName("previewFiles")
        self.files.setMaximumHeight(64)
        self.files.currentRowChanged.connect(self.on_files_current_row_changed)
        self.text = QPlainTextEdit(parent)
        self.text.setObjectName("previewText")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))

    def changes(self) -> list[tuple[Path, str]]:
        """``(path, exact new text)`` of every file shown."""
        return list(self._changes)

    def show_changes(self, changes: list[tuple[Path, str]], labels: list[str], empty: str) -> None:
        """List ``changes`` under ``labels`` and show the first; ``empty`` when there are none."""
        self._changes = list(changes)
        self.files.clear()
        self.files.addItems(labels)
        if self._changes:
            self.files.setCurrentRow(0)
        else:
            self.text.setPlainText(empty)

    def show_message(self, text: str) -> None:
        """No changes known (yet): say why."""
        self._changes = []
        self.files.clear()
        self.text.setPlainText(text)

    def on_files_current_row_changed(self, row: int) -> None:
        """Show the chosen file's new text."""
        if 0 <= row < len(self._changes):
            self.text.setPlainText(self._changes[row][1])
