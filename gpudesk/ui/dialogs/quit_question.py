"""The question before quitting with tunnels up: they close, and whether they come back."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from gpudesk.ui.widgets.text import fmt, join_list


def quit_question(parent: QWidget, running: set[str], *, restore: bool) -> QMessageBox:
    """A Quit / Cancel box naming the instances whose tunnels are up (Yes = quit)."""

    box = QMessageBox(parent)
    box.setObjectName("quitQuestion")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("QuitQuestion", "Quit gpudesk?"))
    box.setText(
        fmt(
            QCoreApplication.translate(
                "QuitQuestion", "Tunnels to %1 are up. Quitting closes them."
            ),
            join_list(sorted(running)),
        )
    )
    box.setInformativeText(
        QCoreApplication.translate("QuitQuestion", "They come back when gpudesk starts again.")
        if restore
        else QCoreApplication.translate(
            "QuitQuestion", "They stay closed until you start them again (see Settings)."
        )
    )
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    yes = box.button(QMessageBox.StandardButton.Yes)
    if yes is not None:
        yes.setText(QCoreApplication.translate("QuitQuestion", "Quit"))
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box
