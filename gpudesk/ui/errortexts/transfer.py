"""Translated texts of errors met while pushing or pulling files (``transfer.*`` codes).

``texts()`` maps an error code to ``(message, hint)``, built at call time so the UI language
applies. The English originals (with the file's path) stay available as the details.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def texts() -> dict[str, tuple[str, str]]:
    """Translated (message, hint) by error code."""
    again = QCoreApplication.translate(
        "ErrorText",
        "Run the transfer again: finished files are kept and a big file resumes where it stopped.",
    )
    return {
        "transfer.local_missing": (
            QCoreApplication.translate("ErrorText", "The local file or folder does not exist."),
            QCoreApplication.translate("ErrorText", "Check the path you want to send."),
        ),
        "transfer.remote_missing": (
            QCoreApplication.translate(
                "ErrorText", "The file or folder does not exist on the instance."
            ),
            QCoreApplication.translate(
                "ErrorText",
                "Check the remote path; relative paths start in the instance's work folder.",
            ),
        ),
        "transfer.bad_remote_path": (
            QCoreApplication.translate("ErrorText", "The remote path cannot be used."),
            QCoreApplication.translate(
                "ErrorText",
                "Name the file or folder on the instance without control characters, "
                "e.g. checkpoints.",
            ),
        ),
        "transfer.not_a_folder": (
            QCoreApplication.translate("ErrorText", "The destination exists and is not a folder."),
            QCoreApplication.translate("ErrorText", "Choose a folder to copy into."),
        ),
        "transfer.permission_denied": (
            QCoreApplication.translate(
                "ErrorText", "The instance refused to write there: permission denied."
            ),
            QCoreApplication.translate(
                "ErrorText", "Choose a folder the login user may write to, or fix its permissions."
            ),
        ),
        "transfer.disk_full": (
            QCoreApplication.translate("ErrorText", "The disk on the instance is full."),
            QCoreApplication.translate(
                "ErrorText",
                "Free some space on the instance, then run the transfer again: it resumes.",
            ),
        ),
        "transfer.write_failed": (
            QCoreApplication.translate("ErrorText", "The instance could not write a file."),
            QCoreApplication.translate(
                "ErrorText",
                "The disk on the instance may be full: check with df -h and free some space.",
            ),
        ),
        "transfer.request_failed": (
            QCoreApplication.translate(
                "ErrorText", "The instance could not complete a file operation."
            ),
            QCoreApplication.translate(
                "ErrorText",
                "Try again; if it keeps failing, check the path and the disk on the instance.",
            ),
        ),
        "transfer.missing_on_instance": (
            QCoreApplication.translate(
                "ErrorText", "A file disappeared from the instance during the transfer."
            ),
            QCoreApplication.translate(
                "ErrorText", "Another program may have moved or removed it; check the path."
            ),
        ),
        "transfer.connection_lost": (
            QCoreApplication.translate(
                "ErrorText", "The connection to the instance was lost during the transfer."
            ),
            again,
        ),
        "transfer.source_changed": (
            QCoreApplication.translate("ErrorText", "A file changed while it was being copied."),
            QCoreApplication.translate(
                "ErrorText", "Run the transfer again when the file is no longer being written."
            ),
        ),
        "transfer.verify_failed": (
            QCoreApplication.translate(
                "ErrorText", "A copied file did not have the expected size."
            ),
            QCoreApplication.translate(
                "ErrorText", "Run the transfer again; it copies that file afresh."
            ),
        ),
        "transfer.local_io_failed": (
            QCoreApplication.translate("ErrorText", "A local file could not be read or written."),
            QCoreApplication.translate(
                "ErrorText", "Check the local folder's permissions and free space."
            ),
        ),
        "transfer.hash_failed": (
            QCoreApplication.translate(
                "ErrorText", "The instance could not compute file checksums."
            ),
            QCoreApplication.translate(
                "ErrorText",
                "Check that sha256sum works on the instance, or transfer without checksums.",
            ),
        ),
        "transfer.tree_too_big": (
            QCoreApplication.translate(
                "ErrorText", "The folder holds too many files or too deep a tree."
            ),
            QCoreApplication.translate(
                "ErrorText", "Transfer a smaller folder, or exclude the big parts."
            ),
        ),
        "transfer.bad_listing": (
            QCoreApplication.translate(
                "ErrorText", "The instance listed its files in a form gpudesk cannot trust."
            ),
            QCoreApplication.translate(
                "ErrorText",
                "Something on the instance answers in place of the find command; check it "
                "there. Nothing was changed.",
            ),
        ),
        "transfer.bad_stream": (
            QCoreApplication.translate(
                "ErrorText", "The instance sent files in a form gpudesk cannot trust."
            ),
            QCoreApplication.translate(
                "ErrorText",
                "Something on the instance answers in place of the tar command; check it "
                "there. Files already fetched are whole; the others were not written.",
            ),
        ),
    }
