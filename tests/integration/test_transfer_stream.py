"""The fast paths through a REAL sshd: small files in one tar stream, the tree listed by find.

The far side is the test user's home; the test reads it directly (as root). Where the
instance's ``find`` must misbehave, a stand-in script in the test user's ``~/bin`` takes its
place (the module's program name is pointed at it): a real hostile instance cannot be had.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from gpudesk.core.errors import InstanceAnswerError
from gpudesk.core.ssh.remote import Connection
from gpudesk.core.transfer import findlisting, streampull, streampush
from gpudesk.core.transfer.model import STAGE_PREFIX, ConnectionLostError, TransferError
from gpudesk.core.transfer.runner import run_transfer
from tests.integration import transfer_helpers
from tests.integration.transfer_helpers import login, make_tree, pull, push, tree_hashes
from tests.testbed.sshd import TestUser

pytestmark = pytest.mark.sshd
connection = transfer_helpers.connection
remote_dir = transfer_helpers.remote_dir

ID = "stream-test"
STAGE = STAGE_PREFIX


def expected(src: Path) -> dict[str, tuple[str, int, int]]:
    """The source tree without what is excluded by default."""
    return {
        path: value
        for path, value in tree_hashes(src).items()
        if not path.startswith(".git/") and "__pycache__" not in path
    }


def stages(folder: Path) -> list[str]:
    """Staging folders left in ``folder``."""
    return [p.name for p in folder.iterdir() if p.name.startswith(STAGE)] if folder.exists() else []


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many files went through the stream, and how many listings came from find."""
    counts = {"streamed": 0, "listed": 0}
    send, parse = streampush.StreamPush.send, findlisting.parse_listing

    def counting_send(self: streampush.StreamPush, items: Any, *args: Any) -> None:
        counts["streamed"] += len(items)
        send(self, items, *args)

    def counting_parse(*args: Any) -> Any:
        counts["listed"] += 1
        return parse(*args)

    monkeypatch.setattr(streampush.StreamPush, "send", counting_send)
    monkeypatch.setattr(findlisting, "parse_listing", counting_parse)
    return counts


def test_stream_push_is_identical_then_sends_nothing_and_keeps_conflicts(
    connection: Connection,
    remote_dir: Path,
    tmp_path: Path,
    test_user: TestUser,
    counted: dict[str, int],
) -> None:
    src = make_tree(tmp_path / "proj", big_mib=2)  # the 2 MiB file goes over SFTP meanwhile
    os.utime(src / "数据/样本 1.csv", (1_600_000_000, 1_600_000_000))
    first = run_transfer(connection, push(src, remote_dir), instance_id=ID)
    assert tree_hashes(remote_dir / "proj") == expected(src)  # content, modes and times
    assert first.files_sent == 6 and counted["streamed"] == 5 and counted["listed"] == 1
    assert (remote_dir / "proj/empty.txt").stat().st_size == 0
    assert stages(remote_dir / "proj") == []
    again = run_transfer(connection, push(src, remote_dir), instance_id=ID)
    assert (again.files_sent, again.bytes_sent, again.files_skipped) == (0, 0, 6)
    (src / "src/deep/nested/a b c.txt").write_bytes(b"changed here\n")
    changed = run_transfer(connection, push(src, remote_dir), instance_id=ID)
    assert (changed.files_sent, changed.bytes_sent) == (1, len(b"changed here\n"))
    assert tree_hashes(remote_dir / "proj") == expected(src)
    # A far-side change is still seen through the find listing, and never overwritten.
    test_user.write_file("xfer/proj/README.md", b"edited on the instance\n", mode=0o644)
    (src / "README.md").write_bytes(b"edited locally too\n")
    report = run_transfer(connection, push(src, remote_dir), instance_id=ID)
    assert report.conflicts == ("README.md",) and report.files_sent == 0
    assert (remote_dir / "proj/README.md").read_bytes() == b"edited on the instance\n"
    assert counted["listed"] == 4


def many_files(root: Path, count: int, kib: int) -> Path:
    """``count`` files of ``kib`` KiB in 10 folders."""
    block = os.urandom(kib * 1024)
    for n in range(count):
        path = root / f"d{n % 10}" / f"f{n:04d}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(block[n % 100 :] + block[: n % 100])
    return root


