"""The question before powering a platform instance off from the tray or the state panel."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from gpudesk.ui.widgets.question import question_box
from gpudesk.ui.widgets.text import fmt


def power_off_question(parent: QWidget | None, alias: str) -> QMessageBox:
    """A Power off / Cancel box naming ``alias`` (Yes = power off; Cancel is the default)."""
    return question_box(
        parent,
        "powerOffQuestion",
        fmt(QCoreApplication.translate("PowerOffQuestion", "Power off %1?"), alias),
        fmt(
            QCoreApplication.translate(
                "PowerOffQuestion",
                "Power off %1 through the platform now? Its tunnels drop and anything running "
                "on it stops.",
            ),
            alias,
        ),
        QCoreApplication.translate("PowerOffQuestion", "Power off"),
    )
