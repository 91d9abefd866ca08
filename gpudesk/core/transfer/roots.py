"""Where a transfer starts and ends: the local and remote roots of the two trees.

``push LOCAL REMOTE`` copies LOCAL *into* the remote folder REMOTE, keeping its name (like
``scp -r``): a folder ``data`` lands in ``REMOTE/data``; a file in ``REMOTE/<file>``.
``pull REMOTE LOCAL`` does the same the other way. A file is a one-file tree whose root is its
folder (:attr:`Roots.single` names it). Missing destination folders are created (not on a
dry run).
"""

from __future__ import annotations

import os
import posixpath
import stat
from dataclasses import dataclass
from pathlib import Path

import paramiko

from gpudesk.core.errors import InputError
from gpudesk.core.transfer.model import Direction, TransferRequest
from gpudesk.core.transfer.sftperrors import status_error


@dataclass(frozen=True)
class Roots:
    """The two tree roots (absolute) and, for a single file, its name."""

    local: str
    remote: str
    single: str | None = None

    def local_path(self, path: str) -> str:
        """The local absolute path of relative POSIX ``path``."""
        return os.path.join(self.local, *path.split("/"))

    def remote_path(self, path: str) -> str:
        """The remote absolute path of relative POSIX ``path``."""
        return posixpath.join(self.remote, path)


def remote_kind(sftp: paramiko.SFTPClient, path: str) -> int | None:
    """The ``st_mode`` of a remote path (links followed), or None when it does not exist."""
    try:
        return int(sftp.stat(path).st_mode or 0)
    except FileNotFoundError:
        return None


def make_remote_dirs(sftp: paramiko.SFTPClient, path: str) -> None:
    """``mkdir -p`` on the instance: one round trip when the folder exists, and only the
    missing tail of the path is walked."""
    mode = remote_kind(sftp, path)
    if mode is not None:
        if not stat.S_ISDIR(mode):
            raise _not_a_folder(path)
        return
    parent = posixpath.dirname(path)
    if parent != path:
        make_remote_dirs(sftp, parent)
    try:
        sftp.mkdir(path)
    except PermissionError as exc:
        raise status_error(path, "create", 3, str(exc)) from exc


def _not_a_folder(path: str) -> InputError:
    return InputError(
        "transfer.not_a_folder",
        f"{path} exists and is not a folder.",
        "Give a folder to copy into.",
    )


def absolute_remote(sftp: paramiko.SFTPClient, remote: str, workdir: str | None) -> str:
    """``remote`` made absolute: relative to ``workdir`` (absolute), else to the login home.

    ``""`` is the work folder itself; ``~`` and ``~/x`` are the home.
    """
    if remote.startswith("/"):
        return posixpath.normpath(remote)
    home = str(sftp.normalize("."))
    if remote == "~" or remote.startswith("~/"):
        return posixpath.normpath(posixpath.join(home, remote[2:]))
    base = workdir if workdir and workdir.startswith("/") else home
    return posixpath.normpath(posixpath.join(base, remote))


def check_request(request: TransferRequest) -> None:
    """What can be checked before logging in: the local side and the form of REMOTE.

    Raises:
        InputError: A push source that does not exist, a pull destination that is a file,
            a remote path with control characters, or no remote path to pull.
    """
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in request.remote):
        raise InputError(
            "transfer.bad_remote_path",
            f"The remote path {request.remote!r} contains a control character.",
            "Type the remote path again: letters, digits, spaces and / are fine.",
        )
    local = Path(os.path.abspath(os.path.expanduser(request.local)))
    if request.direction is Direction.PUSH:
        if not local.exists():
            raise _local_missing(local)
        return
    if not request.remote.strip():
        raise InputError(
            "transfer.bad_remote_path",
            "No remote path to pull was given.",
            "Name the file or folder on the instance, e.g. gpudesk pull ALIAS checkpoints.",
        )
    if local.exists() and not local.is_dir():
        raise _not_a_folder(str(local))


def _local_missing(local: Path) -> InputError:
    return InputError(
        "transfer.local_missing",
        f"{local} does not exist.",
        "Check the local path you want to push.",
    )


def resolve_roots(
    sftp: paramiko.SFTPClient, request: TransferRequest, workdir: str | None = None
) -> Roots:
    """The roots of ``request``; destination folders are created unless it is a dry run.

    A relative remote path is relative to ``workdir`` (see :func:`absolute_remote`).

    Raises:
        InputError: The source does not exist, or the destination is not a folder.
    """
    create = not request.dry_run
    local = Path(os.path.abspath(os.path.expanduser(request.local)))
    remote = absolute_remote(sftp, request.remote, workdir)
    if request.direction is Direction.PUSH:
        if not local.exists():
            raise _local_missing(local)
        if create:
            make_remote_dirs(sftp, remote)
        elif (mode := remote_kind(sftp, remote)) is not None and not stat.S_ISDIR(mode):
            raise _not_a_folder(remote)
        if local.is_dir():
            root = posixpath.join(remote, local.name)
            if create:
                make_remote_dirs(sftp, root)
            return Roots(str(local), root)
        return Roots(str(local.parent), remote, local.name)
    mode = remote_kind(sftp, remote)
    if mode is None:
        raise InputError(
            "transfer.remote_missing",
            f"{remote} does not exist on the instance.",
            "Check the remote path; relative paths start in the instance's work folder.",
        )
    if local.exists() and not local.is_dir():
        raise _not_a_folder(str(local))
    if stat.S_ISDIR(mode):
        folder = local / posixpath.basename(remote.rstrip("/"))
        if create:
            folder.mkdir(parents=True, exist_ok=True)
        return Roots(str(folder), remote)
    if create:
        local.mkdir(parents=True, exist_ok=True)
    return Roots(str(local), posixpath.dirname(remote), posixpath.basename(remote))
