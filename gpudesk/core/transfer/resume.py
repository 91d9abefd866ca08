"""Whether a part file left by an interrupted run can be continued, and from where.

A part file is continued only when its bytes match the source's: SHA-256 of the prefix on
both sides (``head -c N | sha256sum`` on the instance). Small files start afresh.
"""

from __future__ import annotations

import logging
import os

import paramiko

from gpudesk.core.transfer import remotecmd
from gpudesk.core.transfer.localfiles import part_name, sha256_file
from gpudesk.core.transfer.model import Tree
from gpudesk.core.transfer.plan import SendItem
from gpudesk.core.transfer.roots import Roots

log = logging.getLogger(__name__)

#: Part files smaller than this are started afresh rather than checked.
RESUME_MIN_BYTES = 1024 * 1024


def resume_offset(
    item: SendItem,
    dest: Tree,
    roots: Roots,
    sftp: paramiko.SFTPClient,
    run: remotecmd.RunFn,
    *,
    push: bool,
) -> int:
    """Bytes of ``item`` already in its verified part file on the destination side (0: none)."""
    part = part_name(item.dest_path)
    if part not in dest.parts or item.source.size < RESUME_MIN_BYTES:
        return 0
    if push:
        have = sftp.stat(roots.remote_path(part)).st_size or 0
    else:
        have = os.path.getsize(roots.local_path(part))
    if not 0 < have <= item.source.size:
        return 0
    if push:
        ours = sha256_file(roots.local_path(item.source.path), have)
        theirs = remotecmd.remote_prefix_sha256(run, roots.remote_path(part), have)
    else:
        ours = sha256_file(roots.local_path(part), have)
        theirs = remotecmd.remote_prefix_sha256(run, roots.remote_path(item.source.path), have)
    if ours != theirs:
        log.info("part file of %s does not match its source; starting afresh", item.dest_path)
        return 0
    return have
