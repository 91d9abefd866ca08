"""Take ``docs/screenshots/25-guard-LANG.png``: the guard view during a countdown.

Run under Xvfb::

    Xvfb :95 -screen 0 1280x800x24 &
    DISPLAY=:95 QT_QPA_PLATFORM=xcb .venv/bin/python -m tests.ui.guard_screenshot en \\
        docs/screenshots/25-guard-en.png

The status shown is an invented one (parsed from a guard's answer written here); the view's
service is never called, so nothing logs in anywhere.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtWidgets import QApplication

from gpudesk.core.errors import UnreachableError
from gpudesk.core.guard.status import parse_status
from gpudesk.ui.guard.guard_service import GuardService
from gpudesk.ui.guard.guard_view import GuardView
from gpudesk.ui.i18n import install_translator


def invented_status_answer(now: int) -> str:
    """A guard in its grace period: idle 15 min, powering off in 4 min 30 s."""
    return f"""@now={now}
@alive=1
@rules
idle_window_s=900
idle_threshold_pct=5
grace_s=300
interval_s=60
max_seconds=28800
power_off_command=/bin/bash -c /usr/bin/shutdown
@state
phase=grace
reason=idle
idle_for_s=930
sample_time={now - 20}
sample=ok 0:0:1024:24564 1:2:980:24564
powers_off_at={now + 270}
@notice
gpudesk guard: this instance powers off in 5 min because the GPU has been idle.
@end
"""


def never_connect() -> object:
    raise UnreachableError("screenshot.offline", "The screenshot does not log in.")


def main(language: str, output: str) -> int:
    app = QApplication([sys.argv[0]])
    install_translator(app, language)
    service = GuardService(never_connect)  # type: ignore[arg-type]
    view = GuardView(
        "autodl-4090",
        service,
        price_per_hour=2.58,
        power_off_command="/bin/bash -c /usr/bin/shutdown",
    )
    view.form.time_mode.setCurrentIndex(view.form.time_mode.findData("budget"))
    view.resize(760, 560)
    view.show()
    view.show_status(parse_status(invented_status_answer(int(time.time()))))
    view.refresh_timer.stop()
    for _ in range(10):
        app.processEvents()
    ok = view.grab().save(output)
    view.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
