"""The question before powering a platform instance off from the tray or the state panel."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from gpudesk.ui.widgets.text import fmt


def power_off_question(parent: QWidget | None, alias: str) -> QMessageBox:
    """A Power off / Cancel box naming ``alias`` (Yes = power off; Cancel is the default)."""
    box = QMessageBox(parent)
    box.setObjectName("powerOffQuestion")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(fmt(QCoreApplication.translate("PowerOffQuestion", "Power off %1?"), alias))
    box.setText(
        fmt(
            QCoreApplication.translate(
                "PowerOffQuestion",
                "Power off %1 through the platform now? Its tunnels drop and anything running "
                "on it stops.",
            ),
            alias,
        )
    )
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    yes = box.button(QMessageBox.StandardButton.Yes)
    if yes is not None:
        yes.setText(QCoreApplication.translate("PowerOffQuestion", "Power off"))
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box
