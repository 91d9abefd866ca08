"""Power on a saved AutoDL instance from its dashboard row, and follow it to another sshd.

The AutoDL stand-in (no real account here) reports the instance on one REAL test sshd;
after power-on it lands on a second one (new port, new host key). From the dashboard's
Power menu the window must ask about the new host key, re-point the alias (the real ``ssh
-F`` logs in there) and show the instance's row again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from gpudesk.core.store.instances import InstanceStore
from gpudesk.ui.dialogs.hostkey import HostKeyDialog
from gpudesk.ui.services import Services
from gpudesk.ui.widgets.instance_actions import Action
from tests.clihelpers import run_gpudesk
from tests.integration.alias_login import clean_home_fixture, ssh_through_alias
from tests.standins.autodl_api import AutoDLStandIn, StandInInstance, StandInServer, login_of
from tests.testbed.fixtures import SshdFactory
from tests.testbed.sshd import TestUser
from tests.ui.dashboard_rig import open_dashboard

pytestmark = pytest.mark.sshd
__all__ = ["clean_home_fixture"]  # the fixture, imported for pytest
TOKEN = "dash-follow-token-7c2"
ALIAS = "dash-move"
WAIT_MS = 60_000


@pytest.fixture(name="standin")
def standin_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[AutoDLStandIn]:
    api = AutoDLStandIn(token=TOKEN, starting_polls=1)
    with StandInServer(api) as server:
        monkeypatch.setenv("GPUDESK_AUTODL_API", server.url)
        yield api


def set_up_through_the_cli(uuid: str) -> None:
    """Add the AutoDL account and set instance ``uuid`` up as :data:`ALIAS`, as a user would."""
    for args, stdin in (
        (("account", "add", "autodl", "--token-stdin"), TOKEN + "\n"),
        (("setup", "--instance", f"autodl:{uuid}", "--alias", ALIAS, "--accept-new-host-key"),
         ""),
    ):  # fmt: skip
        done = run_gpudesk(*args, "--json", stdin=stdin)
        assert done.returncode == 0, done.stdout + done.stderr
        assert json.loads(done.stdout)


def test_power_on_from_the_row_follows_the_instance_to_its_new_machine(
    qtbot: QtBot,
    services: Services,
    standin: AutoDLStandIn,
    sshd_factory: SshdFactory,
    clean_home: TestUser,
) -> None:
    first, second = sshd_factory(), sshd_factory()
    standin.add(
        StandInInstance(
            uuid="pro-dash01", status="running", address=login_of(first), landing=login_of(second)
        )
    )
    set_up_through_the_cli("pro-dash01")
    done = run_gpudesk("power-off", ALIAS, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)
    dash = open_dashboard(qtbot, services)
    try:
        window = dash.window
        window.refresh_instances(select=ALIAS)
        bar = window.details.action_bar
        assert bar.power_button.isVisibleTo(window)
        bar.trigger(Action.POWER_ON)
        runner = window.actions_runner
        assert runner is not None
        qtbot.waitUntil(lambda: isinstance(runner.power.dialog, HostKeyDialog), timeout=WAIT_MS)
        dialog = runner.power.dialog
        assert isinstance(dialog, HostKeyDialog)
        assert dialog.key.fingerprint == second.host_key_fingerprint()
        with qtbot.waitSignal(runner.instances_changed, timeout=WAIT_MS):
            dialog.accept()
        assert InstanceStore().require(ALIAS).target.port == second.port
        assert standin.instances["pro-dash01"].status == "running"
        assert ssh_through_alias(ALIAS) == "alias-ok"
        qtbot.waitUntil(lambda: window.instance_model.row_of(ALIAS) >= 0)
    finally:
        dash.controller.shutdown_now()


def test_power_off_from_the_row_asks_with_cancel_as_default_then_powers_off(
    qtbot: QtBot,
    services: Services,
    standin: AutoDLStandIn,
    sshd_factory: SshdFactory,
    clean_home: TestUser,
) -> None:
    """The window asks the same question as the tray; only "Power off" calls the platform."""
    server = sshd_factory()
    standin.add(StandInInstance(uuid="pro-dash02", status="running", address=login_of(server)))
    set_up_through_the_cli("pro-dash02")
    dash = open_dashboard(qtbot, services)
    try:
        window = dash.window
        window.refresh_instances(select=ALIAS)
        window.details.action_bar.trigger(Action.POWER_OFF)
        runner = window.actions_runner
        assert runner is not None
        box = runner.power.dialog
        assert isinstance(box, QMessageBox) and box.objectName() == "powerOffQuestion"
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
        assert not any(r.path.endswith("/power_off") for r in standin.requests)
        box.button(QMessageBox.StandardButton.Yes).click()
        qtbot.waitUntil(
            lambda: any(r.path.endswith("/power_off") for r in standin.requests), timeout=WAIT_MS
        )
    finally:
        dash.controller.shutdown_now()
