"""Transfer failures as gpudesk errors: a status code from the instance, a lost connection,
a full disk, or a local file that could not be read or written."""

from __future__ import annotations

from paramiko.sftp import SFTP_FAILURE, SFTP_NO_SUCH_FILE, SFTP_PERMISSION_DENIED

from gpudesk.core.transfer.model import ConnectionLostError, TransferError

#: At most this many characters of the instance's own error text are shown.
MAX_SERVER_TEXT = 200


def status_error(path: str, what: str, code: int | None, text: str) -> TransferError:
    """The error for a failed request (``what``: "write", "rename", ...) on ``path``."""
    said = "".join(ch for ch in str(text)[:MAX_SERVER_TEXT] if ch.isprintable())
    if code == SFTP_PERMISSION_DENIED:
        return TransferError(
            "transfer.permission_denied",
            f"The instance refused to {what} {path}: permission denied.",
            "Pick a folder the login user may write to, or fix its permissions on the instance.",
        )
    if code == SFTP_NO_SUCH_FILE:
        return TransferError(
            "transfer.missing_on_instance",
            f"Could not {what} {path}: it does not exist on the instance (any more).",
            "Check the path; another program may have moved or removed it.",
        )
    if code == SFTP_FAILURE and what == "write":
        return TransferError(
            "transfer.write_failed",
            f"The instance could not write {path} ({said or 'failure'}).",
            "The disk on the instance may be full: check with `df -h` and free some space.",
        )
    return TransferError(
        "transfer.request_failed",
        f"The instance could not {what} {path} ({said or f'status {code}'}).",
        "Try again; if it keeps failing, check the path and the disk on the instance.",
    )


def connection_lost(exc: BaseException) -> ConnectionLostError:
    """The error for a connection that dropped or stopped answering mid-transfer."""
    return ConnectionLostError(
        "transfer.connection_lost",
        "The connection to the instance was lost during a transfer "
        f"({str(exc) or type(exc).__name__}).",
        "Run the same command again: finished files are kept and a big file resumes "
        "where it stopped.",
    )


def disk_full(root: str, free: int | None) -> TransferError:
    """The error for a full disk on the instance (``free`` bytes left, when known)."""
    left = f"{free // 1024} KiB free in " if free is not None else ""
    return TransferError(
        "transfer.disk_full",
        f"The disk on the instance is full ({left}{root}).",
        "Free some space on the instance (df -h shows where), then run the transfer "
        "again: it resumes.",
    )


def local_io_error(path: str, exc: OSError) -> TransferError:
    """The error for a local file (``path`` as the user named it) that failed to read or write."""
    return TransferError(
        "transfer.local_io_failed",
        f"Could not read or write the local file {path}: {exc.strerror or exc}.",
        "Check the local folder's permissions and free space.",
    )
