"""A saved instance on the REAL test sshd, shown in a main window with a live tray controller.

Shared by the dashboard tests and the journey: :func:`saved_instance` saves one (host key
pinned, password in the test keyring, ssh alias written), :func:`start_controller` starts a
controller with quick probes and backoff, :class:`Dashboard` wraps the window with the
queries the tests need.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pytestqt.qtbot import QtBot

from gpudesk.core import paths
from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.editor.sshentry import HostEntry
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.store.secrets import secret_name
from gpudesk.core.tunnels import BackoffPolicy, TunnelSupervisor
from gpudesk.ui.main_window import MainWindow
from gpudesk.ui.services import Services
from gpudesk.ui.tray_controller import TrayController
from gpudesk.ui.tunnels_panel import TunnelsPanel
from tests.testbed.sshd import SshdServer

QUICK = BackoffPolicy(first_delays_s=(0.0, 0.2, 0.4), cap_s=0.5, stable_after_s=1.0)
WAIT_MS = 20_000


def saved_instance(
    services: Services,
    sshd: SshdServer,
    alias: str,
    *,
    price: float | None = None,
    auto_connect: bool = False,
) -> Instance:
    """Save ``alias`` for ``sshd`` as the wizard would (pin, password, ssh alias)."""
    instance = InstanceStore().add(
        Instance(
            alias=alias,
            target=SshTarget(sshd.user.name, "127.0.0.1", sshd.port),
            platform_id=None,
            host_key_alias=new_host_key_alias(),
            price_per_hour=price,
            auto_connect=auto_connect,
        )
    )
    key_type, key_b64 = sshd.host_key_line().split()[:2]
    HostKeyStore().pin(instance.host_key_alias, PresentedKey(key_type, key_b64))
    services.secrets.set(secret_name("password", instance.instance_id), sshd.user.password)
    SshConfig().write(HostEntry.from_instance(instance))
    return instance


def ssh_settings(alias: str) -> list[str]:
    """What ``ssh ALIAS`` would do, as OpenSSH itself says (``ssh -G``), one option a line."""
    config = paths.ssh_dir() / "config"
    return subprocess.run(
        ["ssh", "-G", "-F", str(config), alias], capture_output=True, text=True, check=True
    ).stdout.splitlines()


def start_controller(qtbot: QtBot, services: Services) -> TrayController:
    """A controller with quick probes, restored (saved tunnels registered)."""
    supervisor = TunnelSupervisor(probe_interval_s=0.3, probe_misses=3, backoff=QUICK)
    controller = TrayController(services, supervisor=supervisor)
    with qtbot.waitSignal(controller.restored, timeout=10_000):
        controller.start()
    return controller


@dataclass
class Dashboard:
    """The window and its controller."""

    window: MainWindow
    controller: TrayController

    @property
    def panel(self) -> TunnelsPanel:
        """The selected instance's tunnels panel."""
        panel = self.window.details.panel
        assert panel is not None
        return panel

    def select(self, alias: str) -> TunnelsPanel:
        """Click the instance's row."""
        self.window.instance_table.selectRow(self.window.instance_model.row_of(alias))
        return self.panel

    def cell(self, alias: str, column: int) -> str:
        """The text of one cell of the instance list."""
        model = self.window.instance_model
        return str(model.data(model.index(model.row_of(alias), column)))


def open_dashboard(qtbot: QtBot, services: Services) -> Dashboard:
    """A shown main window attached to a started controller."""
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    controller = start_controller(qtbot, services)
    window.attach_controller(controller)
    window.quit_handler = controller.shutdown_now
    window.settings_changed.connect(controller.apply_settings)  # as gpudesk.app wires it
    return Dashboard(window, controller)


@pytest.fixture(name="dash")
def dash_fixture(qtbot: QtBot, services: Services) -> Iterator[Dashboard]:
    """A shown main window on a started controller, shut down after the test."""
    board = open_dashboard(qtbot, services)
    try:
        yield board
    finally:
        board.controller.shutdown_now()
