"""The GPU step per platform: only the GPUs it rents, and a price only where one is known.

Kaggle, OpenI, 潞晨云 come from the bundled catalog. The AutoDL account is the stand-in of the
tests (``tests/standins/autodl_api.py``, built from the documented API shapes: there is no
real account here), served over loopback; its instances' prices are the stand-in's.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from gpudesk.core.providers.accounts import connect_account
from gpudesk.core.store.secrets import open_secret_store
from gpudesk.core.wizard import StepId, WizardData
from gpudesk.ui.main_window import MainWindow
from gpudesk.ui.services import Services
from gpudesk.ui.wizard.create_box import AccountCreateBox
from gpudesk.ui.wizard.gpu_page import GpuPage
from gpudesk.ui.wizard.no_ssh_page import NoSshPage
from gpudesk.ui.wizard.page import WizardContext
from tests.standins.autodl_api import AutoDLStandIn, StandInInstance, StandInServer
from tests.ui import driver
from tests.ui.driver import next_step, page
from tests.ui.test_chinese_views import english_sentences
from tests.ui.test_i18n import chinese  # noqa: F401 (fixture)

TOKEN = "gpu-page-token-41f"
FIT, PRICE = 5, 6


def gpu_page(qtbot: QtBot, services: Services, platform_id: str) -> GpuPage:
    view = GpuPage(WizardContext(services, WizardData(platform_id=platform_id)))
    qtbot.addWidget(view)
    view.resize(1000, 760)
    view.show()
    view.on_enter()
    return view


def cells(page: GpuPage, column: int) -> dict[str, str]:
    table = page.table
    return {
        offer.gpu.name: table.item(row, column).text() for row, offer in enumerate(table.offers)
    }  # type: ignore[union-attr]


def test_kaggle_lists_only_its_p100_and_pair_of_t4s_free(qtbot: QtBot, services: Services) -> None:
    page = gpu_page(qtbot, services, "kaggle")
    prices = cells(page, PRICE)
    assert set(prices) == {"Tesla P100 16GB", "Tesla T4"}
    assert prices["Tesla T4"] == "Free (about 30 GPU-hours a week)"
    assert page.table.item(page.table.row_of("Tesla T4") or 0, 0).text() == "2 × Tesla T4"  # type: ignore[union-attr]
    assert "known to rent" in page.platform_label.text()
    assert page.price_label.isHidden()  # free: no price page to point at
    # 13B LoRA needs two T4s: exactly the pair Kaggle gives; one P100 is all Kaggle has.
    page.size_spin.setValue(13.0)
    page.task_combo.setCurrentIndex(page.task_combo.findData("lora_fp16"))
    fits = cells(page, FIT)
    assert fits["Tesla T4"] == "Needs 2 cards: Kaggle has up to 2"
    assert fits["Tesla P100 16GB"] == "Needs 2 cards: Kaggle has only 1"
    assert page.several_label.isVisible() and "DeepSpeed" in page.several_label.text()
    page.show_all_box.click()
    assert len(page.table.offers) == len(page.gpus)


def test_a_platform_whose_list_is_not_known_says_so_and_lists_every_gpu(
    qtbot: QtBot, services: Services
) -> None:
    page = gpu_page(qtbot, services, "luchen")
    assert len(page.table.offers) == len(page.gpus)
    assert "not known to gpudesk" in page.platform_label.text()
    assert page.show_all_box.isHidden()
    assert set(cells(page, PRICE).values()) == {"Not known to gpudesk"}
    assert 'href="https://cloud.luchentech.com/"' in page.price_label.text()


def test_a_saved_choice_off_the_platforms_list_is_still_shown(
    qtbot: QtBot, services: Services
) -> None:
    data = WizardData(platform_id="openi", gpu_model="A100 80GB")
    page = GpuPage(WizardContext(services, data))
    qtbot.addWidget(page)
    page.on_enter()
    assert page.show_all_box.isChecked() and page.selected() == "A100 80GB"


@pytest.fixture(name="account")
def account_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[AutoDLStandIn]:
    api = AutoDLStandIn(token=TOKEN)
    api.add(
        StandInInstance(
            uuid="pro-a1", name="llama-finetune", gpu_spec="4090D", gpu_alias="RTX 4090D"
        )
    )
    api.add(StandInInstance(uuid="pro-v1", name="shared", gpu_spec="v-48g", price_milli=1200))
    with StandInServer(api) as server:
        monkeypatch.setenv("GPUDESK_AUTODL_API", server.url)
        secrets, _warning = open_secret_store()
        connect_account("autodl", TOKEN, secrets)
        yield api


def test_autodl_with_an_account_shows_the_price_of_your_own_instance(
    qtbot: QtBot, services: Services, account: AutoDLStandIn
) -> None:
    page = gpu_page(qtbot, services, "autodl")
    qtbot.waitUntil(lambda: page._prices_read, timeout=10_000)
    prices = cells(page, PRICE)
    assert set(prices) == {"RTX 4090 D", "RTX 5090", "RTX PRO 6000", "H800 80GB"}
    assert prices["RTX 4090 D"] == "¥1.97/h (your instance llama-finetune)"
    # The vGPU instance's price is not pinned on a whole card; the others point at the page.
    assert prices["RTX 5090"] == "See the price page (link below)"
    assert 'href="https://www.autodl.com/docs/price/"' in page.price_label.text()
    assert "your AutoDL account" in page.account_prices_label.text()
    page.choose("RTX 4090 D")
    assert page.price_spin.value() == pytest.approx(1.97)
    assert page.spec_combo.currentData() == "4090D"


def test_autodl_without_an_account_points_at_the_price_page(
    qtbot: QtBot, services: Services
) -> None:
    page = gpu_page(qtbot, services, "autodl")
    qtbot.waitUntil(lambda: page._prices_read, timeout=10_000)
    assert set(cells(page, PRICE).values()) == {"See the price page (link below)"}
    assert page.account_prices_label.isHidden()


def test_the_create_box_sends_the_documented_public_image_with_its_cuda_floor(
    qtbot: QtBot, services: Services, account: AutoDLStandIn
) -> None:
    """Choosing AutoDL's public PyTorch 2.0.0 image sets the floor 118; create receives both."""
    box = AccountCreateBox(services.secrets)
    qtbot.addWidget(box)
    box.show()
    box.cuda_combo.setCurrentIndex(box.cuda_combo.findData(113))
    box.load_images()
    qtbot.waitUntil(lambda: box.image_combo.count() == 2, timeout=10_000)
    labels = [box.image_combo.itemText(i) for i in range(box.image_combo.count())]
    assert labels[0] == "PyTorch 2.0.0 · CUDA 11.8 · Python 3.8 (AutoDL public image)"
    assert not any("base-image" in label for label in labels)  # the id is a value only
    assert "no PyTorch 2.1 image" in box.image_note.text()
    box.image_combo.activated.emit(0)  # as a click on the first entry
    assert box.cuda_from() == 118
    assert box.is_complete()
    request = box.request("5090-p", 1)
    assert (request.image, request.cuda_from) == ("base-image-l2t43iu6uk", 118)
    with qtbot.waitSignal(box.created, timeout=20_000):
        box.start(request)
    (create,) = [r for r in account.requests if r.path.endswith("/instance/pro/create")]
    assert create.body["image_uuid"] == "base-image-l2t43iu6uk"
    assert create.body["cuda_v_from"] == 118
    assert create.body["gpu_spec_uuid"] == "5090-p"


