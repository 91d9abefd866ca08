"""What a stream push sends and what the instance runs: batches, commands, move scripts.

Pure functions (no network) for :mod:`.streampush`. Every path that reaches a shell is
quoted with :func:`shlex.quote`; long lists are chunked so no command line grows past
what ``exec`` accepts. What the instance answers (``R``/``N`` lines, ``K <n>`` lines) is
parsed strictly and anything else is ignored.
"""

from __future__ import annotations

import posixpath
import shlex
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from gpudesk.core.transfer.localfiles import part_name
from gpudesk.core.transfer.model import STAGE_PREFIX
from gpudesk.core.transfer.plan import SendItem
from gpudesk.core.transfer.roots import Roots

_T = TypeVar("_T")

#: Files up to this size go in the stream; bigger ones keep SFTP (and its resume).
STREAM_MAX_FILE = 1024 * 1024
#: At most this much file data, and this many files, per batch (one command each): while a
#: batch streams, the instance moves the previous one into place, so the wait at the end is
#: one small batch's.
BATCH_BYTES = 8 * 1024 * 1024
BATCH_FILES = 2000
#: Names per ``mv`` or ``mkdir`` command, and bytes of quoted names per ``mv`` command.
MOVE_NAMES = 500
MOVE_BYTES = 64 * 1024
#: Folders are made by the first command only while their quoted names stay below this
#: (``exec`` takes one argument of at most 128 KiB); more go over SFTP first.
COMMAND_DIRS_BYTES = 64 * 1024
#: Exit status of a batch command when the instance has no GNU tar or bsdtar.
NO_TAR = 90
SCRIPT_NAME = "moves.sh"


@dataclass
class MoveGroup:
    """One ``mv`` of a batch's script: files into ``folder``, or (``whole`` set) new
    folders of ``folder`` moved into it whole, with every file in them (``items``)."""

    folder: str
    items: list[SendItem]
    whole: list[str] = field(default_factory=list)


def stream_candidates(items: Iterable[SendItem]) -> tuple[list[SendItem], list[SendItem]]:
    """``(small files for the stream, the rest)``."""
    small: list[SendItem] = []
    rest: list[SendItem] = []
    for item in items:
        (small if item.source.size <= STREAM_MAX_FILE else rest).append(item)
    return small, rest


def whole_folders(
    make_dirs: Sequence[str], small: Sequence[SendItem], rest: Sequence[SendItem]
) -> set[str]:
    """The new folders a stream can place whole: one rename each instead of one per file.

    A folder qualifies when it is to be made (``make_dirs``), has no new folder below it,
    holds at least one file and only files of the stream (``small``, none of ``rest``),
    and those fit in one batch. Its files are then unpacked in the staging folder and the
    folder is moved into place with all of them, complete, when its batch's stream was
    whole; the folder never exists half-filled at its final name.
    """
    new = {d for d in make_dirs if d}
    parents = {posixpath.dirname(d) for d in new}
    leaves = new - parents
    if not leaves:
        return set()
    files: dict[str, int] = {}
    size: dict[str, int] = {}
    for item in small:
        folder = posixpath.dirname(item.dest_path)
        if folder in leaves:
            files[folder] = files.get(folder, 0) + 1
            size[folder] = size.get(folder, 0) + item.source.size
    blocked = {posixpath.dirname(item.dest_path) for item in rest}
    return {
        folder
        for folder, count in files.items()
        if folder not in blocked and count <= BATCH_FILES and size[folder] <= BATCH_BYTES
    }


def stage_cleanup(root: str, stages: Iterable[str]) -> str:
    """Shell commands removing staging folders ``stages`` (names) of ``root``."""
    names = [n for n in sorted(stages) if n.startswith(STAGE_PREFIX) and "/" not in n]
    if not names:
        return ""
    return "rm -rf -- " + " ".join(shlex.quote(posixpath.join(root, n)) for n in names) + "\n"


def fits_in_command(roots: Roots, dirs: Sequence[str]) -> bool:
    """Whether making ``dirs`` can ride in the first batch's command line."""
    return sum(len(shlex.quote(roots.remote_path(d))) + 1 for d in dirs) < COMMAND_DIRS_BYTES


