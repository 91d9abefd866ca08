"""Translated texts of errors of the desktop helpers: the system terminal.

``texts()`` maps an error code to ``(message, hint)``, translated at call time so the UI
language applies; the English sources are marked for lupdate with ``QT_TRANSLATE_NOOP``.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from gpudesk.ui.errortexts.table import Row, translated

_TEXTS: tuple[Row, ...] = (
    (
        "terminal.not_found",
        QT_TRANSLATE_NOOP("ErrorText", "No terminal program was found to run ssh in."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Install a terminal (e.g. xterm), or set the TERMINAL environment variable.",
        ),
    ),
    (
        "terminal.failed",
        QT_TRANSLATE_NOOP("ErrorText", "The terminal could not start."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Open a terminal yourself and type the ssh command (Copy ssh command)."
        ),
    ),
)


def texts() -> dict[str, tuple[str, str]]:
    """Translated (message, hint) by error code; built at call time so the language applies."""
    return translated(_TEXTS)
