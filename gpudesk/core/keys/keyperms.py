"""File permissions OpenSSH insists on for private keys and ``~/.ssh/config``.

OpenSSH refuses a private key that others can read ("UNPROTECTED PRIVATE KEY FILE") and a
config that others can write. On POSIX that means mode 0600 for the file and 0700 for
``~/.ssh``. On Windows ``os.chmod`` only toggles the read-only attribute, so the access
control list is set with ``icacls``: inheritance removed and access granted only to the
current user (by SID, never by name: a name can be empty or ambiguous), SYSTEM and
Administrators. See https://learn.microsoft.com/windows-server/administration/openssh/
openssh-server-configuration and the facts in ``docs/ssh-facts.md``.

Every external tool runs with an argument list, never through a shell. The Windows path is
unit-tested with recorded ``whoami`` output and exact argument lists; it has not been run on
Windows by these tests.
"""

from __future__ import annotations

import contextlib
import csv
import io
import ntpath
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from gpudesk.core.errors import FileWriteError, InputError

__all__ = [
    "ADMINISTRATORS_SID",
    "SYSTEM_SID",
    "FileKind",
    "RepairReport",
    "Runner",
    "create_private_file",
    "current_user_sid",
    "ensure_ssh_dir",
    "icacls_argv",
    "parse_whoami_sid",
    "permission_problems",
    "repair_permissions",
    "whoami_argv",
]

SYSTEM_SID = "S-1-5-18"
ADMINISTRATORS_SID = "S-1-5-32-544"
_SID_RE = re.compile(r"^S-1-\d+(?:-\d+)+$")
_TOOL_TIMEOUT_S = 30.0

#: Runs an argument list and returns the completed process (``subprocess.run`` in real use).
Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[bytes]"]


class FileKind(str, Enum):
    """What a protected file is, which decides the access it gets."""

    PRIVATE_KEY = "private_key"
    CONFIG = "config"


@dataclass(frozen=True)
class RepairReport:
    """What :func:`repair_permissions` found and did.

    Attributes:
        path: The file repaired.
        changed: True when a mode or an access list was changed.
        actions: Human-readable lines, one per change (``"chmod 600 ~/.ssh/id_ed25519"``).
    """

    path: Path
    changed: bool
    actions: tuple[str, ...]


def _is_windows() -> bool:
    return sys.platform == "win32"


def _run_tool(argv: Sequence[str]) -> subprocess.CompletedProcess[bytes]:
    # An argument list, no shell, a bound on time: the SID and path cannot be re-parsed.
    return subprocess.run(  # noqa: S603
        list(argv), capture_output=True, check=False, timeout=_TOOL_TIMEOUT_S
    )


def _system_tool(name: str) -> str:
    """The absolute path of a tool in System32, so a file on PATH cannot stand in for it."""
    root = os.environ.get("SYSTEMROOT") or r"C:\Windows"
    return ntpath.join(root, "System32", name)


def whoami_argv() -> list[str]:
    """The ``whoami`` call that prints the current user's name and SID as one CSV row."""
    return [_system_tool("whoami.exe"), "/user", "/fo", "csv", "/nh"]


def parse_whoami_sid(output: str) -> str:
    """Return the SID from ``whoami /user /fo csv /nh`` output.

    The output is one CSV row, ``"DOMAIN\\user","S-1-5-21-..."``; the name may hold commas,
    quotes or non-ASCII letters, so the row is parsed as CSV and the SID checked by shape.

    Raises:
        InputError: No SID in the output.
    """
    for row in csv.reader(io.StringIO(output.strip().lstrip("\ufeff"))):
        for cell in reversed(row):
            candidate = cell.strip()
            if _SID_RE.match(candidate):
                return candidate
    raise InputError(
        "keyperms.no_sid",
        "Windows did not say which account is running gpudesk (no SID from whoami).",
        "Run `whoami /user` in a terminal; if it fails, repair the file permissions by hand.",
    )


def current_user_sid(runner: Runner = _run_tool) -> str:
    """Ask ``whoami`` for the SID of the user running gpudesk (Windows).

    Raises:
        FileWriteError: ``whoami`` could not run or failed.
        InputError: Its output held no SID.
    """
    try:
        result = runner(whoami_argv())
    except (OSError, subprocess.SubprocessError) as exc:
        raise FileWriteError(
            "keyperms.whoami_failed",
            f"whoami could not run: {exc}.",
            "Repair the permissions by hand: icacls KEY /inheritance:r /grant:r USER:(R)",
        ) from exc
    if result.returncode != 0:
        raise FileWriteError(
            "keyperms.whoami_failed",
            f"whoami exited with {result.returncode}.",
            "Repair the permissions by hand: icacls KEY /inheritance:r /grant:r USER:(R)",
        )
    return parse_whoami_sid(_decode(result.stdout))


