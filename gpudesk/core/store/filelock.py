"""The write lock beside a file: ``<name>.lock``, never through a link, never left behind.

:func:`acquire_lock` opens the lock file with ``O_NOFOLLOW`` (a planted link is refused, so
the lock never creates or truncates a file elsewhere) and takes ``fcntl.flock`` /
``msvcrt.locking`` on it; :func:`release_lock` removes it while still holding it, so nothing
stays beside the user's ``~/.ssh/config``, VS Code's settings or a project's ``.vscode``.
A writer that opened the file just before it was removed notices that the path no longer
names what it locked, and locks again. :mod:`gpudesk.core.store.atomicfile` uses these.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
from pathlib import Path

from gpudesk.core.errors import FileWriteError

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

LOCK_SUFFIX = ".lock"
DEFAULT_LOCK_TIMEOUT_S = 10.0
_LOCK_POLL_S = 0.005


def acquire_lock(lock_path: Path, target: Path, timeout: float) -> int:
    """Lock ``lock_path`` (never through a link); the file is removed again on release.

    A lock file removed by the previous holder may still be open here: after locking, the
    path must still name the locked file, or the lock is taken again on the new one.
    """
    deadline = time.monotonic() + timeout
    while True:
        fd = _open_lock_file(lock_path, target)
        try:
            while True:
                try:
                    _try_lock(fd)
                    break
                except OSError:
                    if time.monotonic() >= deadline:
                        raise FileWriteError(
                            "file.locked",
                            f"Another program is still changing {display_path(target)}.",
                            "Wait a moment and try again; close other gpudesk windows if it "
                            "persists.",
                        ) from None
                    time.sleep(_LOCK_POLL_S)
            if _still_names(lock_path, fd):
                return fd
        except BaseException:
            os.close(fd)
            raise
        _unlock(fd)
        os.close(fd)


def _open_lock_file(lock_path: Path, target: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(lock_path, flags, 0o600)
    except OSError as exc:
        if os.path.islink(lock_path):
            raise FileWriteError(
                "file.lock_is_link",
                f"{display_path(lock_path)} is a link, so gpudesk does not lock "
                f"{display_path(target)} through it.",
                f"Remove {display_path(lock_path)} (gpudesk never makes it a link), then "
                "try again.",
            ) from exc
        raise FileWriteError(
            "file.write_failed",
            f"{display_path(target)} could not be locked for writing: {exc.strerror or exc}.",
            "Check that your user may write to that folder.",
        ) from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise FileWriteError(
            "file.not_regular",
            f"{display_path(lock_path)} is not a regular file.",
            "Move whatever is at that path aside, then try again.",
        )
    return fd


def _still_names(lock_path: Path, fd: int) -> bool:
    """True when ``lock_path`` is still the file open as ``fd`` (not removed or replaced)."""
    if sys.platform == "win32":
        return True  # an open file cannot be removed there
    try:
        on_disk = os.lstat(lock_path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)


def _try_lock(fd: int) -> None:
    if sys.platform == "win32":
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)


def release_lock(fd: int, lock_path: Path) -> None:
    """Remove the lock file (while still holding it, so no one locks a removed file), unlock."""
    try:
        if sys.platform != "win32" and _still_names(lock_path, fd):
            with contextlib.suppress(OSError):
                os.unlink(lock_path)
        _unlock(fd)
    finally:
        os.close(fd)
    if sys.platform == "win32":
        with contextlib.suppress(OSError):
            os.unlink(lock_path)  # best effort: another writer may hold it open by now


def display_path(path: Path) -> str:
    """The path as a user knows it: ``~/.ssh/config`` rather than ``/home/me/.ssh/config``."""
    home, text = os.path.expanduser("~"), str(path)
    inside = home not in ("", "~", os.sep) and text.startswith(home + os.sep)
    return "~" + text[len(home) :] if inside else text
