"""The no-SSH branch (Colab), Back/Cancel, and resuming after the window was closed."""

from __future__ import annotations

import json

from pytestqt.qtbot import QtBot

from gpudesk.core.store.settings import load_state, state_path
from gpudesk.core.wizard import STATE_KEY, StepId
from gpudesk.ui.main_window import MainWindow
from gpudesk.ui.services import Services
from gpudesk.ui.widgets.notice import Notice
from gpudesk.ui.wizard.connect_page import ConnectPage
from gpudesk.ui.wizard.gpu_page import GpuPage
from gpudesk.ui.wizard.image_page import ImagePage
from gpudesk.ui.wizard.no_ssh_page import NoSshPage
from gpudesk.ui.wizard.platform_page import PlatformPage
from tests.ui import driver
from tests.ui.conftest import OpenedUrls
from tests.ui.driver import click, next_step, page

SECRET = "p4ss-word-that-must-not-be-saved"


def new_window(qtbot: QtBot) -> MainWindow:
    window = MainWindow(Services.create())
    qtbot.addWidget(window)
    window.show()
    return window


def test_colab_ends_on_the_no_ssh_page(
    qtbot: QtBot, window: MainWindow, opened_urls: OpenedUrls
) -> None:
    wizard = driver.open_wizard(qtbot, window)
    driver.choose_platform(qtbot, wizard, "colab")
    assert wizard.next_button.text() == "Next >"
    next_step(qtbot, wizard)
    no_ssh = page(wizard, NoSshPage)
    assert driver.at(wizard, StepId.NO_SSH)
    assert wizard.title_label.text() == "Google Colab works in the browser"
    notice = no_ssh.findChild(Notice, "noSshNotice")
    assert notice is not None and "no SSH login" in notice.text()
    assert "VS Code" in notice.text()
    assert "12 hours" in no_ssh.facts.text()
    assert "Luchen Cloud" in no_ssh.alternatives.text()
    assert "2. No SSH" in wizard.step_bar.text()
    assert wizard.next_button.text() == "Finish" and wizard.next_button.isEnabled()
    click(qtbot, no_ssh.open_button)
    assert opened_urls.urls == ["https://colab.research.google.com/"]
    click(qtbot, wizard.back_button)
    assert page(wizard, PlatformPage).selected() == "colab"
    next_step(qtbot, wizard)
    with qtbot.waitSignal(wizard.finished, timeout=5000) as finished:
        next_step(qtbot, wizard)
    assert finished.args == [""]
    assert window.stack.currentWidget() is window.home
    assert STATE_KEY not in load_state()


def test_sign_up_button_opens_the_console(
    qtbot: QtBot, window: MainWindow, opened_urls: OpenedUrls
) -> None:
    wizard = driver.open_wizard(qtbot, window)
    platforms = page(wizard, PlatformPage)
    click(qtbot, platforms.cards["autodl"].open_button)
    assert opened_urls.urls == ["https://www.autodl.com/"]


def test_comparison_and_cards_stay_in_step(qtbot: QtBot, window: MainWindow) -> None:
    wizard = driver.open_wizard(qtbot, window)
    platforms = page(wizard, PlatformPage)
    platforms.tabs.setCurrentIndex(1)
    row = wizard.context.services.catalog.ids.index("kaggle")
    platforms.comparison.table.selectRow(row)
    assert platforms.selected() == "kaggle"
    driver.choose_platform(qtbot, wizard, "deepln")
    selected = platforms.comparison.table.selectionModel().selectedRows()
    assert [index.row() for index in selected] == [
        wizard.context.services.catalog.ids.index("deepln")
    ]