def icacls_argv(
    path: Path, user_sid: str, kind: FileKind = FileKind.PRIVATE_KEY, *, writable: bool = False
) -> list[str]:
    """The ``icacls`` call that leaves ``path`` to the user, SYSTEM and Administrators only.

    ``/inheritance:r`` drops inherited entries; ``/grant:r`` replaces the named SIDs' entries.
    The user may only read a private key (``(R)``) and may change a config (``(M)``);
    ``writable`` gives ``(M)`` for a key too (while gpudesk writes a new one).

    Raises:
        InputError: ``user_sid`` is not a SID.
    """
    if not _SID_RE.match(user_sid):
        raise InputError(
            "keyperms.bad_sid",
            f"{user_sid!r} is not a Windows SID.",
            "Run whoami /user to see your SID.",
        )
    user_access = "(R)" if kind is FileKind.PRIVATE_KEY and not writable else "(M)"
    return [
        _system_tool("icacls.exe"),
        str(path),
        "/inheritance:r",
        "/grant:r",
        f"*{user_sid}:{user_access}",
        f"*{SYSTEM_SID}:(F)",
        f"*{ADMINISTRATORS_SID}:(F)",
    ]


def _icacls_reset_argv(path: Path) -> list[str]:
    """Drop explicit entries (another user's, "Everyone") before the access is set again."""
    return [_system_tool("icacls.exe"), str(path), "/reset"]


def _restrict_windows(
    path: Path,
    kind: FileKind,
    runner: Runner,
    *,
    reset: bool,
    user_sid: str | None = None,
    writable: bool = False,
) -> list[str]:
    sid = user_sid or current_user_sid(runner)
    commands = [_icacls_reset_argv(path)] if reset else []
    commands.append(icacls_argv(path, sid, kind, writable=writable))
    for argv in commands:
        try:
            result = runner(argv)
        except (OSError, subprocess.SubprocessError) as exc:
            raise _icacls_failed(path, str(exc)) from exc
        if result.returncode != 0:
            raise _icacls_failed(path, _decode(result.stderr or result.stdout).strip())
    return [" ".join(argv[1:]) for argv in commands]


def _icacls_failed(path: Path, detail: str) -> FileWriteError:
    return FileWriteError(
        "keyperms.icacls_failed",
        f"Windows refused to restrict access to {path}: {detail or 'icacls failed'}.",
        f'Run in a terminal: icacls "{path}" /inheritance:r /grant:r "%USERNAME%":(R)',
    )


def _decode(data: bytes | str | None) -> str:
    if data is None:
        return ""
    if isinstance(data, str):
        return data
    # whoami and icacls print in the console's code page; the SID is ASCII either way.
    return data.decode("utf-8", errors="replace")


def ensure_ssh_dir(directory: Path) -> bool:
    """Create ``directory`` (``~/.ssh``) with mode 0700, or narrow an existing one to 0700.

    Returns:
        True when the folder was created.

    Raises:
        FileWriteError: It could not be created or is not a folder.
    """
    created = False
    try:
        directory.mkdir(mode=0o700, parents=True)
        created = True
    except FileExistsError:
        if not directory.is_dir():
            raise FileWriteError(
                "keys.ssh_dir_not_dir",
                f"{directory} exists but is not a folder.",
                "Move that file aside; SSH keys live in the folder ~/.ssh.",
            ) from None
    except OSError as exc:
        raise FileWriteError(
            "keys.ssh_dir_failed",
            f"The folder {directory} could not be created: {exc.strerror or exc}.",
            "Check that your home folder is writable.",
        ) from exc
    if not _is_windows():
        mode = stat.S_IMODE(directory.stat().st_mode)
        if mode != 0o700:
            # man ssh(1): ~/.ssh should be read/write/execute for the user only.
            directory.chmod(0o700)
    return created


def open_new_file(path: Path, mode: int) -> int:
    """Open a new file for writing: never an existing file, never through a link.

    Raises:
        InputError: ``keys.exists`` when something is already at ``path``.
        FileWriteError: ``keys.write_failed`` when it cannot be created.
    """
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
    try:
        return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0), mode)
    except FileExistsError:
        raise key_file_exists(path) from None
    except OSError as exc:
        raise FileWriteError(
            "keys.write_failed",
            f"{path} could not be created: {exc.strerror or exc}.",
            "Check that the folder exists and that you may write to it.",
        ) from exc


def key_file_exists(path: Path) -> InputError:
    """The error for a new key file whose name is taken."""
    return InputError(
        "keys.exists",
        f"{path} already exists; gpudesk never overwrites a key file.",
        "Choose another name for the new key.",
    )


