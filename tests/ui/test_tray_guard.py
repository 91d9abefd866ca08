"""The tray and the state panel show the cost guard, power off linked instances, say why the
GPU monitor stopped, and the tray's Quit asks the window's question.

No sshd needed here: logins are the engine's fakes (``tests/core/tunnel_fakes.py``). The guard
statuses are built in the test (FAKE: the real guard only runs on an instance; the end-to-end
read is ``tests/integration/test_desk_guard.py``). The platform API is the AutoDL stand-in
(``tests/standins/autodl_api.py``, FAKE: there is no real account) served over loopback.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from gpudesk.app import Desktop, build_desktop
from gpudesk.core.desktop.notifications import Notification, NotificationKind
from gpudesk.core.guard.status import GuardStatus
from gpudesk.core.models import SshTarget
from gpudesk.core.monitor.hub import InstanceReading
from gpudesk.core.providers.accounts import AccountBook, token_name
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.tunnels import BackoffPolicy, TunnelSupervisor
from gpudesk.core.tunnels.savedtunnels import SavedTunnel
from gpudesk.ui.accounts.power_follower import PowerOnFollower, power_on_news
from gpudesk.ui.services import Services
from gpudesk.ui.state_panel import StatePanel
from gpudesk.ui.tray import TrayIcon
from gpudesk.ui.tray_controller import TrayController
from tests.core.tunnel_fakes import ScriptedConnect
from tests.standins.autodl_api import AutoDLStandIn, StandInInstance, StandInServer

TOKEN = "tray-power-off-token-9c2"
INSTANCE_ID = "pro-tray0001"


class MonitorBroke(BaseException):
    """Ends a sampling thread the way a bug below ``except Exception`` would."""


def broken_sampler(_alias: str) -> object:
    def sample() -> tuple[int, str]:
        raise MonitorBroke("nvidia-smi vanished")

    return sample


def grace(minutes: int) -> GuardStatus:
    return GuardStatus(
        active=True,
        checked_at=1_000.0,
        phase="grace",
        reason="idle",
        rules={"power_off_command": "recorded-stand-in"},
        powers_off_at=1_000.0 + minutes * 60,
    )


@pytest.fixture(name="standin")
def standin_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[AutoDLStandIn]:
    api = AutoDLStandIn(token=TOKEN)
    api.add(StandInInstance(uuid=INSTANCE_ID, name="train", status="running"))
    with StandInServer(api) as server:
        monkeypatch.setenv("GPUDESK_AUTODL_API", server.url)
        yield api


@pytest.fixture
def controller(
    qtbot: QtBot, services: Services, standin: AutoDLStandIn
) -> Iterator[TrayController]:
    instance = InstanceStore().add(
        Instance(
            alias="box",
            target=SshTarget("root", "gpu.example.com", 10309),
            platform_id="autodl",
            host_key_alias=new_host_key_alias(),
            tunnels=(SavedTunnel("Jupyter", 0, 8888, kind="jupyter").to_dict(),),
        )
    )
    services.secrets.set(token_name("autodl"), TOKEN)
    book = AccountBook()
    book.add_account("autodl")
    book.link("autodl", INSTANCE_ID, instance.alias, instance.host_key_alias)
    supervisor = TunnelSupervisor(
        probe_interval_s=0.2, backoff=BackoffPolicy(first_delays_s=(0.0,), cap_s=0.05, jitter=0)
    )
    ctl = TrayController(services, supervisor=supervisor, sampler=broken_sampler)  # type: ignore[arg-type]
    ctl.desk.connector = lambda _instance: ScriptedConnect()  # type: ignore[method-assign]
    ctl.desk.guards.interval_s = 3600.0
    with qtbot.waitSignal(ctl.restored, timeout=5000):
        ctl.start()
    yield ctl
    ctl.shutdown_now()


@pytest.fixture
def tray(controller: TrayController) -> Iterator[TrayIcon]:
    icon = TrayIcon(controller)
    yield icon
    icon.deleteLater()


def announce(qtbot: QtBot, controller: TrayController, minutes: int) -> None:
    with qtbot.waitSignal(controller.guard_countdown, timeout=5000):
        controller.desk.guards.set_running({"box"})
        controller.desk.guards.take("box", grace(minutes))


def test_countdown_notified_once_and_postpone_and_cancel_run_off_the_gui_thread(
    qtbot: QtBot, controller: TrayController, tray: TrayIcon, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[str, str, str]] = []
    tray.notification_shown.connect(lambda *args: shown.append(args))
    announce(qtbot, controller, 4)
    controller.desk.guards.take("box", grace(4))  # read again: no second notice
    qtbot.wait(100)
    assert [(kind, title) for kind, title, _text in shown] == [
        ("guard", "box: the guard is counting down")
    ]
    assert "box powers off in 4 min" in shown[0][2] and "Postpone" in shown[0][2]
    tray.rebuild_menu()
    line = tray.find_action("countdown:box")
    assert line is not None and line.text() == "box powers off in 4 min"
    calls: list[tuple[str, str, bool]] = []
    for name in ("postpone", "cancel"):
        monkeypatch.setattr(
            controller.desk.guards,
            name,
            lambda alias, n=name: calls.append(
                (n, alias, threading.current_thread() is threading.main_thread())
            ),
        )
    for name in ("postpone:box", "cancelguard:box"):
        action = tray.find_action(name)
        assert action is not None
        action.trigger()
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=5000)
    assert sorted(calls) == [("cancel", "box", False), ("postpone", "box", False)]
    controller.desk.guards.take("box", GuardStatus(active=False, checked_at=1_100.0))
    qtbot.waitUntil(lambda: tray.rebuild_menu() and tray.find_action("countdown:box") is None)


def test_state_panel_shows_the_countdown_and_why_the_monitor_stopped(
    qtbot: QtBot, controller: TrayController
) -> None:
    panel = StatePanel(controller)
    qtbot.addWidget(panel)
    announce(qtbot, controller, 12)
    with qtbot.waitSignal(controller.reading_changed, timeout=5000):
        controller.hub.set_running({"box"})  # the sampler breaks at once
    panel.refresh()
    line = panel.findChild(QLabel, "countdown:box")
    assert line is not None and line.text() == "box powers off in 12 min"
    assert panel.findChild(QPushButton, "postpone:box") is not None
    assert panel.findChild(QPushButton, "cancelguard:box") is not None
    stopped = panel.findChild(QLabel, "stopped:box")
    assert stopped is not None
    assert stopped.text().startswith("GPU monitor stopped: ")
    assert "nvidia-smi vanished" in stopped.text()


def test_tray_header_says_the_monitor_stopped_with_its_reason(
    qtbot: QtBot, controller: TrayController, tray: TrayIcon
) -> None:
    with qtbot.waitSignal(controller.reading_changed, timeout=5000):
        controller.hub.set_running({"box"})
    tray.rebuild_menu()
    header = tray.find_action("header:box")
    assert header is not None and "GPU monitor stopped" in header.text()
    line = tray.find_action("stopped:box")
    assert line is not None and "nvidia-smi vanished" in line.text()


def test_power_off_asks_naming_the_instance_then_goes_through_the_platform(
    qtbot: QtBot, controller: TrayController, tray: TrayIcon, standin: AutoDLStandIn
) -> None:
    shown: list[tuple[str, str, str]] = []
    tray.notification_shown.connect(lambda *args: shown.append(args))
    tray.rebuild_menu()
    action = tray.find_action("poweroff:box")
    assert action is not None
    action.trigger()
    box = tray.power_off_box
    assert box is not None and "box" in box.text() and "box" in box.windowTitle()
    box.reject()  # Cancel: nothing is sent
    qtbot.wait(100)
    assert not any(r.path.endswith("/power_off") for r in standin.requests)
    action.trigger()
    box = tray.power_off_box
    yes = box.button(QMessageBox.StandardButton.Yes) if box else None
    assert yes is not None
    with qtbot.waitSignal(controller.powered_off, timeout=10_000):
        yes.click()
    assert standin.instances[INSTANCE_ID].status == "shutdown"
    assert shown[-1][:2] == ("powered-off", "box: powering off")


def test_idle_alert_offers_power_off_now_for_a_linked_instance(
    controller: TrayController, tray: TrayIcon, monkeypatch: pytest.MonkeyPatch
) -> None:
    tray.rebuild_menu()
    assert tray.find_action("poweroffnow:box") is None  # not idle
    idle = InstanceReading("box", idle=True, running=True, idle_for_s=1800)
    monkeypatch.setattr(controller.hub, "readings", lambda: {"box": idle})
    tray.rebuild_menu()
    action = tray.find_action("poweroffnow:box")
    assert action is not None and action.text() == "GPU idle: power off now…"
    action.trigger()
    assert tray.power_off_box is not None and "box" in tray.power_off_box.text()
    tray.power_off_box.reject()


def test_state_panel_idle_alert_powers_a_linked_instance_off_after_asking(
    qtbot: QtBot, controller: TrayController, standin: AutoDLStandIn
) -> None:
    panel = StatePanel(controller)
    qtbot.addWidget(panel)
    panel.on_controller_notification_raised(
        Notification(NotificationKind.LOST, "box", down_for_s=30)
    )
    assert not panel.power_off_button.isVisibleTo(panel)
    panel.on_controller_notification_raised(
        Notification(NotificationKind.GPU_IDLE, "box", idle_for_s=1800)
    )
    assert panel.power_off_button.isVisibleTo(panel)
    panel.power_off_button.click()
    box = panel.power_off_box
    assert box is not None and "box" in box.text()
    yes = box.button(QMessageBox.StandardButton.Yes)
    assert yes is not None and yes.text() == "Power off"
    with qtbot.waitSignal(controller.powered_off, timeout=10_000):
        yes.click()
    assert standin.instances[INSTANCE_ID].status == "shutdown"


def test_instance_up_is_notified(controller: TrayController, tray: TrayIcon) -> None:
    shown: list[tuple[str, str, str]] = []
    tray.notification_shown.connect(lambda *args: shown.append(args))
    controller.announce_instance_up("box")
    assert shown == [
        ("instance-up", "box is up", "The instance is running and gpudesk can reach it.")
    ]


@pytest.fixture
def desktop(qtbot: QtBot, qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desktop]:
    """The wired desktop as if a system tray existed (offscreen has none)."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # build_desktop installs its own
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    built = build_desktop(qapp)
    qtbot.addWidget(built.window)
    yield built
    built.controller.shutdown_now()
    qapp.aboutToQuit.disconnect(built.controller.shutdown_now)
    built.controller.shutdown_finished.disconnect(qapp.quit)
    power_on_news().instance_up.disconnect(built.controller.announce_instance_up)
    if built.tray is not None:
        built.tray.hide()


@pytest.mark.qt_log_ignore("systemTrayWindowChanged")  # offscreen has no real tray host
def test_quit_from_the_tray_asks_the_window_question(
    desktop: Desktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []
    monkeypatch.setattr(desktop.window, "confirm_quit", lambda: asked.append(True) or False)
    assert desktop.tray is not None
    desktop.tray.rebuild_menu()
    quit_action = desktop.tray.find_action("quit")
    assert quit_action is not None
    quit_action.trigger()
    assert asked == [True] and not desktop.controller.closing  # declined: still running


@pytest.mark.qt_log_ignore("systemTrayWindowChanged")
def test_a_power_on_from_the_gui_is_told_by_the_tray(desktop: Desktop) -> None:
    assert desktop.tray is not None
    shown: list[tuple[str, str, str]] = []
    desktop.tray.notification_shown.connect(lambda *args: shown.append(args))
    follower = PowerOnFollower("autodl")
    follower._alias = "box"  # as start() records it
    follower._on_succeeded(object())  # what the worker's success delivers
    assert [(kind, title) for kind, title, _text in shown] == [("instance-up", "box is up")]
