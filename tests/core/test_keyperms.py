"""Key and config permissions (gpudesk.core.keys.keyperms): POSIX modes, and Windows argv lists.

The Windows path cannot run here: the exact ``whoami``/``icacls`` argument lists and the SID
parsing are checked with recorded ``whoami /user /fo csv /nh`` output and a fake runner.
"""

from __future__ import annotations

import stat
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from gpudesk.core.errors import FileWriteError, InputError
from gpudesk.core.keys import keyperms
from gpudesk.core.keys.keyperms import (
    FileKind,
    create_private_file,
    current_user_sid,
    ensure_ssh_dir,
    icacls_argv,
    parse_whoami_sid,
    permission_problems,
    repair_permissions,
    whoami_argv,
)
from tests.keymaterial import fresh_private_key_bytes

SID = "S-1-5-21-3623811015-3361044348-30300820-1013"
WHOAMI = r"C:\Windows\System32\whoami.exe"
ICACLS = r"C:\Windows\System32\icacls.exe"

#: Real ``whoami /user /fo csv /nh`` rows (Windows 10/11, a local, a domain and a Chinese user).
RECORDED_WHOAMI = [
    (f'"desktop-7k3q2lm\\alice","{SID}"\r\n', SID),
    ('"corp\\bob.smith","S-1-5-21-1004336348-1177238915-682003330-512"\r\n',
     "S-1-5-21-1004336348-1177238915-682003330-512"),
    ('"laptop\\张伟","S-1-5-21-1-2-3-1001"\r\n', "S-1-5-21-1-2-3-1001"),
    ('"pc\\o\'brien, jr","S-1-5-21-9-8-7-1002"\r\n', "S-1-5-21-9-8-7-1002"),
    ('\ufeff"azuread\\carol","S-1-12-1-1234-5678-9012-3456"\n', "S-1-12-1-1234-5678-9012-3456"),
]  # fmt: skip


class FakeRunner:
    """Records argv lists and answers like whoami/icacls would."""

    def __init__(self, whoami_output: str = RECORDED_WHOAMI[0][0], fail: str = "") -> None:
        self.calls: list[list[str]] = []
        self.whoami_output = whoami_output
        self.fail = fail

    def __call__(self, argv: Sequence[str]) -> subprocess.CompletedProcess[bytes]:
        self.calls.append(list(argv))
        if self.fail and self.fail in argv[0]:
            return subprocess.CompletedProcess(argv, 5, b"", b"Access is denied.")
        out = self.whoami_output.encode("utf-8") if "whoami" in argv[0] else b"processed 1 file"
        return subprocess.CompletedProcess(argv, 0, out, b"")


@pytest.fixture(name="windows")
def windows_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyperms, "_is_windows", lambda: True)
    monkeypatch.setenv("SYSTEMROOT", r"C:\Windows")


# --- Windows: SID lookup and icacls -----------------------------------------------------


@pytest.mark.parametrize(("output", "sid"), RECORDED_WHOAMI)
def test_sid_is_parsed_from_recorded_whoami_output(output: str, sid: str) -> None:
    assert parse_whoami_sid(output) == sid


@pytest.mark.parametrize("output", ["", "ERROR: access denied\r\n", '"pc\\alice","alice"'])
def test_whoami_output_without_a_sid_is_an_error(output: str) -> None:
    with pytest.raises(InputError, match="no SID"):
        parse_whoami_sid(output)


def test_whoami_argv_is_system32_whoami_with_csv_options(windows: None) -> None:
    assert whoami_argv() == [WHOAMI, "/user", "/fo", "csv", "/nh"]


def test_current_user_sid_runs_whoami_and_reports_failure(windows: None) -> None:
    runner = FakeRunner()
    assert current_user_sid(runner) == SID
    assert runner.calls == [[WHOAMI, "/user", "/fo", "csv", "/nh"]]
    with pytest.raises(FileWriteError, match="whoami exited with 5"):
        current_user_sid(FakeRunner(fail="whoami"))


def test_icacls_argv_removes_inheritance_and_grants_by_sid(windows: None) -> None:
    key = Path(r"C:\Users\alice\.ssh\id_ed25519")
    assert icacls_argv(key, SID) == [
        ICACLS, str(key), "/inheritance:r", "/grant:r",
        f"*{SID}:(R)", "*S-1-5-18:(F)", "*S-1-5-32-544:(F)",
    ]  # fmt: skip
    assert icacls_argv(key, SID, FileKind.CONFIG)[4] == f"*{SID}:(M)"
    assert icacls_argv(key, SID, writable=True)[4] == f"*{SID}:(M)"


@pytest.mark.parametrize("bad", ["alice", "", "S-1-5-21-1 /grant Everyone:F", "*S-1-5-18"])
def test_icacls_refuses_anything_but_a_sid(windows: None, bad: str) -> None:
    with pytest.raises(InputError):
        icacls_argv(Path("k"), bad)


