"""Write locks never follow a link and leave nothing behind beside the user's files.

Real files in the temporary HOME: ``~/.ssh/config`` (through :class:`SshConfig`), VS Code's
``User/settings.json`` and a project's ``.vscode/sftp.json``.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from gpudesk.core.editor.sftpjson import SftpTarget, write_sftp_json
from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.editor.sshentry import HostEntry
from gpudesk.core.editor.vscode import VSCODE, set_remote_platform, settings_path
from gpudesk.core.errors import FileWriteError
from gpudesk.core.store.atomicfile import locked, write_file_atomically

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX links and flock")


def lock_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".lock"))


def test_no_lock_file_is_left_in_ssh_vscode_user_or_the_project(
    isolated_user_dirs: Path, tmp_path: Path
) -> None:
    config = SshConfig()
    config.write(
        HostEntry("box", "example.com", 22, "root", None, "gpudesk-0123456789ab",
                  str(tmp_path / "known_hosts"))
    )  # fmt: skip
    settings = settings_path(VSCODE)
    settings.parent.mkdir(parents=True)
    settings.write_text("{\n    // mine\n}\n")
    set_remote_platform(settings, "box")
    project = tmp_path / "project"
    project.mkdir()
    write_sftp_json(project, SftpTarget("box", "example.com", 22, "root", None, "/root/work"))
    for folder in (config.config_path.parent, config.directory, settings.parent,
                   project / ".vscode"):  # fmt: skip
        assert lock_files(folder) == [], folder


def test_a_planted_lock_link_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    target = tmp_path / "config"
    (tmp_path / "config.lock").symlink_to(victim)
    with pytest.raises(FileWriteError) as caught:
        write_file_atomically(target, b"new")
    assert caught.value.code == "file.lock_is_link"
    assert victim.read_bytes() == b"precious" and not target.exists()
    dangling = tmp_path / "other.lock"
    dangling.symlink_to(tmp_path / "created-through-the-link")
    with pytest.raises(FileWriteError):
        write_file_atomically(tmp_path / "other", b"new")
    assert not (tmp_path / "created-through-the-link").exists()


def test_the_lock_still_excludes_while_files_come_and_go(tmp_path: Path) -> None:
    """Many threads increment a counter under the lock: none is lost, no lock file stays."""
    folder = tmp_path / "shared"
    folder.mkdir()
    target = folder / "counter"
    write_file_atomically(target, b"0", backup=False)

    def bump() -> None:
        for _ in range(25):
            with locked(target):
                value = int(target.read_bytes())
                write_file_atomically(target, str(value + 1).encode(), backup=False)

    threads = [threading.Thread(target=bump) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert int(target.read_bytes()) == 150
    assert os.listdir(folder) == ["counter"]
