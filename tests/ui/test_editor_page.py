"""The Editor step: alias, folder, choices, and a preview that is exactly what gets written.

Offscreen (pytest-qt). VS Code cannot run here: a stand-in ``code`` script records its argv.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from gpudesk.core.editor import editorsetup
from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.editor.vscode import VSCODE, VSCODE_DOWNLOAD_URL, Editor
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import PresentedKey, pin_name_for_address
from gpudesk.core.wizard import WizardData
from gpudesk.ui.services import Services
from gpudesk.ui.widgets.notice import Notice
from gpudesk.ui.wizard import editor_page
from gpudesk.ui.wizard.editor_page import EditorPage
from gpudesk.ui.wizard.page import WizardContext
from gpudesk.ui.wizard.registry import page_class
from tests.ui.conftest import OpenedUrls

TARGET = SshTarget("root", "connect.nmb1.seetacloud.com", 10309, platform_id="autodl")
HOST_KEY = ("ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl")


@pytest.fixture(name="no_editor")
def no_editor_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(editorsetup, "find_editors", lambda: [])


@pytest.fixture(name="fake_editor")
def fake_editor_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Editor:
    """A stand-in ``code`` (VS Code cannot run here) that records its argv in code-argv.txt."""
    script = tmp_path / "code"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{tmp_path / "code-argv.txt"}"\n')
    script.chmod(0o755)
    settings = Path(os.environ["XDG_CONFIG_HOME"]) / "Code" / "User" / "settings.json"
    editor = Editor(VSCODE, script, settings)
    monkeypatch.setattr(editorsetup, "find_editors", lambda: [editor])
    return editor


def make_page(qtbot: QtBot, tmp_path: Path, **extra: Any) -> EditorPage:
    services = Services.create()
    pin = pin_name_for_address(TARGET)
    services.host_keys.pin(pin, PresentedKey(*HOST_KEY))  # the Connect step did this
    key = tmp_path / "id_gpu"
    key.write_text("not read by this page\n")
    data = WizardData(
        target=TARGET,
        pin_name=pin,
        platform_id="autodl",
        gpu_model="NVIDIA GeForce RTX 4090",
        key_path=str(key),
    )
    for name, value in extra.items():
        setattr(data, name, value)
    page = EditorPage(WizardContext(services=services, data=data))
    qtbot.addWidget(page)
    page.on_enter()
    page.show()
    settle(qtbot, page)
    return page


def settle(qtbot: QtBot, page: EditorPage) -> None:
    """Wait for the plan of the current inputs (planned off the GUI thread, debounced)."""
    qtbot.waitUntil(lambda: not page.is_planning(), timeout=30_000)
    QApplication.processEvents()  # Qt shows widgets added to a shown page in a queued call


def notices(page: EditorPage) -> list[Notice]:
    return [n for n in page.findChildren(Notice) if n.isVisibleTo(page)]


def test_the_page_is_registered_for_the_editor_step() -> None:
    assert page_class("editor") is EditorPage


def test_suggestions_and_a_preview_before_anything_is_written(
    qtbot: QtBot, tmp_path: Path, no_editor: None, opened_urls: OpenedUrls
) -> None:
    page = make_page(qtbot, tmp_path)
    assert page.alias_edit.text() == "autodl-4090"
    assert page.workdir_edit.text() == "/root/autodl-tmp"
    config = SshConfig()
    preview = dict(page.preview())
    assert list(preview) == [config.config_path, config.entry_path("autodl-4090")]
    assert "Include " in preview[config.config_path]
    entry_text = preview[config.entry_path("autodl-4090")]
    assert "HostName connect.nmb1.seetacloud.com" in entry_text
    assert f"IdentityFile {tmp_path / 'id_gpu'}" in entry_text
    assert not config.config_path.exists() and not config.directory.exists()  # nothing written
    assert page.preview_text.toPlainText() == preview[config.config_path]
    page.preview_files.setCurrentRow(1)
    assert page.preview_text.toPlainText() == entry_text
    assert page.is_valid()

    missing = page.findChild(Notice, "vscodeMissing")
    assert missing is not None and "ms-vscode-remote.remote-ssh" in missing.text()
    assert not page.open_box.isEnabled()
    page.findChild(QPushButton, "downloadVscodeButton").click()
    assert opened_urls.urls == [VSCODE_DOWNLOAD_URL]


def test_next_writes_exactly_the_preview_and_opens_vscode(
    qtbot: QtBot, tmp_path: Path, fake_editor: Editor
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    page = make_page(qtbot, tmp_path)
    page.alias_edit.setText("my-gpu")
    page.sftp_box.setChecked(True)
    page.sftp_edit.setText(str(project))
    settle(qtbot, page)
    page.open_box.setChecked(True)
    settle(qtbot, page)
    preview = page.preview()
    paths = [p for p, _ in preview]
    assert fake_editor.settings_path in paths and project / ".vscode" / "sftp.json" in paths
    assert all(not p.exists() for p in paths)

    page.apply()
    with qtbot.waitSignal(page.completed, timeout=30_000):
        assert page.submit()
    for path, text in preview:
        assert path.read_bytes() == text.encode("utf-8")
    data = page.context.data
    assert data.alias == "my-gpu" and data.workdir == "/root/autodl-tmp"
    assert data.host_key_alias is not None
    pin = page.context.services.host_keys.lookup(data.host_key_alias)
    assert pin is not None and pin.key_base64 == HOST_KEY[1]  # ssh finds it via HostKeyAlias
    argv = (tmp_path / "code-argv.txt").read_text().splitlines()
    assert argv == ["--folder-uri", "vscode-remote://ssh-remote+my-gpu/root/autodl-tmp"]

    page.on_enter()  # back and forth: everything is in place now
    settle(qtbot, page)
    assert page.preview() == []
    assert "Nothing to write" in page.preview_text.toPlainText()


def test_bad_or_taken_alias_blocks_next(qtbot: QtBot, tmp_path: Path, no_editor: None) -> None:
    page = make_page(qtbot, tmp_path)
    page.alias_edit.setText("gpu *")
    settle(qtbot, page)
    assert not page.is_valid() and page.alias_feedback.text()
    assert page.preview() == []
    page.alias_edit.setText("fine-name")
    assert not page.is_valid()  # until the plan for the new name is in
    settle(qtbot, page)
    assert page.is_valid() and not page.alias_feedback.text()


def test_a_bom_in_the_ssh_config_is_shown_and_blocks(
    qtbot: QtBot, tmp_path: Path, no_editor: None
) -> None:
    config = SshConfig().config_path
    config.parent.mkdir(parents=True)
    config.write_bytes(b"\xef\xbb\xbfHost x\n")
    page = make_page(qtbot, tmp_path)
    assert not page.is_valid()
    assert any("byte order mark" in n.text() for n in notices(page))
    page.ssh_box.setChecked(False)  # without the ssh part there is nothing in the way
    settle(qtbot, page)
    assert page.is_valid()
    assert config.read_bytes() == b"\xef\xbb\xbfHost x\n"


def test_broken_vscode_settings_only_warn(
    qtbot: QtBot, tmp_path: Path, fake_editor: Editor
) -> None:
    fake_editor.settings_path.parent.mkdir(parents=True)
    fake_editor.settings_path.write_text('{"a": 1 "b": 2}')
    page = make_page(qtbot, tmp_path)
    assert page.is_valid()
    assert [n.level for n in notices(page)] == ["warning"]
    assert fake_editor.settings_path not in [p for p, _ in page.preview()]


def test_sftp_needs_a_folder(qtbot: QtBot, tmp_path: Path, no_editor: None) -> None:
    page = make_page(qtbot, tmp_path)
    page.sftp_box.setChecked(True)
    settle(qtbot, page)
    assert not page.is_valid()
    page.sftp_edit.setText(str(tmp_path))
    settle(qtbot, page)
    assert page.is_valid()
    assert tmp_path / ".vscode" / "sftp.json" in [p for p, _ in page.preview()]


def test_a_file_changed_after_the_preview_is_not_overwritten(
    qtbot: QtBot, tmp_path: Path, no_editor: None
) -> None:
    page = make_page(qtbot, tmp_path)
    config = SshConfig().config_path
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("Host late\n")  # someone edits the file after the preview was shown
    page.apply()
    assert page.submit()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30_000)
    settle(qtbot, page)
    error = page.findChild(Notice, "writeError")
    assert error is not None
    assert config.read_text() == "Host late\n"
    assert "Host late" in page.preview()[0][1]  # the preview was made again from the new file


def test_skipping_writes_nothing(qtbot: QtBot, tmp_path: Path, no_editor: None) -> None:
    page = make_page(qtbot, tmp_path)
    page.alias_edit.setText("gpu *")
    page.skip_box.setChecked(True)
    settle(qtbot, page)
    assert page.is_valid() and page.preview() == []
    assert not page.ssh_box.isEnabled()
    page.apply()
    assert not page.submit()  # the wizard moves on at once
    assert not SshConfig().config_path.exists()


def test_typing_plans_once_after_the_pause_and_off_the_gui_thread(
    qtbot: QtBot, tmp_path: Path, no_editor: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten keystrokes make one plan, and it is made on a worker thread, not the GUI's."""
    page = make_page(qtbot, tmp_path)
    threads: list[bool] = []
    real_plan = editor_page.plan_editor_setup

    def counting_plan(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread() is threading.main_thread())
        return real_plan(*args, **kwargs)

    monkeypatch.setattr(editor_page, "plan_editor_setup", counting_plan)
    for length in range(1, 11):
        page.alias_edit.setText("typed-name"[:length])
    assert not page.is_valid()  # the preview is stale until the new plan is in
    settle(qtbot, page)
    assert threads == [False]
    assert page.is_valid()
    assert SshConfig().entry_path("typed-name") in [p for p, _ in page.preview()]
