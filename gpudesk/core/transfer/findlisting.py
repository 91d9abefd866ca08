"""List a remote tree with ONE command: GNU ``find -printf``, its output checked field by field.

An SFTP walk asks for every folder and parses every entry's attributes in Python; one
``find ROOT -mindepth 1 -printf '%y %m %s %T@ %P\\0'`` on the instance answers the whole tree
in one round trip. What it prints is input (the instance is not trusted): the output is
bounded (:data:`MAX_LISTING_BYTES`, the bounded reader of
:meth:`~gpudesk.core.ssh.remote.Connection.run`), every record must have the expected form
(type letter, octal mode, decimal size and time, a relative path of valid names), and the
tree limits of :mod:`.treelimits` apply. A malformed record is a clear
``transfer.bad_listing`` error. When ``find`` is missing or refuses ``-printf`` (busybox),
the command fails and :func:`list_with_find` returns None: the caller walks over SFTP.

The result is the same :class:`~gpudesk.core.transfer.model.Tree` the SFTP walk builds:
symbolic links listed, not followed; part files and staging folders set apart; excluded
folders not descended into; names that are not UTF-8 left out.
"""

from __future__ import annotations

import logging
import re
import shlex
import stat

from gpudesk.core.errors import RemoteCommandError
from gpudesk.core.transfer.ignore import IgnoreRules
from gpudesk.core.transfer.model import PART_SUFFIX, STAGE_PREFIX, FileEntry, TransferError, Tree
from gpudesk.core.transfer.remotecmd import RunFn
from gpudesk.core.transfer.treelimits import MAX_DEPTH, MAX_ENTRIES, too_big, valid_name

log = logging.getLogger(__name__)

#: The program run on the instance (a module attribute so tests can point it at a stand-in).
FIND_PROGRAM = "find"
#: What the listing may print before gpudesk stops reading (about a million entries).
MAX_LISTING_BYTES = 128 * 1024 * 1024
LISTING_TIMEOUT_S = 300.0
_FORMAT = "%y %m %s %T@ %P\\0"
_MODE = re.compile(r"[0-7]{1,6}")
_SIZE = re.compile(r"[0-9]{1,19}")
#: Seconds since 1970 with an optional fraction (find prints ten digits of it).
_TIME = re.compile(r"(-?[0-9]{1,15})(?:\.[0-9]{0,12})?")
_KINDS = {"f": stat.S_IFREG, "d": stat.S_IFDIR, "l": stat.S_IFLNK}


def find_command(root: str) -> str:
    """The shell command listing ``root`` (an absolute path, quoted)."""
    program = shlex.quote(FIND_PROGRAM)
    return f"LC_ALL=C {program} {shlex.quote(root)} -mindepth 1 -printf {shlex.quote(_FORMAT)}"


def list_with_find(run: RunFn, root: str, rules: IgnoreRules) -> Tree | None:
    """The tree below the remote folder ``root``; None when ``find -printf`` cannot list it.

    None also covers a folder ``find`` could not read completely (it exits non-zero): the
    SFTP walk then says which folder, with its usual error.

    Raises:
        TransferError: ``transfer.bad_listing`` for output not in the expected form, or
            ``transfer.tree_too_big``.
        InstanceAnswerError: The listing printed more than :data:`MAX_LISTING_BYTES` or did
            not finish in time.
    """
    try:
        result = run(find_command(root), timeout=LISTING_TIMEOUT_S, max_output=MAX_LISTING_BYTES)
    except RemoteCommandError as exc:
        if exc.code in ("ssh.output_too_large", "ssh.command_timeout"):
            raise
        log.info("listing %s with find failed (%s); walking it over SFTP", root, exc.message)
        return None
    if result.exit_status != 0:
        log.info("find on the instance exited %s; walking %s over SFTP", result.exit_status, root)
        return None
    return parse_listing(result.stdout, root, rules)


def _bad(root: str, number: int) -> TransferError:
    return TransferError(
        "transfer.bad_listing",
        f"The instance's listing of {root} is not in the expected form (entry {number}).",
        "Something on the instance answers in place of GNU find; check `which find` there. "
        "The transfer was stopped before anything was changed.",
    )


def parse_listing(output: str, root: str, rules: IgnoreRules) -> Tree:
    """Build the tree from ``find -printf`` output (NUL-terminated records), checking each."""
    records = output.split("\0")
    if records.pop() != "":
        raise _bad(root, len(records) + 1)  # the last record was cut off
    if len(records) > MAX_ENTRIES:
        raise too_big(root)
    tree = Tree()
    listed: set[str] = {""}  # folders whose entries belong to the tree
    for number, record in enumerate(records, 1):
        fields = record.split(" ", 4)
        if len(fields) != 5:
            raise _bad(root, number)
        kind, mode_text, size_text, time_text, path = fields
        when = _TIME.fullmatch(time_text)
        if (
            len(kind) != 1
            or not _MODE.fullmatch(mode_text)
            or not _SIZE.fullmatch(size_text)
            or when is None
        ):
            raise _bad(root, number)
        names = path.split("/")
        if not all(valid_name(name) for name in names):
            raise _bad(root, number)
        if len(names) > MAX_DEPTH + 1:
            raise too_big(root)
        parent = path.rpartition("/")[0]
        if parent not in listed or "\ufffd" in path:
            continue  # inside an excluded or staging folder, or a name that is not UTF-8
        _add(tree, rules, listed, path, kind, int(mode_text, 8), int(size_text), int(when[1]))
    return tree


def _add(
    tree: Tree,
    rules: IgnoreRules,
    listed: set[str],
    path: str,
    kind: str,
    mode: int,
    size: int,
    mtime: int,
) -> None:
    """Put one checked entry where the SFTP walk would (see :mod:`.remotewalk`)."""
    name = path.rpartition("/")[2]
    if name.endswith(PART_SUFFIX):
        tree.parts.add(path)
    elif "/" not in path and name.startswith(STAGE_PREFIX):
        tree.stages.add(name)
    elif _KINDS.get(kind) == stat.S_IFLNK:
        if not rules.excludes_file(path):
            tree.skipped_links.append(path)
    elif _KINDS.get(kind) == stat.S_IFDIR:
        if not rules.excludes_dir(path):
            tree.dirs.add(path)
            listed.add(path)
    elif _KINDS.get(kind) == stat.S_IFREG and not rules.excludes_file(path):
        tree.files[path] = FileEntry(path, size, mtime, stat.S_IMODE(mode))
