"""Translated texts of errors from the wizard's platform-account path (creating an instance).

``texts()`` maps an error code to ``(message, hint)``, translated at call time so the UI
language applies; the English sources are marked for lupdate with ``QT_TRANSLATE_NOOP``.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from gpudesk.ui.errortexts.table import Row, translated

_TEXTS: tuple[Row, ...] = (
    (
        "wizard.create_stopped",
        QT_TRANSLATE_NOOP("ErrorText", "Stopped waiting for the new instance."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "An instance AutoDL already created stays in your account: see its console.",
        ),
    ),
)


def texts() -> dict[str, tuple[str, str]]:
    """Translated (message, hint) by error code; built at call time so the language applies."""
    return translated(_TEXTS)
