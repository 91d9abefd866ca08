"""The whole wizard against the REAL test sshd: platform, GPU, image, connect, save.

A user chooses 潞晨云 (reached by a bare IP, like the test server), estimates memory, picks
the RTX 4090 and a PyTorch 2.1 image, pastes ``ssh -p PORT USER@127.0.0.1`` and the
password, trusts the host key in the dialog, reads the check result (the stand-in
nvidia-smi reports an RTX 4090) and finishes. The instance is then in the window's list and
in instances.json, its host key pinned under its own name, and the password nowhere in a
file under HOME or GPUDESK_HOME.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from gpudesk.core import paths
from gpudesk.core.ssh.hostkeys import HostKeyStore
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.store.secrets import KeyringSecretStore, secret_name
from gpudesk.core.store.settings import load_state
from gpudesk.core.wizard import STATE_KEY, STEPS, StepId
from gpudesk.ui import asyncwork
from gpudesk.ui.main_window import MainWindow
from gpudesk.ui.widgets.notice import Notice
from gpudesk.ui.wizard.connect_page import ConnectPage
from gpudesk.ui.wizard.summary_page import SummaryPage
from tests.clihelpers import files_containing
from tests.testbed.fixtures import FakeNvidiaSmi
from tests.testbed.sshd import SshdServer, TestUser
from tests.ui import driver
from tests.ui.driver import TIMEOUT_MS, click, next_step, page

pytestmark = pytest.mark.sshd


def command_for(sshd: SshdServer, user: TestUser) -> str:
    return f"ssh -p {sshd.port} {user.name}@127.0.0.1"


def test_the_whole_flow_saves_a_checked_instance(
    qtbot: QtBot,
    window: MainWindow,
    sshd: SshdServer,
    test_user: TestUser,
    fake_nvidia_smi: FakeNvidiaSmi,
    isolated_user_dirs: Path,
) -> None:
    wizard = driver.open_wizard(qtbot, window)
    assert driver.at(wizard, StepId.PLATFORM)
    assert not wizard.next_button.isEnabled()
    driver.choose_platform(qtbot, wizard, "luchen")
    next_step(qtbot, wizard)

    gpus = driver.choose_gpu(qtbot, wizard, "RTX 4090", size_b=7.0, task_index=3)  # LoRA
    assert "GB" in gpus.estimate_label.text()
    assert "7 B parameters × 2.16 bytes" in gpus.formula_label.text()
    gpus.price_spin.setValue(1.98)
    next_step(qtbot, wizard)

    images = driver.choose_image(qtbot, wizard, "pytorch-2.1-cu121")
    assert "supports the RTX 4090" in images.compat_title.text() + " ".join(
        notice.text() for notice in images.compat_host.findChildren(Notice)
    )
    next_step(qtbot, wizard)

    connect = driver.paste_login(
        qtbot, wizard, command_for(sshd, test_user), test_user.password, remember=True
    )
    assert str(sshd.port) in connect.parsed_label.text()
    assert not wizard.next_button.isEnabled()
    click(qtbot, connect.check_button)
    assert connect.cancel_button.isVisible() and connect.is_busy()
    assert not wizard.back_button.isEnabled()
    shown = driver.trust_host_key(qtbot, connect)
    assert shown == sshd.host_key_fingerprint()
    driver.wait_for_check(qtbot, connect)
    assert connect.result is not None, connect.messages.count()
    text = connect.result_view.text()
    assert "NVIDIA GeForce RTX 4090" in text
    assert "newly trusted" in text
    assert "matches your choices" in text or "flag" not in text
    assert connect.result_view.findChild(Notice, "flag_gpu_differs") is None
    assert wizard.next_button.isEnabled()
    next_step(qtbot, wizard)
    assert wizard.context.data.password == test_user.password  # in memory only
    assert test_user.password not in repr(wizard.flow)
    driver.skip_to_summary(qtbot, wizard)

    summary = page(wizard, SummaryPage)
    assert summary.alias_edit.text() == "luchen-4090"
    assert wizard.next_button.text() == "Finish"
    with qtbot.waitSignal(wizard.finished, timeout=TIMEOUT_MS) as finished:
        next_step(qtbot, wizard)
    assert finished.args == ["luchen-4090"]

    assert window.stack.currentWidget() is window.home
    model = window.instance_model
    assert [i.alias for i in model.instances] == ["luchen-4090"]
    assert model.data(model.index(0, 1)) == "Luchen Cloud"
    assert model.data(model.index(0, 2)) == "NVIDIA GeForce RTX 4090"
    assert window.instance_table.selectionModel().selectedRows()[0].row() == 0

    saved = InstanceStore().get("luchen-4090")
    assert saved is not None
    assert saved.target.port == sshd.port and saved.platform_id == "luchen"
    assert saved.price_per_hour == pytest.approx(1.98)
    assert saved.workdir == "/root/notebook"
    pin = HostKeyStore().lookup(saved.host_key_alias)
    assert pin is not None and pin.fingerprint == sshd.host_key_fingerprint()
    stored = KeyringSecretStore().get(secret_name("password", saved.host_key_alias))
    assert stored == test_user.password
    secret = test_user.password.encode()
    assert files_containing(paths.config_dir().parent, secret) == []
    assert files_containing(isolated_user_dirs, secret) == []
    assert STATE_KEY not in load_state()
    assert wizard.context.data.password is None
    # Every page wrote exactly the fields its step declares (the flow booked each write).
    assert wizard.flow.undeclared == []
    declared = {step.id: step.produces for step in STEPS}
    for step in (StepId.PLATFORM, StepId.GPU, StepId.IMAGE, StepId.EDITOR):
        assert wizard.flow.writes[step] == declared[step], step
    # key_path only when a saved instance's key logged in at the check; account_ref only
    # when the login came from a platform account
    pasted = declared[StepId.CONNECT] - {"key_path", "account_ref"}
    assert wizard.flow.writes[StepId.CONNECT] == pasted
    assert wizard.flow.writes[StepId.KEY] == {"key_path"}  # the password was not forgotten
    assert wizard.flow.writes[StepId.SUMMARY] >= {"alias"}


def test_password_is_not_stored_unless_remember_is_ticked(
    qtbot: QtBot,
    window: MainWindow,
    sshd: SshdServer,
    test_user: TestUser,
    fake_nvidia_smi: FakeNvidiaSmi,
) -> None:
    fake_nvidia_smi.set(gpus=[{"name": "Tesla T4", "memory.total": 15360}])
    wizard = driver.open_wizard(qtbot, window)
    driver.choose_platform(qtbot, wizard, "deepln")
    next_step(qtbot, wizard)
    driver.choose_gpu(qtbot, wizard, "RTX 4090")
    next_step(qtbot, wizard)
    driver.choose_image(qtbot, wizard, "pytorch-2.1-cu121")
    next_step(qtbot, wizard)
    connect = driver.paste_login(
        qtbot, wizard, command_for(sshd, test_user), test_user.password, remember=False
    )
    click(qtbot, connect.check_button)
    driver.trust_host_key(qtbot, connect)
    driver.wait_for_check(qtbot, connect)
    flag = connect.result_view.findChild(Notice, "flag_gpu_differs")
    assert flag is not None
    assert "You chose RTX 4090, but the instance has Tesla T4." in flag.text()
    next_step(qtbot, wizard)
    driver.skip_to_summary(qtbot, wizard)
    with qtbot.waitSignal(wizard.finished, timeout=TIMEOUT_MS):
        next_step(qtbot, wizard)
    saved = InstanceStore().get("deepln-t4")
    assert saved is not None
    assert KeyringSecretStore().get(secret_name("password", saved.host_key_alias)) is None


def test_refusing_the_host_key_sends_nothing(
    qtbot: QtBot, window: MainWindow, sshd: SshdServer, test_user: TestUser
) -> None:
    wizard = window.wizard
    window.show_wizard(have_instance=True)
    connect = page(wizard, ConnectPage)
    driver.paste_login(
        qtbot, wizard, command_for(sshd, test_user), test_user.password, remember=False
    )
    click(qtbot, connect.check_button)
    qtbot.waitUntil(lambda: connect.host_key_dialog is not None, timeout=TIMEOUT_MS)
    assert connect.host_key_dialog is not None
    click(qtbot, connect.host_key_dialog.reject_button)
    driver.wait_for_check(qtbot, connect)
    error = connect.findChild(Notice, "checkError")
    assert error is not None and "not trusted" in error.text()
    assert HostKeyStore().pins() == []
    assert not wizard.next_button.isEnabled()


def test_cancel_while_the_host_key_question_is_open(
    qtbot: QtBot, window: MainWindow, sshd: SshdServer, test_user: TestUser
) -> None:
    window.show_wizard(have_instance=True)
    connect = page(window.wizard, ConnectPage)
    driver.paste_login(
        qtbot, window.wizard, command_for(sshd, test_user), "whatever", remember=False
    )
    click(qtbot, connect.check_button)
    qtbot.waitUntil(lambda: connect.host_key_dialog is not None, timeout=TIMEOUT_MS)
    click(qtbot, connect.cancel_button)
    assert not connect.runner.running
    assert connect.host_key_dialog is None
    assert not connect.cancel_button.isVisible()
    assert connect.check_button.isEnabled()
    assert HostKeyStore().pins() == []


def test_a_wrong_password_is_explained(
    qtbot: QtBot, window: MainWindow, sshd: SshdServer, test_user: TestUser
) -> None:
    window.show_wizard(have_instance=True)
    connect = page(window.wizard, ConnectPage)
    driver.paste_login(
        qtbot, window.wizard, command_for(sshd, test_user), "not-the-password", remember=False
    )
    click(qtbot, connect.check_button)
    driver.trust_host_key(qtbot, connect)
    driver.wait_for_check(qtbot, connect)
    error = connect.findChild(Notice, "checkError")
    assert error is not None
    assert "refused the password" in error.text()
    assert "console" in error.text()
    assert "not-the-password" not in error.text()
    # The key was trusted before the password was refused: a second try needs no dialog.
    assert HostKeyStore().lookup(f"[127.0.0.1]:{sshd.port}") is not None


def test_the_shortcut_skips_to_connect_and_saves_without_a_platform(
    qtbot: QtBot,
    window: MainWindow,
    sshd: SshdServer,
    test_user: TestUser,
    fake_nvidia_smi: FakeNvidiaSmi,
) -> None:
    wizard = driver.open_wizard(qtbot, window)
    click(qtbot, page(wizard, driver.PlatformPage).have_instance_button)
    assert driver.at(wizard, StepId.CONNECT)
    assert "Connect" in wizard.step_bar.text() and "GPU" not in wizard.step_bar.text()
    connect = driver.paste_login(
        qtbot, wizard, command_for(sshd, test_user), test_user.password, remember=False
    )
    click(qtbot, connect.check_button)
    driver.trust_host_key(qtbot, connect)
    driver.wait_for_check(qtbot, connect)
    assert connect.result is not None
    next_step(qtbot, wizard)
    driver.skip_to_summary(qtbot, wizard)
    summary = page(wizard, SummaryPage)
    assert summary.alias_edit.text() == "gpu-4090"
    summary.alias_edit.setText("my box")
    assert not wizard.next_button.isEnabled()
    summary.alias_edit.setText("my-box")
    with qtbot.waitSignal(wizard.finished, timeout=TIMEOUT_MS):
        next_step(qtbot, wizard)
    saved = InstanceStore().get("my-box")
    assert saved is not None and saved.platform_id is None
    document = json.loads((paths.config_dir() / "instances.json").read_text("utf-8"))
    assert document["instances"][0]["alias"] == "my-box"


def test_cancel_while_the_instance_is_probed(
    qtbot: QtBot,
    window: MainWindow,
    sshd: SshdServer,
    test_user: TestUser,
    fake_nvidia_smi: FakeNvidiaSmi,
) -> None:
    fake_nvidia_smi.set(delay_seconds=3)
    window.show_wizard(have_instance=True)
    connect = page(window.wizard, ConnectPage)
    driver.paste_login(
        qtbot, window.wizard, command_for(sshd, test_user), test_user.password, remember=False
    )
    click(qtbot, connect.check_button)
    driver.trust_host_key(qtbot, connect)
    qtbot.waitUntil(lambda: "reading the GPU" in connect.progress_label.text(), timeout=TIMEOUT_MS)
    click(qtbot, connect.cancel_button)
    assert not connect.runner.running and not connect.is_busy()
    assert connect.result is None and not window.wizard.next_button.isEnabled()
    assert window.wizard.back_button.isEnabled()
    assert connect.check_button.isEnabled()
    # The abandoned worker ends by itself (its result is dropped); wait so it ends in this test.
    qtbot.waitUntil(lambda: asyncwork.active_workers() == 0, timeout=TIMEOUT_MS)
    assert connect.result is None


def test_a_closed_port_is_explained(qtbot: QtBot, window: MainWindow) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    window.show_wizard(have_instance=True)
    connect = page(window.wizard, ConnectPage)
    driver.paste_login(qtbot, window.wizard, f"ssh -p {port} root@127.0.0.1", "pw", remember=False)
    click(qtbot, connect.check_button)
    driver.wait_for_check(qtbot, connect)
    error = connect.findChild(Notice, "checkError")
    assert error is not None
    assert "refused the connection" in error.text()
    assert "console" in error.text()
