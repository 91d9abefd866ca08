"""Host aliases for OpenSSH: gpudesk's own host files plus one ``Include`` in ``~/.ssh/config``.

After set-up, ``ssh autodl-4090`` works in any terminal (and VS Code Remote-SSH finds it).
gpudesk never edits the user's own host blocks. It keeps one file per alias in
``paths.config_dir()/ssh_config.d/<alias>.conf`` and adds exactly two lines at the very top
of ``~/.ssh/config``::

    # Added by gpudesk: its hosts are in /home/me/.config/gpudesk/ssh_config.d (remove ...
    Include /home/me/.config/gpudesk/ssh_config.d/*.conf

Why the top: OpenSSH takes the FIRST value it finds for each option, so a block appended after
``Host *`` would lose to the user's defaults, and an ``Include`` appended after a ``Host x`` line
would only apply inside that block. OpenSSH restores the including file's Host/Match state
after an Include, so the user's first lines stay global.

Each host file (:mod:`gpudesk.core.editor.sshentry`)
says ``Host``, ``HostName``, ``Port``, ``User``,
``IdentityFile`` + ``IdentitiesOnly yes``, ``HostKeyAlias`` (the instance's pin name) with
``UserKnownHostsFile`` (gpudesk's known_hosts) and ``StrictHostKeyChecking yes``,
``UpdateHostKeys no`` (ssh must not add lines to gpudesk's known_hosts) and keep-alives.

Writes are planned first (:class:`~gpudesk.core.store.filechange.FileChange`, so the GUI can show
the exact bytes) and applied atomically under locks, with backups. The user's ``~/.ssh/config``
keeps its bytes and line endings (CRLF stays CRLF); a BOM in it is reported (OpenSSH rejects
such a file), and a symlinked or read-only config is refused with the two lines to add by
hand. Writing the same entry twice changes nothing the second time.
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

from gpudesk.core import paths
from gpudesk.core.editor.sshentry import (
    DIRECTIVE,
    HostEntry,
    bad_path,
    config_path_value,
    needs_quotes,
    parse_entry,
    render_entry,
    split_arguments,
)
from gpudesk.core.errors import FileWriteError, InputError
from gpudesk.core.store.atomicfile import locked, read_bytes_or_none, read_text_file
from gpudesk.core.store.filechange import FileChange, apply_all
from gpudesk.core.store.instances import validate_alias

__all__ = ["HostEntry", "SshConfig", "render_entry"]

MANAGED_DIR_NAME = "ssh_config.d"
ENTRY_SUFFIX = ".conf"
INCLUDE_MARKER = "# Added by gpudesk"
_GLOB_CHARS = frozenset("*?[]")


class SshConfig:
    """The user's ``~/.ssh/config`` Include line and gpudesk's host files.

    Args:
        config_path: The user's config (default ``paths.ssh_dir()/config``).
        directory: gpudesk's host files (default ``paths.config_dir()/ssh_config.d``).
    """

    def __init__(self, config_path: Path | None = None, directory: Path | None = None) -> None:
        self.config_path = config_path or paths.ssh_dir() / "config"
        self.directory = directory or paths.config_dir() / MANAGED_DIR_NAME

    def __repr__(self) -> str:
        return f"SshConfig({str(self.config_path)!r}, {str(self.directory)!r})"

    # --- reading -------------------------------------------------------------------------

    @property
    def include_pattern(self) -> str:
        """The glob the Include line names (absolute, forward slashes, unquoted)."""
        directory = config_path_value(self.directory.absolute()).strip('"')
        if any(ch in _GLOB_CHARS for ch in directory):
            raise bad_path(directory, "it contains a wildcard character")
        return f"{directory}/*{ENTRY_SUFFIX}"

    def include_lines(self) -> tuple[str, str]:
        """The comment and the Include line gpudesk puts at the top of ``~/.ssh/config``."""
        pattern = self.include_pattern
        shown = pattern.rsplit("/", 1)[0]
        comment = f"{INCLUDE_MARKER}: its hosts are in {shown} (remove these 2 lines to undo)."
        return comment, f'Include "{pattern}"' if needs_quotes(pattern) else f"Include {pattern}"

    def entry_path(self, alias: str) -> Path:
        """The host file of ``alias`` (lower-cased: aliases are unique ignoring case)."""
        return self.directory / f"{validate_alias(alias).lower()}{ENTRY_SUFFIX}"

    def entries(self) -> list[HostEntry]:
        """Every host entry gpudesk wrote, sorted by alias (unreadable files skipped)."""
        found = []
        for path in sorted(self.directory.glob(f"*{ENTRY_SUFFIX}")):
            entry = _read_entry(path)
            if entry is not None:
                found.append(entry)
        return found

    def get(self, alias: str) -> HostEntry | None:
        """The entry for ``alias`` (ignoring case), or None."""
        path = self.entry_path(alias)
        return _read_entry(path) if path.exists() else None

    def has_include(self) -> bool:
        """True when ``~/.ssh/config`` names gpudesk's files before any other directive."""
        text = read_text_file(self.config_path).text
        return _with_include(text, self) == text

    def user_aliases(self) -> set[str]:
        """Literal (non-pattern) names of ``Host`` lines in ``~/.ssh/config``, lower-cased."""
        names: set[str] = set()
        for line in read_text_file(self.config_path).text.split("\n"):
            match = DIRECTIVE.match(line)
            if match and match.group(1).lower() == "host":
                for name in split_arguments(match.group(2)):
                    if not any(ch in name for ch in "*?!"):
                        names.add(name.lower())
        return names

    # --- planning ------------------------------------------------------------------------

    def plan_write(self, entry: HostEntry) -> list[FileChange]:
        """The changes that add or update ``entry`` (nothing is written).

        Another alias of the same instance (same ``host_key_alias``) is removed: one
        instance, one entry.

        Raises:
            InputError: Invalid values, the alias belongs to another instance, or the user's
                own ``~/.ssh/config`` already has a ``Host`` with that name.
            FileWriteError: ``~/.ssh/config`` starts with a BOM or cannot be read.
        """
        body = render_entry(entry).encode("utf-8")
        path = self.entry_path(entry.alias)
        existing = _read_entry(path) if path.exists() else None
        if existing is not None and existing.host_key_alias != entry.host_key_alias:
            raise InputError(
                "sshconfig.alias_taken",
                f"The ssh alias {entry.alias!r} already belongs to another instance.",
                "Pick another alias, or remove the old one: gpudesk ssh-config remove "
                f"{existing.alias}",
            )
        if entry.alias.lower() in self.user_aliases():
            raise InputError(
                "sshconfig.alias_in_user_config",
                f"Your {self.config_path} already has its own 'Host {entry.alias}'.",
                "Pick another alias, or delete that Host block first.",
            )
        changes = [
            self._plan_user_config(add=True),
            FileChange(path, read_bytes_or_none(path), body, mode=0o600, description="host entry"),
        ]
        for other in self.entries():
            if other.host_key_alias == entry.host_key_alias and other.alias != entry.alias:
                old = self.entry_path(other.alias)
                if old != path:
                    before = read_bytes_or_none(old)
                    changes.append(FileChange(old, before, None, description="old"))
        return [c for c in changes if c.changes]

    def plan_remove(self, alias: str) -> list[FileChange]:
        """The changes that remove ``alias``; the Include goes too with the last entry.

        Raises:
            InputError: ``sshconfig.not_found``.
        """
        path = self.entry_path(alias)
        if not path.exists():
            raise InputError(
                "sshconfig.not_found",
                f"gpudesk has no ssh alias {alias!r}.",
                "Run `gpudesk ssh-config list` to see gpudesk's aliases.",
            )
        changes = [FileChange(path, read_bytes_or_none(path), None, description="host entry")]
        if not any(p != path for p in self.directory.glob(f"*{ENTRY_SUFFIX}")):
            changes.insert(0, self._plan_user_config(add=False))
        return [c for c in changes if c.changes]

    def plan_rename(self, old: str, new: str) -> list[FileChange]:
        """The changes that rename the entry ``old`` to ``new``.

        Raises:
            InputError: No entry ``old``; ``new`` invalid or taken.
        """
        entry = self.get(old)
        if entry is None:
            return self.plan_remove(old)  # raises sshconfig.not_found
        return self.plan_write(replace(entry, alias=validate_alias(new)))

    def _plan_user_config(self, *, add: bool) -> FileChange:
        managed = read_text_file(self.config_path)
        if managed.has_bom:
            raise FileWriteError(
                "sshconfig.bom",
                f"{self.config_path} starts with a UTF-8 byte order mark (BOM), so OpenSSH "
                "refuses to read it at all.",
                "Save it as UTF-8 without BOM (e.g. in Notepad: Save as, Encoding 'UTF-8'), "
                "then try again.",
            )
        if add:
            text = _with_include(managed.text, self, managed.newline)
        else:
            text = _without_include(managed.text, self)
        after = managed.encode(text, bom=False) if (managed.exists or add) else None
        return FileChange(
            self.config_path,
            managed.data if managed.exists else None,
            after,
            description="Include line",
        )

    # --- writing -------------------------------------------------------------------------

    def write(self, entry: HostEntry) -> list[Path]:
        """Add or update ``entry``; return the files changed (empty when nothing changed).

        Raises:
            InputError: See :meth:`plan_write`.
            FileWriteError: A symlinked or read-only ``~/.ssh/config`` (the message says which
                two lines to add by hand), a BOM, or a failed write.
        """
        paths.ensure_private_dir(self.directory)
        with locked(self.directory / "entries"):
            return self._apply(self.plan_write(entry))

    def remove(self, alias: str) -> list[Path]:
        """Remove ``alias`` (its file is kept as ``<alias>.conf.gpudesk-bak``)."""
        paths.ensure_private_dir(self.directory)
        with locked(self.directory / "entries"):
            return self._apply(self.plan_remove(alias))

    def rename(self, old: str, new: str) -> list[Path]:
        """Rename the entry ``old`` to ``new``; return the files changed."""
        paths.ensure_private_dir(self.directory)
        with locked(self.directory / "entries"):
            return self._apply(self.plan_rename(old, new))

    def apply(self, changes: list[FileChange]) -> list[Path]:
        """Apply changes planned by this object (e.g. after showing them); return the changed.

        Raises:
            FileWriteError: A symlinked or read-only ``~/.ssh/config``, a file changed since
                it was planned, or a failed write.
        """
        paths.ensure_private_dir(self.directory)
        with locked(self.directory / "entries"):
            return self._apply(changes)

    def _apply(self, changes: list[FileChange]) -> list[Path]:
        for change in changes:
            if change.path == self.config_path:
                self._refuse_unwritable(change)
        if any(c.path == self.config_path for c in changes):
            paths.ensure_private_dir(self.config_path.parent)
        return apply_all(changes)

    def _refuse_unwritable(self, change: FileChange) -> None:
        path = self.config_path
        why = None
        if path.is_symlink():
            why = "is a symbolic link", "file.symlink"
        elif path.exists() and not _owner_writable(path):
            why = "is read-only", "file.read_only"
        if why is None:
            return
        comment, include = self.include_lines()
        action = "Add these 2 lines at the very top" if change.after else "Remove the 2 lines"
        raise FileWriteError(
            why[1],
            f"{path} {why[0]}, so gpudesk leaves it alone.",
            f"{action} of {path.resolve()} by hand:\n{comment}\n{include}",
        )


