"""Translated texts of errors met while installing or controlling the cost guard.

``texts()`` maps an error code to ``(message, hint)``; built at call time so the UI language
applies. ``gpudesk.ui.errortexts`` gathers it with the other areas.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def texts() -> dict[str, tuple[str, str]]:
    """Translated (message, hint) by error code."""
    return {
        "guard.bad_rule": (
            QCoreApplication.translate("ErrorText", "A rule of the guard cannot be used."),
            QCoreApplication.translate(
                "ErrorText",
                "Use positive numbers, a process that is running on the instance, and a "
                "time like 23:30.",
            ),
        ),
        "guard.start_failed": (
            QCoreApplication.translate("ErrorText", "The guard did not start on the instance."),
            QCoreApplication.translate(
                "ErrorText",
                "Check that the home folder on the instance is writable and not full, then "
                "try again.",
            ),
        ),
        "guard.not_running": (
            QCoreApplication.translate("ErrorText", "No guard is running on this instance."),
            QCoreApplication.translate("ErrorText", "Arm the guard first."),
        ),
    }
