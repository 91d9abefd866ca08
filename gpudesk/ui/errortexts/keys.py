"""Translated texts of errors about SSH keys, their permissions, installing them, host-key pins.

``texts()`` maps an error code to ``(message, hint)``, translated at call time so the UI
language applies; the English sources are marked for lupdate with ``QT_TRANSLATE_NOOP``.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from gpudesk.ui.errortexts.table import Row, translated

_TEXTS: tuple[Row, ...] = (
    (
        "hostkeys.bad_name",
        QT_TRANSLATE_NOOP("ErrorText", "This name cannot be used for a host key."),
        QT_TRANSLATE_NOOP("ErrorText", "Use letters, digits, dots, dashes and colons only."),
    ),
    (
        "hostkeys.not_pinned",
        QT_TRANSLATE_NOOP("ErrorText", "No host key is saved under this name."),
        QT_TRANSLATE_NOOP("ErrorText", "List the saved host keys with: gpudesk host-keys"),
    ),
    (
        "key.invalid",
        QT_TRANSLATE_NOOP("ErrorText", "The file could not be read as a private key."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Choose an OpenSSH or PEM private key (ed25519, rsa or ecdsa)."
        ),
    ),
    (
        "key.not_private",
        QT_TRANSLATE_NOOP("ErrorText", "This file is not a private key."),
        QT_TRANSLATE_NOOP("ErrorText", "Choose the private key file, e.g. ~/.ssh/id_ed25519."),
    ),
    (
        "key.public_given",
        QT_TRANSLATE_NOOP("ErrorText", "This is a public key; logging in needs the private key."),
        QT_TRANSLATE_NOOP("ErrorText", "Choose the file without .pub next to it."),
    ),
    (
        "key.putty",
        QT_TRANSLATE_NOOP("ErrorText", "This is a PuTTY key (.ppk)."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Export it in PuTTYgen (Conversions > Export OpenSSH key) and choose that file.",
        ),
    ),
    (
        "key.wrong_passphrase",
        QT_TRANSLATE_NOOP("ErrorText", "Wrong passphrase for the key."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Type the passphrase again; it is the one chosen when the key was made."
        ),
    ),
    (
        "keyinstall.authorized_keys_read_only",
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "~/.ssh/authorized_keys on the instance cannot be changed. Nothing was changed.",
        ),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Some platforms manage this file: add the key in their console instead."
        ),
    ),
    (
        "keyinstall.bad_key",
        QT_TRANSLATE_NOOP("ErrorText", "The key could not be passed to the instance."),
        QT_TRANSLATE_NOOP("ErrorText", "Choose the key again, or make a new one, and try again."),
    ),
    (
        "keyinstall.failed",
        QT_TRANSLATE_NOOP("ErrorText", "Adding the key on the instance failed."),
        QT_TRANSLATE_NOOP("ErrorText", "Check that /bin/sh works on the instance and try again."),
    ),
    (
        "keyinstall.home_read_only",
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "The home folder on the instance is read-only, so ~/.ssh cannot be created. "
            "Nothing was changed.",
        ),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Make it writable, or add the key in the platform's console if it has a place "
            "for SSH keys.",
        ),
    ),
    (
        "keyinstall.key_refused",
        QT_TRANSLATE_NOOP("ErrorText", "The key was added, but the instance still refuses it."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "On the instance run chmod go-w ~ ~/.ssh; the password still works."
        ),
    ),
    (
        "keyinstall.no_home",
        QT_TRANSLATE_NOOP("ErrorText", "The account on the instance has no usable home folder."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Ask the platform's support: ~/.ssh must live in the home folder."
        ),
    ),
    (
        "keyinstall.ssh_dir_read_only",
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "~/.ssh on the instance is not a folder gpudesk may write to. Nothing was changed.",
        ),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Check ~/.ssh on the instance: ls -ld ~/.ssh (it must be yours and writable).",
        ),
    ),
    (
        "keyinstall.verify_failed",
        QT_TRANSLATE_NOOP(
            "ErrorText", "Logging in with the key worked, but running a command did not."
        ),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Open a terminal on the instance and check that its shell works."
        ),
    ),
    (
        "keyinstall.write_failed",
        QT_TRANSLATE_NOOP("ErrorText", "Writing ~/.ssh/authorized_keys on the instance failed."),
        QT_TRANSLATE_NOOP("ErrorText", "The disk of the instance may be full (df -h ~)."),
    ),
    (
        "keyperms.bad_sid",
        QT_TRANSLATE_NOOP("ErrorText", "This is not a Windows account id (SID)."),
        QT_TRANSLATE_NOOP("ErrorText", "Run whoami /user to see your SID."),
    ),
    (
        "keyperms.chmod_failed",
        QT_TRANSLATE_NOOP("ErrorText", "The permissions of the file could not be changed."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "The file may belong to another user: change its owner to yours."
        ),
    ),
    (
        "keyperms.icacls_failed",
        QT_TRANSLATE_NOOP("ErrorText", "Windows refused to restrict access to the key file."),
        QT_TRANSLATE_NOOP(
            "ErrorText", 'Run in a terminal: icacls KEY /inheritance:r /grant:r "%USERNAME%":(R)'
        ),
    ),
    (
        "keyperms.missing",
        QT_TRANSLATE_NOOP("ErrorText", "The file cannot be found."),
        QT_TRANSLATE_NOOP("ErrorText", "Check the path of the key or config file."),
    ),
    (
        "keyperms.no_sid",
        QT_TRANSLATE_NOOP("ErrorText", "Windows did not say which account is running gpudesk."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Run whoami /user in a terminal; if it fails, repair the file permissions by hand.",
        ),
    ),
    (
        "keyperms.not_file",
        QT_TRANSLATE_NOOP("ErrorText", "This is not a regular file."),
        QT_TRANSLATE_NOOP("ErrorText", "Choose the key file itself, not a folder or a link."),
    ),
    (
        "keyperms.whoami_failed",
        QT_TRANSLATE_NOOP("ErrorText", "whoami failed, so the key's permissions could not be set."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Repair the permissions by hand: icacls KEY /inheritance:r /grant:r USER:(R)",
        ),
    ),
    (
        "keys.bad_comment",
        QT_TRANSLATE_NOOP("ErrorText", "A key comment must fit on one line."),
        QT_TRANSLATE_NOOP("ErrorText", "Remove the line breaks from the comment."),
    ),
    (
        "keys.bad_name",
        QT_TRANSLATE_NOOP("ErrorText", "This name cannot be used as a key file name."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Use letters, digits, dots, dashes and underscores, e.g. gpudesk_autodl."
        ),
    ),
    (
        "keys.bad_public_key",
        QT_TRANSLATE_NOOP("ErrorText", "This is not an OpenSSH public key."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Choose the .pub file next to the private key, or make a new key."
        ),
    ),
    (
        "keys.bad_type",
        QT_TRANSLATE_NOOP("ErrorText", "Unknown key type."),
        QT_TRANSLATE_NOOP("ErrorText", "Choose ed25519 or rsa."),
    ),
    (
        "keys.empty_passphrase",
        QT_TRANSLATE_NOOP("ErrorText", "The passphrase is empty."),
        QT_TRANSLATE_NOOP("ErrorText", "Leave the passphrase out to make a key without one."),
    ),
    (
        "keys.exists",
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "A key file with this name already exists; gpudesk never overwrites a key file.",
        ),
        QT_TRANSLATE_NOOP("ErrorText", "Choose another name for the new key."),
    ),
    (
        "keys.no_free_name",
        QT_TRANSLATE_NOOP("ErrorText", "No free key file name was found."),
        QT_TRANSLATE_NOOP("ErrorText", "Give the key a name of your own."),
    ),
    (
        "keys.ssh_dir_failed",
        QT_TRANSLATE_NOOP("ErrorText", "The folder ~/.ssh could not be created."),
        QT_TRANSLATE_NOOP("ErrorText", "Check that your home folder is writable."),
    ),
    (
        "keys.ssh_dir_not_dir",
        QT_TRANSLATE_NOOP("ErrorText", "~/.ssh exists but is not a folder."),
        QT_TRANSLATE_NOOP("ErrorText", "Move that file aside; SSH keys live in the folder ~/.ssh."),
    ),
    (
        "keys.write_failed",
        QT_TRANSLATE_NOOP("ErrorText", "The key file could not be created."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Check that the folder exists and that you may write to it."
        ),
    ),
)


def texts() -> dict[str, tuple[str, str]]:
    """Translated (message, hint) by error code; built at call time so the language applies."""
    return translated(_TEXTS)
