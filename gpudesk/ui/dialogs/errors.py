"""Errors as a message and a hint, translated by their code; never a traceback.

:func:`describe_error` turns any exception into ``(message, hint, details)``: a known
:class:`~gpudesk.core.errors.GpuDeskError` code gets a translated message and hint, and the
original English message (which names hosts, files and values) becomes ``details``.
Unknown codes fall back to the error's own message and hint; other
exceptions to "Something went wrong" (the detail goes to the log by the excepthook).
:func:`show_error` shows the result in a small dialog.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from gpudesk.core.errors import GpuDeskError
from gpudesk.ui.errortexts import known_texts, pasted_command_texts
from gpudesk.ui.i18n import current_language

log = logging.getLogger(__name__)
_open_boxes: set[QMessageBox] = set()


def describe_error(error: BaseException) -> tuple[str, str, str]:
    """``(message, hint, details)`` for the user; ``details`` is the English original or empty."""
    if not isinstance(error, GpuDeskError):
        return (
            QCoreApplication.translate("ErrorText", "Something went wrong."),
            QCoreApplication.translate(
                "ErrorText", "The details are in the log file (Help > About shows where it is)."
            ),
            type(error).__name__,
        )
    english = current_language() == "en"
    if error.code.startswith("ssh.parse."):
        message = pasted_command_texts().get(error.code.removeprefix("ssh.parse."))
        if message is not None:
            # The English message names the offending part of the command: keep it as details.
            if english:
                return message, error.hint, error.message
            hint = QCoreApplication.translate(
                "ErrorText", "Paste the ssh line your GPU console shows."
            )
            return message, hint, f"{error.message} {error.hint}".strip()
    known = known_texts().get(error.code)
    if known is None:
        return error.message, error.hint, ""
    # The core's own sentence names the host, file or value: keep it as the details.
    return known[0], known[1], "" if error.message == known[0] else error.message


def show_error(parent: QWidget | None, error: BaseException, title: str = "") -> None:
    """Show ``error`` as message + hint in a modal dialog (window-modal, non-blocking)."""
    message, hint, details = describe_error(error)
    log.info("shown to the user: %s", getattr(error, "code", type(error).__name__))
    box = QMessageBox(parent)
    box.setObjectName("errorDialog")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or QCoreApplication.translate("ErrorText", "gpudesk"))
    box.setText(message)
    box.setInformativeText(hint)
    if details:
        box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    # Without a parent nothing in Qt owns the box: keep it alive until it is closed.
    _open_boxes.add(box)
    box.finished.connect(lambda _result: _open_boxes.discard(box))
    box.open()
