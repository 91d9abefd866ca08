"""Take ``docs/screenshots/26-files-{en,zh}.png``: the Files view mid-transfer, with a conflict.

Run under Xvfb, once per language::

    Xvfb :99 &
    export DISPLAY=:99 QT_QPA_PLATFORM=xcb
    .venv/bin/python -m tests.ui.files_screenshot en docs/screenshots
    .venv/bin/python -m tests.ui.files_screenshot zh_CN docs/screenshots

No network: the listing, the progress and the conflict are invented values fed to the view's
own slots, as its worker threads would; nothing is transferred.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.ui.demo_home import use_demo_home

_TMP = use_demo_home("gpudesk-files-demo")  # before Qt and gpudesk are imported

from gpudesk.app import create_application, install_qt_translations  # noqa: E402
from gpudesk.core.transfer.model import Progress, TransferReport  # noqa: E402
from gpudesk.ui.files import FilesView  # noqa: E402
from gpudesk.ui.files.remote_listing import RemoteEntry  # noqa: E402
from gpudesk.ui.i18n import install_translator  # noqa: E402
from tests.ui.screenshot_tour import shot  # noqa: E402

MIB = 1024 * 1024


def main(language: str, folder: Path) -> None:
    """Show the view in ``language`` and save its picture."""
    app = create_application([])
    install_translator(app, language)
    install_qt_translations(app, language)
    suffix = "zh" if language == "zh_CN" else "en"

    def no_login() -> object:
        raise RuntimeError("the screenshot makes no connection")

    view = FilesView(no_login, "demo", "/root/autodl-tmp")  # type: ignore[arg-type]
    view.resize(900, 640)
    view.show()
    entries = [
        RemoteEntry("checkpoints", True, 0),
        RemoteEntry("data", True, 0),
        RemoteEntry("logs", True, 0),
        RemoteEntry("train.py", False, 8_431),
        RemoteEntry("README.md", False, 1_204),
    ]
    view._on_listing_listed("/root/autodl-tmp", entries)
    view.remote_list.item(0).setSelected(True)
    view._show_conflicts(TransferReport(conflicts=("configs/train.yaml",)))
    view.cancel_button.setEnabled(True)
    view._on_task_progressed(
        Progress(412 * MIB, 1024 * MIB, 3, 7, 58.4 * MIB, 10.5, "weights/model.bin")
    )
    shot(view, folder, f"26-files-{suffix}")
    app.quit()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