def test_new_key_on_windows_is_restricted_before_the_secret_is_written(
    windows: None, tmp_path: Path
) -> None:
    path = tmp_path / "id_ed25519"
    seen_sizes: list[int] = []
    runner = FakeRunner()

    def watching(argv: Sequence[str]) -> subprocess.CompletedProcess[bytes]:
        if "icacls" in argv[0]:
            seen_sizes.append(path.stat().st_size)
        return runner(argv)

    create_private_file(path, b"SECRET KEY", runner=watching)
    assert path.read_bytes() == b"SECRET KEY"
    assert runner.calls == [
        [WHOAMI, "/user", "/fo", "csv", "/nh"],
        [ICACLS, str(path), "/inheritance:r", "/grant:r", f"*{SID}:(M)", "*S-1-5-18:(F)",
         "*S-1-5-32-544:(F)"],
        [ICACLS, str(path), "/inheritance:r", "/grant:r", f"*{SID}:(R)", "*S-1-5-18:(F)",
         "*S-1-5-32-544:(F)"],
    ]  # fmt: skip
    assert seen_sizes == [0, len(b"SECRET KEY")]  # empty while its access was still wide


def test_failed_icacls_removes_the_new_file_and_says_how_to_fix(
    windows: None, tmp_path: Path
) -> None:
    path = tmp_path / "id_ed25519"
    with pytest.raises(FileWriteError) as caught:
        create_private_file(path, b"SECRET", runner=FakeRunner(fail="icacls"))
    assert caught.value.code == "keyperms.icacls_failed"
    assert "Access is denied" in caught.value.message
    assert "icacls" in caught.value.hint
    assert not path.exists()


def test_repair_on_windows_resets_then_restricts(windows: None, tmp_path: Path) -> None:
    key = tmp_path / "id_rsa"
    key.write_bytes(fresh_private_key_bytes())
    runner = FakeRunner()
    report = repair_permissions(key, runner=runner)
    assert report.changed
    assert runner.calls[1:] == [
        [ICACLS, str(key), "/reset"],
        [ICACLS, str(key), "/inheritance:r", "/grant:r", f"*{SID}:(R)", "*S-1-5-18:(F)",
         "*S-1-5-32-544:(F)"],
    ]  # fmt: skip
    config = tmp_path / "config"
    config.write_text("Host x\n")
    runner = FakeRunner()
    repair_permissions(config, FileKind.CONFIG, runner=runner, user_sid=SID)
    assert [call[4] for call in runner.calls if "/grant:r" in call] == [f"*{SID}:(M)"]
    assert all("whoami" not in call[0] for call in runner.calls)


def test_no_tool_ever_runs_through_a_shell() -> None:
    source = Path(keyperms.__file__).read_text(encoding="utf-8")
    assert "shell=True" not in source
    assert "os.system" not in source


# --- POSIX ------------------------------------------------------------------------------


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_repair_changes_only_the_key_and_a_sticky_shared_folder_stays_1777(
    tmp_path: Path,
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    key = shared / "id_rsa"
    key.write_bytes(fresh_private_key_bytes())
    key.chmod(0o664)
    report = repair_permissions(key)
    assert report.actions == (f"chmod 600 {key}",)
    assert mode_of(key) == 0o600
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777


@pytest.mark.parametrize(
    "content", ["shopping list\n", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA user@host\n", ""]
)
def test_repair_refuses_a_file_that_is_not_a_private_key(tmp_path: Path, content: str) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(content)
    path.chmod(0o666)
    tmp_path.chmod(0o777)
    with pytest.raises(InputError) as caught:
        repair_permissions(path)
    assert caught.value.code == "keyperms.not_a_key"
    assert (mode_of(path), mode_of(tmp_path)) == (0o666, 0o777)


def test_repair_makes_a_readable_key_private(tmp_path: Path) -> None:
    ssh_dir = tmp_path / ".ssh"
    ssh_dir.mkdir()
    ssh_dir.chmod(0o777)
    key = ssh_dir / "id_ed25519"
    key.write_bytes(fresh_private_key_bytes())
    key.chmod(0o644)
    assert len(permission_problems(key)) == 2
    report = repair_permissions(key)
    assert report.changed
    assert report.actions == (f"chmod 600 {key}",)
    # Only the key file changes; the folder's problem is still reported, not "fixed".
    assert (mode_of(key), mode_of(ssh_dir)) == (0o600, 0o777)
    assert len(permission_problems(key)) == 1
    again = repair_permissions(key)
    assert (again.changed, again.actions) == (False, ())


def test_a_group_readable_config_is_fine_but_a_writable_one_is_not(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.write_text("Host x\n")
    config.chmod(0o644)
    tmp_path.chmod(0o700)
    assert permission_problems(config, FileKind.CONFIG) == []
    config.chmod(0o664)
    assert permission_problems(config, FileKind.CONFIG)
    repair_permissions(config, FileKind.CONFIG)
    assert mode_of(config) == 0o600


def test_repair_of_a_missing_file_or_folder_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be found"):
        repair_permissions(tmp_path / "missing")
    with pytest.raises(InputError, match="not a regular file"):
        repair_permissions(tmp_path)


def test_ensure_ssh_dir(tmp_path: Path) -> None:
    ssh_dir = tmp_path / ".ssh"
    assert ensure_ssh_dir(ssh_dir) is True
    assert mode_of(ssh_dir) == 0o700
    ssh_dir.chmod(0o755)
    assert ensure_ssh_dir(ssh_dir) is False
    assert mode_of(ssh_dir) == 0o700
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(FileWriteError, match="not a folder"):
        ensure_ssh_dir(blocker)


def test_create_private_file_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "k"
    create_private_file(path, b"one")
    assert mode_of(path) == 0o600
    with pytest.raises(InputError, match="never overwrites"):
        create_private_file(path, b"two")
    assert path.read_bytes() == b"one"
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(InputError):
        create_private_file(link, b"three")
    assert not (tmp_path / "elsewhere").exists()