def when_staged(folder: Path, name: str, action: Callable[[], object]) -> threading.Thread:
    """Call ``action()`` once a staging folder in ``folder`` holds ``b0/f/<name>``."""

    def watch() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for stage in stages(folder):
                if (folder / stage / "b0/f" / name).exists():
                    action()
                    return
            time.sleep(0.0005)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def whole_or_absent(src: Path, dest: Path) -> list[str]:
    """Files at a final name in ``dest`` (staging folders aside); each must equal its source."""
    found = []
    for path, value in tree_hashes(dest).items():
        if path.startswith(STAGE):
            continue
        assert value == tree_hashes(src)[path], f"{path} is at its final name but not whole"
        found.append(path)
    return found


def test_a_stream_cut_mid_way_places_nothing_half_written_and_the_next_run_completes(
    sshd_factory: Any, remote_dir: Path, tmp_path: Path
) -> None:
    server = sshd_factory()
    src = many_files(tmp_path / "proj", 1500, 32)
    with login(server) as first:
        killer = when_staged(remote_dir / "proj", "d0/f0100.bin", lambda: server.signal_sessions(9))
        with pytest.raises(ConnectionLostError):
            run_transfer(first, push(src, remote_dir), instance_id=ID)
        killer.join()
    whole_or_absent(src, remote_dir / "proj")
    assert stages(remote_dir / "proj")  # the cut stream's staging folder is left...
    with login(server) as second:
        done = run_transfer(second, push(src, remote_dir), instance_id=ID)
    assert done.files_sent == 1500
    assert tree_hashes(remote_dir / "proj") == tree_hashes(src)
    assert stages(remote_dir / "proj") == []  # ...and removed by the next run


def test_cancel_mid_stream_places_nothing_and_cleans_up(
    connection: Connection, remote_dir: Path, tmp_path: Path
) -> None:
    src = many_files(tmp_path / "proj", 1500, 32)
    cancel = threading.Event()
    watcher = when_staged(remote_dir / "proj", "d0/f0100.bin", cancel.set)
    stopped = run_transfer(connection, push(src, remote_dir), instance_id=ID, cancel=cancel)
    watcher.join()
    assert stopped.cancelled and stopped.files_sent == 0
    assert whole_or_absent(src, remote_dir / "proj") == []
    done = run_transfer(connection, push(src, remote_dir), instance_id=ID)
    assert done.files_sent == 1500 and tree_hashes(remote_dir / "proj") == tree_hashes(src)
    assert stages(remote_dir / "proj") == []


@pytest.fixture
def fake_find(
    test_user: TestUser, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], None]]:
    """Point the listing at a stand-in ``find`` in ``~/bin`` whose body the test gives."""

    def install(body: str) -> None:
        path = test_user.write_file("bin/gpudesk-stand-in-find", f"#!/bin/sh\n{body}\n", mode=0o755)
        monkeypatch.setattr(findlisting, "FIND_PROGRAM", str(path))

    yield install
    test_user.remove("bin/gpudesk-stand-in-find")


