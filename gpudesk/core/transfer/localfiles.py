"""Small helpers about files: part-file names and SHA-256 of a local file (or its prefix)."""

from __future__ import annotations

import hashlib
import posixpath

from gpudesk.core.transfer.model import PART_SUFFIX

_READ = 1024 * 1024


def part_name(path: str) -> str:
    """The part file of relative ``path``: ``a/b.bin`` → ``a/.b.bin.gpudesk-part``."""
    folder, name = posixpath.split(path)
    return posixpath.join(folder, f".{name}{PART_SUFFIX}")


def sha256_file(path: str, length: int | None = None) -> str:
    """The SHA-256 (hex) of a local file, or of its first ``length`` bytes."""
    digest = hashlib.sha256()
    left = length
    with open(path, "rb") as handle:
        while left is None or left > 0:
            block = handle.read(_READ if left is None else min(_READ, left))
            if not block:
                break
            digest.update(block)
            if left is not None:
                left -= len(block)
    return digest.hexdigest()
