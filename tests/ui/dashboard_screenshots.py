"""Screenshots of the dashboard and its dialogs, in one language, for docs/screenshots.

Run under Xvfb, once per language::

    Xvfb :99 -screen 0 1280x900x24 &
    export DISPLAY=:99 QT_QPA_PLATFORM=xcb
    .venv/bin/python -m tests.ui.dashboard_screenshots en docs/screenshots
    .venv/bin/python -m tests.ui.dashboard_screenshots zh_CN docs/screenshots

The instances, their tunnels and GPU samples are the tray screenshot's invented ones
(:mod:`tests.ui.tray_screenshot`: a throw-away HOME, logins that are the tunnel tests'
fakes, no network); the service health shown is set by hand (one answering, one down), as
there is no service behind fake tunnels. No password, token or real address appears.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.ui import tray_screenshot as demo  # first: it points HOME etc. at a temp dir

# isort: split
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from gpudesk.app import create_application, install_qt_translations
from gpudesk.core.editor.instance_removal import plan_instance_removal
from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.editor.sshentry import HostEntry
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.tunnels.servicehealth import ServiceHealth
from gpudesk.ui.dialogs.instance_edit import RemoveDialog, RenameDialog
from gpudesk.ui.dialogs.quit_question import quit_question
from gpudesk.ui.dialogs.repoint_dialog import RepointDialog
from gpudesk.ui.dialogs.settings_dialog import SettingsDialog
from gpudesk.ui.i18n import install_translator
from gpudesk.ui.main_window import MainWindow
from gpudesk.ui.services import Services
from gpudesk.ui.tray_controller import TrayController
from tests.core.tunnel_fakes import ScriptedConnect
from tests.ui.screenshot_tour import shot

SELECTED = "autodl-4090"
NEW_COMMAND = "ssh -p 41377 root@connect.autodl.example"


def open_demo_window(language: str) -> tuple[QApplication, MainWindow, TrayController, str]:
    """The demo instances in a shown main window (fake logins), in ``language``; the suffix."""
    app = create_application([])
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(demo._TMP / "qs"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    install_translator(app, language)
    install_qt_translations(app, language)
    suffix = "zh" if language == "zh_CN" else "en"
    demo.save_instances()
    for instance in InstanceStore().list():
        SshConfig().write(HostEntry.from_instance(instance))
    services = Services.create()
    controller = TrayController(services, sampler=demo.sampler)
    controller.hub.first_sample_s = 0.2
    controller.connector = lambda _instance: ScriptedConnect()  # type: ignore[method-assign]
    controller.desk.connector = controller.connector  # type: ignore[method-assign]
    window = MainWindow(services)
    window.attach_controller(controller)
    window.resize(1100, 760)
    window.show()
    controller.start()
    demo.wait(app, 2.0)
    gradio = controller.book.find(SELECTED, "Gradio")
    if gradio is not None:
        controller.supervisor.stop(gradio.tunnel_id, "switched off")
    window.refresh_instances(select=SELECTED)
    demo.wait(app, 1.0)
    return app, window, controller, suffix


def main(language: str, folder: Path) -> int:
    _app, window, controller, suffix = open_demo_window(language)
    services = window.services
    panel = window.details.panel
    assert panel is not None
    panel.watch.stop()
    jupyter = controller.book.find(SELECTED, "Jupyter")
    board = controller.book.find(SELECTED, "TensorBoard")
    if jupyter and board:
        panel.on_watch_health_changed(
            {jupyter.tunnel_id: ServiceHealth.UP, board.tunnel_id: ServiceHealth.DOWN}
        )
    window.refresh_states()
    shot(window, folder, f"17-dashboard-{suffix}")
    window.home_tabs.setCurrentWidget(window.platforms_page)
    shot(window, folder, f"18-platforms-{suffix}")
    window.home_tabs.setCurrentWidget(window.dashboard)
    instance = InstanceStore().require(SELECTED)
    repoint = RepointDialog(instance, services, window)
    repoint.command_edit.setText(NEW_COMMAND)
    repoint.show()
    shot(repoint, folder, f"19-repoint-{suffix}")
    repoint.close()
    plan = plan_instance_removal(
        SELECTED,
        store=services.instances,
        secrets=services.secrets,
        host_keys=services.host_keys,
        ssh_config=SshConfig(),
    )
    remove = RemoveDialog(plan, services.secrets, services.host_keys, window)
    remove.show()
    shot(remove, folder, f"20-remove-{suffix}")
    remove.close()
    rename = RenameDialog(instance, window)
    rename.alias_edit.setText("my-4090")
    rename.show()
    shot(rename, folder, f"21-rename-{suffix}")
    rename.close()
    question = quit_question(window, {SELECTED, "luchen-h100"}, restore=True)
    question.show()
    shot(question, folder, f"22-quit-{suffix}")
    question.close()
    settings = SettingsDialog(services.settings, window)
    settings.show()
    shot(settings, folder, f"15-settings-{suffix}")
    settings.close()
    controller.shutdown_now()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    status = main(sys.argv[1], Path(sys.argv[2]))
    sys.stdout.flush()
    os._exit(status)  # skip the interpreter's teardown of Qt objects (it can crash at exit)
