"""Decide, file by file, what a transfer does: send, skip, delete, or leave as a conflict.

A destination file is a *conflict* when it differs from the source and changed after gpudesk
last synced it (or gpudesk never synced it): it is listed and left as it is. The source copy is
kept, or with :attr:`ConflictPolicy.SAVE_BESIDE` sent beside it under :func:`beside_name`.
A file is skipped when size and time match (``checksum``: when the content matches).
``delete`` removes destination files the source lacks, except ones changed since the last sync
(those are conflicts too).
"""

from __future__ import annotations

import posixpath
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from gpudesk.core.transfer.model import ConflictPolicy, Direction, FileEntry, Tree
from gpudesk.core.transfer.record import SyncedFile, SyncRecord


@dataclass(frozen=True)
class SendItem:
    """A file to move: the source entry and its relative path on the destination side."""

    source: FileEntry
    dest_path: str


@dataclass
class TransferPlan:
    """What a transfer will do; lists are sorted for stable output.

    Attributes:
        send: Files to move.
        equal: Files already equal on both sides, with their new record.
        conflicts: Destination files changed since gpudesk last synced them.
        delete: Destination files to remove (``--delete``).
        delete_dirs: Destination folders to remove when empty afterwards, deepest first.
        make_dirs: Destination folders to create, parents first.
    """

    send: list[SendItem] = field(default_factory=list)
    equal: dict[str, SyncedFile] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    delete: list[str] = field(default_factory=list)
    delete_dirs: list[str] = field(default_factory=list)
    make_dirs: list[str] = field(default_factory=list)

    @property
    def bytes_to_send(self) -> int:
        """The size of every file to move."""
        return sum(item.source.size for item in self.send)


def synced_pair(direction: Direction, source: FileEntry, dest: FileEntry) -> SyncedFile:
    """The record of ``source`` and ``dest`` (local and remote sides put in their places)."""
    local, remote = (source, dest) if direction is Direction.PUSH else (dest, source)
    return SyncedFile.of(local, remote)


def _dest_side(direction: Direction, synced: SyncedFile) -> tuple[int, int]:
    if direction is Direction.PUSH:
        return synced.remote_size, synced.remote_mtime
    return synced.local_size, synced.local_mtime


def _source_side(direction: Direction, synced: SyncedFile) -> tuple[int, int]:
    if direction is Direction.PUSH:
        return synced.local_size, synced.local_mtime
    return synced.remote_size, synced.remote_mtime


def beside_name(path: str, stamp: float | None = None) -> str:
    """Where a conflicting source copy goes: ``a/b.gpudesk-conflict-20260102-030405.txt``."""
    folder, name = posixpath.split(path)
    stem, dot, suffix = name.rpartition(".") if "." in name.lstrip(".") else (name, "", "")
    when = time.strftime("%Y%m%d-%H%M%S", time.localtime(stamp))
    new = f"{stem}.gpudesk-conflict-{when}{dot}{suffix}"
    return posixpath.join(folder, new) if folder else new


def make_plan(
    direction: Direction,
    source: Tree,
    dest: Tree,
    record: SyncRecord,
    *,
    delete: bool = False,
    hashes: tuple[Mapping[str, str], Mapping[str, str]] | None = None,
    conflict_policy: ConflictPolicy = ConflictPolicy.KEEP,
) -> TransferPlan:
    """Compare the trees with the record.

    Args:
        direction: Which side is the source.
        source: The source tree.
        dest: The destination tree.
        record: What gpudesk last synced for this pair.
        delete: Also plan to remove destination files the source lacks.
        hashes: ``(source hashes, destination hashes)`` by path for ``--checksum``, covering
            every file present on both sides.
        conflict_policy: What to do with conflicts.
    """
    plan = TransferPlan()
    for path in sorted(source.files):
        entry = source.files[path]
        there = dest.files.get(path)
        if there is None:
            if path in dest.dirs:
                plan.conflicts.append(path)
            else:
                plan.send.append(SendItem(entry, path))
            continue
        synced = record.get(path)
        if hashes is not None:
            same = hashes[0].get(path) is not None and hashes[0].get(path) == hashes[1].get(path)
        else:
            same = (there.size, there.mtime) == (entry.size, entry.mtime)
            if synced is not None and not same:
                # Both sides exactly as last synced (e.g. a time the far side could not keep).
                same = _source_side(direction, synced) == (entry.size, entry.mtime) and (
                    _dest_side(direction, synced) == (there.size, there.mtime)
                )
        if same:
            pair = synced_pair(direction, entry, there)
            plan.equal[path] = replace(pair, sha256=hashes[0][path]) if hashes else pair
        elif synced is None or _dest_side(direction, synced) != (there.size, there.mtime):
            plan.conflicts.append(path)
            if conflict_policy is ConflictPolicy.SAVE_BESIDE:
                plan.send.append(SendItem(entry, beside_name(path)))
        else:
            plan.send.append(SendItem(entry, path))
    plan.make_dirs = sorted(source.dirs - dest.dirs, key=lambda d: (d.count("/"), d))
    if delete:
        _plan_deletes(plan, direction, source, dest, record)
    return plan


def _plan_deletes(
    plan: TransferPlan, direction: Direction, source: Tree, dest: Tree, record: SyncRecord
) -> None:
    for path in sorted(set(dest.files) - set(source.files)):
        synced = record.get(path)
        there = dest.files[path]
        if synced is not None and _dest_side(direction, synced) != (there.size, there.mtime):
            plan.conflicts.append(path)
        else:
            plan.delete.append(path)
    kept = {path.rsplit("/", 1)[0] for path in plan.conflicts if "/" in path}
    gone = dest.dirs - source.dirs
    plan.delete_dirs = sorted(
        (d for d in gone if not any(k == d or k.startswith(d + "/") for k in kept)),
        key=lambda d: (-d.count("/"), d),
    )
    plan.conflicts.sort()