def test_a_flooding_find_is_cut_off_with_a_clear_error(
    connection: Connection,
    remote_dir: Path,
    tmp_path: Path,
    fake_find: Callable[[str], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    src = make_tree(tmp_path / "proj", big_mib=1)
    monkeypatch.setattr(findlisting, "MAX_LISTING_BYTES", 1024 * 1024)
    fake_find("while :; do printf 'f 644 1 1.0 flood\\0'; done")
    with pytest.raises(InstanceAnswerError) as failure:
        run_transfer(connection, push(src, remote_dir), instance_id=ID)
    assert failure.value.code == "ssh.output_too_large"
    assert list((remote_dir / "proj").iterdir()) == []  # nothing sent, nothing changed


@pytest.mark.parametrize(
    "printed",
    [
        r"f 644 inf 1700000000.0 README.md\0",
        r"f 644 10 1700000000.0 ../../.bashrc\0",
        r"f 644 10 nan README.md\0",
        r"f 644 10 1700000000.0 README.md",  # no terminator: cut off
    ],
)
def test_a_find_printing_bad_fields_is_a_clear_error(
    connection: Connection,
    remote_dir: Path,
    tmp_path: Path,
    fake_find: Callable[[str], None],
    printed: str,
) -> None:
    src = make_tree(tmp_path / "proj", big_mib=1)
    fake_find(f"printf '{printed}'")
    with pytest.raises(TransferError) as failure:
        run_transfer(connection, push(src, remote_dir), instance_id=ID)
    assert failure.value.code == "transfer.bad_listing"
    assert "expected form" in failure.value.message
    assert list((remote_dir / "proj").iterdir()) == []


def test_without_tar_and_find_it_falls_back_to_sftp(
    connection: Connection,
    remote_dir: Path,
    tmp_path: Path,
    test_user: TestUser,
    counted: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(findlisting, "FIND_PROGRAM", "/nonexistent/find")
    monkeypatch.setattr(streampush, "TAR_PROGRAM", "/nonexistent/tar")
    src = make_tree(tmp_path / "proj", big_mib=1)
    first = run_transfer(connection, push(src, remote_dir), instance_id=ID)
    assert tree_hashes(remote_dir / "proj") == expected(src) and first.files_sent == 6
    assert counted == {"streamed": 0, "listed": 0}
    again = run_transfer(connection, push(src, remote_dir), instance_id=ID)
    assert (again.files_sent, again.bytes_sent) == (0, 0)
    test_user.write_file("xfer/proj/README.md", b"edited on the instance\n", mode=0o644)
    (src / "README.md").write_bytes(b"edited locally\n")
    assert run_transfer(connection, push(src, remote_dir), instance_id=ID).conflicts == (
        "README.md",
    )
    assert stages(remote_dir / "proj") == []
    back = run_transfer(connection, pull(remote_dir / "proj", tmp_path / "back"), instance_id=ID)
    assert back.files_sent == 6 and counted == {"streamed": 0, "listed": 0}
    assert (tmp_path / "back/proj/README.md").read_bytes() == b"edited on the instance\n"


def test_a_stale_staging_folder_is_removed_and_never_transferred(
    connection: Connection, remote_dir: Path, tmp_path: Path, test_user: TestUser
) -> None:
    src = make_tree(tmp_path / "proj", big_mib=1)
    run_transfer(connection, push(src, remote_dir), instance_id=ID)
    stale = f"xfer/proj/{STAGE}0123456789ab/b0/f/README.md"
    test_user.write_file(stale, b"half", mode=0o600, dir_mode=0o700)
    back = run_transfer(connection, pull(remote_dir / "proj", tmp_path / "back"), instance_id=ID)
    assert back.files_sent == 6 and stages(tmp_path / "back/proj") == []
    assert stages(remote_dir / "proj")  # a pull leaves the instance alone
    cleaned = run_transfer(connection, push(src, remote_dir, delete=True), instance_id=ID)
    assert (cleaned.files_sent, cleaned.deleted) == (0, ())
    assert stages(remote_dir / "proj") == []
    assert tree_hashes(remote_dir / "proj") == expected(src)


def test_stream_pull_is_identical_and_incremental(
    connection: Connection, remote_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = make_tree(tmp_path / "proj", big_mib=2)
    run_transfer(connection, push(src, remote_dir), instance_id=ID)
    pulled: list[int] = []
    send = streampull.StreamPull.send

    def counting_send(self: streampull.StreamPull, items: Any, *args: Any) -> None:
        pulled.append(len(items))
        send(self, items, *args)

    monkeypatch.setattr(streampull.StreamPull, "send", counting_send)
    back = tmp_path / "back"
    got = run_transfer(connection, pull(remote_dir / "proj", back), instance_id=ID)
    assert got.files_sent == 6 and pulled == [5]  # the 2 MiB file over SFTP meanwhile
    assert tree_hashes(back / "proj") == expected(src)
    assert not [p for p in tree_hashes(back) if "gpudesk-part" in p]
    again = run_transfer(connection, pull(remote_dir / "proj", back), instance_id=ID)
    assert (again.files_sent, again.files_skipped) == (0, 6)


@pytest.fixture
def fake_tar(
    test_user: TestUser, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[bytes, bool], None]]:
    """A stand-in ``tar`` in ``~/bin``: GNU's version line, then the given bytes (after them
    endless zeros when ``flood``) whatever it is asked to archive."""

    def install(answer: bytes, flood: bool) -> None:
        data = test_user.write_file("bin/gpudesk-stand-in-tar.bin", answer, mode=0o644)
        tail = " /dev/zero" if flood else ""
        script = (
            "#!/bin/sh\n"
            'case "$1" in --version) echo "tar (GNU tar) 1.34"; exit 0;; esac\n'
            f"cat >/dev/null; cat {data}{tail}\n"
        )
        path = test_user.write_file("bin/gpudesk-stand-in-tar", script, mode=0o755)
        monkeypatch.setattr(streampush, "TAR_PROGRAM", str(path))

    yield install
    test_user.remove("bin/gpudesk-stand-in-tar")
    test_user.remove("bin/gpudesk-stand-in-tar.bin")


def crafted_tar(*members: tuple[str, bytes, bytes]) -> bytes:
    """A tar stream of ``(name, type, data)`` members (what a hostile instance could send)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w|", format=tarfile.USTAR_FORMAT) as archive:
        for name, kind, data in members:
            info = tarfile.TarInfo(name)
            info.type, info.size, info.mtime = kind, len(data), 1_700_000_000
            if kind == tarfile.SYMTYPE:
                info.linkname, info.size = "/etc/passwd", 0
            archive.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
    return out.getvalue()


def pax_header_claiming(size: int) -> bytes:
    """The header of a pax extended header that says ``size`` bytes follow."""
    info = tarfile.TarInfo("x")
    info.type, info.size = tarfile.XHDTYPE, size
    return info.tobuf(tarfile.GNU_FORMAT, "utf-8", "strict")


@pytest.mark.parametrize(
    ("answer", "flood"),
    [
        (crafted_tar(("../../../outside.txt", tarfile.REGTYPE, b"escape")), False),
        (crafted_tar(("./README.md", tarfile.SYMTYPE, b"")), False),
        (b"this is not a tar stream at all" * 100, False),
        # A pax header that claims a terabyte, then zeros for ever: cut off at the planned size.
        (
            pax_header_claiming(1 << 39),
            True,
        ),
    ],
)
def test_a_hostile_tar_stream_on_pull_is_a_clear_error_and_writes_nothing(
    connection: Connection,
    remote_dir: Path,
    tmp_path: Path,
    fake_tar: Callable[[bytes, bool], None],
    answer: bytes,
    flood: bool,
) -> None:
    src = make_tree(tmp_path / "proj", big_mib=0)
    run_transfer(connection, push(src, remote_dir), instance_id=ID)
    fake_tar(answer, flood)
    back = tmp_path / "deep/er/back"
    with pytest.raises(TransferError) as failure:
        run_transfer(connection, pull(remote_dir / "proj", back), instance_id=ID)
    assert failure.value.code == "transfer.bad_stream"
    assert not flood or "more than was asked for" in failure.value.message
    assert tree_hashes(tmp_path / "deep") == {}  # nothing written, not even a part file
    assert not (tmp_path / "outside.txt").exists()


def test_a_full_disk_during_a_stream_is_a_clear_error_and_nothing_is_half_placed(
    connection: Connection, remote_dir: Path, tmp_path: Path, test_user: TestUser
) -> None:
    """A 4 MiB tmpfs mounted (as root) in the far-side folder; 6 MiB of small files do not fit."""
    small = test_user.make_dir("xfer/small", mode=0o755)
    options = f"size=4m,uid={test_user.uid},mode=0755"
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(small)])
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root and mount rights)")
    try:
        src = many_files(tmp_path / "proj", 200, 32)
        with pytest.raises(TransferError) as failure:
            run_transfer(connection, push(src, small), instance_id=ID)
        assert failure.value.code == "transfer.disk_full"
        whole_or_absent(src, small / "proj")
        assert stages(small / "proj") == []  # the staging folder went with the failure
    finally:
        subprocess.run(["umount", str(small)], check=True)
