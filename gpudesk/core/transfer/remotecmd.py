"""Small, bounded helper commands on the instance: content hashes and free space.

SFTP (version 3, as OpenSSH serves it) has no way to hash a file on the server, so
``--checksum`` and the check of a part file before resuming run ``sha256sum`` (coreutils) on
the instance. What the instance prints is input: each line must hold a 64-digit hex hash, the
number of lines must match, anything else is an error. Paths are passed NUL-separated on
stdin or quoted with :func:`shlex.quote`, never interpolated raw.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Sequence

from gpudesk.core.errors import RemoteCommandError
from gpudesk.core.ssh.remote import CommandResult
from gpudesk.core.transfer.model import TransferError

#: ``Connection.run``: (command, stdin=..., timeout=...) -> CommandResult.
RunFn = Callable[..., CommandResult]

_HASH_LINE = re.compile(r"^\\?([0-9a-f]{64})\b")
#: Seconds per GiB hashed on the instance, on top of a fixed allowance.
_HASH_S_PER_GIB = 30.0


def _timeout(total_bytes: int) -> float:
    return 60.0 + _HASH_S_PER_GIB * total_bytes / (1 << 30)


def _hashes_from(output: str, count: int) -> list[str]:
    hashes = []
    for line in output.splitlines():
        match = _HASH_LINE.match(line)
        if match is None:
            raise TransferError(
                "transfer.hash_failed",
                "The instance printed something other than a SHA-256 hash.",
                "Check that sha256sum (coreutils) works on the instance.",
            )
        hashes.append(match.group(1))
    if len(hashes) != count:
        raise TransferError(
            "transfer.hash_failed",
            f"The instance hashed {len(hashes)} of {count} files.",
            "A file may be unreadable on the instance; check its permissions.",
        )
    return hashes


def remote_sha256(run: RunFn, paths: Sequence[str], total_bytes: int) -> list[str]:
    """SHA-256 of each absolute remote path, in order.

    Raises:
        TransferError: ``transfer.hash_failed`` when a file could not be hashed.
    """
    if not paths:
        return []
    stdin = b"".join(p.encode("utf-8", "surrogateescape") + b"\0" for p in paths)
    try:
        result = run("xargs -0 sha256sum --", stdin=stdin, timeout=_timeout(total_bytes))
    except RemoteCommandError as exc:
        raise TransferError(exc.code, exc.message, exc.hint) from exc
    return _hashes_from(result.stdout, len(paths))


def remote_prefix_sha256(run: RunFn, path: str, length: int) -> str | None:
    """SHA-256 of the first ``length`` bytes of a remote file; None when it cannot be had."""
    command = f"head -c {int(length)} -- {shlex.quote(path)} | sha256sum"
    try:
        result = run(command, timeout=_timeout(length))
        return _hashes_from(result.stdout, 1)[0]
    except (RemoteCommandError, TransferError):
        return None


def remote_free_bytes(run: RunFn, folder: str) -> int | None:
    """Free bytes in the file system holding ``folder`` (``df -Pk``); None when unknown."""
    try:
        result = run(f"df -Pk -- {shlex.quote(folder)}", timeout=30.0)
    except RemoteCommandError:
        return None
    lines = result.stdout.strip().splitlines()
    fields = lines[-1].split() if len(lines) >= 2 else []
    if len(fields) >= 4 and fields[3].isdigit():
        return int(fields[3]) * 1024
    return None
