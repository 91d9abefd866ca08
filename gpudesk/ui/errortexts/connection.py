"""Translated texts of errors met while logging in, with host keys, keys, files, the editor.

``texts()`` maps an error code to ``(message, hint)``.

Built at call time, so the UI language applies. ``gpudesk.ui.errortexts`` gathers every
module of this package; ``gpudesk.ui.dialogs.errors.describe_error`` looks codes up there.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def texts() -> dict[str, tuple[str, str]]:
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
