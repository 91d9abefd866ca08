"""Walk the local and the remote tree into a :class:`~gpudesk.core.transfer.model.Tree`.

Symbolic links are never followed out of the tree: a link to a regular file inside the tree is
sent as that file's content; any other link is listed in ``skipped_links``. Names from the
instance are input: a name with a slash, a NUL, ``.`` or ``..`` is refused, and a walk stops
at :data:`MAX_ENTRIES` entries or :data:`MAX_DEPTH` levels.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import paramiko

from gpudesk.core.transfer.findlisting import list_with_find
from gpudesk.core.transfer.ignore import IGNORE_FILE, IgnoreRules, decode_ignore_file
from gpudesk.core.transfer.model import PART_SUFFIX, FileEntry, Tree
from gpudesk.core.transfer.remotecmd import RunFn
from gpudesk.core.transfer.remotewalk import list_remote_tree
from gpudesk.core.transfer.roots import Roots
from gpudesk.core.transfer.treelimits import MAX_DEPTH, MAX_ENTRIES, remote_entry, too_big


def _single_file(
    only: str, lookup: Callable[[str], Any | None], entry: Callable[[str, Any], FileEntry]
) -> Tree:
    """The tree of one file ``only`` of a folder (and its part file), through ``lookup``."""
    tree = Tree()
    for name in (only, f".{only}{PART_SUFFIX}"):
        info = lookup(name)
        if info is None or not stat.S_ISREG(info.st_mode or 0):
            continue
        if name == only:
            tree.files[name] = entry(name, info)
        else:
            tree.parts.add(name)
    return tree


def _local_stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def join(parent: str, name: str) -> str:
    """Join relative POSIX paths (``""`` is the root)."""
    return f"{parent}/{name}" if parent else name


# --- local ------------------------------------------------------------------------------------


def local_ignore_text(root: Path) -> str:
    """The ``.gpudeskignore`` in a local source folder ("" when there is none)."""
    try:
        with (root / IGNORE_FILE).open("rb") as handle:
            return decode_ignore_file(handle.read(1 << 20))
    except OSError:
        return ""


def walk_local(root: Path, rules: IgnoreRules, *, only: str | None = None) -> Tree:
    """Walk the local folder ``root``; with ``only``, just that file of it (and its part)."""
    if only is not None:
        return _single_file(only, lambda name: _local_stat(root / name), _local_entry)
    tree = Tree()
    if not root.is_dir():
        return tree
    real_root = root.resolve()
    stack: list[tuple[Path, str, int]] = [(root, "", 0)]
    count = 0
    while stack:
        folder, rel, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise too_big(str(root))
        with os.scandir(folder) as entries:
            for entry in entries:
                count += 1
                if count > MAX_ENTRIES:
                    raise too_big(str(root))
                path = join(rel, entry.name)
                if entry.name.endswith(PART_SUFFIX):
                    tree.parts.add(path)
                    continue
                _add_local(tree, rules, entry, path, real_root, stack, depth)
    return tree


def _add_local(
    tree: Tree,
    rules: IgnoreRules,
    entry: os.DirEntry[str],
    path: str,
    real_root: Path,
    stack: list[tuple[Path, str, int]],
    depth: int,
) -> None:
    if entry.is_symlink():
        target = Path(entry.path).resolve()
        inside = target.is_relative_to(real_root)
        if inside and target.is_file() and not rules.excludes_file(path):
            tree.files[path] = _local_entry(path, target.stat())
        elif not rules.excludes_file(path):
            tree.skipped_links.append(path)
        return
    if entry.is_dir(follow_symlinks=False):
        if not rules.excludes_dir(path):
            tree.dirs.add(path)
            stack.append((Path(entry.path), path, depth + 1))
    elif entry.is_file(follow_symlinks=False) and not rules.excludes_file(path):
        tree.files[path] = _local_entry(path, entry.stat(follow_symlinks=False))


def _local_entry(path: str, info: os.stat_result) -> FileEntry:
    return FileEntry(path, info.st_size, int(info.st_mtime), stat.S_IMODE(info.st_mode))


# --- remote -----------------------------------------------------------------------------------


def remote_ignore_text(sftp: paramiko.SFTPClient, root: str) -> str:
    """The ``.gpudeskignore`` in a remote source folder ("" when there is none)."""
    try:
        with sftp.open(f"{root}/{IGNORE_FILE}", "rb") as handle:
            return decode_ignore_file(handle.read(1 << 20))
    except OSError:
        return ""


def remote_stat(sftp: paramiko.SFTPClient, path: str) -> Any | None:
    """``lstat`` of a remote path, or None when it does not exist."""
    try:
        return sftp.lstat(path)
    except FileNotFoundError:
        return None


def walk_remote(
    sftp: paramiko.SFTPClient,
    root: str,
    rules: IgnoreRules,
    *,
    only: str | None = None,
    run: RunFn | None = None,
) -> Tree:
    """Walk the remote folder ``root`` (missing: an empty tree); ``only``: see walk_local.

    With ``run`` (a connection's command runner) the tree is listed by one ``find`` on the
    instance (:mod:`.findlisting`); where that cannot be done, over SFTP.
    """
    if only is not None:
        return _single_file(only, lambda name: remote_stat(sftp, f"{root}/{name}"), remote_entry)
    if run is not None and (listed := list_with_find(run, root, rules)) is not None:
        return listed
    top = remote_stat(sftp, root)
    if top is None or not stat.S_ISDIR(top.st_mode or 0):
        return Tree()
    return list_remote_tree(sftp, root, rules)


def walk_both(
    sftp: paramiko.SFTPClient,
    roots: Roots,
    excludes: Sequence[str],
    *,
    push: bool,
    run: RunFn | None = None,
) -> tuple[Tree, Tree]:
    """``(source, destination)``: the instance's tree is listed while the local one is walked.

    The source side's ``.gpudeskignore`` applies to both.
    """
    local_root = Path(roots.local)
    text = local_ignore_text(local_root) if push else remote_ignore_text(sftp, roots.remote)
    rules = IgnoreRules(excludes, text)
    with ThreadPoolExecutor(1, thread_name_prefix="gpudesk-listing") as pool:
        listing = pool.submit(walk_remote, sftp, roots.remote, rules, only=roots.single, run=run)
        local = walk_local(local_root, rules, only=roots.single)
        remote = listing.result()
    return (local, remote) if push else (remote, local)
