"""Errors as a message and a hint, translated by their code; never a traceback.

:func:`describe_error` turns any exception into ``(message, hint, details)``: a known
:class:`~gpudesk.core.errors.GpuDeskError` code gets a translated message and hint, and the
original English message (which names hosts, files and values) becomes ``details`` when the
UI is not in English. Unknown codes fall back to the error's own message and hint; other
exceptions to "Something went wrong" (the detail goes to the log by the excepthook).
:func:`show_error` shows the result in a small dialog.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from gpudesk.core.errors import GpuDeskError
from gpudesk.ui.i18n import current_language

log = logging.getLogger(__name__)
_open_boxes: set[QMessageBox] = set()


def _known() -> dict[str, tuple[str, str]]:
    """Translated (message, hint) by error code; built at call time so the language applies."""
    check_console = QCoreApplication.translate(
        "ErrorText", "Copy the command again from the console: it shows the current one."
    )
    return {
        "ssh.auth_failed": (
            QCoreApplication.translate("ErrorText", "The instance refused the password."),
            QCoreApplication.translate(
                "ErrorText",
                "Copy the password again from the console (it changes when an instance is "
                "re-created) and check the user name.",
            ),
        ),
        "ssh.auth_method_refused": (
            QCoreApplication.translate(
                "ErrorText", "The instance does not accept this way of logging in."
            ),
            QCoreApplication.translate(
                "ErrorText",
                "Use the password the console shows, or a key installed on the instance.",
            ),
        ),
        "ssh.no_credentials": (
            QCoreApplication.translate("ErrorText", "No password was entered."),
            QCoreApplication.translate(
                "ErrorText", "Paste the password the console shows next to the ssh command."
            ),
        ),
        "ssh.dns_failed": (
            QCoreApplication.translate(
                "ErrorText", "The host name in the command could not be found."
            ),
            check_console,
        ),
        "ssh.connect_timeout": (
            QCoreApplication.translate("ErrorText", "The instance did not answer in time."),
            QCoreApplication.translate(
                "ErrorText",
                "Is the instance running? AutoDL and deepln change host and port when an "
                "instance restarts: copy the command again from the console.",
            ),
        ),
        "ssh.connect_refused": (
            QCoreApplication.translate("ErrorText", "The instance refused the connection."),
            QCoreApplication.translate(
                "ErrorText", "Is the instance running? Copy the current command from the console."
            ),
        ),
        "ssh.handshake_failed": (
            QCoreApplication.translate(
                "ErrorText", "The address answered, but not as an SSH server."
            ),
            QCoreApplication.translate(
                "ErrorText", "Check the port: it must be the SSH port the console shows."
            ),
        ),
        "ssh.dropped": (
            QCoreApplication.translate("ErrorText", "The connection dropped during login."),
            QCoreApplication.translate(
                "ErrorText", "Try again; if it keeps happening the instance may be overloaded."
            ),
        ),
        "ssh.host_key_unknown": (
            QCoreApplication.translate(
                "ErrorText", "The instance's host key was not trusted, so nothing was sent to it."
            ),
            QCoreApplication.translate(
                "ErrorText",
                "Check again and trust the key if its fingerprint is the one you expect.",
            ),
        ),
        "ssh.host_key_changed": (
            QCoreApplication.translate(
                "ErrorText",
                "The instance's host key has CHANGED since you trusted it. Nothing was sent.",
            ),
            QCoreApplication.translate(
                "ErrorText",
                "If the platform gave this address to a new instance, forget the old key in "
                "gpudesk and check again; otherwise do not connect.",
            ),
        ),
        "ssh.channel_failed": (
            QCoreApplication.translate("ErrorText", "Could not open a session on the instance."),
            QCoreApplication.translate("ErrorText", "The connection may have dropped; try again."),
        ),
        "ssh.command_timeout": (
            QCoreApplication.translate("ErrorText", "The instance took too long to answer."),
            QCoreApplication.translate("ErrorText", "The instance may be overloaded; try again."),
        ),
        "probe.incomplete": (
            QCoreApplication.translate("ErrorText", "The instance's answer was cut short."),
            QCoreApplication.translate(
                "ErrorText",
                "The login shell may exit early: open a terminal on it and check ~/.bashrc.",
            ),
        ),
        "instance.alias_taken": (
            QCoreApplication.translate("ErrorText", "There is already an instance with this name."),
            QCoreApplication.translate("ErrorText", "Pick another name."),
        ),
        "instance.bad_alias": (
            QCoreApplication.translate("ErrorText", "This name cannot be used."),
            QCoreApplication.translate(
                "ErrorText",
                "Use letters, digits, '.', '_' and '-', not starting with '-' or '.' "
                "(e.g. autodl-4090).",
            ),
        ),
        "instances.corrupt": (
            QCoreApplication.translate("ErrorText", "The file of saved instances is damaged."),
            QCoreApplication.translate(
                "ErrorText",
                "Fix it by hand, or restore the copy next to it ending in .gpudesk-bak.",
            ),
        ),
        "secrets.no_keyring": (
            QCoreApplication.translate("ErrorText", "No secure system keyring is available."),
            QCoreApplication.translate(
                "ErrorText",
                "On Linux install and unlock GNOME Keyring or KWallet; gpudesk never "
                "stores passwords in plain text.",
            ),
        ),
        "secrets.locked": (
            QCoreApplication.translate("ErrorText", "The system keyring is locked."),
            QCoreApplication.translate("ErrorText", "Unlock your keyring and try again."),
        ),
        "secrets.failed": (
            QCoreApplication.translate("ErrorText", "The system keyring failed."),
            QCoreApplication.translate(
                "ErrorText", "Check that your keyring app is running and unlocked, then try again."
            ),
        ),
        "settings.newer_version": (
            QCoreApplication.translate(
                "ErrorText", "The settings were written by a newer version of gpudesk."
            ),
            QCoreApplication.translate("ErrorText", "Update gpudesk to change them."),
        ),
        "key.passphrase_required": (
            QCoreApplication.translate(
                "ErrorText", "The key in the command is protected by a passphrase."
            ),
            QCoreApplication.translate(
                "ErrorText", "Remove -i from the command and log in with the password for now."
            ),
        ),
        "key.unreadable": (
            QCoreApplication.translate("ErrorText", "The key file in the command cannot be read."),
            QCoreApplication.translate(
                "ErrorText", "Check the path after -i, or remove -i and use the password."
            ),
        ),
    }


def _parse_texts() -> dict[str, str]:
    """Translated messages of the pasted-command errors (``ssh.parse.*``), by short code."""
    return {
        "empty": QCoreApplication.translate(
            "ErrorText", "Paste the ssh command your GPU console shows."
        ),
        "too_long": QCoreApplication.translate(
            "ErrorText", "That is too long to be an ssh command."
        ),
        "multiple_lines": QCoreApplication.translate(
            "ErrorText", "Paste only the one line with the ssh command."
        ),
        "control_char": QCoreApplication.translate(
            "ErrorText", "The command contains an invisible or control character."
        ),
        "shell_syntax": QCoreApplication.translate(
            "ErrorText",
            "The command contains shell syntax (; | & $ < > `): gpudesk only needs the ssh login.",
        ),
        "placeholder": QCoreApplication.translate(
            "ErrorText", "The command still contains a <placeholder> from documentation."
        ),
        "not_ssh": QCoreApplication.translate(
            "ErrorText", "This does not look like an ssh command."
        ),
        "bad_quotes": QCoreApplication.translate(
            "ErrorText", "The quotes in the command do not match."
        ),
        "missing_host": QCoreApplication.translate(
            "ErrorText", "The command has no host to log in to."
        ),
        "missing_user": QCoreApplication.translate(
            "ErrorText", "The command does not say which user to log in as."
        ),
        "missing_value": QCoreApplication.translate(
            "ErrorText", "An option in the command lacks its value."
        ),
        "unknown_option": QCoreApplication.translate(
            "ErrorText", "The command has an option gpudesk does not understand."
        ),
        "dangerous_option": QCoreApplication.translate(
            "ErrorText", "The command has an option that could run programs on your computer."
        ),
        "jump_host": QCoreApplication.translate(
            "ErrorText", "The command goes through a jump host; GPU consoles never ask for one."
        ),
        "remote_forward": QCoreApplication.translate(
            "ErrorText", "The command opens a port back to your computer (-R)."
        ),
        "dynamic_forward": QCoreApplication.translate(
            "ErrorText", "The command starts a SOCKS proxy (-D)."
        ),
        "forwarding_refused": QCoreApplication.translate(
            "ErrorText", "The command forwards your agent or display to the rented machine."
        ),
        "forward_bind": QCoreApplication.translate(
            "ErrorText", "A -L tunnel must listen on 127.0.0.1 only."
        ),
        "bad_forward": QCoreApplication.translate(
            "ErrorText", "A -L tunnel in the command is malformed."
        ),
        "remote_command": QCoreApplication.translate(
            "ErrorText", "The command runs something after logging in."
        ),
        "bad_url": QCoreApplication.translate("ErrorText", "The ssh:// address is malformed."),
        "bad_port": QCoreApplication.translate(
            "ErrorText", "The port in the command is not a valid port number."
        ),
        "bad_host": QCoreApplication.translate(
            "ErrorText", "The host name in the command is not valid."
        ),
        "host_with_port": QCoreApplication.translate(
            "ErrorText", "Write the port with -p, not after the host."
        ),
        "bad_user": QCoreApplication.translate(
            "ErrorText", "The user name in the command is not valid."
        ),
        "bad_identity_file": QCoreApplication.translate(
            "ErrorText", "The key path after -i is not valid."
        ),
        "conflict": QCoreApplication.translate(
            "ErrorText", "The command gives the same setting twice with different values."
        ),
    }


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
        message = _parse_texts().get(error.code.removeprefix("ssh.parse."))
        if message is not None:
            # The English message names the offending part of the command: keep it as details.
            if english:
                return message, error.hint, error.message
            hint = QCoreApplication.translate(
                "ErrorText", "Paste the ssh line your GPU console shows."
            )
            return message, hint, f"{error.message} {error.hint}".strip()
    known = _known().get(error.code)
    if known is None:
        return error.message, error.hint, ""
    return known[0], known[1], "" if english else error.message


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
