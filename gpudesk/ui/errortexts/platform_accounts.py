"""Translated texts of errors from platform APIs, platform accounts and re-pointing an instance.

``texts()`` maps an error code to ``(message, hint)``, translated at call time so the UI
language applies; the English sources are marked for lupdate with ``QT_TRANSLATE_NOOP``.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_TEXTS: tuple[tuple[str, object, object], ...] = (
    (
        "accounts.corrupt",
        QT_TRANSLATE_NOOP("ErrorText", "The saved platform accounts cannot be read."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Fix the file by hand, or restore the copy next to it ending in .gpudesk-bak.",
        ),
    ),
    (
        "provider.bad_answer",
        QT_TRANSLATE_NOOP("ErrorText", "The platform's API gave an answer gpudesk cannot read."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Try again later; if it persists, the platform may have changed its API."
        ),
    ),
    (
        "provider.bad_ref",
        QT_TRANSLATE_NOOP("ErrorText", "This does not name an instance."),
        QT_TRANSLATE_NOOP("ErrorText", "Write it as autodl:INSTANCE_ID (see gpudesk instances)."),
    ),
    (
        "provider.balance_too_low",
        QT_TRANSLATE_NOOP("ErrorText", "The platform refused: the account's balance is too low."),
        QT_TRANSLATE_NOOP("ErrorText", "Top up the account in the platform's console, then retry."),
    ),
    (
        "provider.instance_not_found",
        QT_TRANSLATE_NOOP("ErrorText", "The platform knows no such instance in this account."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "List them with gpudesk instances. AutoDL's API reaches Pro instances only.",
        ),
    ),
    (
        "provider.no_stock",
        QT_TRANSLATE_NOOP("ErrorText", "The platform has no free GPU for this instance right now."),
        QT_TRANSLATE_NOOP("ErrorText", "Try again later."),
    ),
    (
        "provider.no_username",
        QT_TRANSLATE_NOOP("ErrorText", "潞晨云 accounts log in with a user name and a password."),
        QT_TRANSLATE_NOOP("ErrorText", "Give the user name too."),
    ),
    (
        "provider.not_connected",
        QT_TRANSLATE_NOOP("ErrorText", "No account of this platform is connected to gpudesk."),
        QT_TRANSLATE_NOOP("ErrorText", "Connect the account first."),
    ),
    (
        "provider.not_running",
        QT_TRANSLATE_NOOP("ErrorText", "The instance is not running and has no SSH address now."),
        QT_TRANSLATE_NOOP("ErrorText", "Power it on first."),
    ),
    (
        "provider.refused",
        QT_TRANSLATE_NOOP("ErrorText", "The platform refused the request."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Check the instance in the platform's console; the details show the platform's "
            "message.",
        ),
    ),
    (
        "provider.token_rejected",
        QT_TRANSLATE_NOOP("ErrorText", "The platform rejected the API token."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Copy the developer token again from the console and connect the account again.",
        ),
    ),
    (
        "provider.unknown",
        QT_TRANSLATE_NOOP("ErrorText", "gpudesk does not know this platform."),
        QT_TRANSLATE_NOOP("ErrorText", "Choose one of the platforms gpudesk lists."),
    ),
    (
        "provider.unreachable",
        QT_TRANSLATE_NOOP("ErrorText", "The platform's API could not be reached."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Check your network or proxy, and the platform's status page; then try again.",
        ),
    ),
    (
        "provider.unsupported",
        QT_TRANSLATE_NOOP("ErrorText", "The platform's documented API does not offer this."),
        QT_TRANSLATE_NOOP("ErrorText", "Do it in the platform's console."),
    ),
    (
        "provider.verification_needed",
        QT_TRANSLATE_NOOP(
            "ErrorText", "The platform needs the account's real-name verification first."
        ),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Finish real-name verification (实名认证) in the platform's console, then retry.",
        ),
    ),
    (
        "repoint.no_credentials",
        QT_TRANSLATE_NOOP(
            "ErrorText", "The instance has no key and no password was given for its new address."
        ),
        QT_TRANSLATE_NOOP("ErrorText", "Give the password the console shows for the instance."),
    ),
    (
        "repoint.no_host_key",
        QT_TRANSLATE_NOOP("ErrorText", "The login left no host key."),
        QT_TRANSLATE_NOOP("ErrorText", "Paste the command again and retry."),
    ),
)


def texts() -> dict[str, tuple[str, str]]:
    """Translated (message, hint) by error code; built at call time so the language applies."""
    return {
        code: (
            QCoreApplication.translate("ErrorText", str(message)),
            QCoreApplication.translate("ErrorText", str(hint)),
        )
        for code, message, hint in _TEXTS
    }
