"""The cost guard, Files and the AutoDL account, reached and used through the main window.

Each view is found by its objectName after selecting an instance (or opening the home's
tab) and drives one real action: the guard is armed and cancelled on the REAL test sshd (the
test bed's stand-in ``nvidia-smi``, since this machine has no GPU, and a power-off command
that only records, so nothing is ever powered off); a small file is pushed through the Files
tab over the instance's connection; the account tab lists the instances of the AutoDL
stand-in API (``tests/standins/autodl_api.py``: no real account exists here) and a saved
instance linked to one of them is powered off from its dashboard row.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from gpudesk.core.providers.accounts import AccountBook, token_name
from gpudesk.core.store.settings import load_settings
from gpudesk.ui.accounts.instances_view import AccountInstancesView
from gpudesk.ui.files import FilesView
from gpudesk.ui.guard.guard_view import GuardView
from gpudesk.ui.services import Services
from gpudesk.ui.widgets.instance_actions import Action
from tests.integration.guard_rig import processes_of
from tests.standins.autodl_api import AutoDLStandIn, StandInInstance, StandInServer
from tests.testbed.fixtures import FakeNvidiaSmi
from tests.testbed.sshd import SshdServer
from tests.ui.dashboard_rig import Dashboard, dash_fixture, open_dashboard, saved_instance
from tests.ui.test_dashboard import add_port
from tests.ui.test_main_window import add_instance

WAIT_MS = 60_000
TOKEN = "dash-token-5e6f7a8b"
ALIAS = "dash-box"
__all__ = ["dash_fixture"]  # the shared fixture, used by name


def guard_loops(sshd: SshdServer) -> list[int]:
    """The guard loops running as the test user on the server."""
    return [pid for pid, args in processes_of(sshd.user) if "gpudesk-guard run" in args]


def show_tab(dash: Dashboard, name: str) -> object:
    """Bring the selected instance's tab holding the widget ``name`` forward; return it."""
    tabs = dash.window.details.tabs
    for index in range(tabs.count()):
        widget = tabs.widget(index)
        if widget is not None and widget.objectName() == name:
            tabs.setCurrentIndex(index)
            return widget
    raise AssertionError(f"no tab {name!r} in {[tabs.tabText(i) for i in range(tabs.count())]}")


@pytest.mark.sshd
def test_the_guard_tab_arms_and_cancels_and_the_row_says_so(
    qtbot: QtBot,
    dash: Dashboard,
    services: Services,
    sshd: SshdServer,
    fake_nvidia_smi: FakeNvidiaSmi,
) -> None:
    fake_nvidia_smi.set(gpus=[{"utilization.gpu": 80}])
    saved_instance(services, sshd, ALIAS, price=2.5)
    dash.window.refresh_instances()
    dash.select(ALIAS)
    view = show_tab(dash, "guardView")
    assert isinstance(view, GuardView) and dash.window.findChild(GuardView, "guardView") is view
    qtbot.waitUntil(lambda: view.status is not None, timeout=WAIT_MS)  # read when shown
    assert view.status is not None and not view.status.active
    view.form.idle_minutes.setValue(60)
    view.form.power_off.setText(f"date +%s >> {sshd.user.path('power-off-calls')}")
    qtbot.waitUntil(view.arm_button.isEnabled, timeout=WAIT_MS)
    with qtbot.waitSignal(view.service.status_received, timeout=WAIT_MS):
        view.arm_button.click()
    assert view.status is not None and view.status.active
    assert len(guard_loops(sshd)) == 1
    assert dash.cell(ALIAS, 3).endswith("· guard armed")

    with qtbot.waitSignal(view.service.status_received, timeout=WAIT_MS):
        view.cancel_button.click()
    assert not view.status.active and guard_loops(sshd) == []
    assert "guard" not in dash.cell(ALIAS, 3)
    assert not Path(sshd.user.path("power-off-calls")).exists()


