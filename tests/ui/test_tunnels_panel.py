"""The tunnels panel, offscreen, against the real test sshd: add, live state, stop, busy port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from pytestqt.qtbot import QtBot

from gpudesk.core.tunnels import TunnelSupervisor
from gpudesk.core.tunnels.forward import bind_listener
from gpudesk.ui.tunnels_panel import TunnelsPanel
from tests.integration.tunnel_services import HTTP_BODY, http_get, http_service, instance_for
from tests.testbed.sshd import SshdServer

pytestmark = pytest.mark.sshd


@pytest.fixture
def supervisor() -> Iterator[TunnelSupervisor]:
    sup = TunnelSupervisor(probe_interval_s=0.5, probe_misses=3)
    yield sup
    sup.close()


@pytest.fixture
def web() -> Iterator[int]:
    with http_service() as port:
        yield port


@pytest.fixture
def panel(qtbot: QtBot, sshd: SshdServer, supervisor: TunnelSupervisor) -> TunnelsPanel:
    instance, connect = instance_for(sshd)
    widget = TunnelsPanel(supervisor, instance, connect)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def add_port(qtbot: QtBot, panel: TunnelsPanel, local: int, remote: int) -> None:
    panel.local_port.setValue(local)
    panel.remote_port.setValue(remote)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)


def test_add_port_shows_the_live_state_and_stop_stops(
    qtbot: QtBot, panel: TunnelsPanel, supervisor: TunnelSupervisor, web: int
) -> None:
    with qtbot.waitSignal(panel.tunnel_state_changed, timeout=15000):
        add_port(qtbot, panel, 0, web)
    (tunnel_id,) = panel.tunnel_ids()
    qtbot.waitUntil(lambda: panel.state_text(tunnel_id) == "Up", timeout=15000)
    status = supervisor.status(tunnel_id)
    assert http_get(status.spec.local_port) == HTTP_BODY
    assert panel.action_button(tunnel_id).text() == "Stop"
    local = panel.table.item(0, 1)  # column 0: the name
    assert local is not None and local.text() == f"127.0.0.1:{status.spec.local_port}"

    qtbot.mouseClick(panel.action_button(tunnel_id), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state_text(tunnel_id) == "Stopped", timeout=15000)
    assert panel.action_button(tunnel_id).text() == "Start"

    qtbot.mouseClick(panel.action_button(tunnel_id), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state_text(tunnel_id) == "Up", timeout=15000)
    assert http_get(supervisor.status(tunnel_id).spec.local_port) == HTTP_BODY


def test_a_busy_port_is_reported_at_once_and_the_free_one_offered(
    qtbot: QtBot, panel: TunnelsPanel, web: int
) -> None:
    holder = bind_listener(0)
    busy = holder.getsockname()[1]
    try:
        add_port(qtbot, panel, busy, web)
        assert panel.message.isVisible()
        assert str(busy) in panel.message.text()
        offered = panel.local_port.value()
        assert offered not in (0, busy)
        assert str(offered) in panel.message.text()
        assert panel.tunnel_ids() == []  # nothing was added
    finally:
        holder.close()
    add_port(qtbot, panel, offered, web)  # the user takes the offer
    (tunnel_id,) = panel.tunnel_ids()
    qtbot.waitUntil(lambda: panel.state_text(tunnel_id) == "Up", timeout=15000)
    assert not panel.message.isVisible()


def test_app_buttons_ask_for_jupyter_and_tensorboard(qtbot: QtBot, panel: TunnelsPanel) -> None:
    with qtbot.waitSignal(panel.open_jupyter_requested) as jupyter:
        qtbot.mouseClick(panel.jupyter_button, Qt.MouseButton.LeftButton)
    assert jupyter.args == [panel.instance.alias]
    with qtbot.waitSignal(panel.open_tensorboard_requested) as tensorboard:
        qtbot.mouseClick(panel.tensorboard_button, Qt.MouseButton.LeftButton)
    assert tensorboard.args == [panel.instance.alias]


def test_the_panel_stops_listening_when_deleted(
    qtbot: QtBot, sshd: SshdServer, supervisor: TunnelSupervisor
) -> None:
    instance, connect = instance_for(sshd)
    widget = TunnelsPanel(supervisor, instance, connect)
    relay = widget.bridge._relay
    widget.deleteLater()
    qtbot.waitUntil(lambda: not supervisor.is_subscribed(relay), timeout=5000)


def test_remove_stops_and_forgets_the_tunnel(
    qtbot: QtBot, panel: TunnelsPanel, supervisor: TunnelSupervisor, web: int
) -> None:
    add_port(qtbot, panel, 0, web)
    (tunnel_id,) = panel.tunnel_ids()
    qtbot.waitUntil(lambda: panel.state_text(tunnel_id) == "Up", timeout=15000)
    assert not panel.table.isColumnHidden(1) and panel.table.isColumnHidden(0)  # no names
    qtbot.mouseClick(panel.remove_button(tunnel_id), Qt.MouseButton.LeftButton)
    assert panel.tunnel_ids() == [] and panel.table.rowCount() == 0
    qtbot.waitUntil(lambda: supervisor.tunnels(panel.instance.alias) == [], timeout=15000)
    QCoreApplication.processEvents()  # the queued STOPPED event of it adds no row back
    assert panel.table.rowCount() == 0
