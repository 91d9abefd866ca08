"""The data of a transfer: requests, file entries, progress and the report.

Paths inside a tree are POSIX-style relative paths (``"data/train 1/x.bin"``) on both sides.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from gpudesk.core.errors import GpuDeskError, UnreachableError

#: Suffix of a file being written; it gets its final name only when complete and verified.
PART_SUFFIX = ".gpudesk-part"
#: Prefix of the folder (at a tree's root) where a stream of small files is unpacked before
#: its files are moved to their final names; one left by an interrupted run is removed.
STAGE_PREFIX = ".gpudesk-stage-"


class Direction(enum.Enum):
    """Which way the bytes go."""

    PUSH = "push"
    PULL = "pull"


class ConflictPolicy(enum.Enum):
    """What to do with the source copy of a file that changed on the destination side.

    ``KEEP`` leaves both alone (the source copy stays where it is). ``SAVE_BESIDE`` writes the
    source copy next to the changed file under a name that says so (see
    :func:`gpudesk.core.transfer.plan.beside_name`); the changed file is never touched.
    """

    KEEP = "keep"
    SAVE_BESIDE = "save-beside"


@dataclass(frozen=True)
class FileEntry:
    """One regular file of a tree as seen by a walk.

    Attributes:
        path: Relative POSIX path inside the tree.
        size: Bytes.
        mtime: Modification time in whole seconds (SFTP keeps whole seconds).
        mode: Permission bits (``0o644``).
    """

    path: str
    size: int
    mtime: int
    mode: int


@dataclass(frozen=True)
class Tree:
    """What a walk found: files, folders (relative paths) and what it left out.

    Attributes:
        files: Regular files by relative path.
        dirs: Every folder below the root (relative paths), empty ones included.
        skipped_links: Symbolic links not followed (out of the tree, or to folders).
        parts: Relative paths of unfinished ``*.gpudesk-part`` files found.
        stages: Names of staging folders (:data:`STAGE_PREFIX`) found at the root.
    """

    files: dict[str, FileEntry] = field(default_factory=dict)
    dirs: set[str] = field(default_factory=set)
    skipped_links: list[str] = field(default_factory=list)
    parts: set[str] = field(default_factory=set)
    stages: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class TransferRequest:
    """What the user asked for.

    Attributes:
        direction: Push (local → instance) or pull (instance → local).
        local: The local file or folder (push: the source; pull: the folder to copy into).
        remote: The absolute remote path (push: the folder to copy into; pull: the source).
        excludes: Extra ``.gitignore``-style patterns.
        checksum: Compare content (SHA-256) instead of size and time.
        delete: Remove destination files the source does not have (listed first).
        dry_run: Plan and report only; change nothing.
        conflict_policy: What to do with conflicts.
    """

    direction: Direction
    local: str
    remote: str
    excludes: tuple[str, ...] = ()
    checksum: bool = False
    delete: bool = False
    dry_run: bool = False
    conflict_policy: ConflictPolicy = ConflictPolicy.KEEP


@dataclass(frozen=True)
class Progress:
    """A snapshot while files move.

    Attributes:
        bytes_done: Bytes of this run that crossed the network so far (resumed parts excluded).
        bytes_total: Bytes this run has to move.
        files_done: Files finished.
        files_total: Files to move.
        rate_bps: Recent rate, bytes per second.
        eta_s: Seconds left at that rate (None while unknown).
        current: The file last worked on.
    """

    bytes_done: int
    bytes_total: int
    files_done: int
    files_total: int
    rate_bps: float
    eta_s: float | None
    current: str


@dataclass(frozen=True)
class FileDone:
    """One file finished: ``bytes_sent`` crossed the network (less than size when resumed)."""

    path: str
    size: int
    bytes_sent: int
    resumed_from: int


@dataclass(frozen=True)
class TransferReport:
    """How a transfer ended.

    Attributes:
        files_sent: Files moved in this run.
        bytes_sent: Bytes that crossed the network in this run.
        files_skipped: Files already the same on both sides.
        conflicts: Destination files changed since the last sync, left alone.
        deleted: Destination files removed (``--delete``), or to be removed on a dry run.
        planned: Files that would be sent (dry run) or were to be sent.
        skipped_links: Symbolic links that were not followed.
        saved_beside: Conflicting source copies written beside the changed file.
        cancelled: The run was cancelled; what was sent stays and resumes next time.
        dry_run: Nothing was changed.
    """

    files_sent: int = 0
    bytes_sent: int = 0
    files_skipped: int = 0
    conflicts: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    planned: tuple[str, ...] = ()
    skipped_links: tuple[str, ...] = ()
    saved_beside: tuple[str, ...] = ()
    cancelled: bool = False
    dry_run: bool = False


class TransferError(GpuDeskError):
    """A transfer could not be done (unwritable folder, full disk, changed file)."""


class ConnectionLostError(UnreachableError):
    """The connection dropped or stopped answering in the middle of a transfer."""
