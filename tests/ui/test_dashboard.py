"""The dashboard: live rows, actions, edits, service health, quitting, settings.

Real parts: the test sshd (tunnels, GPU samples through the stand-in nvidia-smi, a fake
only because there is no GPU here), real HTTP services behind the tunnels, real files in the
temporary HOME. The terminal is a stand-in script (there is no desktop terminal here) that
records the argv it was started with; ``ssh -G`` is the judge of what ``ssh ALIAS`` does.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.ssh.hostkeys import HostKeyStore
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.store.secrets import secret_name
from gpudesk.core.store.settings import load_settings
from gpudesk.core.tunnels.savedtunnels import BookEntry, SavedTunnel
from gpudesk.ui.dialogs.instance_edit import RemoveDialog, RenameDialog
from gpudesk.ui.dialogs.settings_dialog import SettingsDialog
from gpudesk.ui.services import Services
from gpudesk.ui.tray_texts import TrayTexts
from gpudesk.ui.widgets.instance_actions import Action
from tests.integration.tunnel_services import HTTP_BODY, http_get, http_service
from tests.testbed.fixtures import FakeNvidiaSmi
from tests.testbed.sshd import SshdServer
from tests.ui.dashboard_rig import (
    WAIT_MS,
    Dashboard,
    dash_fixture,
    saved_instance,
    ssh_settings,
)

ALIAS = "box-4090"
__all__ = ["dash_fixture"]  # the shared fixture, used by name


def add_port(qtbot: QtBot, board: Dashboard, remote: int) -> str:
    panel = board.panel
    panel.local_port.setValue(0)
    panel.remote_port.setValue(remote)
    panel.add_button.click()
    tunnel_id = panel.tunnel_ids()[-1]
    qtbot.waitUntil(lambda: panel.state_text(tunnel_id) == "Up", timeout=WAIT_MS)
    return tunnel_id


@pytest.mark.sshd
def test_a_row_shows_live_gpu_memory_time_up_and_the_trays_cost(
    qtbot: QtBot,
    dash: Dashboard,
    services: Services,
    sshd: SshdServer,
    fake_nvidia_smi: FakeNvidiaSmi,
) -> None:
    fake_nvidia_smi.set(gpus=[{"utilization.gpu": 87, "memory.used": 10445, "memory.total": 24564}])
    saved_instance(services, sshd, ALIAS, price=1.98)
    dash.window.refresh_instances(select=ALIAS)
    assert dash.cell(ALIAS, 4) == "" and "not watched" in dash.window.details.gpu_label.text()
    with http_service() as web:
        add_port(qtbot, dash, web)
        qtbot.waitUntil(lambda: dash.cell(ALIAS, 4) == "87 %", timeout=WAIT_MS)
    assert dash.cell(ALIAS, 5) == "10.2/24.0 GiB"
    dash.window.refresh_states()
    (section,) = [s for s in dash.controller.menu_model().sections if s.alias == ALIAS]
    assert section.reading is not None and section.reading.cost is not None
    texts = TrayTexts()
    # The row and the header say exactly what the tray's header line says.
    tray_line = texts.header(section)
    assert dash.window.details.gpu_label.text() in tray_line
    assert tray_line.startswith(f"{ALIAS} · GPU 87 % · 10.2/24.0 GiB · up ")
    assert dash.cell(ALIAS, 7) == texts.money(section.reading.cost)
    assert dash.cell(ALIAS, 6) == texts.duration(section.up_for_s or 0.0)
    assert dash.cell(ALIAS, 3) == "1 tunnel up"


@pytest.mark.sshd
def test_a_dead_service_behind_an_up_tunnel_shows_as_down_and_is_not_added_twice(
    qtbot: QtBot, dash: Dashboard, services: Services, sshd: SshdServer
) -> None:
    saved_instance(services, sshd, ALIAS)
    dash.window.refresh_instances(select=ALIAS)
    panel = dash.panel
    with http_service() as web:
        tunnel_id = add_port(qtbot, dash, web)
        qtbot.waitUntil(lambda: panel.service_text(tunnel_id) == "Service answers", timeout=WAIT_MS)
        assert http_get(dash.controller.supervisor.status(tunnel_id).spec.local_port) == HTTP_BODY
        panel.remote_port.setValue(web)
        panel.add_button.click()
        assert panel.tunnel_ids() == [tunnel_id]  # the same service is not listed twice
        assert "already forwarded" in panel.message.text()
    panel.watch.probe_now()  # the service on the instance is gone; the tunnel is still up
    qtbot.waitUntil(lambda: panel.service_text(tunnel_id) == "Service down", timeout=WAIT_MS)
    assert panel.state_text(tunnel_id) == "Up"
    assert panel.reason_text(tunnel_id).startswith("Connected")
    assert f"Nothing answers on port {web} of the instance." in panel.reason_text(tunnel_id)


@pytest.mark.sshd
def test_a_hand_added_port_to_the_same_service_goes_when_the_app_tunnel_opens(
    qtbot: QtBot, dash: Dashboard, services: Services, sshd: SshdServer
) -> None:
    saved_instance(services, sshd, ALIAS)
    dash.window.refresh_instances(select=ALIAS)
    with http_service() as web:
        custom = add_port(qtbot, dash, web)
        instance = services.instances.require(ALIAS)
        board = SavedTunnel("TensorBoard", 0, web, kind="tensorboard")
        controller = dash.controller
        app_tunnel = controller.supervisor.add(ALIAS, controller.connector(instance), board.spec)
        controller.book.add(BookEntry(app_tunnel, ALIAS, board))
        controller.tensorboard_opened.emit(ALIAS, "http://127.0.0.1:1/")  # as after opening it
        qtbot.waitUntil(lambda: dash.panel.tunnel_ids() == [app_tunnel], timeout=WAIT_MS)
    assert [e.tunnel_id for e in controller.book.of_instance(ALIAS)] == [app_tunnel]
    qtbot.waitUntil(  # stopped and forgotten in the background
        lambda: custom not in {s.tunnel_id for s in controller.supervisor.tunnels(ALIAS)},
        timeout=WAIT_MS,
    )


@pytest.fixture
def stand_in_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``x-terminal-emulator`` on PATH that records its argv (no desktop terminal here)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    record = tmp_path / "terminal-argv"
    script = folder / "x-terminal-emulator"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {record}\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("TERMINAL", raising=False)
    return record


@pytest.mark.sshd
def test_copy_ssh_command_and_open_a_terminal_running_ssh_alias(
    qtbot: QtBot, dash: Dashboard, services: Services, sshd: SshdServer, stand_in_terminal: Path
) -> None:
    saved_instance(services, sshd, ALIAS)
    dash.window.refresh_instances(select=ALIAS)
    actions = dash.window.details.action_bar
    actions.trigger(Action.COPY_SSH)
    assert QGuiApplication.clipboard().text() == f"ssh {ALIAS}"
    actions.trigger(Action.TERMINAL)
    qtbot.waitUntil(stand_in_terminal.exists, timeout=WAIT_MS)
    assert stand_in_terminal.read_text().split() == ["-e", "ssh", ALIAS]
    shown = ssh_settings(ALIAS)  # what that `ssh ALIAS` does, judged by OpenSSH itself
    assert f"port {sshd.port}" in shown and "hostname 127.0.0.1" in shown


def test_open_in_vs_code_runs_the_editor_on_the_instances_folder(
    qtbot: QtBot,
    dash: Dashboard,
    services: Services,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A stand-in ``code`` on PATH (there is no VS Code here) records how it was started."""
    from tests.ui.test_main_window import add_instance

    folder = tmp_path / "vscode-bin"
    folder.mkdir()
    record = tmp_path / "code-argv"
    (folder / "code").write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {record}\n')
    (folder / "code").chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    instance = add_instance("autodl-4090")
    from gpudesk.core.editor.sshentry import HostEntry

    SshConfig().write(HostEntry.from_instance(instance))
    dash.window.refresh_instances(select="autodl-4090")
    with qtbot.waitSignal(dash.controller.editor_opened, timeout=WAIT_MS):
        dash.window.details.action_bar.trigger(Action.EDITOR)
    argv = record.read_text().split()
    assert argv[0] == "--folder-uri"
    assert argv[1].startswith("vscode-remote://ssh-remote+autodl-4090/")
    assert "VS Code" in dash.window.statusBar().currentMessage()


