"""A question box whose Yes button says what it does, with Cancel as the safe default."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def question_box(
    parent: QWidget | None, name: str, title: str, text: str, yes_text: str
) -> QMessageBox:
    """A Yes / Cancel box named ``name``; Yes reads ``yes_text``, Enter means Cancel."""
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    yes = box.button(QMessageBox.StandardButton.Yes)
    if yes is not None:
        yes.setText(yes_text)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box
