"""The state panel (no tray) and closing the window: to the tray, or quitting cleanly.

No sshd needed: logins are the engine's fakes (``tests/core/tunnel_fakes.py``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QCheckBox, QDockWidget, QLabel, QMainWindow, QPushButton
from pytestqt.qtbot import QtBot

from gpudesk.core.desktop.traystate import OverallState
from gpudesk.core.models import SshTarget
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.tunnels import BackoffPolicy, TunnelState, TunnelSupervisor
from gpudesk.core.tunnels.savedtunnels import SavedTunnel
from gpudesk.ui.services import Services
from gpudesk.ui.state_panel import StatePanel, attach_state_panel
from gpudesk.ui.tray import attach_window
from gpudesk.ui.tray_controller import TrayController
from tests.core.tunnel_fakes import ScriptedConnect


@pytest.fixture
def controller(qtbot: QtBot, services: Services) -> Iterator[TrayController]:
    InstanceStore().add(
        Instance(
            alias="box",
            target=SshTarget("root", "gpu.example.com", 10309),
            platform_id="autodl",
            host_key_alias=new_host_key_alias(),
            tunnels=(SavedTunnel("Jupyter", 0, 8888, kind="jupyter").to_dict(),),
        )
    )
    supervisor = TunnelSupervisor(
        probe_interval_s=0.2, backoff=BackoffPolicy(first_delays_s=(0.0,), cap_s=0.05, jitter=0)
    )
    ctl = TrayController(services, supervisor=supervisor)
    ctl.desk.connector = lambda _instance: ScriptedConnect()  # type: ignore[method-assign]
    with qtbot.waitSignal(ctl.restored, timeout=5000):
        ctl.start()
    yield ctl
    ctl.shutdown_now()


def test_panel_shows_state_toggles_and_how_to_get_a_tray(
    qtbot: QtBot, controller: TrayController
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    panel = attach_state_panel(window, controller)
    assert isinstance(panel, StatePanel)
    dock = window.findChild(QDockWidget, "stateDock")
    assert dock is not None and dock.widget() is panel
    hint = panel.findChild(QLabel, "trayHint")
    assert hint is not None and "AppIndicator" in hint.text()
    assert panel.state is OverallState.NOTHING_RUNNING
    (tunnel_id,) = [e.tunnel_id for e in controller.book.entries()]
    box = panel.findChild(QCheckBox, f"tunnel:{tunnel_id}")
    assert box is not None and not box.isChecked()
    for name in ("jupyter:box", "vscode:box", "copyssh:box"):
        assert panel.findChild(QPushButton, name) is not None
    box.setChecked(True)  # really starts the tunnel
    qtbot.waitUntil(lambda: panel.state is OverallState.ALL_UP, timeout=5000)
    assert controller.supervisor.status(tunnel_id).state is TunnelState.UP
    box = panel.findChild(QCheckBox, f"tunnel:{tunnel_id}")
    assert box is not None and box.isChecked()
    panel.disconnect_all_button.click()
    qtbot.waitUntil(lambda: panel.state is OverallState.NOTHING_RUNNING, timeout=5000)


def test_closing_without_a_tray_quits_cleanly(qtbot: QtBot, controller: TrayController) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    attach_window(controller, window)
    window.show()
    controller.connect_all()
    qtbot.waitUntil(
        lambda: all(s.state is TunnelState.UP for s in controller.supervisor.tunnels()),
        timeout=5000,
    )
    with qtbot.waitSignal(controller.shutdown_finished, timeout=10_000):
        window.close()
    assert controller.closing
    assert all(s.state is TunnelState.STOPPED for s in controller.supervisor.tunnels())


def test_closing_with_a_tray_hides_to_it(
    qtbot: QtBot, controller: TrayController, services: Services
) -> None:
    controller.tray_available = True
    window = QMainWindow()
    qtbot.addWidget(window)
    attach_window(controller, window)
    window.show()
    with qtbot.waitSignal(controller.window_hidden_to_tray, timeout=2000):
        window.close()
    assert not controller.closing and not window.isVisible()
    services.settings = dataclasses.replace(services.settings, close_to_tray=False)
    window.show()
    with qtbot.waitSignal(controller.shutdown_finished, timeout=10_000):
        window.close()
