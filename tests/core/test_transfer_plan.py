"""Transfer planning without a network: exclusions, the record, skip/send/conflict/delete."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from gpudesk.core.transfer.ignore import IgnoreRules
from gpudesk.core.transfer.localfiles import part_name, sha256_file
from gpudesk.core.transfer.model import ConflictPolicy, Direction, FileEntry, Tree
from gpudesk.core.transfer.plan import beside_name, make_plan
from gpudesk.core.transfer.progressmeter import ProgressMeter
from gpudesk.core.transfer.record import SyncedFile, SyncRecord, record_path
from gpudesk.core.transfer.trees import local_ignore_text, walk_local


def tree(*entries: FileEntry, dirs: tuple[str, ...] = ()) -> Tree:
    made = Tree()
    for entry in entries:
        made.files[entry.path] = entry
    made.dirs.update(dirs)
    return made


def entry(path: str, size: int = 10, mtime: int = 1000) -> FileEntry:
    return FileEntry(path, size, mtime, 0o644)


def test_ignore_rules_defaults_file_and_patterns() -> None:
    rules = IgnoreRules(["*.log", "!keep.log"], "data/\n# comment\n")
    assert rules.excludes_dir(".git") and rules.excludes_dir("src/__pycache__")
    assert rules.excludes_dir("data") and not rules.excludes_dir("src")
    assert rules.excludes_file("run.log") and not rules.excludes_file("keep.log")
    assert rules.excludes_file("a/.b.bin.gpudesk-part")
    assert not rules.excludes_file("train.py")


def test_walk_local_prunes_and_never_leaves_the_tree(tmp_path: Path) -> None:
    tmp_path = tmp_path / "tree"
    tmp_path.mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/HEAD").write_text("x")
    (tmp_path / "a").mkdir()
    (tmp_path / "a/x.txt").write_text("x")
    (tmp_path / ".gpudeskignore").write_text("*.tmp\n")
    (tmp_path / "t.tmp").write_text("x")
    (tmp_path / "out").symlink_to("/etc")
    (tmp_path / "in").symlink_to(tmp_path / "a/x.txt")
    (tmp_path / "a/.x.txt.gpudesk-part").write_text("x")

    found = walk_local(tmp_path, IgnoreRules((), local_ignore_text(tmp_path)))
    assert sorted(found.files) == [".gpudeskignore", "a/x.txt", "in"]
    assert found.dirs == {"a"} and found.skipped_links == ["out"]
    assert found.parts == {"a/.x.txt.gpudesk-part"}


def test_plan_skip_send_conflict_and_delete() -> None:
    record = SyncRecord("box", "/l", "/r")
    record.put("same.txt", SyncedFile(10, 1000, 10, 1000))
    record.put("changed_here.txt", SyncedFile(10, 1000, 10, 1000))
    record.put("changed_there.txt", SyncedFile(10, 1000, 10, 1000))
    record.put("gone_here.txt", SyncedFile(10, 1000, 10, 1000))
    record.put("gone_but_edited.txt", SyncedFile(10, 1000, 10, 1000))
    source = tree(
        entry("same.txt"),
        entry("changed_here.txt", 11, 2000),
        entry("changed_there.txt"),
        entry("new.txt"),
        entry("never_synced.txt", 5),
    )
    dest = tree(
        entry("same.txt"),
        entry("changed_here.txt"),
        entry("changed_there.txt", 12, 3000),
        entry("never_synced.txt", 6),
        entry("gone_here.txt"),
        entry("gone_but_edited.txt", 99, 5000),
        entry("old/x.txt"),
        dirs=("old",),
    )
    plan = make_plan(Direction.PUSH, source, dest, record, delete=True)
    assert [i.dest_path for i in plan.send] == ["changed_here.txt", "new.txt"]
    assert set(plan.equal) == {"same.txt"}
    assert plan.conflicts == ["changed_there.txt", "gone_but_edited.txt", "never_synced.txt"]
    assert plan.delete == ["gone_here.txt", "old/x.txt"] and plan.delete_dirs == ["old"]
    assert plan.bytes_to_send == 21
    keep = make_plan(Direction.PUSH, source, dest, record)
    assert keep.delete == [] and "gone_but_edited.txt" not in keep.conflicts
    beside = make_plan(
        Direction.PULL, source, dest, record, conflict_policy=ConflictPolicy.SAVE_BESIDE
    )
    assert any(".gpudesk-conflict-" in i.dest_path for i in beside.send)


def test_checksum_decides_by_content() -> None:
    record = SyncRecord("box", "/l", "/r")
    source, dest = tree(entry("a"), entry("b")), tree(entry("a"), entry("b"))
    record.put("a", SyncedFile(10, 1000, 10, 1000))
    record.put("b", SyncedFile(10, 1000, 10, 1000))
    plan = make_plan(
        Direction.PUSH, source, dest, record, hashes=({"a": "1", "b": "2"}, {"a": "1", "b": "3"})
    )
    assert set(plan.equal) == {"a"} and [i.dest_path for i in plan.send] == ["b"]
    assert plan.equal["a"].sha256 == "1"  # the record keeps the hash when it is known


def test_record_survives_a_round_trip_and_keeps_other_pairs() -> None:
    one = SyncRecord("box", "/l", "/r")
    one.put("a b/中.txt", SyncedFile(1, 2, 3, 4, "ff"))
    one.save()
    other = SyncRecord("box", "/l2", "/r2")
    other.put("x", SyncedFile(5, 6, 7, 8))
    other.save()
    assert SyncRecord("box", "/l", "/r").get("a b/中.txt") == SyncedFile(1, 2, 3, 4, "ff")
    assert SyncRecord("box", "/l2", "/r2").get("x") == SyncedFile(5, 6, 7, 8)
    assert record_path("box").stat().st_mode & 0o777 == 0o600
    record_path("box").write_text("not json")
    assert SyncRecord("box", "/l", "/r").files == {}


def test_names_hashes_and_progress(tmp_path: Path) -> None:
    assert part_name("a/b.bin") == "a/.b.bin.gpudesk-part" and part_name("c") == ".c.gpudesk-part"
    assert beside_name("d/x.tar.gz", 0).startswith("d/x.tar.gpudesk-conflict-")
    assert beside_name("noext", 0).startswith("noext.gpudesk-conflict-")
    path = tmp_path / "f"
    path.write_bytes(b"abcdef")
    assert sha256_file(str(path), 3) == hashlib.sha256(b"abc").hexdigest()
    assert sha256_file(str(path)) == hashlib.sha256(b"abcdef").hexdigest()
    now = [0.0]
    meter = ProgressMeter(1000, 2, clock=lambda: now[0])
    now[0] = 1.0
    meter.add_bytes(250)
    meter.file_finished("f")
    snap = meter.snapshot()
    assert (snap.bytes_done, snap.files_done, snap.rate_bps, snap.eta_s) == (250, 1, 250.0, 3.0)


@pytest.mark.parametrize(
    "item",
    [
        [1, True, 3, 4, None],  # a bool is not a time
        [1.0, 2, 3, 4, None],
        [1, 2, 3, 4],
        "1,2,3,4,x",
        {"size": 1},
    ],
)
def test_a_damaged_record_entry_is_ignored(item: object) -> None:
    assert SyncedFile.from_json(item) is None


def test_a_record_entry_reads_back() -> None:
    synced = SyncedFile(10, 1_700_000_000, 10, 1_700_000_001, "ab" * 32)
    assert SyncedFile.from_json(synced.to_json()) == synced
    assert SyncedFile.from_json([1, 2, 3, 4, 5]) == SyncedFile(1, 2, 3, 4, None)
