"""The whole journey in ONE test, against real sshd servers and the real remote Jupyter.

A new user sets up an instance with the wizard, opens Jupyter from the main window right
after saving (the first thing one does), copies the Jupyter URL for VS Code, adds a port,
then the instance is powered off and comes back on ANOTHER port with ANOTHER host key (a
second test sshd: what AutoDL does on a power cycle), is re-pointed with the new command
(the new host key asked as first contact; tunnels follow), and is finally removed with
everything gpudesk kept for it. The stand-in nvidia-smi stands for the GPU (none here).
"""

from __future__ import annotations

import logging
import urllib.request

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.ssh.hostkeys import HostKeyStore
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.store.secrets import secret_name
from gpudesk.core.tunnels import TunnelState
from gpudesk.ui.dialogs.instance_edit import RemoveDialog
from gpudesk.ui.dialogs.repoint_dialog import RepointDialog
from gpudesk.ui.services import Services
from gpudesk.ui.widgets.instance_actions import Action
from tests.integration.tunnel_services import HTTP_BODY, http_get, http_service
from tests.testbed.fixtures import FakeNvidiaSmi, SshdFactory
from tests.testbed.remote_venv import RemoteJupyter, remote_jupyter_fixture  # noqa: F401
from tests.testbed.sshd import TestUser
from tests.ui import driver
from tests.ui.conftest import OpenedUrls
from tests.ui.dashboard_rig import WAIT_MS, Dashboard, open_dashboard, ssh_settings
from tests.ui.driver import TIMEOUT_MS, click, next_step

pytestmark = pytest.mark.sshd
ALIAS = "luchen-4090"
SLOW_MS = 90_000  # starting Jupyter on the instance


def states(board: Dashboard) -> set[TunnelState]:
    return {s.state for s in board.controller.supervisor.tunnels(ALIAS)}


def ssh_port_of(alias: str) -> str:
    return next(line.split()[1] for line in ssh_settings(alias) if line.startswith("port "))


