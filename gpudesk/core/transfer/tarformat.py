"""The bytes of a tar stream of regular files: headers, padding, the end marker.

A header is written by hand in the POSIX ustar layout (names up to 100 bytes, which is
nearly every name): ``tarfile.TarInfo.tobuf`` costs several times more per file, and a push
of 10,000 small files makes 10,000 headers. Longer names and times ustar cannot hold go
through :mod:`tarfile` in the GNU format (GNU tar, which unpacks the stream, reads both).
Names are UTF-8 bytes; owner fields are zero (the instance unpacks with ``--no-same-owner``).
"""

from __future__ import annotations

import struct
import tarfile

BLOCK = 512
#: Two empty blocks end an archive.
END_OF_ARCHIVE = bytes(2 * BLOCK)
_USTAR = struct.Struct("100s8s8s8s12s12s8s1s100s6s2s32s32s8s8s155s12s")
_MAX_OCTAL_11 = 8**11 - 1


def file_header(name: str, size: int, mode: int, mtime: int) -> bytes:
    """The header block(s) of a regular file ``name`` (a relative POSIX path)."""
    raw = name.encode("utf-8", "surrogateescape")
    if len(raw) > 100 or not 0 <= mtime <= _MAX_OCTAL_11 or not 0 <= size <= _MAX_OCTAL_11:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, mode, mtime
        return info.tobuf(tarfile.GNU_FORMAT, "utf-8", "surrogateescape")
    header = bytearray(
        _USTAR.pack(
            raw,
            b"%07o\0" % (mode & 0o7777),
            b"0000000\0",
            b"0000000\0",
            b"%011o\0" % size,
            b"%011o\0" % mtime,
            b" " * 8,
            b"0",
            b"",
            b"ustar\0",
            b"00",
            b"",
            b"",
            b"",
            b"",
            b"",
            b"",
        )
    )
    header[148:156] = b"%06o\0 " % sum(header)
    return bytes(header)


def padding(size: int) -> bytes:
    """The zero bytes that fill a member's data up to the next block."""
    return bytes(-size % BLOCK)
