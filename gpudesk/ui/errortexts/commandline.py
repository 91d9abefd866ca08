"""Translated texts of errors of the command line and of the set-up wizard's flow.

``texts()`` maps an error code to ``(message, hint)``, translated at call time so the UI
language applies; the English sources are marked for lupdate with ``QT_TRANSLATE_NOOP``.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from gpudesk.ui.errortexts.table import Row, translated

_TEXTS: tuple[Row, ...] = (
    (
        "cli.bad_port",
        QT_TRANSLATE_NOOP("ErrorText", "This is not a TCP port."),
        QT_TRANSLATE_NOOP("ErrorText", "Use 1 to 65535, or 0 for any free one."),
    ),
    (
        "cli.empty_passphrase",
        QT_TRANSLATE_NOOP(
            "ErrorText", "--passphrase-stdin was given but standard input held no passphrase."
        ),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Pipe the passphrase in, or leave the option out for a key without one."
        ),
    ),
    (
        "cli.empty_password",
        QT_TRANSLATE_NOOP(
            "ErrorText", "--password-stdin was given but standard input held no password."
        ),
        QT_TRANSLATE_NOOP("ErrorText", "Pipe the password in."),
    ),
    (
        "cli.no_credentials",
        QT_TRANSLATE_NOOP(
            "ErrorText", "No password or key was given and there is no terminal to ask on."
        ),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Use --password-stdin (and pipe the password) or --identity KEY."
        ),
    ),
    (
        "cli.no_password",
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Installing a key needs the instance's password, and there is no terminal to ask on.",
        ),
        QT_TRANSLATE_NOOP("ErrorText", "Use --password-stdin and pipe the password in."),
    ),
    (
        "cli.no_terminal",
        QT_TRANSLATE_NOOP("ErrorText", "There is no terminal to ask on."),
        QT_TRANSLATE_NOOP("ErrorText", "Use --passphrase-stdin."),
    ),
    (
        "cli.passphrase_mismatch",
        QT_TRANSLATE_NOOP("ErrorText", "The two passphrases differ."),
        QT_TRANSLATE_NOOP("ErrorText", "Type the same passphrase twice."),
    ),
    (
        "wizard.at_end",
        QT_TRANSLATE_NOOP("ErrorText", "This is the last step of the wizard."),
        QT_TRANSLATE_NOOP("ErrorText", "Press Finish."),
    ),
    (
        "wizard.at_start",
        QT_TRANSLATE_NOOP("ErrorText", "This is the first step of the wizard."),
        QT_TRANSLATE_NOOP("ErrorText", "Press Next to go on."),
    ),
    (
        "wizard.incomplete",
        QT_TRANSLATE_NOOP("ErrorText", "This step needs more information first."),
        QT_TRANSLATE_NOOP("ErrorText", "Complete the current page before going on."),
    ),
    (
        "wizard.no_shortcut",
        QT_TRANSLATE_NOOP("ErrorText", "The shortcut starts at the platform step."),
        QT_TRANSLATE_NOOP("ErrorText", "Go back to the first step, then use the shortcut."),
    ),
    (
        "wizard.no_start",
        QT_TRANSLATE_NOOP("ErrorText", "The wizard cannot start without its first page."),
        QT_TRANSLATE_NOOP("ErrorText", "This is a bug in gpudesk: please report it."),
    ),
    (
        "wizard.secret_in_progress",
        QT_TRANSLATE_NOOP(
            "ErrorText", "gpudesk refused to save a secret with the wizard's progress."
        ),
        QT_TRANSLATE_NOOP("ErrorText", "This is a bug in gpudesk: please report it."),
    ),
)


def texts() -> dict[str, tuple[str, str]]:
    """Translated (message, hint) by error code; built at call time so the language applies."""
    return translated(_TEXTS)
