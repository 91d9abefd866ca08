"""The question before quitting with tunnels up: they close, and whether they come back."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from gpudesk.ui.widgets.question import question_box
from gpudesk.ui.widgets.text import fmt, join_list


def quit_question(parent: QWidget, running: set[str], *, restore: bool) -> QMessageBox:
    """A Quit / Cancel box naming the instances whose tunnels are up (Yes = quit)."""
    box = question_box(
        parent,
        "quitQuestion",
        QCoreApplication.translate("QuitQuestion", "Quit gpudesk?"),
        fmt(
            QCoreApplication.translate(
                "QuitQuestion", "Tunnels to %1 are up. Quitting closes them."
            ),
            join_list(sorted(running)),
        ),
        QCoreApplication.translate("QuitQuestion", "Quit"),
    )
    box.setInformativeText(
        QCoreApplication.translate("QuitQuestion", "They come back when gpudesk starts again.")
        if restore
        else QCoreApplication.translate(
            "QuitQuestion", "They stay closed until you start them again (see Settings)."
        )
    )
    return box
