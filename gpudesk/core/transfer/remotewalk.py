"""List a remote tree with every folder's requests in flight at once.

``SFTPClient.listdir_attr`` waits for each OPENDIR, READDIR and CLOSE in turn: on a 40 ms link
a tree of 100 folders costs seconds. Here each folder is a :class:`FolderListing` job on a
:class:`~gpudesk.core.transfer.pipeline.Pipeline`, and a folder's subfolders become new jobs
as soon as its names arrive, so a tree costs a few round trips per level.
"""

from __future__ import annotations

import collections
import stat
import threading
from typing import Any

import paramiko
from paramiko.sftp import CMD_HANDLE, CMD_NAME, CMD_OPENDIR, CMD_READDIR, CMD_STATUS, SFTP_EOF
from paramiko.sftp_attr import SFTPAttributes

from gpudesk.core.transfer.ignore import IgnoreRules
from gpudesk.core.transfer.model import PART_SUFFIX, Tree
from gpudesk.core.transfer.pipeline import Job, Pipeline, PipelineEvents
from gpudesk.core.transfer.sftperrors import status_error
from gpudesk.core.transfer.treelimits import (
    MAX_DEPTH,
    MAX_ENTRIES,
    remote_entry,
    too_big,
    valid_name,
)

#: Folders listed at once.
FOLDERS_IN_FLIGHT = 64


class _Walk:
    """The shared state of one walk: the tree found and the folders still to list."""

    def __init__(self, root: str, rules: IgnoreRules) -> None:
        self.root = root
        self.rules = rules
        self.tree = Tree()
        self.todo: collections.deque[tuple[str, str, int]] = collections.deque([(root, "", 0)])
        self.count = 0


class FolderListing(Job):
    """OPENDIR → READDIR until EOF → CLOSE for one folder; subfolders queued as they appear."""

    def __init__(self, pipeline: Pipeline, walk: _Walk, folder: str, rel: str, depth: int) -> None:
        super().__init__(pipeline, rel or ".", 0, 0, None)
        self.walk, self.folder, self.rel, self.depth = walk, folder, rel, depth

    def start(self) -> None:
        """Open the folder."""
        self.request(self._opened, CMD_OPENDIR, self.folder)

    def _opened(self, kind: int, msg: Any) -> None:
        if kind != CMD_HANDLE:
            self.check_status(kind, msg, "list")
        self.handle = msg.get_binary()
        self.request(self._names, CMD_READDIR, self.handle)

    def _names(self, kind: int, msg: Any) -> None:
        if kind == CMD_STATUS:
            code = msg.get_int()
            if code != SFTP_EOF:
                raise status_error(self.folder, "list", code, msg.get_text())
            self.close_handle()
            return
        if kind != CMD_NAME:
            raise status_error(self.folder, "list", None, "unexpected reply")
        for _ in range(msg.get_int()):
            raw = msg.get_string()
            msg.get_string()  # the ls -l line
            attrs = SFTPAttributes._from_msg(msg)
            self._add(raw, attrs)
        self.request(self._names, CMD_READDIR, self.handle)

    def _add(self, raw: bytes, attrs: Any) -> None:
        walk = self.walk
        walk.count += 1
        if walk.count > MAX_ENTRIES:
            raise too_big(walk.root)
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            return  # a name that cannot be written on every system: left out
        if not valid_name(name):
            return
        path = f"{self.rel}/{name}" if self.rel else name
        mode = attrs.st_mode or 0
        tree, rules = walk.tree, walk.rules
        if name.endswith(PART_SUFFIX):
            tree.parts.add(path)
        elif stat.S_ISLNK(mode):
            if not rules.excludes_file(path):
                tree.skipped_links.append(path)
        elif stat.S_ISDIR(mode):
            if not rules.excludes_dir(path):
                if self.depth + 1 > MAX_DEPTH:
                    raise too_big(walk.root)
                tree.dirs.add(path)
                walk.todo.append((f"{self.folder}/{name}", path, self.depth + 1))
        elif stat.S_ISREG(mode) and not rules.excludes_file(path):
            tree.files[path] = remote_entry(path, attrs)

    def closed(self) -> None:
        """Listed and closed."""
        self.finished = True


def list_remote_tree(sftp: paramiko.SFTPClient, root: str, rules: IgnoreRules) -> Tree:
    """Every file and folder below the remote folder ``root`` (which must exist).

    Raises:
        TransferError: A folder could not be listed, or the tree is too big.
        ConnectionLostError: The connection dropped.
    """
    walk = _Walk(root, rules)
    events = PipelineEvents(lambda _count: None, lambda _done, _tag: None)
    pipeline = Pipeline(
        sftp, events, threading.Event(), threading.Event(), max_files=FOLDERS_IN_FLIGHT
    )

    def next_job() -> Job | None:
        if not walk.todo:
            return None
        folder, rel, depth = walk.todo.popleft()
        return FolderListing(pipeline, walk, folder, rel, depth)

    pipeline.run(next_job)
    for job in pipeline.failed:
        if job.error is not None:
            raise job.error
    return walk.tree
