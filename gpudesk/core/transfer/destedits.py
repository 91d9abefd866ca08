"""Changes to the destination tree besides files: new folders, and ``--delete``'s removals.

On the instance, each level of folders is one round trip (all its MKDIRs in flight at once);
removals are sent together too. Locally these are plain ``os`` calls.
"""

from __future__ import annotations

import contextlib
import os

import paramiko
from paramiko.sftp import CMD_MKDIR, CMD_REMOVE, CMD_RMDIR, SFTP_NO_SUCH_FILE, SFTP_OK

from gpudesk.core.transfer.pipeline import send_all, sftp_attrs
from gpudesk.core.transfer.plan import TransferPlan
from gpudesk.core.transfer.roots import Roots
from gpudesk.core.transfer.sftperrors import status_error


def make_dirs(sftp: paramiko.SFTPClient, roots: Roots, folders: list[str], *, push: bool) -> None:
    """Create folders (relative) on the destination side, parents first.

    Raises:
        TransferError: The instance refused a folder.
    """
    if not push:
        for folder in folders:
            os.makedirs(roots.local_path(folder), exist_ok=True)
        return
    for level in by_depth(folders):
        requests = [(CMD_MKDIR, (roots.remote_path(f), sftp_attrs())) for f in level]
        for folder, (code, text) in zip(level, send_all(sftp, requests), strict=True):
            if code != SFTP_OK:
                raise status_error(folder, "create", code, text)


def delete_planned(
    sftp: paramiko.SFTPClient, roots: Roots, plan: TransferPlan, *, push: bool
) -> None:
    """Remove the plan's files, then the folders that became empty (deepest first).

    Raises:
        TransferError: The instance refused to remove a file.
    """
    if push:
        requests = [(CMD_REMOVE, (roots.remote_path(p),)) for p in plan.delete]
        for path, (code, text) in zip(plan.delete, send_all(sftp, requests), strict=True):
            if code not in (SFTP_OK, SFTP_NO_SUCH_FILE):
                raise status_error(path, "delete", code, text)
        for level in reversed(by_depth(plan.delete_dirs)):
            # A folder that still holds files stays (the reply is an error; fine).
            send_all(sftp, [(CMD_RMDIR, (roots.remote_path(d),)) for d in level])
        return
    for path in plan.delete:
        with contextlib.suppress(FileNotFoundError):
            os.remove(roots.local_path(path))
    for folder in plan.delete_dirs:
        with contextlib.suppress(OSError):
            os.rmdir(roots.local_path(folder))


def by_depth(folders: list[str]) -> list[list[str]]:
    """Folders grouped by depth, shallowest first."""
    levels: dict[int, list[str]] = {}
    for folder in folders:
        levels.setdefault(folder.count("/"), []).append(folder)
    return [levels[depth] for depth in sorted(levels)]
