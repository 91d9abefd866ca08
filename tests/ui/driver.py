"""Drive the wizard like a user would: click cards and rows, type, press Next.

Shared by the GUI tests (and usable from a screenshot script). Every wait is bounded.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from gpudesk.core.wizard import StepId
from gpudesk.ui.main_window import MainWindow
from gpudesk.ui.wizard.connect_page import ConnectPage
from gpudesk.ui.wizard.gpu_page import GpuPage
from gpudesk.ui.wizard.image_page import ImagePage
from gpudesk.ui.wizard.page import WizardPage
from gpudesk.ui.wizard.platform_page import PlatformPage
from gpudesk.ui.wizard.wizard_widget import WizardWidget

P = TypeVar("P", bound=WizardPage)
TIMEOUT_MS = 20_000


def click(qtbot: QtBot, button: QPushButton) -> None:
    """A left click on an enabled button."""
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def page(wizard: WizardWidget, kind: type[P]) -> P:
    """The current page, checked to be of ``kind``."""
    current = wizard.current_page()
    assert isinstance(current, kind), f"on {type(current).__name__}, wanted {kind.__name__}"
    return current


def next_step(qtbot: QtBot, wizard: WizardWidget) -> None:
    """Press Next (it must be enabled)."""
    click(qtbot, wizard.next_button)


def open_wizard(qtbot: QtBot, window: MainWindow) -> WizardWidget:
    """Press "Set up a new GPU instance"."""
    click(qtbot, window.new_button)
    assert window.stack.currentWidget() is window.wizard
    return window.wizard


def choose_platform(qtbot: QtBot, wizard: WizardWidget, platform_id: str) -> PlatformPage:
    """Click a platform card's radio button."""
    platform = page(wizard, PlatformPage)
    platform.cards[platform_id].radio.click()
    assert platform.selected() == platform_id
    assert wizard.next_button.isEnabled()
    return platform


def choose_gpu(
    qtbot: QtBot, wizard: WizardWidget, name: str, size_b: float = 7.0, task_index: int = 0
) -> GpuPage:
    """Use the estimator, then click the GPU's row."""
    gpus = page(wizard, GpuPage)
    gpus.size_spin.setValue(size_b)
    gpus.task_combo.setCurrentIndex(task_index)
    if gpus.table.row_of(name) is None:  # not on the platform's list: list every GPU
        gpus.show_all_box.click()
    row = gpus.table.row_of(name)
    assert row is not None, name
    gpus.table.scrollToItem(gpus.table.item(row, 0))
    rect = gpus.table.visualItemRect(gpus.table.item(row, 0))
    qtbot.mouseClick(gpus.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert gpus.selected() == name
    return gpus


def choose_image(qtbot: QtBot, wizard: WizardWidget, image_id: str) -> ImagePage:
    """Click an image's radio button."""
    images = page(wizard, ImagePage)
    images.buttons[image_id].click()
    assert images.selected() == image_id
    return images


def paste_login(
    qtbot: QtBot, wizard: WizardWidget, command: str, password: str, *, remember: bool
) -> ConnectPage:
    """Type the command and the password as a user pasting them would."""
    connect = page(wizard, ConnectPage)
    connect.command_edit.clear()
    qtbot.keyClicks(connect.command_edit, command)
    connect.password_edit.clear()
    qtbot.keyClicks(connect.password_edit, password)
    if connect.remember_box.isChecked() != remember:
        connect.remember_box.click()
    assert connect.target is not None, connect.parsed_label.text()
    return connect


def trust_host_key(qtbot: QtBot, connect: ConnectPage) -> str:
    """Wait for the host-key dialog, click "Trust and connect"; return the fingerprint shown."""
    qtbot.waitUntil(
        lambda: connect.host_key_dialog is not None and connect.host_key_dialog.isVisible(),
        timeout=TIMEOUT_MS,
    )
    dialog = connect.host_key_dialog
    assert dialog is not None
    shown = dialog.fingerprint_label.text()
    click(qtbot, dialog.trust_button)
    return shown


def wait_for_check(qtbot: QtBot, connect: ConnectPage) -> None:
    """Wait until the check is over (success or error)."""
    qtbot.waitUntil(lambda: not connect.runner.running, timeout=TIMEOUT_MS)


def at(wizard: WizardWidget, step: StepId) -> bool:
    """True when the wizard shows ``step``."""
    return wizard.flow.current is step


def skip_to_summary(qtbot: QtBot, wizard: WizardWidget) -> None:
    """Pass the optional steps between Connect and Save (SSH key, editor) by skipping them.

    Those pages belong to other issues; each offers a "skip" check box (``skip_box``).
    """
    for _ in range(5):
        if wizard.flow.current is StepId.SUMMARY:
            return
        current = wizard.current_page()
        skip = getattr(current, "skip_box", None)
        if skip is not None and not skip.isChecked():
            skip.click()
        next_step(qtbot, wizard)
    assert wizard.flow.current is StepId.SUMMARY