def test_back_keeps_choices_and_cancel_forgets_them(qtbot: QtBot, window: MainWindow) -> None:
    wizard = driver.open_wizard(qtbot, window)
    driver.choose_platform(qtbot, wizard, "autodl")
    next_step(qtbot, wizard)
    driver.choose_gpu(qtbot, wizard, "A100 80GB", size_b=13, task_index=4)
    next_step(qtbot, wizard)
    images = page(wizard, ImagePage)
    assert "autodl-pytorch-2.0.0-cu118" in images.buttons
    click(qtbot, wizard.back_button)
    gpus = page(wizard, GpuPage)
    assert gpus.selected() == "A100 80GB"
    assert gpus.size_spin.value() == 13
    click(qtbot, wizard.back_button)
    assert page(wizard, PlatformPage).selected() == "autodl"
    assert not wizard.back_button.isEnabled()
    click(qtbot, wizard.cancel_button)
    assert window.stack.currentWidget() is window.home
    assert STATE_KEY not in load_state()
    window.show_wizard(resume=True)
    assert page(wizard, PlatformPage).selected() is None


def test_resume_after_restart_at_the_same_step_with_the_same_choices(qtbot: QtBot) -> None:
    first = new_window(qtbot)
    wizard = driver.open_wizard(qtbot, first)
    driver.choose_platform(qtbot, wizard, "deepln")
    next_step(qtbot, wizard)
    driver.choose_gpu(qtbot, wizard, "Tesla P4", size_b=1.5, task_index=2)
    page(wizard, GpuPage).price_spin.setValue(0.88)
    next_step(qtbot, wizard)
    driver.choose_image(qtbot, wizard, "pytorch-2.1-cu121")
    first.close()

    second = new_window(qtbot)
    assert second.stack.currentWidget() is second.wizard
    resumed = second.wizard
    assert driver.at(resumed, StepId.IMAGE)
    assert page(resumed, ImagePage).selected() == "pytorch-2.1-cu121"
    assert resumed.context.data.gpu_model == "Tesla P4"
    assert "Picked up" in second.statusBar().currentMessage()
    click(qtbot, resumed.back_button)
    gpus = page(resumed, GpuPage)
    assert gpus.selected() == "Tesla P4"
    assert gpus.size_spin.value() == 1.5 and gpus.task_combo.currentIndex() == 2
    assert gpus.price_spin.value() == 0.88
    click(qtbot, resumed.back_button)
    assert page(resumed, PlatformPage).selected() == "deepln"


def test_resume_at_connect_restores_the_command_but_never_the_password(qtbot: QtBot) -> None:
    first = new_window(qtbot)
    first.show_wizard(have_instance=True)
    connect = page(first.wizard, ConnectPage)
    driver.paste_login(
        qtbot, first.wizard, "ssh -p 10309 root@connect.nmb1.seetacloud.com", SECRET, remember=True
    )
    first.close()
    text = state_path().read_text("utf-8")
    assert SECRET not in text
    saved = json.loads(text)[STATE_KEY]
    assert saved["current"] == "connect"
    assert saved["data"]["command"] == "ssh -p 10309 root@connect.nmb1.seetacloud.com"
    assert "password" not in saved["data"]

    second = new_window(qtbot)
    connect = page(second.wizard, ConnectPage)
    assert connect.command_edit.text() == "ssh -p 10309 root@connect.nmb1.seetacloud.com"
    assert connect.password_edit.text() == ""
    assert connect.remember_box.isChecked()
    assert "AutoDL" in connect.parsed_label.text()
    assert not second.wizard.next_button.isEnabled()  # a new check is needed
    assert connect.check_button.isEnabled()


def test_a_bad_command_is_explained_as_it_is_typed(qtbot: QtBot, window: MainWindow) -> None:
    window.show_wizard(have_instance=True)
    connect = page(window.wizard, ConnectPage)
    qtbot.keyClicks(connect.command_edit, "ssh -p 22 root@host; rm -rf /")
    assert connect.target is None
    assert "shell syntax" in connect.parsed_label.text()
    assert not connect.check_button.isEnabled()
    connect.command_edit.setText("ssh -p 99999 root@1.2.3.4")
    assert "port" in connect.parsed_label.text()
    connect.command_edit.setText("登录指令：ssh root@12.34.56.78 -p 910")
    assert connect.target is not None and connect.target.port == 910
    assert connect.check_button.isEnabled()
