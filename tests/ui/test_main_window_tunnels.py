"""The main window's tunnels against a REAL sshd: the selected instance's panel, saved tunnels.

A saved instance (host key pinned, password in the test keyring) is selected in the home
view; "Add port" forwards to a real HTTP service, saves the tunnel in ``instances.json``, a
fresh controller restores it (auto-connect), "Remove" forgets it; "Open TensorBoard" starts
the real TensorBoard of the remote test-bed venv and opens the browser on its local URL.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.tunnels import TunnelState
from gpudesk.ui.main_window import MainWindow
from gpudesk.ui.services import Services
from gpudesk.ui.tray_controller import TrayController
from gpudesk.ui.tunnels_panel import TunnelsPanel
from gpudesk.ui.widgets.instance_actions import Action
from tests.integration.tunnel_services import HTTP_BODY, http_get, http_service
from tests.testbed.remote_venv import RemoteJupyter, remote_jupyter_fixture  # noqa: F401
from tests.testbed.sshd import SshdServer
from tests.ui.conftest import OpenedUrls
from tests.ui.dashboard_rig import Dashboard, saved_instance, start_controller

pytestmark = pytest.mark.sshd
ALIAS = "testbox"


class Home(Dashboard):
    """The dashboard rig, with what these tests ask of the one instance."""

    def state_column(self) -> str:
        model = self.window.instance_model
        return str(model.data(model.index(model.row_of(ALIAS), 3)))

    def saved(self) -> list[dict[str, object]]:
        instance = InstanceStore().get(ALIAS)
        assert instance is not None
        return [dict(t) for t in instance.tunnels]


def make_controller(qtbot: QtBot, services: Services) -> TrayController:
    return start_controller(qtbot, services)


@pytest.fixture
def web() -> Iterator[int]:
    with http_service() as port:
        yield port


@pytest.fixture
def home(qtbot: QtBot, services: Services, sshd: SshdServer) -> Iterator[Home]:
    saved_instance(services, sshd, ALIAS, auto_connect=True)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    controller = make_controller(qtbot, services)
    window.attach_controller(controller)
    try:
        yield Home(window, controller)
    finally:
        controller.shutdown_now()


def select(home: Home) -> TunnelsPanel:
    assert home.window.details.stack.currentWidget() is home.window.details.placeholder
    home.window.instance_table.selectRow(home.window.instance_model.row_of(ALIAS))
    return home.panel


def test_add_port_saves_it_restores_it_and_remove_forgets_it(
    qtbot: QtBot, home: Home, services: Services, web: int
) -> None:
    panel = select(home)
    assert panel.instance.alias == ALIAS and panel.tunnel_ids() == []
    assert home.state_column() == "Not connected"
    panel.local_port.setValue(0)
    panel.remote_port.setValue(web)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    (tunnel_id,) = panel.tunnel_ids()
    qtbot.waitUntil(lambda: panel.state_text(tunnel_id) == "Up", timeout=15_000)
    qtbot.waitUntil(lambda: home.state_column() == "1 tunnel up", timeout=5000)
    assert panel.name_text(tunnel_id) == f"Port {web}"
    port = home.controller.supervisor.status(tunnel_id).spec.local_port
    assert http_get(port) == HTTP_BODY
    qtbot.waitUntil(lambda: len(home.saved()) == 1, timeout=5000)
    (saved,) = home.saved()
    assert saved == {
        "name": f"Port {web}",
        "local_port": 0,
        "remote_port": web,
        "remote_host": "127.0.0.1",
        "kind": "custom",
    }

    # A fresh controller (gpudesk started again) restores it and, auto-connect, starts it.
    fresh = make_controller(qtbot, services)
    try:
        (entry,) = fresh.book.of_instance(ALIAS)
        assert entry.saved.name == f"Port {web}"
        qtbot.waitUntil(
            lambda: fresh.supervisor.status(entry.tunnel_id).state is TunnelState.UP,
            timeout=15_000,
        )
        assert http_get(fresh.supervisor.status(entry.tunnel_id).spec.local_port) == HTTP_BODY
    finally:
        fresh.shutdown_now()

    qtbot.mouseClick(panel.remove_button(tunnel_id), Qt.MouseButton.LeftButton)
    assert panel.tunnel_ids() == []
    qtbot.waitUntil(lambda: home.saved() == [], timeout=5000)
    qtbot.waitUntil(lambda: home.controller.supervisor.tunnels(ALIAS) == [], timeout=10_000)
    assert home.controller.book.of_instance(ALIAS) == []
    qtbot.waitUntil(lambda: home.state_column() == "Not connected", timeout=5000)

    home.window.instance_table.clearSelection()
    assert home.window.details.stack.currentWidget() is home.window.details.placeholder


def test_open_tensorboard_brings_its_tunnel_up_and_opens_the_browser(
    qtbot: QtBot, home: Home, remote_jupyter: RemoteJupyter, opened_urls: OpenedUrls
) -> None:
    panel = select(home)
    with qtbot.waitSignal(home.controller.tensorboard_opened, timeout=90_000) as opened:
        home.window.details.action_bar.trigger(Action.TENSORBOARD)  # the dashboard's button
    alias, url = opened.args  # type: ignore[misc]
    (entry,) = home.controller.book.of_instance(ALIAS)
    status = home.controller.supervisor.status(entry.tunnel_id)
    assert alias == ALIAS and entry.saved.kind == "tensorboard"
    assert status.state is TunnelState.UP
    assert url == f"http://127.0.0.1:{status.spec.local_port}/"
    assert opened_urls.urls == [url]
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
        assert response.status == 200
    qtbot.waitUntil(lambda: panel.tunnel_ids() == [entry.tunnel_id], timeout=5000)
    qtbot.waitUntil(lambda: panel.state_text(entry.tunnel_id) == "Up", timeout=5000)
    assert panel.name_text(entry.tunnel_id) == "TensorBoard"
    qtbot.waitUntil(lambda: home.state_column() == "1 tunnel up", timeout=5000)
    assert [t["kind"] for t in home.saved()] == ["tensorboard"]


def test_a_failed_action_is_reported_in_the_status_bar(qtbot: QtBot, home: Home) -> None:
    home.controller.open_jupyter("no-such-box")
    qtbot.waitUntil(lambda: bool(home.window.statusBar().currentMessage()), timeout=5000)
    assert home.window.statusBar().currentMessage().startswith("There is no instance")
    assert "no-such-box" in home.window.statusBar().toolTip()  # the core's own sentence
