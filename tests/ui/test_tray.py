"""The tray against a REAL sshd: menu actions per tunnel, real toggles, icon state, notices.

There is no system tray offscreen, so the tests drive :class:`TrayIcon`'s menu (rebuilt as on
``aboutToShow``) and watch its signals; the engine, the sshd and the stand-in ``nvidia-smi``
are real. Probing is fast (0.3 s x 3) and the "lost" grace period short (0.5 s).
"""

from __future__ import annotations

import signal
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from gpudesk.core.desktop.notifications import NotificationPolicy
from gpudesk.core.desktop.traystate import OverallState
from gpudesk.core.models import SshTarget
from gpudesk.core.monitor.gpumonitor import IdleRule
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.store.secrets import secret_name
from gpudesk.core.tunnels import BackoffPolicy, TunnelState, TunnelSupervisor
from gpudesk.core.tunnels.savedtunnels import SavedTunnel
from gpudesk.ui.services import Services
from gpudesk.ui.tray import TrayIcon
from gpudesk.ui.tray_controller import TrayController
from tests.clihelpers import follow_redirect_page
from tests.integration.tunnel_services import HTTP_BODY, http_get, http_service, listening_ports
from tests.testbed.fixtures import FakeNvidiaSmi, SshdFactory
from tests.testbed.remote_venv import RemoteJupyter, remote_jupyter_fixture  # noqa: F401
from tests.testbed.sshd import SshdServer
from tests.ui.conftest import OpenedUrls

pytestmark = pytest.mark.sshd
QUICK = BackoffPolicy(first_delays_s=(0.0, 0.2, 0.4), cap_s=0.5, stable_after_s=1.0)


@dataclass
class Rig:
    services: Services
    controller: TrayController
    tray: TrayIcon
    instance: Instance
    shown: list[tuple[str, str, str]]

    def tunnel_ids(self) -> list[str]:
        return [e.tunnel_id for e in self.controller.book.of_instance(self.instance.alias)]

    def state(self, tunnel_id: str) -> TunnelState:
        return self.controller.supervisor.status(tunnel_id).state

    def all_up(self) -> bool:
        return all(self.state(t) is TunnelState.UP for t in self.tunnel_ids())


def save_instance(server: SshdServer, services: Services, web_port: int) -> Instance:
    """A saved instance pinned to the server's host key, its password in the test keyring."""
    instance = InstanceStore().add(
        Instance(
            alias="testbox",
            target=SshTarget(server.user.name, "127.0.0.1", server.port),
            platform_id="autodl",
            host_key_alias=new_host_key_alias(),
            price_per_hour=3.6,
            tunnels=(
                SavedTunnel("Web", 0, web_port).to_dict(),
                SavedTunnel("Demo", 0, web_port, kind="custom").to_dict(),
            ),
        )
    )
    key_type, key_b64 = server.host_key_line().split()[:2]
    HostKeyStore().pin(instance.host_key_alias, PresentedKey(key_type, key_b64))
    services.secrets.set(secret_name("password", instance.instance_id), server.user.password)
    return instance


@pytest.fixture
def web() -> Iterator[int]:
    with http_service() as port:
        yield port


def make_rig(qtbot: QtBot, services: Services, server: SshdServer, web: int) -> Iterator[Rig]:
    instance = save_instance(server, services, web)
    supervisor = TunnelSupervisor(probe_interval_s=0.3, probe_misses=3, backoff=QUICK)
    controller = TrayController(
        services, supervisor=supervisor, policy=NotificationPolicy(grace_s=0.5)
    )
    controller.hub.interval_s = 0.3
    controller.hub.first_sample_s = 0.1
    controller.hub.rule = IdleRule(threshold_pct=5, window_s=0.8)
    tray = TrayIcon(controller)
    shown: list[tuple[str, str, str]] = []
    tray.notification_shown.connect(lambda *args: shown.append(args))
    with qtbot.waitSignal(controller.restored, timeout=10_000):
        controller.start()
    rig = Rig(services, controller, tray, instance, shown)
    try:
        yield rig
    finally:
        controller.shutdown_now()
        tray.deleteLater()


@pytest.fixture
def rig(qtbot: QtBot, services: Services, sshd: SshdServer, web: int) -> Iterator[Rig]:
    yield from make_rig(qtbot, services, sshd, web)


def test_menu_has_actions_per_tunnel_and_instance(qtbot: QtBot, rig: Rig) -> None:
    model = rig.tray.rebuild_menu()
    (section,) = model.sections
    assert [t.name for t in section.toggles] == ["Web", "Demo"]
    for tunnel_id in rig.tunnel_ids():
        action = rig.tray.find_action(f"tunnel:{tunnel_id}")
        assert action is not None and action.isCheckable() and not action.isChecked()
    for name in ("jupyter", "vscode", "copyssh"):
        assert rig.tray.find_action(f"{name}:testbox") is not None
    header = rig.tray.find_action("header:testbox")
    assert header is not None and header.text() == "testbox" and header.font().bold()
    with qtbot.waitSignal(rig.tray.window_requested, timeout=1000):
        header.trigger()
    for name in ("connectAll", "disconnectAll", "openWindow", "quit"):
        assert rig.tray.find_action(name) is not None
    assert rig.tray.find_action("connectAll").isEnabled()  # type: ignore[union-attr]
    assert not rig.tray.find_action("disconnectAll").isEnabled()  # type: ignore[union-attr]
    assert rig.controller.state.state is OverallState.NOTHING_RUNNING
    assert rig.tray.toolTip() == "gpudesk: nothing running"
    rig.tray.find_action("copyssh:testbox").trigger()  # type: ignore[union-attr]
    assert QGuiApplication.clipboard().text() == rig.instance.target.ssh_command()


