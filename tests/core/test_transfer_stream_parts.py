"""The pure parts of the fast paths, without a network: tar headers, the find listing's checks,
the move script's groups and the parsing of its report."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

import pytest

from gpudesk.core.transfer import streamplan
from gpudesk.core.transfer.findlisting import find_command, parse_listing
from gpudesk.core.transfer.ignore import IgnoreRules
from gpudesk.core.transfer.model import FileEntry, TransferError
from gpudesk.core.transfer.plan import SendItem
from gpudesk.core.transfer.roots import Roots
from gpudesk.core.transfer.tarformat import END_OF_ARCHIVE, file_header, padding
from gpudesk.core.transfer.treelimits import MAX_DEPTH

RULES = IgnoreRules((), "")


def test_tar_headers_read_back_by_tarfile_with_names_modes_and_times() -> None:
    members = {
        "f/a b.txt": (b"spaces", 0o644, 1_700_000_001),
        "f/数据/样本 1.csv": ("中文".encode() * 5, 0o755, 1_600_000_000),
        "f/empty": (b"", 0o600, 0),
        "f/" + "long/" * 30 + "name.bin": (b"x" * 700, 0o640, 1_700_000_002),
        "f/old": (b"1", 0o644, -5),  # a time ustar cannot hold: the GNU form
    }
    stream = io.BytesIO()
    for name, (data, mode, mtime) in members.items():
        stream.write(file_header(name, len(data), mode, mtime) + data + padding(len(data)))
    stream.write(END_OF_ARCHIVE)
    stream.seek(0)
    with tarfile.open(fileobj=stream, mode="r|") as archive:
        seen = {}
        for member in archive:
            handle = archive.extractfile(member)
            assert handle is not None and member.isreg()
            seen[member.name] = (handle.read(), member.mode, member.mtime)
    assert seen == members


def listing(*records: str) -> str:
    return "".join(record + "\0" for record in records)


def test_listing_builds_the_same_tree_as_a_walk() -> None:
    rules = IgnoreRules(("*.log",), "")
    tree = parse_listing(
        listing(
            "d 755 4096 1700000000.5 src",
            "f 755 12 1700000001.9999999990 src/train.py",
            "f 644 3 1700000002.0 src/run.log",
            "d 755 4096 1700000000.0 .git",
            "f 644 9 1700000000.0 .git/HEAD",
            "l 777 11 1700000000.0 link",
            "f 600 5 1700000000.0 .model.bin.gpudesk-part",
            "d 700 4096 1700000000.0 .gpudesk-stage-0a1b",
            "f 600 5 1700000000.0 .gpudesk-stage-0a1b/b0/f/x",
            "f 644 1 1700000000.0 name with\nnewline",
            "f 644 1 1700000000.0 bad\ufffdutf8",
        ),
        "/r",
        rules,
    )
    assert tree.files == {
        "src/train.py": FileEntry("src/train.py", 12, 1_700_000_001, 0o755),
        "name with\nnewline": FileEntry("name with\nnewline", 1, 1_700_000_000, 0o644),
    }
    assert tree.dirs == {"src"}
    assert tree.skipped_links == ["link"]
    assert tree.parts == {".model.bin.gpudesk-part"}
    assert tree.stages == {".gpudesk-stage-0a1b"}


@pytest.mark.parametrize(
    "output",
    [
        "f 644 inf 1700000000.0 a\0",  # a size that is no number
        "f 644 -1 1700000000.0 a\0",
        "f 644 12 nan a\0",
        "f 644 12 1e400 a\0",
        "f 9z9 12 1700000000.0 a\0",
        "ff 644 12 1700000000.0 a\0",
        "f 644 12 1700000000.0 ../escape\0",
        "f 644 12 1700000000.0 /etc/passwd\0",
        "f 644 12 1700000000.0 a//b\0",
        "f 644 12 1700000000.0\0",
        "f 644 12 1700000000.0 a\0f 644 12",  # cut off
        "garbage",
    ],
)
def test_listing_with_bad_fields_is_a_clear_error(output: str) -> None:
    with pytest.raises(TransferError) as failure:
        parse_listing(output, "/r", RULES)
    assert failure.value.code == "transfer.bad_listing"
    assert "/r" in failure.value.message


def test_listing_too_deep_is_refused() -> None:
    deep = "/".join(["d"] * (MAX_DEPTH + 2))
    with pytest.raises(TransferError) as failure:
        parse_listing(listing(f"f 644 1 1.0 {deep}"), "/r", RULES)
    assert failure.value.code == "transfer.tree_too_big"


def test_find_command_quotes_the_root() -> None:
    command = find_command("/home/u/my data/it's")
    assert "'/home/u/my data/it'\"'\"'s'" in command
    assert command.endswith("-printf '%y %m %s %T@ %P\\0'")


def item(path: str, size: int = 10) -> SendItem:
    return SendItem(FileEntry(path, size, 1000, 0o644), path)


def test_move_groups_chunk_per_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streamplan, "MOVE_NAMES", 2)
    groups = streamplan.move_groups([item("a"), item("d/x"), item("d/y"), item("d/z")])
    assert [(g.folder, [i.dest_path for i in g.items]) for g in groups] == [
        ("", ["a"]),
        ("d", ["d/x", "d/y"]),
        ("d", ["d/z"]),
    ]
    small, rest = streamplan.stream_candidates([item("s", 10), item("b", 2 * 1024 * 1024)])
    assert [i.dest_path for i in small] == ["s"] and [i.dest_path for i in rest] == ["b"]


def test_move_report_counts_only_well_formed_lines() -> None:
    said = "K 0\nK 2\nK 9\nK -1\nK 1x\nwelcome to the instance\nK 00000000001\n"
    assert streamplan.placed_groups(said, 3) == {0, 2}


def test_stage_cleanup_removes_only_staging_folders() -> None:
    command = streamplan.stage_cleanup("/r o", {".gpudesk-stage-ab", "data", "../x"})
    assert command == "rm -rf -- '/r o/.gpudesk-stage-ab'\n"
    assert streamplan.stage_cleanup("/r", set()) == ""


def test_ready_answer_skips_chatter_and_keeps_what_follows() -> None:
    assert streamplan.ready_answer(b"welcome\nR -z\n\x1f\x8b") == ("R -z", b"\x1f\x8b")
    assert streamplan.ready_answer(b"R \n") == ("R ", b"")
    assert streamplan.ready_answer(b"N\n") == ("N", b"")
    assert streamplan.ready_answer(b"RR \nR") == (None, b"")  # no whole ready line yet


def test_only_new_leaf_folders_of_small_files_that_fit_a_batch_are_placed_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(streamplan, "BATCH_FILES", 3)
    small = [item("new/a"), item("new/b"), item("top/sub/c"), item("mixed/s"), item("big/1")]
    small += [item("big/2"), item("big/3"), item("big/4"), item("old/x")]
    rest = [item("mixed/large", 5 * 1024 * 1024)]
    dirs = ["big", "empty", "mixed", "new", "top", "top/sub"]
    # top has a new folder below it, empty has no file, mixed has a file for SFTP, big does
    # not fit in one batch, old already exists.
    assert streamplan.whole_folders(dirs, small, rest) == {"new", "top/sub"}


def test_batches_keep_a_whole_folder_together_and_move_it_in_one_mv(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(streamplan, "BATCH_FILES", 3)
    items = [item("a"), item("w/1"), item("b"), item("w/2"), item("w/3"), item("c"), item("d")]
    cut = list(streamplan.batches(items, whole={"w"}))
    assert [[i.dest_path for i in batch] for batch in cut] == [
        ["a"],  # a whole folder is never split: it starts the next batch
        ["w/1", "w/2", "w/3"],
        ["b", "c", "d"],
    ]
    groups = streamplan.move_groups(cut[0] + cut[1], {"w"})
    assert [(g.folder, g.whole, len(g.items)) for g in groups] == [("", ["w"], 3), ("", [], 1)]
    # Without whole folders the order and the cuts are as before.
    plain = list(streamplan.batches(items))
    assert [i.dest_path for i in plain[0]] == ["a", "w/1", "b"]


def test_the_move_script_places_a_whole_folder_and_never_merges_into_one_that_appeared(
    tmp_path: Path,
) -> None:
    """Runs the generated script with the real ``sh`` and ``mv`` on local folders (what the
    instance would run), for the three cases a new folder can meet at its final name."""
    root = tmp_path / "dest"
    root.mkdir()
    stage = tmp_path / "stage"
    for name in ("fresh", "empty", "taken"):
        (stage / "f" / name).mkdir(parents=True)
        (stage / "f" / name / "data.txt").write_text(f"sent {name}")
    (root / "empty").mkdir()  # appeared meanwhile, empty: replaced
    (root / "taken").mkdir()  # appeared meanwhile with a file: left alone
    (root / "taken" / "theirs.txt").write_text("theirs")
    groups = [
        streamplan.MoveGroup("", [item(f"{name}/data.txt")], [name])
        for name in ("fresh", "empty", "taken")
    ]
    roots = Roots(local=str(tmp_path / "local"), remote=str(root), single=None)
    script = streamplan.moves_script(roots, str(stage), groups, set(), str(stage))
    done = subprocess.run(["sh"], input=script, capture_output=True, check=False)
    assert streamplan.placed_groups(done.stdout.decode(), 3) == {0, 1}
    assert (root / "fresh" / "data.txt").read_text() == "sent fresh"
    assert (root / "empty" / "data.txt").read_text() == "sent empty"
    assert sorted(p.name for p in (root / "taken").iterdir()) == ["theirs.txt"]
    assert not stage.exists()


def test_a_local_file_that_cannot_be_read_is_a_clear_error(tmp_path: Path) -> None:
    from gpudesk.core.transfer.streampush import _read_whole

    with pytest.raises(TransferError) as failure:
        _read_whole(str(tmp_path / "gone.txt"), item("data/gone.txt"))
    assert failure.value.code == "transfer.local_io_failed"
    assert "data/gone.txt" in failure.value.message and failure.value.hint
