"""Tests of gpudesk.core.store.atomicfile: atomic, locked, backed-up, idempotent writes."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from gpudesk.core.errors import FileWriteError
from gpudesk.core.store import atomicfile
from gpudesk.core.store.atomicfile import (
    BACKUP_SUFFIX,
    locked,
    read_bytes_or_none,
    read_text_file,
    write_file_atomically,
    write_json_atomically,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes and flock")


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GPUDESK_HOME", str(tmp_path / "gpudesk"))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _backup(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


def test_new_file_is_private_by_default(tmp_path: Path) -> None:
    target = tmp_path / "config"
    assert write_file_atomically(target, b"Host a\n") is True
    assert target.read_bytes() == b"Host a\n"
    assert _mode(target) == 0o600
    assert not _backup(target).exists()


def test_explicit_mode_is_exact_despite_umask(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    old = os.umask(0o077)
    try:
        write_file_atomically(target, b"{}", mode=0o644)
    finally:
        os.umask(old)
    assert _mode(target) == 0o644


def test_keeps_existing_mode(tmp_path: Path) -> None:
    target = tmp_path / "config"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    write_file_atomically(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert _mode(target) == 0o640


def test_temp_file_is_never_wider_than_the_final_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "id_config"
    target.write_bytes(b"old")
    target.chmod(0o600)
    seen: list[tuple[str, int]] = []
    real_replace = os.replace

    def spy(src: os.PathLike[str] | str, dst: os.PathLike[str] | str) -> None:
        seen.append((Path(src).name, stat.S_IMODE(os.stat(src).st_mode)))
        real_replace(src, dst)

    real_open = os.open
    created: list[int] = []

    def open_spy(path: os.PathLike[str] | str, flags: int, mode: int = 0o777, **kw: object) -> int:
        if flags & os.O_CREAT and flags & os.O_EXCL:
            created.append(mode)
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "replace", spy)
    monkeypatch.setattr(os, "open", open_spy)
    old = os.umask(0)  # the worst case: nothing narrows the creation mode
    try:
        write_file_atomically(target, b"secret stuff")
    finally:
        os.umask(old)
    assert created == [0o600, 0o600]  # backup temp + target temp, both created private
    assert [m for _, m in seen] == [0o600, 0o600]
    assert all(name.endswith(".tmp") for name, _ in seen)
    assert _mode(target) == 0o600


def test_backup_only_when_content_changes(tmp_path: Path) -> None:
    target = tmp_path / "config"
    target.write_bytes(b"one\n")
    target.chmod(0o640)
    assert write_file_atomically(target, b"two\n") is True
    assert _backup(target).read_bytes() == b"one\n"
    assert _mode(_backup(target)) == 0o640
    assert write_file_atomically(target, b"three\n") is True
    assert _backup(target).read_bytes() == b"two\n"  # one rolling backup


def test_same_bytes_twice_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    target = folder / "config"
    write_file_atomically(target, b"same\n")
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    before = os.stat(target)
    assert write_file_atomically(target, b"same\n") is False
    after = os.stat(target)
    assert after.st_mtime_ns == before.st_mtime_ns == 1_000_000_000
    assert after.st_ino == before.st_ino
    assert not _backup(target).exists()
    assert sorted(p.name for p in folder.iterdir()) == ["config"]


def test_same_bytes_with_new_mode_only_changes_mode(tmp_path: Path) -> None:
    target = tmp_path / "config"
    target.write_bytes(b"same\n")
    target.chmod(0o644)
    assert write_file_atomically(target, b"same\n", mode=0o600) is False
    assert _mode(target) == 0o600
    assert not _backup(target).exists()


def test_no_backup_when_disabled(tmp_path: Path) -> None:
    target = tmp_path / "config"
    target.write_bytes(b"one\n")
    write_file_atomically(target, b"two\n", backup=False)
    assert not _backup(target).exists()


def test_symlink_refused_with_hint(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles-config"
    real.write_bytes(b"Host x\n")
    link = tmp_path / "config"
    link.symlink_to(real)
    with pytest.raises(FileWriteError) as info:
        write_file_atomically(link, b"changed\n")
    err = info.value
    assert err.code == "file.symlink"
    assert "symbolic link" in err.message and str(real) in err.message
    assert "replace the link" in err.hint
    assert real.read_bytes() == b"Host x\n" and link.is_symlink()


def test_symlink_followed_when_allowed(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.write_bytes(b"a")
    link = tmp_path / "link"
    link.symlink_to(real)
    write_file_atomically(link, b"b", refuse_symlink=False)
    assert link.is_symlink() and real.read_bytes() == b"b"


def test_symlink_message_uses_tilde(tmp_path: Path) -> None:
    ssh = tmp_path / "home" / ".ssh"
    ssh.mkdir(parents=True)
    (ssh / "config").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(FileWriteError, match=r"^~/\.ssh/config is a symbolic link"):
        write_file_atomically(ssh / "config", b"x")


def test_read_only_file_refused(tmp_path: Path) -> None:
    target = tmp_path / "config"
    target.write_bytes(b"keep\n")
    target.chmod(0o444)
    with pytest.raises(FileWriteError) as info:
        write_file_atomically(target, b"changed\n")
    assert info.value.code == "file.read_only"
    assert "chmod u+w" in info.value.hint
    assert target.read_bytes() == b"keep\n"


def test_read_only_dir_refused_with_hint(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "config").write_bytes(b"keep\n")
    folder.chmod(0o555)
    try:
        with pytest.raises(FileWriteError) as info:
            write_file_atomically(folder / "config", b"changed\n")
    finally:
        folder.chmod(0o755)
    assert info.value.code == "file.dir_read_only"
    assert "read-only" in info.value.message
    assert "Make the folder writable" in info.value.hint
    assert sorted(p.name for p in folder.iterdir()) == ["config"]


def test_missing_dir_and_directory_target(tmp_path: Path) -> None:
    with pytest.raises(FileWriteError) as info:
        write_file_atomically(tmp_path / "nope" / "config", b"x")
    assert info.value.code == "file.dir_missing"
    (tmp_path / "adir").mkdir()
    with pytest.raises(FileWriteError) as info:
        write_file_atomically(tmp_path / "adir", b"x")
    assert info.value.code == "file.not_regular"


def test_failed_write_leaves_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "config"
    target.write_bytes(b"old\n")

    def boom(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(FileWriteError) as info:
        write_file_atomically(target, b"new\n", backup=False)
    assert info.value.code == "file.write_failed"
    assert "No space left" in info.value.message
    assert target.read_bytes() == b"old\n"
    assert not list(tmp_path.glob("*.tmp"))


def test_read_text_file_detects_crlf_bom_and_final_newline(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    target.write_bytes(b'\xef\xbb\xbf{\r\n  "a": 1\r\n}')
    text = read_text_file(target)
    assert text.exists and text.has_bom and text.is_utf8
    assert text.newline == "\r\n"
    assert text.final_newline is False
    assert text.text == '{\r\n  "a": 1\r\n}'
    assert text.encode(text.text) == target.read_bytes()
    assert text.encode(text.text, bom=False) == target.read_bytes()[3:]
    assert text.adapt_newlines("x\ny\n") == "x\r\ny\r\n"


def test_read_text_file_lf_and_missing(tmp_path: Path) -> None:
    target = tmp_path / "config"
    target.write_bytes(b"Host a\n  User b\n")
    text = read_text_file(target)
    assert (text.newline, text.has_bom, text.final_newline) == ("\n", False, True)
    assert text.adapt_newlines("x\r\ny") == "x\ny"
    missing = read_text_file(tmp_path / "absent")
    assert not missing.exists and missing.text == "" and missing.newline == "\n"


def test_non_utf8_bytes_survive_a_round_trip(tmp_path: Path) -> None:
    target = tmp_path / "config"
    original = "# 中文注释\nHost a\n".encode("gbk")
    target.write_bytes(original)
    text = read_text_file(target)
    assert text.is_utf8 is False
    assert text.encode(text.text) == original
    edited = text.encode(text.text + "Host b\n")
    assert edited == original + b"Host b\n"


def test_write_json_atomically(tmp_path: Path) -> None:
    target = tmp_path / "new" / "dir" / "state.json"
    assert write_json_atomically(target, {"b": 1, "a": "中"}) is True
    raw = target.read_bytes()
    assert raw == '{\n  "b": 1,\n  "a": "中"\n}\n'.encode()
    assert _mode(target) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert write_json_atomically(target, {"b": 1, "a": "中"}) is False


def test_write_inside_locked_does_not_deadlock(tmp_path: Path) -> None:
    target = tmp_path / "config"
    with locked(target), locked(target):
        write_file_atomically(target, b"one", timeout=1)
        write_file_atomically(target, b"two", timeout=1)
    assert target.read_bytes() == b"two"


def test_lock_is_exclusive_between_threads(tmp_path: Path) -> None:
    target = tmp_path / "config"
    with locked(target):
        errors: list[FileWriteError] = []

        def other() -> None:
            try:
                write_file_atomically(target, b"x", timeout=0.2)
            except FileWriteError as exc:
                errors.append(exc)

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert [e.code for e in errors] == ["file.locked"]
    assert not target.exists()


def _append_rounds(path: str, label: str, rounds: int) -> None:
    target = Path(path)
    for i in range(rounds):
        with locked(target):
            current = json.loads(target.read_text()) if target.exists() else []
            current.append(f"{label}-{i}")
            write_json_atomically(target, current)


def test_no_lost_update_between_threads(tmp_path: Path) -> None:
    target = tmp_path / "counter.json"
    threads = [
        threading.Thread(target=_append_rounds, args=(str(target), f"t{n}", 50)) for n in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(json.loads(target.read_text())) == 100


def test_no_lost_update_between_processes(tmp_path: Path) -> None:
    target = tmp_path / "counter.json"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_append_rounds, args=(str(target), f"p{n}", 50)) for n in range(2)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
    assert [proc.exitcode for proc in procs] == [0, 0]
    values = json.loads(target.read_text())
    assert len(values) == 100
    assert sorted(values) == sorted(f"p{n}-{i}" for n in range(2) for i in range(50))


def test_display_shortens_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert atomicfile._display(home / ".ssh" / "config") == "~/.ssh/config"
    assert atomicfile._display(tmp_path / "x") == str(tmp_path / "x")


def test_read_bytes_or_none_tells_absent_from_unreadable(tmp_path: Path) -> None:
    present = tmp_path / "config"
    present.write_bytes(b"Host a\n")
    assert read_bytes_or_none(present) == b"Host a\n"
    assert read_bytes_or_none(tmp_path / "absent") is None
    with pytest.raises(FileWriteError) as caught:
        read_bytes_or_none(tmp_path)  # a folder where a file was expected
    assert caught.value.code == "file.unreadable"
