"""The one way gpudesk writes a file: atomically, under a lock, with a backup.

Every file the app writes (its own JSON, the user's ``~/.ssh/config``, VS Code settings,
``sftp.json``) goes through :func:`write_file_atomically`: an exclusive lock on a sidecar
``<name>.lock`` (:mod:`gpudesk.core.store.filelock`: never through a link, removed on
release; hold it across a read-modify-write with :func:`locked`); a temp file beside the
target created with the final mode, so a private file is never briefly readable by others;
``fsync``, ``os.replace``, ``fsync`` of the directory; one rolling backup
``<name>.gpudesk-bak`` when the content changes; nothing at all when it does not (editing
twice equals editing once). Links and read-only files or folders are refused.

:func:`read_text_file` reports what a careful editor must preserve (BOM, line endings, final
newline). Bytes that are not UTF-8 survive a round trip through ``surrogateescape``.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gpudesk.core.errors import FileWriteError
from gpudesk.core.paths import ensure_private_dir
from gpudesk.core.store.filelock import (
    DEFAULT_LOCK_TIMEOUT_S,
    LOCK_SUFFIX,
    acquire_lock,
    release_lock,
)
from gpudesk.core.store.filelock import display_path as _display

BACKUP_SUFFIX = ".gpudesk-bak"
UTF8_BOM = b"\xef\xbb\xbf"
DEFAULT_NEW_FILE_MODE = 0o600

# Lock files held by the current thread (absolute paths): lets write_file_atomically run inside
# `locked()` without taking the same lock twice (flock would deadlock on a second descriptor).
_held = threading.local()


@dataclass(frozen=True)
class ManagedText:
    """A text file as read for editing, with what must be preserved when writing it back.

    Attributes:
        path: The file.
        exists: False when the file was missing (then ``text`` is empty).
        data: The raw bytes as read.
        text: The content without a BOM, line endings untouched. Bytes that are not UTF-8 are
            kept as lone surrogates (``surrogateescape``) so :meth:`encode` restores them.
        has_bom: The file starts with a UTF-8 byte order mark.
        newline: The dominant line ending, ``"\\n"`` or ``"\\r\\n"`` (``"\\n"`` when unknown).
        final_newline: The file ends with a line ending (True for an empty or missing file).
        is_utf8: Every byte decoded as UTF-8.
    """

    path: Path
    exists: bool
    data: bytes
    text: str
    has_bom: bool
    newline: str
    final_newline: bool
    is_utf8: bool

    def adapt_newlines(self, text: str) -> str:
        """Return ``text`` with every line ending converted to this file's style."""
        unified = text.replace("\r\n", "\n")
        return unified if self.newline == "\n" else unified.replace("\n", "\r\n")

    def encode(self, text: str, *, bom: bool | None = None) -> bytes:
        """Encode edited ``text`` (without a BOM) into the bytes to write back.

        ``bom`` defaults to what the file had; pass False where readers reject a BOM (OpenSSH
        rejects a whole config that starts with one).
        """
        keep_bom = self.has_bom if bom is None else bom
        body = text.encode("utf-8", errors="surrogateescape")
        return (UTF8_BOM if keep_bom else b"") + body


def read_bytes_or_none(path: Path) -> bytes | None:
    """The bytes of ``path``, or None when nothing is there.

    Raises:
        FileWriteError: ``file.unreadable`` when it exists but cannot be read.
    """
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _unreadable(path, exc) from exc


def read_text_file(path: Path | str) -> ManagedText:
    """Read a text file for editing, noting its BOM, line endings and final newline.

    A missing file gives an empty result with ``exists=False``.

    Raises:
        FileWriteError: The path is not a regular file or cannot be read.
    """
    target = Path(path)
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        return ManagedText(target, False, b"", "", False, "\n", True, True)
    except IsADirectoryError:
        raise _not_a_file(target) from None
    except OSError as exc:
        raise _unreadable(target, exc) from exc
    has_bom = data.startswith(UTF8_BOM)
    body = data[len(UTF8_BOM) :] if has_bom else data
    try:
        text, is_utf8 = body.decode("utf-8"), True
    except UnicodeDecodeError:
        text, is_utf8 = body.decode("utf-8", errors="surrogateescape"), False
    crlf = body.count(b"\r\n")
    lf_only = body.count(b"\n") - crlf
    newline = "\r\n" if crlf > lf_only else "\n"
    final_newline = not body or body.endswith(b"\n")
    return ManagedText(target, True, data, text, has_bom, newline, final_newline, is_utf8)


