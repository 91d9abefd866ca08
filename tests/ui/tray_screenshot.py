"""Take ``docs/screenshots/tray-menu.png``: the tray menu, open, under a real tray host.

Run under Xvfb with ``trayer`` as the tray host (``isSystemTrayAvailable()`` is False without
one)::

    Xvfb :97 -screen 0 1280x800x24 &
    DISPLAY=:97 trayer --edge top --align right --widthtype request --height 24 &
    DISPLAY=:97 QT_QPA_PLATFORM=xcb dbus-run-session -- \\
        .venv/bin/python -m tests.ui.tray_screenshot docs/screenshots/tray-menu.png

The engine is real (supervisor, saved tunnels, menu model); logins are the tunnel tests'
fakes (no network) and the GPU samples are scripted. Up-times and costs are set to what an
hour of use shows. Everything lives in a throw-away HOME/GPUDESK_HOME.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from pathlib import Path

from tests.ui.demo_home import use_demo_home

_TMP = use_demo_home("gpudesk-tray-demo")  # before Qt and gpudesk are imported

from PySide6.QtCore import QPoint, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QSystemTrayIcon  # noqa: E402

from gpudesk.core.models import SshTarget  # noqa: E402
from gpudesk.core.monitor.gpumonitor import IdleRule, RunSample  # noqa: E402
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias  # noqa: E402
from gpudesk.core.tunnels import TunnelState  # noqa: E402
from gpudesk.core.tunnels.savedtunnels import SavedTunnel  # noqa: E402
from gpudesk.ui.services import Services  # noqa: E402
from gpudesk.ui.tray import TrayIcon  # noqa: E402
from gpudesk.ui.tray_controller import TrayController  # noqa: E402
from tests.core.tunnel_fakes import ScriptedConnect  # noqa: E402

#: alias -> (platform, price, [(name, port, kind)], utilisation %, memory used MiB)
DEMO = {
    "autodl-4090": (
        "autodl",
        1.98,
        [
            ("Jupyter", 8888, "jupyter"),
            ("TensorBoard", 6006, "tensorboard"),
            ("Gradio", 7860, "custom"),
        ],
        87,
        18_432,
    ),
    "luchen-h100": ("luchen", 9.8, [("Jupyter", 8890, "jupyter")], 0, 1_024),
}


def wait(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def save_instances() -> None:
    store = InstanceStore()
    for alias, (platform, price, tunnels, _util, _mem) in DEMO.items():
        store.add(
            Instance(
                alias=alias,
                target=SshTarget("root", f"connect.{platform}.example", 10309),
                platform_id=platform,
                host_key_alias=new_host_key_alias(),
                price_per_hour=price,
                tunnels=tuple(
                    SavedTunnel(name, port, port, kind=kind).to_dict()  # type: ignore[arg-type]
                    for name, port, kind in tunnels
                ),
                auto_connect=True,
            )
        )


def sampler(alias: str) -> RunSample:
    util, used = DEMO[alias][3], DEMO[alias][4]
    total = 24_564 if "4090" in alias else 81_559
    return lambda: (0, f"0, {util}, {used}, {total}\n")


def main(output: str) -> int:
    app = QApplication([sys.argv[0]])
    if not QSystemTrayIcon.isSystemTrayAvailable():
        print("no system tray: start trayer first (see the module docstring)", file=sys.stderr)
        return 1
    save_instances()
    controller = TrayController(Services.create(), sampler=sampler)
    controller.desk.connector = lambda _instance: ScriptedConnect()  # type: ignore[method-assign]
    controller.hub.first_sample_s = 0.0
    controller.hub.rule = IdleRule(threshold_pct=5, window_s=0.0)
    tray = TrayIcon(controller)
    # The menu is the subject: no notification balloon over it.
    controller.notification_raised.disconnect(tray.on_controller_notification_raised)
    tray.show()
    controller.start()
    wait(app, 1.5)
    # One tunnel off, to show an unchecked toggle; an hour of use for the header lines.
    gradio = controller.book.find("autodl-4090", "Gradio")
    if gradio is not None:
        controller.supervisor.stop(gradio.tunnel_id)
    now = time.time()
    with controller.hub._lock:  # demo only: what an hour of use shows
        for alias, watch in controller.hub._watches.items():
            minutes = 72 if alias == "autodl-4090" else 41
            price = DEMO[alias][1]
            watch.reading = dataclasses.replace(
                watch.reading,
                up_since=now - minutes * 60,
                cost=round(price * minutes / 60, 2),
                idle_for_s=minutes * 60 if watch.reading.idle else 0.0,
            )
    wait(app, 0.5)
    assert all(
        s.state in (TunnelState.UP, TunnelState.STOPPED) for s in controller.supervisor.tunnels()
    )
    icon = tray.geometry()
    tray.menu.popup(QPoint(max(0, icon.right() - 560), icon.bottom() + 4))
    wait(app, 1.0)
    menu = tray.menu.geometry()
    shot = Path(output)
    shot.parent.mkdir(parents=True, exist_ok=True)
    left = max(0, min(menu.left(), icon.left()) - 16)
    right = max(menu.right(), icon.right()) + 16
    crop = f"{right - left}x{menu.bottom() + 16}+{left}+0"
    subprocess.run(
        ["import", "-window", "root", "-crop", crop, "+repage", "-strip", str(shot)], check=True
    )
    QTimer.singleShot(0, tray.menu.close)
    controller.shutdown_now()
    print(f"{shot}: {shot.stat().st_size} bytes, menu {menu.width()}x{menu.height()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots/tray-menu.png"))