def test_wizard_jupyter_port_power_cycle_repoint_remove(
    qtbot: QtBot,
    services: Services,
    sshd_factory: SshdFactory,
    test_user: TestUser,
    fake_nvidia_smi: FakeNvidiaSmi,
    remote_jupyter: RemoteJupyter,
    opened_urls: OpenedUrls,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    first = sshd_factory()
    board = open_dashboard(qtbot, services)
    window = board.window
    try:
        # 1. The wizard, as a user clicks through it.
        wizard = driver.open_wizard(qtbot, window)
        driver.choose_platform(qtbot, wizard, "luchen")
        next_step(qtbot, wizard)
        driver.choose_gpu(qtbot, wizard, "RTX 4090").price_spin.setValue(1.98)
        next_step(qtbot, wizard)
        driver.choose_image(qtbot, wizard, "pytorch-2.1-cu121")
        next_step(qtbot, wizard)
        command = f"ssh -p {first.port} {test_user.name}@127.0.0.1"
        connect = driver.paste_login(qtbot, wizard, command, test_user.password, remember=True)
        click(qtbot, connect.check_button)
        assert driver.trust_host_key(qtbot, connect) == first.host_key_fingerprint()
        driver.wait_for_check(qtbot, connect)
        next_step(qtbot, wizard)
        driver.skip_to_summary(qtbot, wizard)
        with qtbot.waitSignal(wizard.finished, timeout=TIMEOUT_MS):
            next_step(qtbot, wizard)
        selected = window.selected_instance()
        assert selected is not None and selected.alias == ALIAS

        # 2. Open Jupyter from the main window, right after the wizard saved.
        actions = window.details.action_bar
        with qtbot.waitSignal(board.controller.jupyter_opened, timeout=SLOW_MS):
            actions.trigger(Action.JUPYTER)
        assert len(opened_urls.urls) == 1 and opened_urls.urls[0].startswith("file://")
        (jupyter,) = board.controller.book.of_instance(ALIAS)
        assert jupyter.saved.kind == "jupyter"
        panel = board.panel
        qtbot.waitUntil(lambda: jupyter.tunnel_id in panel.tunnel_ids(), timeout=WAIT_MS)
        qtbot.waitUntil(
            lambda: panel.service_text(jupyter.tunnel_id) == "Service answers", timeout=WAIT_MS
        )

        # ... and its URL for VS Code (the token never reaches the log).
        with qtbot.waitSignal(window.actions_runner.jupyter_url_copied, timeout=SLOW_MS):
            actions.trigger(Action.JUPYTER_URL)
        url = QGuiApplication.clipboard().text()
        local = board.controller.supervisor.status(jupyter.tunnel_id).spec.local_port
        assert url.startswith(f"http://127.0.0.1:{local}/") and "token=" in url
        token = url.split("token=", 1)[1].split("&")[0]
        assert len(token) >= 16 and token not in caplog.text
        request = urllib.request.Request(
            f"http://127.0.0.1:{local}/api/status", headers={"Authorization": f"token {token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            assert response.status == 200

        with http_service() as web:
            # 3. Add a port.
            panel.local_port.setValue(0)
            panel.remote_port.setValue(web)
            panel.add_button.click()
            custom = panel.tunnel_ids()[-1]
            qtbot.waitUntil(lambda: panel.state_text(custom) == "Up", timeout=WAIT_MS)
            assert http_get(board.controller.supervisor.status(custom).spec.local_port) == HTTP_BODY

            # 4. Power cycle: the machine goes away; it comes back on another port, new key.
            first.close()
            qtbot.waitUntil(lambda: TunnelState.UP not in states(board), timeout=WAIT_MS)
            second = sshd_factory()
            assert second.port != first.port

            # 5. Re-point: paste the new command; the new host key is a first contact.
            actions.trigger(Action.REPOINT)
            (dialog,) = [d for d in window.findChildren(RepointDialog) if d.isVisible()]
            qtbot.keyClicks(dialog.command_edit, f"ssh -p {second.port} {test_user.name}@127.0.0.1")
            assert str(second.port) in dialog.parsed_label.text()
            click(qtbot, dialog.ok_button)
            qtbot.waitUntil(
                lambda: dialog.host_key_dialog is not None and dialog.host_key_dialog.isVisible(),
                timeout=WAIT_MS,
            )
            assert dialog.host_key_dialog is not None
            shown = dialog.host_key_dialog.fingerprint_label.text()
            assert shown == second.host_key_fingerprint()
            click(qtbot, dialog.host_key_dialog.trust_button)
            qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=WAIT_MS)
            saved = InstanceStore().require(ALIAS)
            assert saved.target.port == second.port
            pin = HostKeyStore().lookup(saved.host_key_alias)
            assert pin is not None and pin.fingerprint == second.host_key_fingerprint()
            assert ssh_port_of(ALIAS) == str(second.port)
            # The tunnels followed: both up again through the new address.
            qtbot.waitUntil(lambda: states(board) == {TunnelState.UP}, timeout=WAIT_MS)
            entries = {e.saved.kind: e for e in board.controller.book.of_instance(ALIAS)}
            assert set(entries) == {"jupyter", "custom"}
            moved = board.controller.supervisor.status(entries["custom"].tunnel_id)
            assert http_get(moved.spec.local_port) == HTTP_BODY
            panel = board.panel
            jupyter_id = entries["jupyter"].tunnel_id
            qtbot.waitUntil(lambda: jupyter_id in panel.tunnel_ids(), timeout=WAIT_MS)
            qtbot.waitUntil(
                lambda: panel.service_text(jupyter_id) == "Service answers", timeout=WAIT_MS
            )

        # 6. Remove: listed first, then everything gpudesk kept for it goes.
        instance = InstanceStore().require(ALIAS)
        actions.trigger(Action.REMOVE)
        (remove,) = [d for d in window.findChildren(RemoveDialog) if d.isVisible()]
        listed = " ".join(remove.items())
        assert "Jupyter" in listed and f"Port {web}" in listed and "host key" in listed
        assert "login password" in listed and "Jupyter token" in listed
        click(qtbot, remove.remove_button)
        qtbot.waitUntil(lambda: window.instance_model.instances == [], timeout=WAIT_MS)
        qtbot.waitUntil(lambda: board.controller.supervisor.tunnels(ALIAS) == [], timeout=WAIT_MS)
        assert board.controller.book.of_instance(ALIAS) == []
        assert not SshConfig().entry_path(ALIAS).exists()
        assert HostKeyStore().lookup(instance.host_key_alias) is None
        for kind in ("password", "jupyter-token"):
            assert services.secrets.get(secret_name(kind, instance.instance_id)) is None  # type: ignore[arg-type]
    finally:
        board.controller.shutdown_now()