def batch_command(
    roots: Roots,
    stage: str,
    number: int,
    tar: str,
    *,
    stale: Iterable[str] = (),
    dirs: Sequence[str] = (),
    compress: bool = False,
) -> str:
    """The command of batch ``number``: stale stages removed, tar checked, folders made
    (parents first, like SFTP MKDIR: an existing name is an error), the batch's staging
    folder made, ``R`` printed, then ``tar -x`` and, only when it succeeded, the script."""
    folder = shlex.quote(posixpath.join(stage, f"b{number}"))
    tar = shlex.quote(tar)
    lines = [
        stage_cleanup(roots.remote, stale).rstrip("\n"),
        f"v=$({tar} --version 2>/dev/null | head -n 1)",
        f'case "$v" in *"GNU tar"*|*bsdtar*) ;; *) echo N; exit {NO_TAR} ;; esac',
    ]
    for start in range(0, len(dirs), MOVE_NAMES):
        chunk = " ".join(
            shlex.quote(roots.remote_path(d)) for d in dirs[start : start + MOVE_NAMES]
        )
        lines.append(f"mkdir -- {chunk} || exit 1")
    lines += [
        f"mkdir -p -- {folder} && cd -- {folder} || exit 1",
        "z=",
        f"if [ {int(compress)} = 1 ] && command -v gzip >/dev/null 2>&1; then z=-z; fi",
        'echo "R $z"',
        f"{tar} -x -p --no-same-owner $z -f - && exec sh ./{SCRIPT_NAME}",
    ]
    return "\n".join(line for line in lines if line) + "\n"


def _quoted_chunks(roots: Roots, paths: Sequence[str]) -> Iterator[str]:
    """The remote paths of relative ``paths``, quoted, :data:`MOVE_NAMES` per line."""
    for start in range(0, len(paths), MOVE_NAMES):
        chunk = paths[start : start + MOVE_NAMES]
        yield " ".join(shlex.quote(roots.remote_path(p)) for p in chunk)


def batches(
    items: Sequence[SendItem], max_bytes: int = 0, whole: Collection[str] = ()
) -> Iterator[list[SendItem]]:
    """``items`` cut into batches of at most ``max_bytes`` (0: :data:`BATCH_BYTES`) and
    :data:`BATCH_FILES` files; the files of a folder in ``whole`` stay together (in one
    batch, next to each other)."""
    limit = max_bytes or BATCH_BYTES
    batch: list[SendItem] = []
    size = 0
    for unit in _units(items, whole):
        unit_size = sum(item.source.size for item in unit)
        if (
            batch
            and len(unit) > 1
            and (size + unit_size > limit or len(batch) + len(unit) > BATCH_FILES)
        ):
            yield batch
            batch, size = [], 0
        batch += unit
        size += unit_size
        if size >= limit or len(batch) >= BATCH_FILES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _units(items: Sequence[SendItem], whole: Collection[str]) -> Iterator[list[SendItem]]:
    """Each file alone, in order, but the files of a ``whole`` folder as one unit (where
    its first file was)."""
    if not whole:
        yield from ([item] for item in items)
        return
    together: dict[str, list[SendItem]] = {}
    order: list[list[SendItem]] = []
    for item in items:
        folder = posixpath.dirname(item.dest_path)
        if folder not in whole:
            order.append([item])
        elif folder in together:
            together[folder].append(item)
        else:
            together[folder] = [item]
            order.append(together[folder])
    yield from order


def move_groups(batch: list[SendItem], whole: Collection[str] = ()) -> list[MoveGroup]:
    """The ``mv`` commands of a batch: its ``whole`` folders by parent folder, the other
    files by folder; chunked so no command line grows too long."""
    by_folder: dict[str, list[SendItem]] = {}
    wholes: dict[str, dict[str, list[SendItem]]] = {}
    for item in batch:
        folder = posixpath.dirname(item.dest_path)
        if folder in whole:
            in_parent = wholes.setdefault(posixpath.dirname(folder), {})
            in_parent.setdefault(folder, []).append(item)
        else:
            by_folder.setdefault(folder, []).append(item)
    groups: list[MoveGroup] = []
    for parent in sorted(wholes):
        names = sorted(wholes[parent])
        for chunk in _chunked(names, lambda name: name):
            items = [item for name in chunk for item in wholes[parent][name]]
            groups.append(MoveGroup(parent, items, chunk))
    for rel_dir in sorted(by_folder):
        for files in _chunked(by_folder[rel_dir], lambda item: item.dest_path):
            groups.append(MoveGroup(rel_dir, files))
    return groups


