"""Translated texts of errors about hostile or broken input: the instance's output, odd files.

``texts()`` maps an error code to ``(message, hint)``, built at call time so the UI language
applies; :mod:`gpudesk.ui.errortexts` merges it with the other areas.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def texts() -> dict[str, tuple[str, str]]:
    """Translated (message, hint) by error code."""
    return {
        "ssh.output_too_large": (
            QCoreApplication.translate(
                "ErrorText",
                "The instance printed far too much in answer to one command; gpudesk stopped "
                "reading.",
            ),
            QCoreApplication.translate(
                "ErrorText",
                "Something on the instance floods its output (a broken nvidia-smi or a login "
                "script): open a terminal on it and check.",
            ),
        ),
        "keyperms.not_a_key": (
            QCoreApplication.translate(
                "ErrorText", "This file is not a private key, so gpudesk leaves it alone."
            ),
            QCoreApplication.translate(
                "ErrorText", "Choose the private key file (not the one ending in .pub)."
            ),
        ),
        "file.lock_is_link": (
            QCoreApplication.translate(
                "ErrorText",
                "A lock file next to this file is a link, so gpudesk does not write through it.",
            ),
            QCoreApplication.translate(
                "ErrorText", "Remove the .lock link next to the file, then try again."
            ),
        ),
    }
