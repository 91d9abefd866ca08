"""Take screenshots of every wizard page and dialog, in one language, for docs/screenshots.

Run under Xvfb (or any display), once per language::

    Xvfb :99 &
    export DISPLAY=:99 QT_QPA_PLATFORM=xcb
    .venv/bin/python -m tests.ui.screenshot_tour en docs/screenshots
    .venv/bin/python -m tests.ui.screenshot_tour zh_CN docs/screenshots

Everything happens in a throw-away HOME/GPUDESK_HOME with the tests' fake keyring. The
Connect step is shown with a made-up check result (no network); the addresses and host keys
are invented, and no password or token appears.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.ui.demo_home import use_demo_home

_TMP = use_demo_home("gpudesk-demo")  # before Qt and gpudesk are imported

import qasync  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from gpudesk.app import create_application, install_qt_translations  # noqa: E402
from gpudesk.core.errors import AuthenticationError  # noqa: E402
from gpudesk.core.models import DiskInfo, GpuInfo, InstanceReport, TorchInfo  # noqa: E402
from gpudesk.core.ssh.hostkeys import PresentedKey  # noqa: E402
from gpudesk.core.ssh.remote import HostKeyCheck  # noqa: E402
from gpudesk.core.ssh.sshcommand import parse_ssh_command  # noqa: E402
from gpudesk.ui.dialogs.about import AboutDialog  # noqa: E402
from gpudesk.ui.dialogs.hostkey import HostKeyDialog  # noqa: E402
from gpudesk.ui.dialogs.settings_dialog import SettingsDialog  # noqa: E402
from gpudesk.ui.i18n import install_translator  # noqa: E402
from gpudesk.ui.main_window import MainWindow  # noqa: E402
from gpudesk.ui.services import Services  # noqa: E402
from gpudesk.ui.wizard.connect_page import ConnectPage  # noqa: E402
from gpudesk.ui.wizard.gpu_page import GpuPage  # noqa: E402
from gpudesk.ui.wizard.image_page import ImagePage  # noqa: E402
from gpudesk.ui.wizard.platform_page import PlatformPage  # noqa: E402

GIB = 2**30
COMMAND = "ssh -p 23017 root@123.125.240.150"
#: An invented host key (32 random-looking bytes): never a real server's.
HOST_KEY = PresentedKey(
    "ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIKX8v0q3fWd1mZ7yTqz8e9wz1bS6Qy4n8cJ2bX3lR9aP"
)


def settle(seconds: float = 0.3) -> None:
    """Let Qt lay out and paint."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def shot(widget: QWidget, folder: Path, name: str) -> None:
    """Save a PNG of ``widget``."""
    settle()
    path = folder / f"{name}.png"
    widget.grab().save(str(path), "PNG", 0)  # 0: smallest file (PNG is lossless)
    convert = shutil.which("convert")
    if convert:  # ImageMagick: 256 colours, no dithering; UI pixels survive unchanged to the eye
        subprocess.run(
            [convert, str(path), "-dither", "None", "-colors", "256", f"PNG8:{path}"], check=True
        )
    print(f"{path} {path.stat().st_size // 1024} KiB")


def fake_result(target_text: str) -> object:
    """A plausible check result for the Connect page (no network)."""
    from gpudesk.core.ssh.check import CheckResult

    target = parse_ssh_command(target_text)
    report = InstanceReport(
        hostname="autodl-container-6f1c",
        os_name="Ubuntu 22.04.4 LTS",
        gpus=(GpuInfo(0, "NVIDIA GeForce RTX 4090", 24564, 312, 0, "550.54.14"),),
        driver_version="550.54.14",
        cuda_version="12.4",
        python_version="3.10.14",
        torch=TorchInfo("2.1.2+cu121", True, "12.1", ("sm_50", "sm_80", "sm_86", "sm_90"), "8.9"),
        disks=(
            DiskInfo("/root/notebook", 50 * GIB, 3 * GIB),
            DiskInfo("~", 30 * GIB, 21 * GIB),
        ),
    )
    return CheckResult(target, HostKeyCheck("[123.125.240.150]:23017", HOST_KEY, True), report)


