"""The account views against the AutoDL stand-in (no real account exists here).

The stand-in API (``tests/standins/autodl_api.py``) is served over loopback and gpudesk is
pointed at it with ``GPUDESK_AUTODL_API``; the widgets are driven with pytest-qt.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from gpudesk.core.providers.accounts import AccountBook, token_name
from gpudesk.core.store.secrets import open_secret_store
from gpudesk.ui.accounts.connect_dialog import ConnectAccountDialog
from gpudesk.ui.accounts.instances_view import AccountInstancesView
from tests.standins.autodl_api import AutoDLStandIn, StandInInstance, StandInServer

TOKEN = "ui-token-0a9b8c7d"


@pytest.fixture(name="standin")
def standin_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[AutoDLStandIn]:
    api = AutoDLStandIn(token=TOKEN)
    api.add(StandInInstance(uuid="pro-run001", name="train", status="running"))
    api.add(StandInInstance(uuid="pro-off002", name="idle", gpu_alias="H800", price_milli=8880))
    with StandInServer(api) as server:
        monkeypatch.setenv("GPUDESK_AUTODL_API", server.url)
        yield api


def connect(qtbot: QtBot, token: str) -> ConnectAccountDialog:
    dialog = ConnectAccountDialog()
    qtbot.addWidget(dialog)
    dialog.token_edit.setText(token)
    dialog.connect_button.click()
    return dialog


def test_a_rejected_token_says_so_and_stores_nothing(qtbot: QtBot, standin: AutoDLStandIn) -> None:
    dialog = connect(qtbot, "not-the-token")
    qtbot.waitUntil(lambda: "rejected" in dialog.status_label.text(), timeout=15000)
    assert AccountBook().accounts() == []
    assert open_secret_store()[0].get(token_name("autodl")) is None


def test_an_accepted_token_connects_the_account(qtbot: QtBot, standin: AutoDLStandIn) -> None:
    dialog = ConnectAccountDialog()
    qtbot.addWidget(dialog)
    dialog.token_edit.setText(TOKEN)
    with qtbot.waitSignal(dialog.account_connected, timeout=15000) as signal:
        dialog.connect_button.click()
    assert signal.args == ["autodl"]
    assert [a.provider for a in AccountBook().accounts()] == ["autodl"]
    assert dialog.token_edit.text() == ""  # forgotten when the dialog closed


def test_instances_balance_warning_and_power_button(qtbot: QtBot, standin: AutoDLStandIn) -> None:
    secrets, _ = open_secret_store()
    secrets.set(token_name("autodl"), TOKEN)
    AccountBook().add_account("autodl")
    standin.balance_milli = 5000  # ¥5, below the ¥10 threshold
    view = AccountInstancesView()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.overview_loaded, timeout=15000):
        view.reload()
    rows = {view.table.item(r, 1).text(): r for r in range(view.table.rowCount())}
    idle = rows["pro-off002"]
    assert view.table.item(idle, 2).text() == "Off"
    assert view.table.item(idle, 3).text() == "1× H800"
    assert view.table.item(idle, 4).text() == "¥8.88"
    assert view.balance_label.text() == "Balance: ¥5.00"
    assert view.warning_label.isVisibleTo(view)
    button = view.table.cellWidget(idle, 6)
    assert button.text() == "Power on"
    with qtbot.waitSignal(view.overview_loaded, timeout=15000):
        button.click()
    assert standin.instances["pro-off002"].status == "starting"
    assert view.table.item(idle, 2).text() == "Starting"
