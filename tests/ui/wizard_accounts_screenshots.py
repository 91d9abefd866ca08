"""Screenshots of the wizard driven by an AutoDL account, for docs/screenshots (30-34).

Run under Xvfb (or any display), once per language::

    export DISPLAY=:99 QT_QPA_PLATFORM=xcb
    .venv/bin/python -m tests.ui.wizard_accounts_screenshots en docs/screenshots
    .venv/bin/python -m tests.ui.wizard_accounts_screenshots zh_CN docs/screenshots

The account is the AutoDL stand-in of the tests (no real account, no real token): invented
instance ids, names, prices and images, served over loopback in this process. Its create call
answers 暂无库存 every time here, to show the countdown.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from tests.ui.demo_home import use_demo_home

_TMP = use_demo_home("gpudesk-demo-wizard-accounts")  # before Qt and gpudesk are imported

from PySide6.QtWidgets import QApplication  # noqa: E402

from gpudesk.core.providers.accounts import AccountBook, token_name  # noqa: E402
from gpudesk.core.store.secrets import open_secret_store  # noqa: E402
from gpudesk.ui.main_window import MainWindow  # noqa: E402
from gpudesk.ui.services import Services  # noqa: E402
from gpudesk.ui.wizard.connect_page import ConnectPage  # noqa: E402
from gpudesk.ui.wizard.gpu_page import GpuPage  # noqa: E402
from gpudesk.ui.wizard.image_page import ImagePage  # noqa: E402
from gpudesk.ui.wizard.platform_page import PlatformPage  # noqa: E402
from tests.standins import autodl_api  # noqa: E402
from tests.standins.autodl_api import AutoDLStandIn, StandInInstance, StandInServer  # noqa: E402
from tests.ui.screenshot_tour import settle, shot, start_app  # noqa: E402

DEMO_TOKEN = "demo-token"  # the stand-in's, shown nowhere


def _no_stock(_api: AutoDLStandIn, _params: dict[str, Any]) -> dict[str, Any]:
    return autodl_api._fail("BadRequest", autodl_api.NO_STOCK_MESSAGE)


def _wait_for(condition: Any) -> None:
    for _ in range(300):
        if condition():
            return
        settle(0.1)
    raise RuntimeError("the screen did not reach the state to show")


def demo_account() -> AutoDLStandIn:
    """The invented account: three Pro instances (spec, GPU and price as AutoDL lists them)."""
    api = AutoDLStandIn(token=DEMO_TOKEN, balance_milli=8420)
    for uuid, name, status, spec, gpu, price, count in (
        ("pro-8f2c41d7e0", "llama-finetune", "running", "4090D", "RTX 4090D", 1980, 1),
        ("pro-3b7a90c1f4", "diffusion", "shutdown", "h800", "H800", 8880, 2),
        ("pro-c51e06a2b9", "eval", "shutdown", "5090-p", "RTX 5090", 2580, 1),
    ):
        api.add(
            StandInInstance(
                uuid=uuid,
                name=name,
                status=status,
                gpu_spec=spec,
                gpu_alias=gpu,
                price_milli=price,
                gpu_amount=count,
                address=("203.0.113.7", 41022, "root", "demo") if status == "running" else None,
            )
        )
    return api


def main(language: str, folder: Path) -> None:
    """Save ``30``-``34`` ``-wizard-account-*-<lang>.png``."""
    suffix = start_app(language, folder, _TMP)
    autodl_api._ROUTES[("POST", "/instance/pro/create")] = _no_stock
    with StandInServer(demo_account()) as server:
        os.environ["GPUDESK_AUTODL_API"] = server.url
        secrets, _ = open_secret_store()
        secrets.set(token_name("autodl"), DEMO_TOKEN)
        AccountBook().add_account("autodl")
        window = MainWindow(Services.create())
        window.resize(1000, 650)
        window.show()
        window.show_wizard()
        wizard = window.wizard
        platforms = wizard.current_page()
        assert isinstance(platforms, PlatformPage)
        platforms.on_enter()
        platforms.choose("autodl")
        platforms.create_box.setChecked(True)
        shot(window, folder, f"30-wizard-account-platform-{suffix}")
        wizard.next_button.click()
        gpus = wizard.current_page()
        assert isinstance(gpus, GpuPage)
        _wait_for(lambda: gpus._prices_read)
        gpus.choose("RTX 4090 D")  # its AutoDL spec (4090D) follows
        shot(window, folder, f"31-wizard-account-gpu-{suffix}")
        wizard.next_button.click()
        images = wizard.current_page()
        assert isinstance(images, ImagePage)
        box = images.create_box
        _wait_for(lambda: box.image_combo.count() > 1)  # the private image read too
        box.image_combo.setCurrentIndex(0)
        box.name_edit.setText("llama-finetune-2")
        shot(window, folder, f"32-wizard-account-image-{suffix}")
        wizard.next_button.click()
        _wait_for(
            lambda: (
                "%" not in box.progress_label.text()
                and box.is_busy()
                and any(ch.isdigit() for ch in box.progress_label.text())
            )
        )
        settle(1.2)
        shot(window, folder, f"33-wizard-account-creating-{suffix}")
        box.cancel()
        for _ in range(3):
            settle(0.2)
            if wizard.flow.can_go_back():
                wizard.back_button.click()
        _wait_for(lambda: platforms.pick_button.isEnabled())
        platforms.pick_button.click()
        connect = wizard.current_page()
        assert isinstance(connect, ConnectPage), wizard.flow
        _wait_for(lambda: connect.picker.table.rowCount() == 3)
        connect.picker.table.selectRow(0)
        shot(window, folder, f"34-wizard-account-pick-{suffix}")
    QApplication.quit()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
