"""Translated messages of a pasted ssh command's errors, by the code after ``ssh.parse.``.

Built at call time, so the UI language applies. ``gpudesk.ui.errortexts`` gathers every
module of this package; ``gpudesk.ui.dialogs.errors.describe_error`` looks codes up there.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def texts() -> dict[str, str]:
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