@contextlib.contextmanager
def locked(path: Path | str, *, timeout: float = DEFAULT_LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the exclusive write lock of ``path`` for a read-modify-write sequence.

    Other processes and threads that write ``path`` through this module wait meanwhile.
    :func:`write_file_atomically` called inside the block (same thread) reuses the lock.
    Nested ``locked`` on the same path in the same thread is a no-op. ``timeout`` is how many
    seconds to wait for another writer.

    Raises:
        FileWriteError: The directory is read-only or missing, or the lock stayed busy.
    """
    target = Path(os.path.abspath(path))
    lock_path = target.with_name(target.name + LOCK_SUFFIX)
    held: set[str] = _held.__dict__.setdefault("paths", set())
    key = str(lock_path)
    if key in held:
        yield
        return
    _check_directory(target)
    fd = acquire_lock(lock_path, target, timeout)
    held.add(key)
    try:
        yield
    finally:
        held.discard(key)
        release_lock(fd, lock_path)


def write_file_atomically(
    path: Path | str,
    data: bytes,
    *,
    mode: int | None = None,
    backup: bool = True,
    refuse_symlink: bool = True,
    timeout: float = DEFAULT_LOCK_TIMEOUT_S,
) -> bool:
    """Replace the content of ``path`` with ``data`` atomically, under the file's lock.

    Args:
        path: The file to write. Its directory must exist.
        data: The complete new content.
        mode: Permission bits of the result; None keeps the existing file's mode (0600 for a
            new file). A given mode is also applied when the content is unchanged.
        backup: Keep the previous content as ``<name>.gpudesk-bak`` (same mode) when it changes.
        refuse_symlink: Refuse a symbolic link instead of replacing it (gpudesk never edits
            through links).
        timeout: Seconds to wait for the lock (a lock this thread holds is reused).

    Returns:
        True when new bytes were written; False when the file already held exactly ``data``
        (nothing is touched then: no backup, no new mtime).

    Raises:
        FileWriteError: The target is a link, not a regular file, read-only, in a read-only or
            missing directory, locked by another writer for too long, or the write failed.
    """
    target = Path(os.path.abspath(path))
    if not refuse_symlink and target.is_symlink():
        target = Path(os.path.realpath(target))  # edit the file the link points to
    with locked(target, timeout=timeout):
        return _write_locked(target, data, mode=mode, backup=backup, refuse_symlink=refuse_symlink)


def write_json_atomically(path: Path | str, obj: Any, *, backup: bool = False) -> bool:
    """Write one of gpudesk's own JSON files (UTF-8, indent 2, trailing newline, mode 0600).

    The parent directory is created (mode 0700) when missing. Keys keep their order.

    Returns:
        True when the file changed (``backup`` keeps the previous one as ``.gpudesk-bak``).

    Raises:
        FileWriteError: See :func:`write_file_atomically`.
        TypeError: ``obj`` is not JSON-serialisable.
    """
    target = Path(path)
    text = json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    ensure_private_dir(target.parent)
    return write_file_atomically(target, text.encode("utf-8"), mode=0o600, backup=backup)


def _write_locked(
    target: Path, data: bytes, *, mode: int | None, backup: bool, refuse_symlink: bool
) -> bool:
    old_stat = _inspect_target(target, refuse_symlink=refuse_symlink)
    try:
        old_data = None if old_stat is None else target.read_bytes()
    except OSError as exc:
        raise _unreadable(target, exc) from exc
    old_mode = None if old_stat is None else stat.S_IMODE(old_stat.st_mode)
    final_mode = next(m for m in (mode, old_mode, DEFAULT_NEW_FILE_MODE) if m is not None)
    if old_data == data:
        if mode is not None and old_mode != mode and sys.platform != "win32":
            os.chmod(target, mode)
        return False
    if backup and old_data is not None:
        backup_path = target.with_name(target.name + BACKUP_SUFFIX)
        _replace_with(backup_path, old_data, old_mode or final_mode)
    _replace_with(target, data, final_mode)
    return True


def _replace_with(target: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to a new temp file beside ``target`` and move it into place."""
    directory = target.parent
    tmp = directory / f".{target.name}.{secrets.token_hex(6)}.tmp"
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        # Created with the final mode (narrowed further by the umask), so never wider than it.
        fd = os.open(tmp, flags, mode)
    except OSError as exc:
        raise _write_failed(target, exc) from exc
    try:
        try:
            if sys.platform != "win32":
                os.fchmod(fd, mode)  # undo the umask: the result has exactly `mode`
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        _replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _write_failed(target, exc) from exc
        raise
    _fsync_directory(directory)


