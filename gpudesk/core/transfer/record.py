"""What gpudesk last transferred between a local and a remote path, kept in the state dir.

One JSON file per instance (``<state dir>/transfer/<instance id>.json``), written atomically
through :mod:`gpudesk.core.store.atomicfile`. For each pair of roots it keeps, per relative
path, both sides' size and time right after the last transfer (and the SHA-256 when it was
computed). A destination file whose size or time differs from its record changed after gpudesk
last synced it: a conflict, never overwritten.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gpudesk.core.errors import FileWriteError
from gpudesk.core.paths import ensure_private_dir, state_dir
from gpudesk.core.store.atomicfile import locked, write_file_atomically
from gpudesk.core.transfer.model import FileEntry

log = logging.getLogger(__name__)

RECORD_VERSION = 1
_SAFE_ID = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class SyncedFile:
    """Both sides of one file right after it was last transferred (or found equal)."""

    local_size: int
    local_mtime: int
    remote_size: int
    remote_mtime: int
    sha256: str | None = None

    def to_json(self) -> list[Any]:
        """A compact list for the JSON file."""
        return [self.local_size, self.local_mtime, self.remote_size, self.remote_mtime, self.sha256]

    @classmethod
    def from_json(cls, item: Any) -> SyncedFile | None:
        """Parse :meth:`to_json`'s list; None when it is not one."""
        # Exact type checks (a bool is not a size), unrolled: a record holds every file of
        # the tree and is read at each run's start.
        if type(item) is not list or len(item) != 5:
            return None
        local_size, local_mtime, remote_size, remote_mtime, sha = item
        numbers = (local_size, local_mtime, remote_size, remote_mtime)
        if type(local_size) is type(local_mtime) is type(remote_size) is type(remote_mtime) is int:
            return cls(*numbers, sha if type(sha) is str else None)
        return None

    @classmethod
    def of(cls, local: FileEntry, remote: FileEntry, sha256: str | None = None) -> SyncedFile:
        """The record of a pair of equal files."""
        return cls(local.size, local.mtime, remote.size, remote.mtime, sha256)


def record_path(instance_id: str) -> Path:
    """The record file of an instance."""
    return state_dir() / "transfer" / f"{_SAFE_ID.sub('_', instance_id)}.json"


class SyncRecord:
    """The synced files of one (local root, remote root) pair; :meth:`save` writes them back.

    Args:
        instance_id: The instance's stable id (its host key alias).
        local_root: The absolute local path of the pair.
        remote_root: The absolute remote path of the pair.
    """

    def __init__(self, instance_id: str, local_root: str, remote_root: str) -> None:
        self.path = record_path(instance_id)
        self.key = f"{local_root}\n{remote_root}"
        self.files: dict[str, SyncedFile] = {}
        self.dirty = False
        self._load()

    def _read_pairs(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("transfer record %s unreadable (%s); starting afresh", self.path, exc)
            return {}
        if not isinstance(data, dict) or data.get("version") != RECORD_VERSION:
            return {}
        pairs = data.get("pairs")
        return pairs if isinstance(pairs, dict) else {}

    def _load(self) -> None:
        files = self._read_pairs().get(self.key)
        if isinstance(files, dict):
            for path, item in files.items():
                synced = SyncedFile.from_json(item)
                if isinstance(path, str) and synced is not None:
                    self.files[path] = synced

    def get(self, path: str) -> SyncedFile | None:
        """The record of ``path``, if gpudesk synced it before."""
        return self.files.get(path)

    def put(self, path: str, synced: SyncedFile) -> None:
        """Remember ``path`` as synced (in memory until :meth:`save`)."""
        if self.files.get(path) != synced:
            self.files[path] = synced
            self.dirty = True

    def forget(self, path: str) -> None:
        """Drop ``path`` (deleted on both sides)."""
        if self.files.pop(path, None) is not None:
            self.dirty = True

    def save(self) -> None:
        """Write the record atomically, with a backup; other pairs of the instance are kept.

        A record that cannot be written is logged, not raised: the files themselves moved,
        and the next run compares the two sides again. Nothing is written when nothing
        changed since the load or the last save.
        """
        if not self.dirty:
            return
        self.dirty = False
        ensure_private_dir(self.path.parent)
        try:
            with locked(self.path):
                pairs = self._read_pairs()
                pairs[self.key] = {path: f.to_json() for path, f in sorted(self.files.items())}
                data = {"version": RECORD_VERSION, "pairs": pairs}
                # Compact: a record of 10,000 files is written in a blink, not pretty-printed.
                text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
                write_file_atomically(self.path, text.encode("utf-8") + b"\n", mode=0o600)
        except FileWriteError as exc:
            log.warning("transfer record %s not saved: %s", self.path, exc)
