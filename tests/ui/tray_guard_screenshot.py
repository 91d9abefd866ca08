"""Take the tray menu with a cost guard counting down, and the notification that announced it.

Writes ``tray-guard-<en|zh>.png`` (the menu) and ``tray-guard-notice-<en|zh>.png`` (the
balloon) into the given folder. Run under Xvfb with ``trayer`` as the tray host, like
``tray_screenshot``::

    Xvfb :97 -screen 0 1280x800x24 &
    DISPLAY=:97 trayer --edge top --align right --widthtype request --height 24 &
    DISPLAY=:97 QT_QPA_PLATFORM=xcb dbus-run-session -- \\
        .venv/bin/python -m tests.ui.tray_guard_screenshot zh_CN docs/screenshots

The engine is real (supervisor, saved tunnels, menu model, guard watch); logins are the tunnel
tests' fakes, the GPU samples scripted, and the guard's status is built here (FAKE: no
instance runs a guard in this script). ``autodl-4090`` is linked to an AutoDL account (no
token: the menu only needs the link) so "Power off…" shows.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.ui.tray_screenshot import _TMP, sampler, save_instances, wait

DEMO_HOME = _TMP  # set by that import, before Qt and gpudesk are imported below

from PySide6.QtCore import QPoint  # noqa: E402
from PySide6.QtWidgets import QApplication, QSystemTrayIcon  # noqa: E402

from gpudesk.core.guard.status import GuardStatus  # noqa: E402
from gpudesk.core.providers.accounts import AccountBook  # noqa: E402
from gpudesk.core.store.instances import InstanceStore  # noqa: E402
from gpudesk.ui.i18n import install_translator  # noqa: E402
from gpudesk.ui.services import Services  # noqa: E402
from gpudesk.ui.tray import TrayIcon  # noqa: E402
from gpudesk.ui.tray_controller import TrayController  # noqa: E402
from tests.core.tunnel_fakes import ScriptedConnect  # noqa: E402

ALIAS = "autodl-4090"


def grab(crop: str, shot: Path) -> None:
    subprocess.run(
        ["import", "-window", "root", "-crop", crop, "+repage", "-strip", str(shot)], check=True
    )


def main(language: str, folder: str) -> int:
    app = QApplication([sys.argv[0]])
    install_translator(app, language)
    tag = language.split("_")[0]  # zh_CN -> zh
    if not QSystemTrayIcon.isSystemTrayAvailable():
        print("no system tray: start trayer first (see the module docstring)", file=sys.stderr)
        return 1
    save_instances()
    saved = InstanceStore().require(ALIAS)
    book = AccountBook()
    book.add_account("autodl")
    book.link("autodl", "pro-7f3a9c01", ALIAS, saved.host_key_alias)
    controller = TrayController(Services.create(), sampler=sampler)
    controller.desk.connector = lambda _instance: ScriptedConnect()  # type: ignore[method-assign]
    controller.desk.guards.interval_s = 3600.0
    controller.hub.first_sample_s = 0.0
    tray = TrayIcon(controller)
    # The menu first, without the balloon over it; the balloon after.
    controller.guard_countdown.disconnect(tray.on_controller_guard_countdown)
    tray.show()
    controller.start()
    wait(app, 1.5)
    controller.desk.guards.set_running({ALIAS})
    controller.desk.guards.take(
        ALIAS,
        GuardStatus(
            active=True,
            checked_at=1_000.0,
            phase="grace",
            reason="idle",
            rules={"power_off_command": "/usr/bin/shutdown -h now"},
            powers_off_at=1_000.0 + 4 * 60 + 30,
        ),
    )
    wait(app, 2.0)  # readings and instances settle: no rebuild while the menu is grabbed
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    icon = tray.geometry()
    tray.menu.popup(QPoint(max(0, icon.right() - 560), icon.bottom() + 4))
    wait(app, 1.5)
    menu = tray.menu.geometry()
    left = max(0, min(menu.left(), icon.left()) - 16)
    right = max(menu.right(), icon.right()) + 16
    shot = out / f"tray-guard-{tag}.png"
    grab(f"{right - left}x{menu.bottom() + 16}+{left}+0", shot)
    tray.menu.close()
    wait(app, 0.5)
    tray.on_controller_guard_countdown(controller.countdowns()[ALIAS])
    wait(app, 1.5)
    notice = out / f"tray-guard-notice-{tag}.png"
    grab("640x110+640+0", notice)
    controller.shutdown_now()
    print(f"{shot}, {notice}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
