"""Text from the instance is shown as plain text: a hostname of ``<h1>...`` is not a headline.

Real widgets under the offscreen platform; the check result is built in the test (no
network needed to show it).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from gpudesk.core.models import GpuInfo, InstanceReport, SshTarget
from gpudesk.core.monitor.hub import InstanceReading
from gpudesk.core.ssh.check import CheckResult
from gpudesk.core.ssh.hostkeys import PresentedKey
from gpudesk.core.ssh.remote import HostKeyCheck
from gpudesk.ui.tray_texts import TrayTexts
from gpudesk.ui.widgets.notice import Notice
from gpudesk.ui.wizard.check_view import CheckResultView

HEADLINE = "<h1>CALL SUPPORT 400-000-0000</h1>"
KEY = PresentedKey(
    "ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
)


def test_check_facts_from_the_instance_are_plain_text(qtbot: QtBot) -> None:
    report = InstanceReport(
        hostname=HEADLINE,
        os_name="<img src=x>Ubuntu",
        gpus=(GpuInfo(0, "<b>RTX</b>", 24564, 1, 0, "535"),),
        driver_version="535",
        cuda_version="12.2",
        python_version="3.10",
        torch=None,
        disks=(),
    )
    result = CheckResult(SshTarget("root", "h", 22), HostKeyCheck("pin", KEY, False), report)
    view = CheckResultView()
    qtbot.addWidget(view)
    view.show_result(result, [])
    machine = view.findChild(QLabel, "machine")
    gpus = view.findChild(QLabel, "gpus")
    assert machine is not None and gpus is not None
    for label in (machine, gpus):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert HEADLINE in machine.text() and "<b>RTX</b>" in gpus.text()


def test_notices_show_error_text_as_plain_text(qtbot: QtBot) -> None:
    notice = Notice("error", HEADLINE, "<a href='x'>hint</a>", "<h2>log</h2>")
    qtbot.addWidget(notice)
    for label in (notice.headline_label, notice.body_label, notice.details_label):
        assert label.textFormat() == Qt.TextFormat.PlainText


def test_a_monitor_that_stopped_says_so_in_the_header(qtbot: QtBot) -> None:
    texts = TrayTexts()
    reading = InstanceReading("box", running=False, stopped="the monitor stopped: boom")
    assert texts._gpu_parts(reading) == ["GPU monitor stopped"]
