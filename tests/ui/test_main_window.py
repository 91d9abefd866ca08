"""The main window: instance list, window state, settings, About/Help, errors as message+hint."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from gpudesk.app import install_excepthook
from gpudesk.core import paths
from gpudesk.core.errors import AuthenticationError, InputError
from gpudesk.core.models import SshTarget
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.store.settings import load_settings
from gpudesk.ui.dialogs.about import AboutDialog
from gpudesk.ui.dialogs.errors import describe_error, show_error
from gpudesk.ui.dialogs.settings_dialog import SettingsDialog
from gpudesk.ui.main_window import MainWindow
from gpudesk.ui.services import Services
from gpudesk.ui.wizard.connect_page import ConnectPage
from tests.ui.driver import click, page


def add_instance(alias: str, platform_id: str | None = "autodl") -> Instance:
    target = SshTarget("root", "connect.nmb1.seetacloud.com", 10309, platform_id=platform_id)
    instance = Instance(
        alias=alias,
        target=target,
        platform_id=platform_id,
        host_key_alias=new_host_key_alias(),
        gpu_model="NVIDIA GeForce RTX 4090",
    )
    return InstanceStore().add(instance)


def message_boxes() -> list[QMessageBox]:
    return [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, QMessageBox) and widget.isVisible()
    ]


def test_empty_list_invites_to_set_up(window: MainWindow) -> None:
    assert window.instance_stack.currentWidget() is window.empty_label
    assert window.stack.currentWidget() is window.home


def test_instances_show_alias_platform_gpu_and_state(window: MainWindow) -> None:
    add_instance("autodl-4090")
    add_instance("my-box", platform_id=None)
    window.refresh_instances(select="my-box")
    model = window.instance_model
    assert window.instance_stack.currentWidget() is window.instance_table
    rows = [[model.data(model.index(r, c)) for c in range(4)] for r in range(2)]
    assert rows == [
        ["autodl-4090", "AutoDL", "NVIDIA GeForce RTX 4090", "Not connected"],
        ["my-box", "other", "NVIDIA GeForce RTX 4090", "Not connected"],
    ]
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["Name", "Platform", "GPU", "State"]
    assert window.instance_table.selectionModel().selectedRows()[0].row() == 1
    model.set_state("autodl-4090", "Tunnels up")
    assert model.data(model.index(0, 3)) == "Tunnels up"


def test_a_damaged_instance_file_is_an_error_dialog_not_a_crash(
    qtbot: QtBot, window: MainWindow
) -> None:
    path = paths.config_dir() / "instances.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    window.refresh_instances()
    qtbot.waitUntil(lambda: bool(message_boxes()), timeout=5000)
    box = message_boxes()[0]
    assert box.text() == "The file of saved instances is damaged."
    assert ".gpudesk-bak" in box.informativeText()
    box.accept()
    assert window.instance_stack.currentWidget() is window.empty_label


def test_window_geometry_is_kept_in_qsettings(qtbot: QtBot, services: Services) -> None:
    add_instance("autodl-4090")  # the splitter's lower half shows the selected instance
    first = MainWindow(services)
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 520)  # the offscreen screen is 800x600
    first.splitter.setSizes([100, 400])
    first.close()
    second = MainWindow(services)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (700, 520)
    assert second.splitter.sizes()[0] < second.splitter.sizes()[1]


def test_settings_dialog_saves_the_language(qtbot: QtBot, window: MainWindow) -> None:
    window.settings_action.trigger()
    dialog = window.settings_dialog
    assert isinstance(dialog, SettingsDialog) and dialog.isVisible()
    combo = dialog.language_combo
    assert [combo.itemData(i) for i in range(combo.count())] == ["system", "en", "zh_CN"]
    combo.setCurrentIndex(2)
    dialog.accept()
    assert load_settings().language == "zh_CN"
    assert window.services.settings.language == "zh_CN"


def test_about_links_every_platforms_docs(window: MainWindow) -> None:
    window.about_action.trigger()
    dialog = window.about_dialog
    assert isinstance(dialog, AboutDialog) and dialog.isVisible()
    links = dialog.findChild(QLabel, "docsLinks")
    assert links is not None
    text = links.text()
    for platform in window.services.catalog.platforms:
        assert platform.docs_url in text
    dialog.reject()


def test_show_error_gives_message_and_hint_without_a_traceback(
    qtbot: QtBot, window: MainWindow
) -> None:
    show_error(window, AuthenticationError("ssh.auth_failed", "refused for root", "hint"))
    qtbot.waitUntil(lambda: bool(message_boxes()), timeout=5000)
    box = message_boxes()[0]
    assert box.text() == "The instance refused the password."
    assert "console" in box.informativeText()
    assert "Traceback" not in box.text() + box.informativeText() + box.detailedText()
    box.accept()
    show_error(None, ZeroDivisionError("boom"))
    qtbot.waitUntil(lambda: bool(message_boxes()), timeout=5000)
    box = message_boxes()[0]
    assert box.text() == "Something went wrong."
    assert "log file" in box.informativeText()
    box.accept()


def test_unknown_codes_keep_the_core_message_and_hint() -> None:
    error = InputError("something.new", "A new kind of failure.", "Do this.")
    assert describe_error(error) == ("A new kind of failure.", "Do this.", "")


def test_parse_errors_name_the_offending_part_as_details() -> None:
    error = InputError("ssh.parse.unknown_option", "gpudesk does not understand '-Z'.", "Remove.")
    message, hint, details = describe_error(error)
    assert message == "The command has an option gpudesk does not understand."
    assert hint == "Remove."
    assert details == "gpudesk does not understand '-Z'."


def test_new_and_existing_buttons(qtbot: QtBot, window: MainWindow) -> None:
    click(qtbot, window.existing_button)
    assert isinstance(page(window.wizard, ConnectPage), ConnectPage)
    click(qtbot, window.wizard.cancel_button)
    assert window.stack.currentWidget() is window.home


def test_the_excepthook_logs_and_shows_message_and_hint(
    qtbot: QtBot,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthook()
    try:
        raise KeyError("internal detail")
    except KeyError as error:
        sys.excepthook(KeyError, error, error.__traceback__)
    assert "Traceback" in caplog.text and "internal detail" in caplog.text
    qtbot.waitUntil(lambda: bool(message_boxes()), timeout=5000)
    box = message_boxes()[0]
    assert box.text() == "Something went wrong."
    assert "internal detail" not in box.text() + box.informativeText()
    box.accept()
