"""Push and pull through a REAL sshd: identical trees, incremental, resumable, conflict-safe.

The far side is the test user's home; the test reads it directly (as root) to compare hashes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from gpudesk.core.errors import InputError
from gpudesk.core.ssh.remote import Connection
from gpudesk.core.transfer.model import ConflictPolicy, ConnectionLostError, TransferError
from gpudesk.core.transfer.runner import run_transfer
from tests.integration import transfer_helpers
from tests.integration.transfer_helpers import (
    BIG,
    MIB,
    login,
    make_tree,
    pull,
    push,
    tree_hashes,
    when_part_grows,
)
from tests.testbed.sshd import TestUser

pytestmark = pytest.mark.sshd
connection = transfer_helpers.connection
remote_dir = transfer_helpers.remote_dir

ID = "transfer-test"


def expected(src: Path) -> dict[str, tuple[str, int, int]]:
    """The source tree without what is excluded by default."""
    return {
        path: value
        for path, value in tree_hashes(src).items()
        if not path.startswith(".git/") and "__pycache__" not in path
    }


def test_push_is_identical_then_incremental(
    connection: Connection, remote_dir: Path, tmp_path: Path
) -> None:
    src = make_tree(tmp_path / "proj")
    first = run_transfer(connection, push(src, remote_dir), instance_id=ID)
    assert tree_hashes(remote_dir / "proj") == expected(src)
    assert first.files_sent == 6 and first.bytes_sent == sum(
        (src / p).stat().st_size for p in expected(src)
    )
    again = run_transfer(connection, push(src, remote_dir), instance_id=ID)
    assert (again.files_sent, again.bytes_sent, again.files_skipped) == (0, 0, 6)
    (src / "src/train.py").write_bytes(b"print('changed')\n")
    changed = run_transfer(connection, push(src, remote_dir), instance_id=ID)
    assert changed.files_sent == 1 and changed.files_skipped == 5
    assert changed.bytes_sent == len(b"print('changed')\n")
    assert tree_hashes(remote_dir / "proj") == expected(src)
    assert not [p for p in tree_hashes(remote_dir) if "gpudesk-part" in p]


def test_pull_is_identical_and_incremental(
    connection: Connection, remote_dir: Path, tmp_path: Path, test_user: TestUser
) -> None:
    src = make_tree(tmp_path / "proj", big_mib=8)
    run_transfer(connection, push(src, remote_dir), instance_id=ID)
    back = tmp_path / "back"
    got = run_transfer(connection, pull(remote_dir / "proj", back), instance_id=ID)
    assert tree_hashes(back / "proj") == expected(src)
    assert got.files_sent == 6
    again = run_transfer(connection, pull(remote_dir / "proj", back), instance_id=ID)
    assert again.files_sent == 0 and again.files_skipped == 6
    # One file pulled on its own, into a new folder.
    single = run_transfer(
        connection, pull(remote_dir / "proj/README.md", tmp_path / "one"), instance_id=ID
    )
    assert single.files_sent == 1
    assert (tmp_path / "one/README.md").read_bytes() == b"# project\n"


def test_far_side_change_is_a_conflict_never_overwritten(
    connection: Connection, remote_dir: Path, tmp_path: Path, test_user: TestUser
) -> None:
    src = make_tree(tmp_path / "proj", big_mib=1)
    run_transfer(connection, push(src, remote_dir), instance_id=ID)
    test_user.write_file("xfer/proj/README.md", b"edited on the instance\n", mode=0o644)
    (src / "README.md").write_bytes(b"edited locally too\n")
    report = run_transfer(connection, push(src, remote_dir), instance_id=ID)
    assert report.conflicts == ("README.md",)
    assert report.files_sent == 0
    assert (remote_dir / "proj/README.md").read_bytes() == b"edited on the instance\n"
    beside = run_transfer(
        connection,
        push(src, remote_dir, conflict_policy=ConflictPolicy.SAVE_BESIDE),
        instance_id=ID,
    )
    assert beside.conflicts == ("README.md",) and len(beside.saved_beside) == 1
    assert (remote_dir / "proj/README.md").read_bytes() == b"edited on the instance\n"
    saved = remote_dir / "proj" / beside.saved_beside[0]
    assert saved.read_bytes() == b"edited locally too\n"
    # A file gpudesk never synced that differs is a conflict as well.
    (src / "new.txt").write_bytes(b"mine")
    test_user.write_file("xfer/proj/new.txt", b"theirs", mode=0o644)
    fresh = run_transfer(connection, push(src, remote_dir), instance_id=ID)
    assert "new.txt" in fresh.conflicts
    assert (remote_dir / "proj/new.txt").read_bytes() == b"theirs"


def test_checksum_delete_dry_run_and_links(
    connection: Connection, remote_dir: Path, tmp_path: Path
) -> None:
    src = make_tree(tmp_path / "proj", big_mib=1)
    (src / "outside").symlink_to("/etc/hostname")
    (src / "inside").symlink_to(src / "README.md")
    run_transfer(connection, push(src, remote_dir), instance_id=ID)
    assert (remote_dir / "proj/inside").read_bytes() == b"# project\n"
    assert not (remote_dir / "proj/outside").exists()
    # Same size, same time, other content: only --checksum sees it.
    info = (src / "README.md").stat()
    (src / "README.md").write_bytes(b"# PROJECT\n")
    os.utime(src / "README.md", ns=(info.st_atime_ns, info.st_mtime_ns))
    assert run_transfer(connection, push(src, remote_dir), instance_id=ID).files_sent == 0
    summed = run_transfer(connection, push(src, remote_dir, checksum=True), instance_id=ID)
    assert summed.planned == ("README.md", "inside")  # the link inside shows the same file
    assert (remote_dir / "proj/README.md").read_bytes() == b"# PROJECT\n"
    (src / "empty.txt").unlink()
    shutil.rmtree(src / "src/deep")
    dry = run_transfer(connection, push(src, remote_dir, delete=True, dry_run=True), instance_id=ID)
    assert dry.deleted == ("empty.txt", "src/deep/nested/a b c.txt")
    assert (remote_dir / "proj/empty.txt").exists()
    done = run_transfer(connection, push(src, remote_dir, delete=True), instance_id=ID)
    assert done.deleted == dry.deleted
    assert not (remote_dir / "proj/empty.txt").exists()
    assert not (remote_dir / "proj/src/deep").exists()
    # Without --delete nothing is removed; excluded files are never touched.
    (remote_dir / "proj/notes.log").write_bytes(b"x")
    plain = run_transfer(
        connection, push(src, remote_dir, excludes=("*.log",), delete=True), instance_id=ID
    )
    assert plain.deleted == () and (remote_dir / "proj/notes.log").exists()


def test_cancelled_push_resumes_and_ends_identical(
    connection: Connection, remote_dir: Path, tmp_path: Path
) -> None:
    src = make_tree(tmp_path / "proj")
    size = (src / BIG).stat().st_size
    cancel = threading.Event()
    part = remote_dir / "proj/weights/.model 大.bin.gpudesk-part"
    watcher = when_part_grows(part, 8 * MIB, cancel.set)
    stopped = run_transfer(connection, push(src, remote_dir), instance_id=ID, cancel=cancel)
    watcher.join()
    assert stopped.cancelled
    assert not (remote_dir / "proj" / BIG).exists()  # never at its final name half-written
    kept = part.stat().st_size
    assert 8 * MIB <= kept < size
    resumed = run_transfer(connection, push(src, remote_dir), instance_id=ID)
    assert not resumed.cancelled
    assert resumed.bytes_sent <= size - kept + MIB  # only the rest crossed the network
    assert tree_hashes(remote_dir / "proj") == expected(src)
    assert not part.exists()


def test_part_file_that_does_not_match_is_started_afresh(
    connection: Connection, remote_dir: Path, tmp_path: Path, test_user: TestUser
) -> None:
    src = make_tree(tmp_path / "proj", big_mib=4)
    test_user.make_dir("xfer/proj/weights", mode=0o755)
    test_user.write_file("xfer/proj/weights/.model 大.bin.gpudesk-part", b"\0" * (2 * MIB))
    report = run_transfer(connection, push(src, remote_dir), instance_id=ID)
    assert report.bytes_sent == sum((src / p).stat().st_size for p in expected(src))
    assert tree_hashes(remote_dir / "proj") == expected(src)


def test_vanished_connection_leaves_no_half_file_and_resumes(
    sshd_factory: object, remote_dir: Path, tmp_path: Path
) -> None:
    server = sshd_factory()  # type: ignore[operator]
    src = make_tree(tmp_path / "proj")
    part = remote_dir / "proj/weights/.model 大.bin.gpudesk-part"
    with login(server) as first:
        killer = when_part_grows(part, 8 * MIB, lambda: server.signal_sessions(9))
        with pytest.raises(ConnectionLostError) as failure:
            run_transfer(first, push(src, remote_dir), instance_id=ID)
        killer.join()
    assert failure.value.code == "transfer.connection_lost"
    assert failure.value.exit_code == 6
    assert not (remote_dir / "proj" / BIG).exists()
    with login(server) as second:
        resumed = run_transfer(second, push(src, remote_dir), instance_id=ID)
    assert resumed.bytes_sent < (src / BIG).stat().st_size
    assert tree_hashes(remote_dir / "proj") == expected(src)


def test_unwritable_folder_is_a_clear_error(
    connection: Connection, remote_dir: Path, tmp_path: Path, test_user: TestUser
) -> None:
    src = make_tree(tmp_path / "proj", big_mib=1)
    locked = test_user.make_dir("xfer/locked", mode=0o555)
    with pytest.raises(TransferError) as failure:
        run_transfer(connection, push(src, locked), instance_id=ID)
    assert failure.value.code == "transfer.permission_denied"
    assert "permission denied" in failure.value.message
    assert list(locked.iterdir()) == []
    with pytest.raises(InputError) as missing:
        run_transfer(connection, pull(remote_dir / "nothing", tmp_path), instance_id=ID)
    assert missing.value.code == "transfer.remote_missing"


def test_full_disk_is_a_clear_error(
    connection: Connection, remote_dir: Path, tmp_path: Path, test_user: TestUser
) -> None:
    """A 4 MiB tmpfs mounted (as root) in the far-side folder; an 8 MiB file does not fit."""
    small = test_user.make_dir("xfer/small", mode=0o755)
    options = f"size=4m,uid={test_user.uid},mode=0755"
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(small)])
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root and mount rights)")
    try:
        src = make_tree(tmp_path / "proj", big_mib=8)
        with pytest.raises(TransferError) as failure:
            run_transfer(connection, push(src / BIG, small), instance_id=ID)
        assert failure.value.code == "transfer.disk_full"
        assert "full" in failure.value.message
        assert not (small / "model 大.bin").exists()
    finally:
        subprocess.run(["umount", str(small)], check=True)


def test_a_source_changed_mid_file_never_reaches_its_final_name(
    connection: Connection, remote_dir: Path, tmp_path: Path
) -> None:
    src = make_tree(tmp_path / "proj")
    part = remote_dir / "proj/weights/.model 大.bin.gpudesk-part"

    def grow() -> None:
        with (src / BIG).open("ab") as handle:
            handle.write(b"written while it was being sent")

    watcher = when_part_grows(part, 8 * MIB, grow)
    with pytest.raises(TransferError) as failure:
        run_transfer(connection, push(src, remote_dir), instance_id=ID)
    watcher.join()
    assert failure.value.code == "transfer.source_changed"
    assert not (remote_dir / "proj" / BIG).exists()
    again = run_transfer(connection, push(src, remote_dir), instance_id=ID)
    assert again.files_sent >= 1
    assert tree_hashes(remote_dir / "proj") == expected(src)