@pytest.mark.sshd
def test_the_files_tab_pushes_a_file_to_the_instance(
    qtbot: QtBot, dash: Dashboard, services: Services, sshd: SshdServer, tmp_path: Path
) -> None:
    saved_instance(services, sshd, ALIAS)
    dash.window.refresh_instances()
    dash.select(ALIAS)
    add_port(qtbot, dash, sshd.port)  # a tunnel up: its connection carries the transfer
    view = show_tab(dash, "filesView")
    assert isinstance(view, FilesView) and not view.owns_connection
    shared = dash.controller.supervisor.connection_of(ALIAS)
    assert shared is not None and view.login() is shared  # no second login
    source = tmp_path / "notes 笔记.txt"
    source.write_bytes(b"pushed from the dashboard\n")
    with qtbot.waitSignal(view.transfer_finished, timeout=WAIT_MS) as sent:
        view.push_paths([str(source)])
    assert sent.args[0].files_sent == 1
    assert Path(sshd.user.path("notes 笔记.txt")).read_bytes() == b"pushed from the dashboard\n"


@pytest.fixture
def standin(monkeypatch: pytest.MonkeyPatch, services: Services) -> Iterator[AutoDLStandIn]:
    api = AutoDLStandIn(token=TOKEN)
    api.add(StandInInstance(uuid="pro-run001", name="train", status="running"))
    api.add(StandInInstance(uuid="pro-off002", name="idle", gpu_alias="H800", price_milli=8880))
    with StandInServer(api) as server:
        monkeypatch.setenv("GPUDESK_AUTODL_API", server.url)
        services.secrets.set(token_name("autodl"), TOKEN)
        AccountBook().add_account("autodl")
        yield api


def test_the_account_tab_lists_the_account_and_the_row_powers_off(
    qtbot: QtBot, services: Services, standin: AutoDLStandIn
) -> None:
    instance = add_instance(ALIAS)
    AccountBook().link("autodl", "pro-run001", instance.alias, instance.host_key_alias)
    standin.balance_milli = 5000  # ¥5, below the default ¥10 threshold
    dash = open_dashboard(qtbot, services)
    try:
        window = dash.window
        actions = [a.objectName() for a in window.menuBar().actions()[0].menu().actions()]
        assert "connectAccountAction" in actions
        window.home_tabs.setCurrentWidget(window.account_tab)
        view = window.findChild(AccountInstancesView, "accountInstancesView")
        assert view is not None
        qtbot.waitUntil(lambda: view.table.rowCount() == 2, timeout=WAIT_MS)
        assert view.warning_label.isVisibleTo(view)
        assert [view.table.item(r, 5).text() for r in range(2)].count(ALIAS) == 1

        window.home_tabs.setCurrentWidget(window.dashboard)
        dash.select(ALIAS)
        bar = window.details.action_bar
        assert bar.power_button.isVisibleTo(window)
        bar.trigger(Action.POWER_OFF)
        runner = window.actions_runner
        assert runner is not None
        box = runner.power.dialog
        assert isinstance(box, QMessageBox) and standin.instances["pro-run001"].status == "running"
        box.button(QMessageBox.StandardButton.Yes).click()
        qtbot.waitUntil(
            lambda: standin.instances["pro-run001"].status == "shutdown", timeout=WAIT_MS
        )
        qtbot.waitUntil(lambda: "powering off" in window.statusBar().currentMessage())
    finally:
        dash.controller.shutdown_now()


def test_an_instance_without_an_account_has_no_power_menu(qtbot: QtBot, dash: Dashboard) -> None:
    add_instance(ALIAS)
    dash.window.refresh_instances(select=ALIAS)
    assert not dash.window.details.action_bar.power_button.isVisibleTo(dash.window)
    assert dash.window.findChild(GuardView, "guardView") is not None


def test_the_low_balance_threshold_is_a_setting(qtbot: QtBot, dash: Dashboard) -> None:
    window = dash.window
    window.settings_action.trigger()
    dialog = window.settings_dialog
    assert dialog is not None
    dialog.low_balance_spin.setValue(50)
    dialog.accept()
    assert load_settings().low_balance_yuan == 50
    assert window.account_tab.low_balance_yuan == 50
