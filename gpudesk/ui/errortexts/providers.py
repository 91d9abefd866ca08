"""Translated texts of errors met with platform accounts (AutoDL, 潞晨云) and re-pointing.

``texts()`` maps an error code to ``(message, hint)``, built at call time so the UI language
applies; the platform's own message stays in the error's English details.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def texts() -> dict[str, tuple[str, str]]:
    """Translated (message, hint) by error code."""
    return {
        "provider.token_rejected": (
            QCoreApplication.translate("ErrorText", "The platform rejected the API token."),
            QCoreApplication.translate(
                "ErrorText",
                "Copy the developer token again from the console (账号 → 设置 → 开发者Token) and "
                "connect the account again.",
            ),
        ),
        "provider.unreachable": (
            QCoreApplication.translate("ErrorText", "The platform's API could not be reached."),
            QCoreApplication.translate(
                "ErrorText",
                "Check your network or proxy, and the platform's status page; then try again.",
            ),
        ),
        "provider.no_stock": (
            QCoreApplication.translate(
                "ErrorText", "The platform has no free GPU for this instance right now (暂无库存)."
            ),
            QCoreApplication.translate(
                "ErrorText", "Try again later, or let gpudesk keep trying until a GPU is free."
            ),
        ),
        "provider.verification_needed": (
            QCoreApplication.translate(
                "ErrorText", "The platform needs the account's real-name verification first."
            ),
            QCoreApplication.translate(
                "ErrorText",
                "Finish real-name verification (实名认证) in the platform's console, then retry.",
            ),
        ),
        "provider.balance_too_low": (
            QCoreApplication.translate(
                "ErrorText", "The platform refused: the account's balance is too low."
            ),
            QCoreApplication.translate(
                "ErrorText", "Top up the account in the platform's console, then retry."
            ),
        ),
        "provider.refused": (
            QCoreApplication.translate("ErrorText", "The platform refused the request."),
            QCoreApplication.translate(
                "ErrorText",
                "Check the instance in the platform's console; the details show the platform's "
                "own message.",
            ),
        ),
        "provider.instance_not_found": (
            QCoreApplication.translate(
                "ErrorText", "The platform knows no such instance in this account."
            ),
            QCoreApplication.translate(
                "ErrorText",
                "AutoDL's official API reaches Pro instances only; ordinary instances stay on "
                "the pasted-command path.",
            ),
        ),
        "provider.bad_answer": (
            QCoreApplication.translate(
                "ErrorText", "The platform's API gave an answer gpudesk cannot read."
            ),
            QCoreApplication.translate(
                "ErrorText",
                "Try again later; if it persists, the platform may have changed its API.",
            ),
        ),
        "provider.unsupported": (
            QCoreApplication.translate(
                "ErrorText", "The platform's documented API does not offer this."
            ),
            QCoreApplication.translate("ErrorText", "Do it in the platform's console."),
        ),
        "provider.not_running": (
            QCoreApplication.translate(
                "ErrorText", "The instance is not running, so it has no SSH address now."
            ),
            QCoreApplication.translate("ErrorText", "Power it on first."),
        ),
        "provider.not_connected": (
            QCoreApplication.translate(
                "ErrorText", "No account of this platform is connected to gpudesk."
            ),
            QCoreApplication.translate(
                "ErrorText", "Connect the account first with its developer token."
            ),
        ),
        "provider.not_linked": (
            QCoreApplication.translate(
                "ErrorText",
                "This instance was set up from a pasted command, not from a platform account.",
            ),
            QCoreApplication.translate(
                "ErrorText",
                "Set it up again from the account's instance list to power it on and off from "
                "gpudesk.",
            ),
        ),
        "provider.start_failed": (
            QCoreApplication.translate(
                "ErrorText", "The instance stopped again while it was starting."
            ),
            QCoreApplication.translate(
                "ErrorText",
                "Look at the instance in the platform's console, then power it on again.",
            ),
        ),
        "provider.start_timeout": (
            QCoreApplication.translate("ErrorText", "The instance was not running in time."),
            QCoreApplication.translate(
                "ErrorText",
                "Look at the instance in the platform's console; power it on again later.",
            ),
        ),
        "provider.empty_token": (
            QCoreApplication.translate("ErrorText", "No token was entered."),
            QCoreApplication.translate(
                "ErrorText", "Paste the developer token from the platform's console."
            ),
        ),
        "provider.unknown": (
            QCoreApplication.translate("ErrorText", "gpudesk does not know this platform."),
            QCoreApplication.translate("ErrorText", "Choose AutoDL or 潞晨云."),
        ),
        "provider.bad_ref": (
            QCoreApplication.translate("ErrorText", "That does not name a platform instance."),
            QCoreApplication.translate("ErrorText", "Write it as autodl:INSTANCE_ID."),
        ),
        "provider.no_username": (
            QCoreApplication.translate(
                "ErrorText", "潞晨云 accounts log in with a user name and a password."
            ),
            QCoreApplication.translate("ErrorText", "Enter the user name too."),
        ),
        "provider.bad_wait": (
            QCoreApplication.translate("ErrorText", "The waiting time for a GPU is out of range."),
            QCoreApplication.translate("ErrorText", "Give a number of minutes, for example 30."),
        ),
        "provider.bad_create": (
            QCoreApplication.translate(
                "ErrorText", "The GPU count or CUDA version is out of range."
            ),
            QCoreApplication.translate(
                "ErrorText", "Use 1 to 4 GPUs and a CUDA version such as 118 (CUDA 11.8)."
            ),
        ),
        "provider.release_unconfirmed": (
            QCoreApplication.translate(
                "ErrorText", "Releasing an instance deletes it and all data on it."
            ),
            QCoreApplication.translate("ErrorText", "Confirm explicitly if that is what you want."),
        ),
        "provider.release_running": (
            QCoreApplication.translate("ErrorText", "Only a powered-off instance can be released."),
            QCoreApplication.translate("ErrorText", "Power it off first."),
        ),
        "accounts.corrupt": (
            QCoreApplication.translate("ErrorText", "The saved platform accounts cannot be read."),
            QCoreApplication.translate(
                "ErrorText",
                "Fix the file by hand, or restore the copy next to it ending in .gpudesk-bak.",
            ),
        ),
        "repoint.no_credentials": (
            QCoreApplication.translate(
                "ErrorText",
                "The instance has no key and no password was given for its new address.",
            ),
            QCoreApplication.translate(
                "ErrorText", "Give the password the console shows for the instance."
            ),
        ),
        "repoint.no_host_key": (
            QCoreApplication.translate("ErrorText", "The login left no host key to pin."),
            QCoreApplication.translate("ErrorText", "Try again."),
        ),
    }