def test_rename_then_remove_list_everything_first(
    qtbot: QtBot, dash: Dashboard, services: Services, tmp_path: Path
) -> None:
    from tests.ui.test_main_window import add_instance

    instance = add_instance("autodl-4090")
    from gpudesk.core.editor.sshentry import HostEntry

    SshConfig().write(HostEntry.from_instance(instance))
    services.secrets.set(secret_name("password", instance.instance_id), "not-shown")
    dash.window.refresh_instances(select="autodl-4090")
    # The desk's instance list refreshes on a worker thread: wait for it to know the new one.
    qtbot.waitUntil(lambda: dash.controller.instance("autodl-4090") is not None, timeout=WAIT_MS)

    dash.window.details.action_bar.trigger(Action.RENAME)
    rename = dash.window.findChild(RenameDialog)
    assert rename is not None
    rename.alias_edit.setText("has space")
    assert not rename.ok_button.isEnabled() and rename.error_label.isVisible()
    rename.alias_edit.setText("my-4090")
    rename.ok_button.click()
    qtbot.waitUntil(
        lambda: [i.alias for i in dash.window.instance_model.instances] == ["my-4090"],
        timeout=WAIT_MS,
    )
    assert dash.window.selected_instance() is not None
    assert SshConfig().entry_path("my-4090").exists()
    assert not SshConfig().entry_path("autodl-4090").exists()

    dash.window.details.action_bar.trigger(Action.REMOVE)
    dialogs = [d for d in dash.window.findChildren(RemoveDialog) if d.isVisible()]
    assert len(dialogs) == 1
    items = dialogs[0].items()
    assert items[0].startswith("the saved instance (root@")
    assert any("ssh alias" in item and "my-4090.conf" in item for item in items)
    assert "from the keyring: its login password" in items
    assert InstanceStore().get("my-4090") is not None  # listing removed nothing
    dialogs[0].remove_button.click()
    qtbot.waitUntil(lambda: dash.window.instance_model.instances == [], timeout=WAIT_MS)
    assert not SshConfig().entry_path("my-4090").exists()
    assert services.secrets.get(secret_name("password", instance.instance_id)) is None
    assert HostKeyStore().lookup(instance.host_key_alias) is None