def create_private_file(
    path: Path, data: bytes, *, runner: Runner = _run_tool, user_sid: str | None = None
) -> None:
    """Create ``path`` holding ``data``, readable by its owner only from the first byte on.

    POSIX: ``O_CREAT|O_EXCL`` with mode 0600 (no write-then-chmod window). Windows: the empty
    file is created first and restricted to the user (modify), SYSTEM and Administrators with
    ``icacls``; then the data is written and the user's access narrowed to read. An existing
    file (or link) is never overwritten.

    Raises:
        InputError: Something already exists at ``path``.
        FileWriteError: It could not be created, restricted or written.
    """
    fd = open_new_file(path, 0o600)
    try:
        windows = _is_windows()
        if windows:
            os.close(fd)
            fd = -1
            sid = user_sid or current_user_sid(runner)
            _restrict_windows(
                path, FileKind.PRIVATE_KEY, runner, reset=False, user_sid=sid, writable=True
            )
            fd = os.open(path, os.O_WRONLY | os.O_TRUNC | getattr(os, "O_BINARY", 0))
        else:
            os.fchmod(fd, 0o600)  # the umask may have narrowed it further; be exact
        _write_all(fd, data)
        os.fsync(fd)
        if windows:
            os.close(fd)
            fd = -1
            _restrict_windows(path, FileKind.PRIVATE_KEY, runner, reset=False, user_sid=sid)
    except BaseException as exc:
        if fd >= 0:
            os.close(fd)
            fd = -1
        with contextlib.suppress(OSError):
            path.unlink()
        if isinstance(exc, OSError):
            raise FileWriteError(
                "keys.write_failed",
                f"{path} could not be written: {exc.strerror or exc}.",
                "Check free disk space and that the folder is writable.",
            ) from exc
        raise
    finally:
        if fd >= 0:
            os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def permission_problems(path: Path, kind: FileKind = FileKind.PRIVATE_KEY) -> list[str]:
    """Say why OpenSSH would refuse ``path`` on POSIX (empty when it is fine or on Windows).

    A private key must not be readable or writable by group or others; a config must not be
    writable by them. The folder holding either must not be writable by them.
    """
    if _is_windows():
        return []
    problems: list[str] = []
    mode = stat.S_IMODE(path.stat().st_mode)
    forbidden = 0o077 if kind is FileKind.PRIVATE_KEY else 0o022
    if mode & forbidden:
        problems.append(f"{path} has mode {mode:03o}; OpenSSH wants 600")
    parent_mode = stat.S_IMODE(path.parent.stat().st_mode)
    if parent_mode & 0o022:
        problems.append(f"{path.parent} has mode {parent_mode:03o}; others may write to it")
    return problems


#: How far into a file a private key's first line is looked for.
_KEY_HEADER_BYTES = 4096


def looks_like_private_key(path: Path) -> bool:
    """True when ``path`` starts like a private key (OpenSSH, PEM or PKCS#8, maybe encrypted)."""
    try:
        with open(path, "rb") as file:
            head = file.read(_KEY_HEADER_BYTES)
    except OSError:
        return False
    first = head.lstrip().split(b"\n", 1)[0].strip()
    return first.startswith(b"-----BEGIN ") and first.endswith(b"PRIVATE KEY-----")


def repair_permissions(
    path: Path,
    kind: FileKind = FileKind.PRIVATE_KEY,
    *,
    runner: Runner = _run_tool,
    user_sid: str | None = None,
) -> RepairReport:
    """Make an existing key or config acceptable to OpenSSH again; nothing else is touched.

    POSIX: ``chmod 600`` on the file, when needed (its folder is left as it is: OpenSSH
    judges the key file, and a shared folder such as a 1777 one must stay shared). A file
    that is not a private key is refused for ``FileKind.PRIVATE_KEY``. Windows: the
    explicit entries are reset, then inheritance removed and access granted only to the user,
    SYSTEM and Administrators (``icacls``, argument lists only).

    Args:
        path: The private key or ``~/.ssh/config``.
        kind: Decides the access the user keeps (read for a key, modify for a config).
        runner: Runs ``whoami``/``icacls`` (tests record the argument lists).
        user_sid: The user's SID when already known (Windows; looked up otherwise).

    Raises:
        InputError: ``path`` is missing, not a regular file, or not a private key.
        FileWriteError: The mode or access list could not be changed (e.g. another owner).
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputError(
            "keyperms.missing",
            f"{path} cannot be found: {exc.strerror or exc}.",
            "Check the path of the key or config file.",
        ) from exc
    if not stat.S_ISREG(st.st_mode):
        raise InputError(
            "keyperms.not_file",
            f"{path} is not a regular file.",
            "Choose the key file itself, not a folder or a link.",
        )
    if kind is FileKind.PRIVATE_KEY and not looks_like_private_key(path):
        raise InputError(
            "keyperms.not_a_key",
            f"{path} is not a private key, so gpudesk leaves its permissions alone.",
            "Give the private key file (e.g. ~/.ssh/id_ed25519, not the .pub), or --config "
            "for an ssh config.",
        )
    if _is_windows():
        done = _restrict_windows(path, kind, runner, reset=True, user_sid=user_sid)
        return RepairReport(path, True, tuple(f"icacls {a}" for a in done))
    actions: list[str] = []
    mode = stat.S_IMODE(st.st_mode)
    try:
        if mode != 0o600:
            os.chmod(path, 0o600)
            actions.append(f"chmod 600 {path}")
    except OSError as exc:
        raise FileWriteError(
            "keyperms.chmod_failed",
            f"The permissions of {path} could not be changed: {exc.strerror or exc}.",
            f"The file may belong to another user: sudo chown $USER {path}",
        ) from exc
    return RepairReport(path, bool(actions), tuple(actions))
