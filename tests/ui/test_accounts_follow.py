"""Power on from the account view and follow the instance to a second REAL sshd.

The AutoDL stand-in (no real account here) reports the saved instance on one test sshd;
after power-on it lands on another (new port, new host key). The view must ask about the
new host key in the trust dialog, re-point the alias, and the real ``ssh -F`` must log in.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from gpudesk.core.store.instances import InstanceStore
from gpudesk.ui.accounts.instances_view import AccountInstancesView
from tests.clihelpers import run_gpudesk
from tests.integration.alias_login import clean_home_fixture, ssh_through_alias
from tests.standins.autodl_api import AutoDLStandIn, StandInInstance, StandInServer, login_of
from tests.testbed.fixtures import SshdFactory
from tests.testbed.sshd import TestUser

pytestmark = pytest.mark.sshd
__all__ = ["clean_home_fixture"]  # the fixture, imported for pytest
TOKEN = "ui-follow-token-31f"
ALIAS = "ui-move"


@pytest.fixture(name="standin")
def standin_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[AutoDLStandIn]:
    api = AutoDLStandIn(token=TOKEN, starting_polls=1)
    with StandInServer(api) as server:
        monkeypatch.setenv("GPUDESK_AUTODL_API", server.url)
        yield api


def test_power_on_asks_about_the_new_host_key_and_re_points_the_alias(
    qtbot: QtBot, standin: AutoDLStandIn, sshd_factory: SshdFactory, clean_home: TestUser
) -> None:
    first, second = sshd_factory(), sshd_factory()
    standin.add(
        StandInInstance(
            uuid="pro-ui0001",
            name="train",
            status="running",
            address=login_of(first),
            landing=login_of(second),
        )
    )
    for args, stdin in (
        (("account", "add", "autodl", "--token-stdin"), TOKEN + "\n"),
        (
            ("setup", "--instance", "autodl:pro-ui0001", "--alias", ALIAS, "--accept-new-host-key"),
            "",
        ),
        (("power-off", ALIAS), ""),
    ):
        done = run_gpudesk(*args, "--json", stdin=stdin)
        assert done.returncode == 0, done.stdout + done.stderr
        assert json.loads(done.stdout)
    view = AccountInstancesView()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.overview_loaded, timeout=15000):
        view.reload()
    assert view.table.item(0, 5).text() == ALIAS
    button = view.table.cellWidget(0, 6)
    assert isinstance(button, QPushButton) and button.text() == "Power on"
    button.click()
    qtbot.waitUntil(lambda: view.host_key_dialog is not None, timeout=60000)
    dialog = view.host_key_dialog
    assert dialog is not None and dialog.key.fingerprint == second.host_key_fingerprint()
    with qtbot.waitSignal(view.overview_loaded, timeout=60000):
        dialog.accept()
    assert InstanceStore().require(ALIAS).target.port == second.port
    assert view.table.item(0, 2).text() == "Running"
    assert ssh_through_alias(ALIAS) == "alias-ok"
