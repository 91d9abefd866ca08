"""Translated texts of errors about gpudesk's own files, data, settings and the keyring.

``texts()`` maps an error code to ``(message, hint)``, translated at call time so the UI
language applies; the English sources are marked for lupdate with ``QT_TRANSLATE_NOOP``.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from gpudesk.ui.errortexts.table import Row, translated

_TEXTS: tuple[Row, ...] = (
    (
        "autostart.failed",
        QT_TRANSLATE_NOOP("ErrorText", "gpudesk could not change its start-at-login entry."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Check the permissions there, or turn the setting off and on again."
        ),
    ),
    (
        "catalog.duplicate_id",
        QT_TRANSLATE_NOOP("ErrorText", "Two platform entries have the same id."),
        QT_TRANSLATE_NOOP("ErrorText", "Give every platform file a unique id."),
    ),
    (
        "catalog.empty",
        QT_TRANSLATE_NOOP("ErrorText", "No platform files were found."),
        QT_TRANSLATE_NOOP("ErrorText", "Reinstall gpudesk."),
    ),
    (
        "catalog.unknown_platform",
        QT_TRANSLATE_NOOP("ErrorText", "This platform is not known to gpudesk."),
        QT_TRANSLATE_NOOP("ErrorText", "Choose one of the platforms in the list."),
    ),
    (
        "file.changed_since_preview",
        QT_TRANSLATE_NOOP(
            "ErrorText", "The file changed on disk after gpudesk showed what it would write."
        ),
        QT_TRANSLATE_NOOP("ErrorText", "Look at the preview again, then retry."),
    ),
    (
        "file.dir_missing",
        QT_TRANSLATE_NOOP("ErrorText", "The folder does not exist."),
        QT_TRANSLATE_NOOP("ErrorText", "Create it first, or check the path."),
    ),
    (
        "file.dir_read_only",
        QT_TRANSLATE_NOOP(
            "ErrorText", "The folder is read-only, so the file cannot be replaced safely."
        ),
        QT_TRANSLATE_NOOP("ErrorText", "Make the folder writable, or edit the file by hand."),
    ),
    (
        "file.locked",
        QT_TRANSLATE_NOOP("ErrorText", "Another program is still changing this file."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Wait a moment and try again; close other gpudesk windows if it persists."
        ),
    ),
    (
        "file.not_regular",
        QT_TRANSLATE_NOOP("ErrorText", "The path is not a regular file."),
        QT_TRANSLATE_NOOP("ErrorText", "Move whatever is at that path aside, then try again."),
    ),
    (
        "file.read_only",
        QT_TRANSLATE_NOOP(
            "ErrorText", "The file is read-only; gpudesk leaves read-only files alone."
        ),
        QT_TRANSLATE_NOOP("ErrorText", "Make it writable, or make the change by hand."),
    ),
    (
        "file.symlink",
        QT_TRANSLATE_NOOP(
            "ErrorText", "The file is a symbolic link; gpudesk does not edit through links."
        ),
        QT_TRANSLATE_NOOP("ErrorText", "Edit it by hand, or replace the link with a file."),
    ),
    (
        "file.unreadable",
        QT_TRANSLATE_NOOP("ErrorText", "The file could not be read."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Check that the file exists and that your user may read it."
        ),
    ),
    (
        "file.write_failed",
        QT_TRANSLATE_NOOP("ErrorText", "The file could not be written."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Check free disk space and that your user may write to that folder."
        ),
    ),
    (
        "gpus.bad_model_size",
        QT_TRANSLATE_NOOP("ErrorText", "The model size is not a positive number of billions."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Enter the parameter count in billions, e.g. 7 for a 7B model."
        ),
    ),
    (
        "instance.bad_host_key_alias",
        QT_TRANSLATE_NOOP("ErrorText", "The instance's host key name cannot be used."),
        QT_TRANSLATE_NOOP("ErrorText", "This is a bug in gpudesk: please report it."),
    ),
    (
        "instance.changed",
        QT_TRANSLATE_NOOP("ErrorText", "The instance changed since the list was shown."),
        QT_TRANSLATE_NOOP("ErrorText", "Open the list again and check what will be removed."),
    ),
    (
        "instance.duplicate_id",
        QT_TRANSLATE_NOOP("ErrorText", "Another instance already uses this host key name."),
        QT_TRANSLATE_NOOP("ErrorText", "This is a bug in gpudesk: please report it."),
    ),
    (
        "instance.not_found",
        QT_TRANSLATE_NOOP("ErrorText", "There is no instance with this name."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Check the name in gpudesk's window; save an instance there or with gpudesk setup.",
        ),
    ),
    (
        "instance.secret_field",
        QT_TRANSLATE_NOOP("ErrorText", "gpudesk refused to save a secret in the instance file."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Leave passwords and tokens out: gpudesk keeps them in the keyring."
        ),
    ),
    (
        "instances.newer_version",
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "The saved instances were written by a newer version of gpudesk; this version "
            "will not change them.",
        ),
        QT_TRANSLATE_NOOP("ErrorText", "Update gpudesk to change your saved instances."),
    ),
    (
        "resource.bad_field",
        QT_TRANSLATE_NOOP("ErrorText", "A data file of gpudesk has a wrong field."),
        QT_TRANSLATE_NOOP("ErrorText", "Reinstall gpudesk."),
    ),
    (
        "resource.invalid_json",
        QT_TRANSLATE_NOOP("ErrorText", "A data file of gpudesk is not valid JSON."),
        QT_TRANSLATE_NOOP("ErrorText", "Reinstall gpudesk."),
    ),
    (
        "resource.missing_field",
        QT_TRANSLATE_NOOP("ErrorText", "A data file of gpudesk lacks a required field."),
        QT_TRANSLATE_NOOP("ErrorText", "Reinstall gpudesk."),
    ),
    (
        "resource.unreadable",
        QT_TRANSLATE_NOOP("ErrorText", "A data file of gpudesk cannot be read."),
        QT_TRANSLATE_NOOP("ErrorText", "Reinstall gpudesk."),
    ),
    (
        "secrets.bad_name",
        QT_TRANSLATE_NOOP(
            "ErrorText", "A secret needs a name without spaces or control characters."
        ),
        QT_TRANSLATE_NOOP("ErrorText", "This is a bug in gpudesk: please report it."),
    ),
    (
        "secrets.bad_value",
        QT_TRANSLATE_NOOP("ErrorText", "A secret must be text."),
        QT_TRANSLATE_NOOP("ErrorText", "Type or paste it again as text."),
    ),
    (
        "secrets.too_long",
        QT_TRANSLATE_NOOP("ErrorText", "That secret is too long to keep in the keyring."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Use a shorter password or token (Windows Credential Manager cannot hold more).",
        ),
    ),
    (
        "settings.invalid",
        QT_TRANSLATE_NOOP("ErrorText", "Some settings are out of range."),
        QT_TRANSLATE_NOOP("ErrorText", "Correct the values and save again."),
    ),
    (
        "state.not_json",
        QT_TRANSLATE_NOOP("ErrorText", "The app state cannot be saved."),
        QT_TRANSLATE_NOOP("ErrorText", "This is a bug in gpudesk: please report it."),
    ),
)


def texts() -> dict[str, tuple[str, str]]:
    """Translated (message, hint) by error code; built at call time so the language applies."""
    return translated(_TEXTS)