def test_toggle_really_opens_and_closes_the_tunnel(qtbot: QtBot, rig: Rig) -> None:
    web_id = rig.tunnel_ids()[0]
    rig.tray.rebuild_menu()
    with qtbot.waitSignal(rig.controller.state_changed, timeout=10_000) as up:
        rig.tray.find_action(f"tunnel:{web_id}").trigger()  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: rig.state(web_id) is TunnelState.UP, timeout=10_000)
    port = rig.controller.supervisor.status(web_id).spec.local_port
    assert http_get(port) == HTTP_BODY
    qtbot.waitUntil(lambda: rig.controller.state.state is OverallState.ALL_UP, timeout=5000)
    assert up.args is not None
    assert rig.tray.toolTip() == "gpudesk: 1 tunnels up on 1 instances"
    rig.tray.rebuild_menu()
    action = rig.tray.find_action(f"tunnel:{web_id}")
    assert action is not None and action.isChecked()
    assert rig.state(rig.tunnel_ids()[1]) is TunnelState.STOPPED
    action.trigger()  # unchecks: stop
    qtbot.waitUntil(lambda: rig.state(web_id) is TunnelState.STOPPED, timeout=10_000)
    assert port not in listening_ports()
    qtbot.waitUntil(
        lambda: rig.controller.state.state is OverallState.NOTHING_RUNNING, timeout=5000
    )
    assert rig.shown == []  # switching on and off is not news


def test_connect_all_and_disconnect_all(qtbot: QtBot, rig: Rig) -> None:
    rig.tray.rebuild_menu()
    rig.tray.find_action("connectAll").trigger()  # type: ignore[union-attr]
    qtbot.waitUntil(
        lambda: all(rig.state(t) is TunnelState.UP for t in rig.tunnel_ids()), timeout=10_000
    )
    for tunnel_id in rig.tunnel_ids():
        assert http_get(rig.controller.supervisor.status(tunnel_id).spec.local_port) == HTTP_BODY
    rig.tray.rebuild_menu()
    rig.tray.find_action("disconnectAll").trigger()  # type: ignore[union-attr]
    qtbot.waitUntil(
        lambda: all(rig.state(t) is TunnelState.STOPPED for t in rig.tunnel_ids()),
        timeout=10_000,
    )


def test_lost_and_back_up_notified_once_each(
    qtbot: QtBot, services: Services, sshd_factory: SshdFactory, web: int
) -> None:
    server = sshd_factory()
    for rig in make_rig(qtbot, services, server, web):
        rig.controller.connect_all()
        qtbot.waitUntil(
            rig.all_up,
            timeout=10_000,
        )
        states: list[OverallState] = []
        rig.controller.state_changed.connect(states.append)
        server.stop()
        server.signal_sessions(signal.SIGKILL)  # the instance is gone for a while
        qtbot.waitUntil(lambda r=rig: [k for k, _, _ in r.shown] == ["lost"], timeout=10_000)
        assert rig.tray.icon().cacheKey() != 0
        assert OverallState.RECONNECTING in states
        title = rig.shown[0][1]
        assert title == "testbox: connection lost"
        server.start()
        qtbot.waitUntil(
            rig.all_up,
            timeout=15_000,
        )
        qtbot.waitUntil(lambda r=rig: len(r.shown) >= 2, timeout=5000)
        qtbot.wait(300)
        assert [k for k, _, _ in rig.shown] == ["lost", "back-up"]  # two tunnels, one notice
        assert states[-1] is OverallState.ALL_UP


def test_host_key_changed_failed_once(
    qtbot: QtBot, services: Services, sshd_factory: SshdFactory, web: int
) -> None:
    server = sshd_factory()
    for rig in make_rig(qtbot, services, server, web):
        rig.controller.connect_all()
        qtbot.waitUntil(
            rig.all_up,
            timeout=10_000,
        )
        server.restart_with_new_host_key()
        server.signal_sessions(signal.SIGKILL)
        qtbot.waitUntil(
            lambda r=rig: all(r.state(t) is TunnelState.FAILED for t in r.tunnel_ids()),
            timeout=10_000,
        )
        qtbot.waitUntil(lambda r=rig: bool(r.shown), timeout=5000)
        qtbot.wait(300)
        assert [k for k, _, _ in rig.shown] == ["host-key-changed"]
        assert rig.controller.state.state is OverallState.FAILED
        assert "failed" in rig.tray.toolTip()