def _chunked(things: list[_T], path_of: Callable[[_T], str]) -> Iterator[list[_T]]:
    """``things`` in chunks of at most :data:`MOVE_NAMES` names and :data:`MOVE_BYTES`."""
    chunk: list[_T] = []
    length = 0
    for thing in things:
        length += len(path_of(thing).encode("utf-8", "surrogateescape")) + 3
        chunk.append(thing)
        if len(chunk) >= MOVE_NAMES or length >= MOVE_BYTES:
            yield chunk
            chunk, length = [], 0
    if chunk:
        yield chunk


def moves_script(
    roots: Roots, folder: str, groups: list[MoveGroup], parts: set[str], remove: str
) -> bytes:
    """The script sent as a batch's last member: one ``mv -f`` per group from ``folder``
    (``K <n>`` printed for each that succeeded), stale part files of the moved files
    removed, then ``remove`` (the batch's folder, or the whole stage) removed.

    A whole folder is moved by ``mv -f -- <staged folders> <parent>/``: each lands at
    ``<parent>/<its name>``, never inside a folder of that name; one that appeared there in
    the meantime with something in it makes ``mv`` fail (no ``K``), and is left as it is."""
    lines = ["set -u"]
    for index, group in enumerate(groups):
        target = shlex.quote(posixpath.join(roots.remote, group.folder) + "/")
        if group.whole:
            staged = " ".join(
                shlex.quote(posixpath.join(folder, "f", name)) for name in group.whole
            )
            lines.append(f"mv -f -- {staged} {target} && echo K {index}")
            continue
        source = shlex.quote(posixpath.join(folder, "f", group.folder))
        names = " ".join(shlex.quote(posixpath.basename(i.dest_path)) for i in group.items)
        lines.append(f"cd -- {source} && mv -f -- {names} {target} && echo K {index}")
    stale = [p for p in (part_name(i.dest_path) for g in groups for i in g.items) if p in parts]
    for start in range(0, len(stale), MOVE_NAMES):
        quoted = " ".join(
            shlex.quote(roots.remote_path(p)) for p in stale[start : start + MOVE_NAMES]
        )
        lines.append(f"rm -f -- {quoted}")
    lines.append(f"cd / && rm -rf -- {shlex.quote(remove)}")
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")


def placed_groups(stdout: str, count: int) -> set[int]:
    """The move commands the script reported done (``K <n>`` lines; anything else ignored)."""
    placed: set[int] = set()
    for line in stdout.splitlines():
        word, _, number = line.partition(" ")
        if word == "K" and number.isdigit() and len(number) < 10 and int(number) < count:
            placed.add(int(number))
    return placed


def ready_answer(seen: bytes) -> tuple[str | None, bytes]:
    """The ``R``, ``R -z`` or ``N`` line among complete lines of ``seen`` (if there is one)
    and the bytes after it."""
    at = 0
    while (end := seen.find(b"\n", at)) >= 0:
        if seen[at:end] in (b"R ", b"R -z", b"N"):
            return seen[at:end].decode("ascii"), seen[end + 1 :]
        at = end + 1
    return None, b""


def pull_command(roots: Roots, tar: str, *, compress: bool) -> str:
    """The command sending the files named on its stdin (NUL-separated) as one tar stream."""
    tar = shlex.quote(tar)
    return (
        f"cd -- {shlex.quote(roots.remote)} || exit 1\n"
        f"v=$({tar} --version 2>/dev/null | head -n 1)\n"
        f'case "$v" in *"GNU tar"*|*bsdtar*) ;; *) echo N; exit {NO_TAR} ;; esac\n'
        f"z=; if [ {int(compress)} = 1 ] && command -v gzip >/dev/null 2>&1; then z=-z; fi\n"
        'echo "R $z"\n'
        f"exec {tar} -c $z -f - --null --no-recursion -T -\n"
    )
