"""Bounds and checks shared by the tree walks: the instance's names are input."""

from __future__ import annotations

import stat
from typing import Any

from gpudesk.core.transfer.model import FileEntry, TransferError

MAX_ENTRIES = 2_000_000
MAX_DEPTH = 256


def too_big(where: str) -> TransferError:
    """The error for a tree past :data:`MAX_ENTRIES` or :data:`MAX_DEPTH`."""
    return TransferError(
        "transfer.tree_too_big",
        f"{where} holds more than {MAX_ENTRIES:,} entries or {MAX_DEPTH} levels of folders.",
        "Transfer a smaller folder, or exclude the big parts with --exclude.",
    )


def valid_name(name: str) -> bool:
    """A single path component: no slash, no NUL, not ``.`` or ``..``."""
    return bool(name) and name not in {".", ".."} and "/" not in name and "\0" not in name


def remote_entry(path: str, attrs: Any) -> FileEntry:
    """A :class:`FileEntry` from SFTP attributes."""
    return FileEntry(
        path, int(attrs.st_size or 0), int(attrs.st_mtime or 0), stat.S_IMODE(attrs.st_mode or 0)
    )