def test_monitor_end_to_end_idle_notice_once_and_header(
    qtbot: QtBot,
    rig: Rig,
    sshd: SshdServer,
    fake_nvidia_smi: FakeNvidiaSmi,
    opened_urls: OpenedUrls,
) -> None:
    fake_nvidia_smi.set(gpus=[{"utilization.gpu": 70, "memory.used": 4096}])
    rig.controller.connect_all()
    qtbot.waitUntil(lambda: rig.controller.hub.reading("testbox") is not None, timeout=10_000)
    qtbot.waitUntil(
        lambda: (rig.controller.hub.reading("testbox").max_util or 0) == 70,  # type: ignore[union-attr]
        timeout=15_000,
    )
    header = rig.tray.rebuild_menu().sections[0]
    text = rig.tray.find_action("header:testbox").text()  # type: ignore[union-attr]
    assert text.startswith("testbox · GPU 70 % · 4.0/24.0 GiB · up ")
    assert header.reading is not None and header.reading.cost is not None
    logins = sshd.log_text().count("Accepted password")
    fake_nvidia_smi.set(gpus=[{"utilization.gpu": 0}])
    qtbot.waitUntil(lambda: any(k == "gpu-idle" for k, _, _ in rig.shown), timeout=15_000)
    assert rig.controller.state.state is OverallState.IDLE_GPU
    (idle,) = [text for kind, _, text in rig.shown if kind == "gpu-idle"]
    assert idle.startswith("testbox: GPU idle for 0 min, about ¥3.6 per hour.")
    assert "releases stopped instances after 15 days" in idle
    rig.tray.rebuild_menu()
    assert rig.tray.find_action("console:testbox") is not None
    rig.tray.on_self_message_clicked()  # the idle message opens the platform console
    assert opened_urls.urls == [rig.tray.model.sections[0].console_url]  # type: ignore[union-attr]
    qtbot.wait(1500)  # more idle samples: still one notice
    assert [k for k, _, _ in rig.shown].count("gpu-idle") == 1
    fake_nvidia_smi.set(gpus=[{"utilization.gpu": 90}])
    qtbot.waitUntil(lambda: rig.controller.state.state is OverallState.ALL_UP, timeout=15_000)
    # No new login per sample (one for the monitor at most, until run_on_instance exists).
    assert sshd.log_text().count("Accepted password") == logins


def test_open_jupyter_starts_it_saves_its_tunnel_and_opens_the_browser(
    qtbot: QtBot, rig: Rig, remote_jupyter: RemoteJupyter, opened_urls: OpenedUrls
) -> None:
    rig.tray.rebuild_menu()
    with qtbot.waitSignal(rig.controller.jupyter_opened, timeout=90_000) as opened:
        rig.tray.find_action("jupyter:testbox").trigger()  # type: ignore[union-attr]
    alias, page = opened.args  # type: ignore[misc]
    assert alias == "testbox"
    assert opened_urls.urls == [QUrl.fromLocalFile(page).toString()]
    html = Path(page).read_text("utf-8")
    assert oct(Path(page).stat().st_mode & 0o777) == "0o600"
    entry = next(e for e in rig.controller.book.of_instance("testbox") if e.saved.kind == "jupyter")
    status = rig.controller.supervisor.status(entry.tunnel_id)
    assert status.state is TunnelState.UP
    assert "token=" not in html  # the page holds a one-time address, not the token
    target = follow_redirect_page(html)
    assert target.startswith(f"http://127.0.0.1:{status.spec.local_port}/") and "token=" in target
    saved = InstanceStore().get("testbox")
    assert saved is not None
    assert [t["kind"] for t in saved.tunnels] == ["custom", "custom", "jupyter"]
    assert saved.tunnels[2]["remote_port"] == entry.saved.remote_port
    # The API answers through the tunnel with the token the page carries.
    token = target.split("token=", 1)[1]
    request = urllib.request.Request(
        f"http://127.0.0.1:{status.spec.local_port}/api/status",
        headers={"Authorization": f"token {token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        assert response.status == 200
    # A second click finds the same server and reuses the saved tunnel.
    rig.tray.rebuild_menu()
    with qtbot.waitSignal(rig.controller.jupyter_opened, timeout=60_000):
        rig.tray.find_action("jupyter:testbox").trigger()  # type: ignore[union-attr]
    assert len(remote_jupyter.processes("jupyter-server")) == 1
    assert [e.saved.kind for e in rig.controller.book.of_instance("testbox")].count("jupyter") == 1


def test_wake_probes_every_connection_at_once(qtbot: QtBot, rig: Rig) -> None:
    probed: list[str] = []
    original = rig.controller.supervisor.probe_now

    def spy() -> None:
        probed.append("probe")
        original()

    rig.controller.supervisor.probe_now = spy  # type: ignore[method-assign]
    rig.controller.wake._last_wall -= 3600  # the wall clock jumped: the machine slept
    with qtbot.waitSignal(rig.controller.woke_up, timeout=2000) as woke:
        rig.controller.on_wake_timer_timeout()
    assert woke.args == ["wake"] and probed == ["probe"]