def answer_quit_box(dash: Dashboard, button: QMessageBox.StandardButton) -> None:
    def press() -> None:
        box = getattr(dash.window, "quit_box", None)
        if box is None or not box.isVisible():
            QTimer.singleShot(50, press)
            return
        box.button(button).click()

    QTimer.singleShot(50, press)


@pytest.mark.sshd
def test_quitting_with_tunnels_up_asks_and_they_come_back_next_time(
    qtbot: QtBot, dash: Dashboard, services: Services, sshd: SshdServer
) -> None:
    saved_instance(services, sshd, ALIAS)
    saved_instance(services, sshd, "idle-box")
    dash.window.refresh_instances(select=ALIAS)
    quits: list[bool] = []
    dash.window.quit_handler = lambda: quits.append(True)
    with http_service() as web:
        add_port(qtbot, dash, web)
        # Remembered as it happens, so the tray's Quit (which does not ask) keeps it too.
        qtbot.waitUntil(lambda: InstanceStore().require(ALIAS).auto_connect, timeout=WAIT_MS)
        answer_quit_box(dash, QMessageBox.StandardButton.Cancel)
        dash.window.on_quit_action_triggered()
        assert quits == [] and "box-4090" in dash.window.quit_box.text()
        answer_quit_box(dash, QMessageBox.StandardButton.Yes)
        dash.window.on_quit_action_triggered()
    assert quits == [True]
    saved = {i.alias: i.auto_connect for i in InstanceStore().list()}
    assert saved == {ALIAS: True, "idle-box": False}


def test_nothing_running_quits_without_asking(dash: Dashboard) -> None:
    quits: list[bool] = []
    dash.window.quit_handler = lambda: quits.append(True)
    dash.window.on_quit_action_triggered()
    assert quits == [True]


def test_settings_hold_the_idle_rule_and_restoring_tunnels(qtbot: QtBot, dash: Dashboard) -> None:
    dash.window.settings_action.trigger()
    dialog = dash.window.findChild(SettingsDialog)
    assert dialog is not None
    assert dialog.restore_box.isChecked()  # the default
    dialog.idle_threshold_spin.setValue(12)
    dialog.idle_minutes_spin.setValue(45)
    dialog.restore_box.setChecked(False)
    dialog.accept()
    settings = load_settings()
    assert (settings.idle_threshold_pct, settings.idle_minutes) == (12, 45)
    assert not settings.restore_tunnels
    assert dash.controller.hub.rule.threshold_pct == 12
    assert dash.controller.hub.rule.window_s == 45 * 60
