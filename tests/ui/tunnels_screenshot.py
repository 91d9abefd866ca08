"""Take ``docs/screenshots/17-tunnels-en.png``: the home view with an instance's tunnels.

Run under Xvfb (no tray host needed)::

    Xvfb :94 -screen 0 1280x800x24 &
    DISPLAY=:94 QT_QPA_PLATFORM=xcb .venv/bin/python -m tests.ui.tunnels_screenshot \\
        docs/screenshots/17-tunnels-en.png

The instances, their saved tunnels and the throw-away HOME/GPUDESK_HOME are the tray
screenshot's (:mod:`tests.ui.tray_screenshot`); logins are the tunnel tests' fakes (no
network), so every tunnel comes up; one is stopped to show both states.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.ui import tray_screenshot as demo  # first: it points HOME etc. at a temp dir

# isort: split
from PySide6.QtWidgets import QApplication

from gpudesk.ui.main_window import MainWindow
from gpudesk.ui.services import Services
from gpudesk.ui.tray_controller import TrayController
from tests.core.tunnel_fakes import ScriptedConnect

SELECTED = "autodl-4090"


def main(output: str) -> int:
    app = QApplication([sys.argv[0]])
    app.setOrganizationName("gpudesk-screenshots")
    demo.save_instances()
    services = Services.create()
    controller = TrayController(services, sampler=demo.sampler)
    controller.desk.connector = lambda _instance: ScriptedConnect()  # type: ignore[method-assign]
    window = MainWindow(services)
    window.attach_controller(controller)
    window.resize(1100, 760)
    window.show()
    controller.start()
    demo.wait(app, 1.5)
    gradio = controller.book.find(SELECTED, "Gradio")
    if gradio is not None:
        controller.supervisor.stop(gradio.tunnel_id, "switched off")
    window.refresh_instances(select=SELECTED)
    demo.wait(app, 1.0)
    shot = Path(output)
    shot.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(shot))
    # Fewer colours: the file stays small (ImageMagick, as the other screenshots).
    subprocess.run(["convert", str(shot), "-strip", "-colors", "256", str(shot)], check=True)
    controller.shutdown_now()
    print(f"{shot}: {shot.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots/17-tunnels-en.png"))
