"""The Chinese translation: complete, placeholders intact, and actually shown."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from pytestqt.qtbot import QtBot

from gpudesk.core.errors import AuthenticationError
from gpudesk.core.resources import resource_path
from gpudesk.ui import i18n
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.main_window import MainWindow
from gpudesk.ui.services import Services
from tests.skipping import skip_or_fail
from tests.ui import driver
from tests.ui.driver import next_step

TS = resource_path("i18n", "gpudesk_zh_CN.ts")
ROOT = Path(__file__).resolve().parents[2]
TOOLS = Path(sys.executable).parent
#: Qt's %1 and Python's {name} placeholders.
PLACEHOLDER = re.compile(r"%\d|\{[a-z_]+\}")


def messages(path: Path) -> list[tuple[str, str, ET.Element]]:
    """(context, source, translation element) of every message in a .ts file."""
    found = []
    for context in ET.parse(path).getroot().iter("context"):  # noqa: S314 (our own file)
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            found.append((name, message.findtext("source") or "", translation))
    return found


def test_every_message_is_translated() -> None:
    unfinished = [
        (context, source)
        for context, source, translation in messages(TS)
        if translation.get("type") in ("unfinished", "obsolete", "vanished")
        or not (translation.text or "").strip()
    ]
    assert unfinished == []


def test_placeholders_survive_translation() -> None:
    for context, source, translation in messages(TS):
        wanted = sorted(set(PLACEHOLDER.findall(source)))
        found = sorted(set(PLACEHOLDER.findall(translation.text or "")))
        assert found == wanted, (context, source)


def test_the_ts_file_covers_every_string_in_the_code(tmp_path: Path) -> None:
    lupdate = TOOLS / "pyside6-lupdate"
    if not lupdate.exists():
        skip_or_fail("pyside6-lupdate is not installed next to this Python (PySide6 tools)")
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "gpudesk" / "ui").rglob("*.py"))
    subprocess.run(
        [str(lupdate), *sources, str(ROOT / "gpudesk" / "app.py"), "-ts", str(fresh)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    in_code = {(context, source) for context, source, _ in messages(fresh)}
    in_ts = {(context, source) for context, source, _ in messages(TS)}
    assert in_code - in_ts == set(), "run lupdate and translate the new strings"


@pytest.fixture
def chinese(qapp: QCoreApplication, tmp_path: Path) -> Iterator[None]:
    """The UI in Chinese: compile the .ts to a .qm in tmp and install it."""
    lrelease = TOOLS / "pyside6-lrelease"
    if not lrelease.exists():
        skip_or_fail("pyside6-lrelease is not installed next to this Python (PySide6 tools)")
    qm = tmp_path / "gpudesk_zh_CN.qm"
    subprocess.run(
        [str(lrelease), str(TS), "-qm", str(qm)], check=True, capture_output=True, timeout=60
    )
    translator = QTranslator()
    assert translator.load(str(qm))
    qapp.installTranslator(translator)
    i18n._current = "zh_CN"
    yield
    qapp.removeTranslator(translator)
    i18n._current = "en"


@pytest.mark.usefixtures("chinese")
def test_the_window_and_wizard_speak_chinese(qtbot: QtBot) -> None:
    window = MainWindow(Services.create())
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "你的云 GPU"
    wizard = driver.open_wizard(qtbot, window)
    assert wizard.title_label.text() == "选择 GPU 平台"
    assert wizard.next_button.text() == "下一步 >"
    platforms = driver.choose_platform(qtbot, wizard, "luchen")
    assert platforms.cards["luchen"].radio.text() == "潞晨云"
    next_step(qtbot, wizard)
    gpus = driver.choose_gpu(qtbot, wizard, "RTX 4090")
    assert gpus.estimate_label.text().startswith("大约需要")
    assert gpus.formula_label.text().startswith("公式：")


@pytest.mark.usefixtures("chinese")
def test_errors_are_chinese_with_the_english_original_as_details() -> None:
    error = AuthenticationError("ssh.auth_failed", "The instance refused the password for root.")
    message, hint, details = describe_error(error)
    assert message == "实例拒绝了这个密码。"
    assert "控制台" in hint
    assert details == "The instance refused the password for root."
