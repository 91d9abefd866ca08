"""Screenshots of the dashboard with its cost guard, Files and AutoDL account tabs shown.

Run under Xvfb, once per language::

    export DISPLAY=:99 QT_QPA_PLATFORM=xcb
    .venv/bin/python -m tests.ui.dashboard_views_screenshots en docs/screenshots
    .venv/bin/python -m tests.ui.dashboard_views_screenshots zh_CN docs/screenshots

The window is :mod:`tests.ui.dashboard_screenshots`' demo (invented instances, fake logins,
no network); the guard's state is the invented one of :mod:`tests.ui.guard_screenshot`, the
Files view's listing and progress are invented, and the account is the AutoDL stand-in of
the tests served over loopback (invented instances, no real token).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from tests.ui import tray_screenshot as demo  # first: it points HOME etc. at a temp dir

# isort: split
from gpudesk.core.guard.status import parse_status
from gpudesk.core.providers.accounts import AccountBook, token_name
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.transfer.model import Progress, TransferReport
from gpudesk.ui.files import FilesView
from gpudesk.ui.files.remote_listing import RemoteEntry
from gpudesk.ui.guard.guard_view import GuardView
from gpudesk.ui.instance_views import STATUS_ASKED
from gpudesk.ui.main_window import MainWindow
from tests.standins.autodl_api import AutoDLStandIn, StandInInstance, StandInServer
from tests.ui.dashboard_screenshots import SELECTED, open_demo_window
from tests.ui.guard_screenshot import invented_status_answer
from tests.ui.screenshot_tour import settle, shot

DEMO_TOKEN = "demo-token"  # the stand-in's, shown nowhere
MIB = 1024 * 1024


def show_details_tab(window: MainWindow, name: str) -> object:
    """Bring the selected instance's tab holding the widget ``name`` forward."""
    tabs = window.details.tabs
    for index in range(tabs.count()):
        widget = tabs.widget(index)
        if widget is not None and widget.objectName() == name:
            widget.setProperty(STATUS_ASKED, True)  # the demo's status is set by hand
            tabs.setCurrentIndex(index)
            return widget
    raise LookupError(name)


def stand_in_account() -> AutoDLStandIn:
    """The stand-in account: the selected demo instance and one powered off."""
    api = AutoDLStandIn(token=DEMO_TOKEN, balance_milli=8420)
    api.add(
        StandInInstance(
            uuid="pro-8f2c41d7e0",
            name="llama-finetune",
            status="running",
            gpu_alias="RTX 4090",
            price_milli=1980,
        )
    )
    api.add(StandInInstance(uuid="pro-3b7a90c1f4", name="diffusion", gpu_alias="H800"))
    return api


def main(language: str, folder: Path) -> int:
    api = stand_in_account()
    with StandInServer(api) as server:
        os.environ["GPUDESK_AUTODL_API"] = server.url
        app, window, controller, suffix = open_demo_window(language)
        window.services.secrets.set(token_name("autodl"), DEMO_TOKEN)
        instance = InstanceStore().require(SELECTED)
        book = AccountBook()
        book.add_account("autodl")
        book.link("autodl", "pro-8f2c41d7e0", instance.alias, instance.host_key_alias)
        window.details.show_instance(instance, rebuild=True)
        demo.wait(app, 1.0)

        guard = show_details_tab(window, "guardView")
        assert isinstance(guard, GuardView)
        guard.form.time_mode.setCurrentIndex(guard.form.time_mode.findData("budget"))
        status = parse_status(invented_status_answer(int(time.time())))
        guard.show_status(status)
        guard.refresh_timer.stop()
        window.instance_views.on_guard_status(SELECTED, status)
        window.resize(1100, 900)
        window.splitter.setSizes([240, 620])
        window.refresh_states()
        settle(0.3)
        shot(window, folder, f"27-dashboard-guard-{suffix}")

        files = show_details_tab(window, "filesView")
        assert isinstance(files, FilesView)
        entries = [
            RemoteEntry("checkpoints", True, 0),
            RemoteEntry("data", True, 0),
            RemoteEntry("train.py", False, 8_431),
            RemoteEntry("README.md", False, 1_204),
        ]
        files._on_listing_listed("/root/autodl-tmp", entries)
        files._show_conflicts(TransferReport(conflicts=("configs/train.yaml",)))
        files.cancel_button.setEnabled(True)
        files._on_task_progressed(
            Progress(412 * MIB, 1024 * MIB, 3, 7, 58.4 * MIB, 10.5, "weights/model.bin")
        )
        window.refresh_states()
        settle(0.3)
        shot(window, folder, f"28-dashboard-files-{suffix}")

        window.account_tab.show_account()
        window.home_tabs.setCurrentWidget(window.account_tab)
        view = window.account_tab.view
        assert view is not None
        loaded: list[object] = []
        view.overview_loaded.connect(loaded.append)
        view.reload()
        deadline = time.monotonic() + 20
        while not loaded and time.monotonic() < deadline:
            settle(0.1)
        shot(window, folder, f"29-dashboard-account-{suffix}")
        controller.shutdown_now()
    return 0


if __name__ == "__main__":
    status = main(sys.argv[1], Path(sys.argv[2]))
    sys.stdout.flush()
    os._exit(status)  # skip the interpreter's teardown of Qt objects (it can crash at exit)
