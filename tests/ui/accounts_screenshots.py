"""Screenshots of the account views (connect dialog, instances) for docs/screenshots.

Run under Xvfb (or any display), once per language::

    export DISPLAY=:99 QT_QPA_PLATFORM=xcb
    .venv/bin/python -m tests.ui.accounts_screenshots en docs/screenshots
    .venv/bin/python -m tests.ui.accounts_screenshots zh_CN docs/screenshots

The account is the AutoDL stand-in of the tests (no real account, no real token): invented
instance ids, names and prices, served over loopback in this process.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.ui.demo_home import use_demo_home

_TMP = use_demo_home("gpudesk-demo-accounts")  # before Qt and gpudesk are imported

from PySide6.QtWidgets import QApplication  # noqa: E402

from gpudesk.app import create_application, install_qt_translations  # noqa: E402
from gpudesk.core.providers.accounts import AccountBook, token_name  # noqa: E402
from gpudesk.core.store.secrets import open_secret_store  # noqa: E402
from gpudesk.ui.accounts.connect_dialog import ConnectAccountDialog  # noqa: E402
from gpudesk.ui.accounts.instances_view import AccountInstancesView  # noqa: E402
from gpudesk.ui.i18n import install_translator  # noqa: E402
from tests.standins.autodl_api import AutoDLStandIn, StandInInstance, StandInServer  # noqa: E402
from tests.ui.screenshot_tour import settle, shot  # noqa: E402

DEMO_TOKEN = "demo-token"  # the stand-in's, shown nowhere


def main(language: str, folder: Path) -> None:
    """Save ``23-account-connect-<lang>.png`` and ``24-account-instances-<lang>.png``."""
    folder.mkdir(parents=True, exist_ok=True)
    app = create_application([])
    install_translator(app, language)
    install_qt_translations(app, language)
    suffix = "zh" if language == "zh_CN" else "en"
    api = AutoDLStandIn(token=DEMO_TOKEN, balance_milli=8420)
    api.add(
        StandInInstance(
            uuid="pro-8f2c41d7e0",
            name="llama-finetune",
            status="running",
            gpu_alias="RTX 4090D",
            price_milli=1980,
        )
    )
    api.add(
        StandInInstance(
            uuid="pro-3b7a90c1f4",
            name="diffusion",
            gpu_alias="H800",
            price_milli=8880,
            gpu_amount=2,
        )
    )
    api.add(
        StandInInstance(uuid="pro-c51e06a2b9", name="eval", gpu_alias="RTX 5090", price_milli=2580)
    )
    with StandInServer(api) as server:
        os.environ["GPUDESK_AUTODL_API"] = server.url
        dialog = ConnectAccountDialog()
        dialog.resize(560, 240)
        dialog.token_edit.setText("x" * 32)
        dialog.show()
        shot(dialog, folder, f"23-account-connect-{suffix}")
        dialog.close()
        secrets, _ = open_secret_store()
        secrets.set(token_name("autodl"), DEMO_TOKEN)
        AccountBook().add_account("autodl")
        view = AccountInstancesView()
        view.resize(860, 340)
        view.show()
        loaded: list[object] = []
        view.overview_loaded.connect(loaded.append)
        view.reload()
        while not loaded:
            settle(0.1)
        shot(view, folder, f"24-account-instances-{suffix}")
    QApplication.quit()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