def _replace(source: Path, target: Path) -> None:
    # Windows refuses to replace a file another program holds open for a moment (an editor,
    # a virus scanner); a few short retries ride that out.
    for _ in range(9 if sys.platform == "win32" else 0):
        try:
            return os.replace(source, target)
        except PermissionError:
            time.sleep(0.05)
    os.replace(source, target)


def _fsync_directory(directory: Path) -> None:
    if sys.platform == "win32":
        return
    # Some file systems cannot fsync a directory; the replace itself is done by then.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _inspect_target(target: Path, *, refuse_symlink: bool) -> os.stat_result | None:
    """Stat ``target`` and refuse what must not be written; None when it does not exist."""
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _write_failed(target, exc) from exc
    if stat.S_ISLNK(st.st_mode) and refuse_symlink:
        raise FileWriteError(
            "file.symlink",
            f"{_display(target)} is a symbolic link to {os.readlink(target)}; "
            "gpudesk does not edit through links.",
            "Edit it by hand or replace the link with a file.",
        )
    if not stat.S_ISREG(st.st_mode):
        raise _not_a_file(target)
    if not st.st_mode & stat.S_IWUSR:
        raise FileWriteError(
            "file.read_only",
            f"{_display(target)} is read-only; gpudesk leaves read-only files alone.",
            f"Make it writable (chmod u+w {_display(target)}) or make the change by hand.",
        )
    return st


def _check_directory(target: Path) -> None:
    directory = target.parent
    try:
        st = os.stat(directory)
    except FileNotFoundError:
        raise FileWriteError(
            "file.dir_missing",
            f"The folder {_display(directory)} does not exist.",
            "Create it first, or check the path.",
        ) from None
    # The owner-write bit is checked too: root may write anywhere, but a folder made read-only
    # on purpose is not ours to change. (Windows ignores a folder's read-only attribute.)
    no_write_bit = sys.platform != "win32" and not st.st_mode & stat.S_IWUSR
    if no_write_bit or not os.access(directory, os.W_OK):
        raise FileWriteError(
            "file.dir_read_only",
            f"The folder {_display(directory)} is read-only, so {target.name} cannot be "
            "replaced safely.",
            f"Make the folder writable (chmod u+w {_display(directory)}) or edit the file by hand.",
        )


def _not_a_file(target: Path) -> FileWriteError:
    return FileWriteError(
        "file.not_regular",
        f"{_display(target)} is not a regular file.",
        "Move whatever is at that path aside, then try again.",
    )


def _unreadable(target: Path, exc: OSError) -> FileWriteError:
    return FileWriteError(
        "file.unreadable",
        f"{_display(target)} could not be read: {exc.strerror or exc}.",
        "Check that the file exists and that your user may read it.",
    )


def _write_failed(target: Path, exc: OSError) -> FileWriteError:
    return FileWriteError(
        "file.write_failed",
        f"{_display(target)} could not be written: {exc.strerror or exc}.",
        "Check free disk space and that your user may write to that folder.",
    )