def _with_include(text: str, config: SshConfig, newline: str = "\n") -> str:
    """``text`` with gpudesk's two lines at the top (unchanged when already there).

    The inserted lines end with ``newline`` (the file's own style); the user's lines keep
    their bytes.
    """
    lines = _lines(text)
    ours = [i for i, line in enumerate(lines) if _is_our_include(line, config)]
    if len(ours) == 1 and all(_is_blank_or_comment(line) for line in lines[: ours[0]]):
        return text
    comment, include = config.include_lines()
    rest = _lines(_without_include(text, config))
    return "".join([comment + newline, include + newline, *rest])


def _without_include(text: str, config: SshConfig) -> str:
    """``text`` without gpudesk's Include lines and the marker comments just above them."""
    lines = _lines(text)
    drop: set[int] = set()
    for i, line in enumerate(lines):
        if _is_our_include(line, config):
            drop.add(i)
            if i > 0 and lines[i - 1].lstrip().startswith(INCLUDE_MARKER):
                drop.add(i - 1)
    return "".join(line for i, line in enumerate(lines) if i not in drop)


def _lines(text: str) -> list[str]:
    """Split after each ``\\n`` only (keeping endings; other separators are not lines)."""
    return [part for part in re.split(r"(?<=\n)", text) if part]


def _is_blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _is_our_include(line: str, config: SshConfig) -> bool:
    match = DIRECTIVE.match(line.rstrip("\r\n"))
    if not match or match.group(1).lower() != "include":
        return False
    args = split_arguments(match.group(2))
    wanted = config.include_pattern
    if sys.platform == "win32":
        return [a.replace("\\", "/").casefold() for a in args] == [wanted.casefold()]
    return args == [wanted]


def _read_entry(path: Path) -> HostEntry | None:
    try:
        return parse_entry(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def _owner_writable(path: Path) -> bool:
    return bool(path.stat().st_mode & 0o200)