@pytest.mark.usefixtures("chinese")
def test_the_gpu_page_speaks_chinese_on_kaggle_and_with_an_autodl_account(
    qtbot: QtBot, services: Services, account: AutoDLStandIn
) -> None:
    kaggle = gpu_page(qtbot, services, "kaggle")
    kaggle.size_spin.setValue(13.0)
    kaggle.task_combo.setCurrentIndex(kaggle.task_combo.findData("lora_fp16"))
    assert cells(kaggle, PRICE)["Tesla T4"] == "免费（每周约 30 小时）"
    assert cells(kaggle, FIT)["Tesla T4"] == "需要 2 张卡：Kaggle 最多 2 张"
    autodl = gpu_page(qtbot, services, "autodl")
    qtbot.waitUntil(lambda: autodl._prices_read, timeout=10_000)
    assert cells(autodl, PRICE)["RTX 4090 D"] == "¥1.97/小时（你的实例 llama-finetune）"
    luchen = gpu_page(qtbot, services, "luchen")
    assert "潞晨云：gpudesk 不知道它出租哪些显卡" in luchen.platform_label.text()
    for view in (kaggle, autodl, luchen):
        assert english_sentences(view) == []


def test_choosing_kaggle_in_the_wizard_shows_its_gpus_then_what_it_offers_instead(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Kaggle has no SSH, but the estimator still says whether the work fits its GPUs."""
    wizard = driver.open_wizard(qtbot, window)
    driver.choose_platform(qtbot, wizard, "kaggle")
    next_step(qtbot, wizard)
    gpus = page(wizard, GpuPage)
    assert {offer.gpu.name for offer in gpus.table.offers} == {"Tesla P100 16GB", "Tesla T4"}
    assert gpus.price_row.isHidden()  # nothing is rented
    assert wizard.next_button.isEnabled()  # choosing a row is optional here
    driver.choose_gpu(qtbot, wizard, "Tesla T4")
    next_step(qtbot, wizard)
    assert driver.at(wizard, StepId.NO_SSH)
    page(wizard, NoSshPage)
    assert wizard.flow.undeclared == []
