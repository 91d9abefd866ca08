"""Which files a transfer leaves out: ``.gitignore`` syntax, through the ``pathspec`` library.

Always left out: ``.git/``, ``__pycache__/`` and unfinished ``*.gpudesk-part`` files. Then the
lines of a ``.gpudeskignore`` in the source folder, then the ``--exclude`` patterns. A pattern
can re-include with ``!`` as in git.
"""

from __future__ import annotations

from collections.abc import Iterable

import pathspec

from gpudesk.core.transfer.model import PART_SUFFIX

IGNORE_FILE = ".gpudeskignore"
DEFAULT_PATTERNS: tuple[str, ...] = (".git/", "__pycache__/")
#: A ``.gpudeskignore`` longer than this is not a list of patterns; only its start is used.
MAX_IGNORE_FILE_BYTES = 256 * 1024


class IgnoreRules:
    """Decide whether a relative path is left out.

    Args:
        patterns: Extra patterns (``--exclude``), applied after the defaults and the file.
        ignore_file_text: The content of the source folder's ``.gpudeskignore``, if any.
    """

    def __init__(self, patterns: Iterable[str] = (), ignore_file_text: str = "") -> None:
        lines = [*DEFAULT_PATTERNS, *ignore_file_text.splitlines(), *patterns]
        self.patterns = tuple(line for line in lines if line.strip())
        self._spec = pathspec.GitIgnoreSpec.from_lines(self.patterns)
        # Only folder patterns ("x/"): a file is never matched on its own (its folders are
        # pruned by excludes_dir), so files skip the matcher. A tree of 10,000 files saves
        # 10,000 pattern matches.
        self._files_need_spec = any(not p.rstrip().endswith("/") for p in self.patterns)

    def excludes_file(self, path: str) -> bool:
        """True when the file at relative POSIX ``path`` is left out."""
        if path.endswith(PART_SUFFIX):
            return True
        return self._files_need_spec and bool(self._spec.match_file(path))

    def excludes_dir(self, path: str) -> bool:
        """True when the folder at relative POSIX ``path`` (and all below it) is left out."""
        return bool(self._spec.match_file(path + "/"))


def decode_ignore_file(data: bytes) -> str:
    """The text of a ``.gpudeskignore`` (bounded; bytes that are not UTF-8 replaced)."""
    return data[:MAX_IGNORE_FILE_BYTES].decode("utf-8", "replace")