def start_app(language: str, folder: Path, home: Path) -> str:
    """The app as app.py starts it, in ``language``, its settings under ``home``.

    Returns:
        The file-name suffix of the language (``en`` or ``zh``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    app = create_application([])
    asyncio.set_event_loop(qasync.QEventLoop(app, already_running=True))  # as app.py runs it
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "qs"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    install_translator(app, language)
    install_qt_translations(app, language)
    return "zh" if language == "zh_CN" else "en"


def main(language: str, folder: Path) -> None:
    """Walk through the app and save the screenshots."""
    suffix = start_app(language, folder, _TMP)
    window = MainWindow(Services.create())
    window.resize(1000, 650)
    window.show()
    shot(window, folder, f"01-home-empty-{suffix}")
    window.show_wizard()
    wizard = window.wizard
    platforms = wizard.current_page()
    assert isinstance(platforms, PlatformPage)
    shot(window, folder, f"02-platform-{suffix}")
    platforms.choose("luchen")
    platforms.tabs.setCurrentIndex(1)
    shot(window, folder, f"03-platform-compare-{suffix}")
    platforms.tabs.setCurrentIndex(0)
    wizard.next_button.click()
    gpus = wizard.current_page()
    assert isinstance(gpus, GpuPage)
    gpus.size_spin.setValue(7)
    gpus.task_combo.setCurrentIndex(3)
    gpus.choose("RTX 4090")
    gpus.price_spin.setValue(1.98)
    shot(window, folder, f"04-gpu-{suffix}")
    wizard.next_button.click()
    images = wizard.current_page()
    assert isinstance(images, ImagePage)
    images.choose("pytorch-2.1-cu121")
    shot(window, folder, f"05-image-{suffix}")
    wizard.next_button.click()
    connect = wizard.current_page()
    assert isinstance(connect, ConnectPage)
    connect.command_edit.setText(COMMAND)
    connect.password_edit.setText("x" * 12)
    shot(window, folder, f"06-connect-{suffix}")
    dialog = HostKeyDialog("123.125.240.150:23017", HOST_KEY, window)
    dialog.show()
    shot(dialog, folder, f"07-host-key-{suffix}")
    dialog.close()
    connect.on_runner_failed(
        AuthenticationError("ssh.auth_failed", "The instance refused the password for root.")
    )
    shot(window, folder, f"08-connect-error-{suffix}")
    connect.on_runner_succeeded(fake_result(COMMAND))  # type: ignore[arg-type]
    wizard.on_page_changed()
    shot(window, folder, f"09-connect-result-{suffix}")
    wizard.next_button.click()
    settle()
    step = 10
    while wizard.flow.current.value != "summary":
        settle(1.0)  # the editor plans its preview off the GUI thread
        shot(window, folder, f"{step}-{wizard.flow.current.value}-{suffix}")
        step += 1
        skip = getattr(wizard.current_page(), "skip_box", None)
        if skip is not None:
            skip.setChecked(True)
        wizard.next_button.click()
        settle()
    shot(window, folder, f"{step}-summary-{suffix}")
    wizard.next_button.click()
    for _ in range(50):
        settle(0.1)
        if window.stack.currentWidget() is window.home:
            break
    shot(window, folder, f"{step + 1}-home-{suffix}")
    window.show_wizard()
    platforms = wizard.current_page()
    assert isinstance(platforms, PlatformPage)
    platforms.choose("colab")
    wizard.next_button.click()
    shot(window, folder, f"{step + 2}-no-ssh-{suffix}")
    settings = SettingsDialog(window.services.settings, window)
    settings.show()
    shot(settings, folder, f"{step + 3}-settings-{suffix}")
    settings.close()
    about = AboutDialog(window.services.catalog, window)
    about.show()
    shot(about, folder, f"{step + 4}-about-{suffix}")
    about.close()


if __name__ == "__main__":
    arguments = [*sys.argv[1:], "en", "."][:2]
    main(arguments[0], Path(arguments[1]))
