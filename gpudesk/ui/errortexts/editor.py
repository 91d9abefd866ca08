"""Translated texts of errors about the ssh config, VS Code and sftp.json.

``texts()`` maps an error code to ``(message, hint)``, translated at call time so the UI
language applies; the English sources are marked for lupdate with ``QT_TRANSLATE_NOOP``.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from gpudesk.ui.errortexts.table import Row, translated

_TEXTS: tuple[Row, ...] = (
    (
        "open.unknown_alias",
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "gpudesk has no ssh alias for this instance, so VS Code could not connect to it.",
        ),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Finish the set-up of this instance in gpudesk first (it writes the alias).",
        ),
    ),
    (
        "sftp.no_folder",
        QT_TRANSLATE_NOOP("ErrorText", "This is not a folder."),
        QT_TRANSLATE_NOOP("ErrorText", "Choose your local project folder."),
    ),
    (
        "sftp.unparseable",
        QT_TRANSLATE_NOOP("ErrorText", "sftp.json is not strict JSON; gpudesk left it untouched."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "The SFTP extension does not accept comments either: fix or move the file."
        ),
    ),
    (
        "sftp.unsupported",
        QT_TRANSLATE_NOOP(
            "ErrorText", "sftp.json holds neither a config object nor a list of them."
        ),
        QT_TRANSLATE_NOOP("ErrorText", "Move the file aside and try again."),
    ),
    (
        "sshconfig.alias_in_user_config",
        QT_TRANSLATE_NOOP(
            "ErrorText", "Your ~/.ssh/config already has its own Host with this name."
        ),
        QT_TRANSLATE_NOOP("ErrorText", "Pick another alias, or delete that Host block first."),
    ),
    (
        "sshconfig.alias_taken",
        QT_TRANSLATE_NOOP("ErrorText", "This ssh alias already belongs to another instance."),
        QT_TRANSLATE_NOOP("ErrorText", "Pick another alias, or remove the other instance first."),
    ),
    (
        "sshconfig.bad_path",
        QT_TRANSLATE_NOOP("ErrorText", "This path cannot go into an ssh config."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Use an absolute path without quotes, backslashes, '%' or '$' characters."
        ),
    ),
    (
        "sshconfig.bad_value",
        QT_TRANSLATE_NOOP("ErrorText", "A value for the ssh config is out of range."),
        QT_TRANSLATE_NOOP("ErrorText", "This is a bug in gpudesk: please report it."),
    ),
    (
        "sshconfig.bom",
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "~/.ssh/config starts with a byte order mark (BOM), so OpenSSH refuses to read "
            "it at all.",
        ),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Save it as UTF-8 without BOM (e.g. in Notepad: Save as, Encoding 'UTF-8'), "
            "then try again.",
        ),
    ),
    (
        "sshconfig.not_found",
        QT_TRANSLATE_NOOP("ErrorText", "gpudesk has no ssh alias with this name."),
        QT_TRANSLATE_NOOP("ErrorText", "Run gpudesk ssh-config list to see gpudesk's aliases."),
    ),
    (
        "vscode.bad_path",
        QT_TRANSLATE_NOOP("ErrorText", "This folder cannot be opened in VS Code by gpudesk."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Use an absolute folder such as /root/autodl-tmp, with letters, digits and / . "
            "_ - only (no spaces or quotes).",
        ),
    ),
    (
        "vscode.launch_failed",
        QT_TRANSLATE_NOOP("ErrorText", "VS Code could not open the instance."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Install the Remote - SSH extension (ms-vscode-remote.remote-ssh) and try again.",
        ),
    ),
    (
        "vscode.not_installed",
        QT_TRANSLATE_NOOP("ErrorText", "VS Code was not found."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Install it from https://code.visualstudio.com/download, add the Remote - SSH "
            "extension, then try again.",
        ),
    ),
    (
        "vscode.settings_unparseable",
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "VS Code's settings.json is not valid JSON with comments; gpudesk left it untouched.",
        ),
        QT_TRANSLATE_NOOP("ErrorText", "Fix it in VS Code, then try again."),
    ),
)


def texts() -> dict[str, tuple[str, str]]:
    """Translated (message, hint) by error code; built at call time so the language applies."""
    return translated(_TEXTS)
