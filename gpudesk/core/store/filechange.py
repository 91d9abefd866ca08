"""A planned change to one file: preview exactly what would be written, then write it.

The editor set-up (``~/.ssh/config``, gpudesk's host files, VS Code settings, ``sftp.json``)
first *plans* each change as a :class:`FileChange` holding the bytes on disk when planned
(``before``) and the bytes that would be written (``after``, or None to delete the file). The
GUI shows ``after`` to the user; :meth:`FileChange.apply` then writes exactly those bytes,
through :mod:`gpudesk.core.store.atomicfile` (lock, temp file, fsync, replace, backup), and refuses
when the file changed on disk since the preview, so what was shown is what gets written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gpudesk.core.errors import FileWriteError
from gpudesk.core.store.atomicfile import (
    BACKUP_SUFFIX,
    locked,
    read_bytes_or_none,
    write_file_atomically,
)


@dataclass(frozen=True)
class FileChange:
    """One file's planned new content.

    Attributes:
        path: The file.
        before: Its bytes when the change was planned (None: the file did not exist).
        after: The bytes to write (None: delete the file, keeping it as the backup).
        mode: Permission bits for the written file (None keeps the file's own, 0600 if new).
        dir_mode: Mode of the parent directory when it has to be created.
        description: One line saying what the change does (English; shown in reports).
    """

    path: Path
    before: bytes | None
    after: bytes | None
    mode: int | None = None
    dir_mode: int = 0o700
    description: str = ""

    @property
    def changes(self) -> bool:
        """True when applying this would change the file."""
        return self.before != self.after

    @property
    def after_text(self) -> str:
        """``after`` decoded for display (empty when the file is to be deleted)."""
        if self.after is None:
            return ""
        return self.after.decode("utf-8", errors="replace")

    def apply(self) -> bool:
        """Write ``after`` (or delete the file) if the file still holds ``before``.

        Returns:
            True when the file was changed; False when it already held ``after``.

        Raises:
            FileWriteError: ``file.changed_since_preview`` when someone else changed the file
                after the plan was made (plan again and show the new preview), or any error
                of :func:`~gpudesk.core.store.atomicfile.write_file_atomically`.
        """
        if not self.changes:
            return False
        if not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, mode=self.dir_mode)
        with locked(self.path):
            current = read_bytes_or_none(self.path)
            if current == self.after:
                return False
            if current != self.before:
                raise FileWriteError(
                    "file.changed_since_preview",
                    f"{self.path} changed on disk after gpudesk showed what it would write.",
                    "Look at the preview again, then retry.",
                )
            if self.after is None:
                _delete_keeping_backup(self.path)
                return True
            return write_file_atomically(self.path, self.after, mode=self.mode)


def apply_all(changes: Iterable[FileChange]) -> list[Path]:
    """Apply changes in order; return the paths that changed (stops at the first error)."""
    return [change.path for change in changes if change.apply()]


def _delete_keeping_backup(path: Path) -> None:
    """Move ``path`` to ``<path>.gpudesk-bak`` (an atomic rename: the backup is the file)."""
    if path.is_symlink():
        raise FileWriteError(
            "file.symlink",
            f"{path} is a symbolic link; gpudesk does not edit through links.",
            "Remove it by hand.",
        )
    try:
        os.replace(path, path.with_name(path.name + BACKUP_SUFFIX))
    except OSError as exc:
        raise FileWriteError(
            "file.write_failed",
            f"{path} could not be removed: {exc.strerror or exc}.",
            "Check the folder's permissions, or remove the file by hand.",
        ) from exc
