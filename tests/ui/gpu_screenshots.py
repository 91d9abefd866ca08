"""Screenshots of the GPU step per platform, for docs/screenshots (35, 36).

Run under Xvfb (or any display), once per language::

    export DISPLAY=:99 QT_QPA_PLATFORM=xcb
    .venv/bin/python -m tests.ui.gpu_screenshots en docs/screenshots
    .venv/bin/python -m tests.ui.gpu_screenshots zh_CN docs/screenshots

35: Kaggle (no SSH, but its P100 and pair of T4s are known) with a 13B LoRA estimate. 36:
AutoDL with an account connected: the price of the user's own instance beside its GPU. The
account is the AutoDL stand-in of the tests (no real account, no real token): invented
instance names and prices, served over loopback in this process.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.ui.demo_home import use_demo_home

_TMP = use_demo_home("gpudesk-demo-gpus")  # before Qt and gpudesk are imported

from PySide6.QtWidgets import QApplication  # noqa: E402

from gpudesk.core.providers.accounts import AccountBook, token_name  # noqa: E402
from gpudesk.core.store.secrets import open_secret_store  # noqa: E402
from gpudesk.ui.main_window import MainWindow  # noqa: E402
from gpudesk.ui.services import Services  # noqa: E402
from gpudesk.ui.wizard.gpu_page import GpuPage  # noqa: E402
from gpudesk.ui.wizard.platform_page import PlatformPage  # noqa: E402
from tests.standins.autodl_api import AutoDLStandIn, StandInInstance, StandInServer  # noqa: E402
from tests.ui.screenshot_tour import settle, shot, start_app  # noqa: E402
from tests.ui.wizard_accounts_screenshots import DEMO_TOKEN, demo_account  # noqa: E402


def _wait_for_prices(gpus: GpuPage) -> None:
    for _ in range(300):
        if gpus._prices_read:
            return
        settle(0.1)
    raise RuntimeError("the account's prices were not read")


def _gpu_step(window: MainWindow, platform_id: str) -> GpuPage:
    window.show_wizard()
    wizard = window.wizard
    wizard.start(resume=False)
    platforms = wizard.current_page()
    assert isinstance(platforms, PlatformPage)
    platforms.on_enter()
    platforms.choose(platform_id)
    wizard.next_button.click()
    gpus = wizard.current_page()
    assert isinstance(gpus, GpuPage)
    return gpus


def main(language: str, folder: Path) -> None:
    """Save ``35-gpu-kaggle-<lang>.png`` and ``36-gpu-autodl-account-<lang>.png``."""
    suffix = start_app(language, folder, _TMP)
    api: AutoDLStandIn = demo_account()
    api.add(StandInInstance(uuid="pro-0d6e3f9a21", name="shared-48g", gpu_spec="v-48g"))
    with StandInServer(api) as server:
        os.environ["GPUDESK_AUTODL_API"] = server.url
        window = MainWindow(Services.create())
        window.resize(1000, 650)
        window.show()
        gpus = _gpu_step(window, "kaggle")
        gpus.size_spin.setValue(13.0)
        gpus.task_combo.setCurrentIndex(gpus.task_combo.findData("lora_fp16"))
        gpus.choose("Tesla T4")
        shot(window, folder, f"35-gpu-kaggle-{suffix}")
        secrets, _ = open_secret_store()
        secrets.set(token_name("autodl"), DEMO_TOKEN)
        AccountBook().add_account("autodl")
        window.wizard.back_button.click()
        gpus = _gpu_step(window, "autodl")
        _wait_for_prices(gpus)
        gpus.size_spin.setValue(7.0)
        gpus.task_combo.setCurrentIndex(gpus.task_combo.findData("inference_fp16"))
        gpus.choose("RTX 4090 D")
        shot(window, folder, f"36-gpu-autodl-account-{suffix}")
    QApplication.quit()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
