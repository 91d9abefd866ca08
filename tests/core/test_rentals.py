"""Which GPUs each platform rents, and the price gpudesk can honestly show beside each.

Pure catalog logic: the bundled platform files and GPU table, and account prices given as
plain data (the AutoDL account itself is exercised in ``test_wizard_account.py``).
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gpudesk.core import resources
from gpudesk.core.catalog.gpus import GpuFit, Task, default_gpus, estimate_memory, fitting_gpus
from gpudesk.core.catalog.platforms import default_catalog, load_catalog
from gpudesk.core.catalog.rentals import (
    AccountPrice,
    FitVerdict,
    GpuOffer,
    PlatformGpus,
    PriceKind,
    fit_verdict,
    gpu_for_account_instance,
    offers_for,
)
from gpudesk.core.errors import InputError

GPUS = default_gpus()
PRICE_PAGE = "https://www.autodl.com/docs/price/"


def gpus_of(platform_id: str) -> PlatformGpus:
    return default_catalog().extras_for(platform_id).gpus


def rows(offers: list[GpuOffer]) -> dict[str, GpuOffer]:
    return {offer.gpu.name: offer for offer in offers}


def account(
    name: str, spec: str | None, gpu: str | None, price: float | None, count: int = 1
) -> AccountPrice:
    return AccountPrice(name, gpu, spec, count, price)


def test_kaggle_rents_a_p100_or_two_t4s_for_free() -> None:
    kaggle = gpus_of("kaggle")
    assert kaggle.known and kaggle.complete
    offers = rows(offers_for(kaggle, GPUS))
    assert set(offers) == {"Tesla P100 16GB", "Tesla T4"}
    assert all(offer.price is PriceKind.FREE for offer in offers.values())
    assert offers["Tesla T4"].max_count == 2 and offers["Tesla P100 16GB"].max_count == 1
    t4 = offers["Tesla T4"].rented
    assert t4 is not None and "30 GPU-hours a week" in t4.free_note and "30" in t4.free_note_zh


def test_openi_rents_t4_and_says_the_npus_are_not_in_the_table() -> None:
    openi = gpus_of("openi")
    assert set(rows(offers_for(openi, GPUS))) == {"Tesla T4"}
    assert "Ascend" in openi.note and "昇腾" in openi.note_zh


def test_deepln_lends_the_p4_to_students_and_rents_more_than_gpudesk_knows() -> None:
    deepln = gpus_of("deepln")
    assert not deepln.complete
    (offer,) = offers_for(deepln, GPUS)
    assert offer.gpu.name == "Tesla P4" and offer.price is PriceKind.FREE
    assert offer.gpu.vram_gib == 8
    every = offers_for(deepln, GPUS, show_all=True)
    assert len(every) == len(GPUS)
    assert rows(every)["RTX 4090"].price is PriceKind.UNKNOWN  # no price invented


@pytest.mark.parametrize("platform_id", ["luchen", "colab", "jiutian"])
def test_an_unknown_list_shows_every_common_gpu(platform_id: str) -> None:
    platform = gpus_of(platform_id)
    assert not platform.known and platform.note and platform.note_zh
    offers = offers_for(platform, GPUS)
    assert [offer.gpu.name for offer in offers] == [gpu.name for gpu in GPUS]
    assert all(offer.rented is None and offer.price is PriceKind.UNKNOWN for offer in offers)


def test_autodl_maps_only_the_specs_that_name_a_card() -> None:
    autodl = gpus_of("autodl")
    specs = {entry.spec: entry.gpu for entry in autodl.rented}
    assert specs == {
        "4090D": "RTX 4090 D",
        "5090-p": "RTX 5090",
        "pro6000-p": "RTX PRO 6000",
        "h800": "H800 80GB",
    }  # the v-* vGPU specs are left out rather than guessed
    assert all(entry.counts == (1, 2, 3, 4) for entry in autodl.rented)
    assert all(entry.source for entry in autodl.rented)
    offers = offers_for(autodl, GPUS)
    assert {offer.gpu.name for offer in offers} == set(specs.values())
    assert {(offer.price, offer.price_url) for offer in offers} == {
        (PriceKind.PRICE_PAGE, PRICE_PAGE)
    }


def test_autodl_shows_the_price_of_the_users_own_instance() -> None:
    autodl = gpus_of("autodl")
    mine = [
        account("llama-finetune", "4090D", "RTX 4090D", 1.98),
        account("big", "4090D", "RTX 4090D", 3.9, count=2),  # more GPUs: not the one shown
        account("vgpu", "v-48g", "RTX 4090D", 1.2),  # a share of a card is not the card
        account("diffusion", None, "H800", 8.88, count=2),  # no spec: matched by name
    ]
    offers = rows(offers_for(autodl, GPUS, mine))
    d = offers["RTX 4090 D"]
    assert (d.price, d.yuan_per_hour, d.instance_name, d.instance_gpus) == (
        PriceKind.ACCOUNT,
        1.98,
        "llama-finetune",
        1,
    )
    h800 = offers["H800 80GB"]
    assert (h800.price, h800.yuan_per_hour, h800.instance_gpus) == (PriceKind.ACCOUNT, 8.88, 2)
    assert offers["RTX 5090"].price is PriceKind.PRICE_PAGE
    assert gpu_for_account_instance(mine[2], autodl, GPUS) is None


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1.0, 1e12, None])
def test_an_unbelievable_price_is_not_shown(bad: float | None) -> None:
    autodl = gpus_of("autodl")
    offers = rows(offers_for(autodl, GPUS, [account("x", "5090-p", "RTX 5090", bad)]))
    assert offers["RTX 5090"].price is PriceKind.PRICE_PAGE


def test_the_instance_name_is_bounded_plain_text() -> None:
    autodl = gpus_of("autodl")
    hostile = "evil\x1b[31m\n" + "x" * 500
    offers = rows(offers_for(autodl, GPUS, [account(hostile, "h800", "H800", 9.0)]))
    name = offers["H800 80GB"].instance_name
    assert name is not None and len(name) <= 40 and name.isprintable()


def fit_of(billions: float, task: Task, gpu_name: str) -> GpuFit | None:
    estimate = estimate_memory(billions, task)
    return {fit.gpu.name: fit for fit in fitting_gpus(estimate)}.get(gpu_name)


def test_fit_verdicts_say_what_the_platform_gives() -> None:
    kaggle = rows(offers_for(gpus_of("kaggle"), GPUS))
    autodl = rows(offers_for(gpus_of("autodl"), GPUS))
    colab = rows(offers_for(gpus_of("colab"), GPUS))
    t4 = kaggle["Tesla T4"]
    assert fit_verdict(fit_of(7, Task.INFERENCE_FP16, "Tesla T4"), t4) is FitVerdict.TIGHT
    assert fit_verdict(fit_of(3, Task.INFERENCE_FP16, "Tesla T4"), t4) is FitVerdict.FITS
    # LoRA on a 13B model needs two T4s: exactly the pair Kaggle gives.
    assert fit_verdict(fit_of(13, Task.LORA_FP16, "Tesla T4"), t4) is FitVerdict.SPLIT_OFFERED
    p100 = kaggle["Tesla P100 16GB"]
    lora = fit_of(13, Task.LORA_FP16, "Tesla P100 16GB")
    assert fit_verdict(lora, p100) is FitVerdict.SPLIT_NOT_OFFERED  # one P100 only
    # Full fine-tuning of 7B needs 6 x RTX 4090 D; AutoDL's Pro API creates at most 4.
    full = fit_of(7, Task.FULL_FINETUNE_ADAM_MIXED, "RTX 4090 D")
    assert full is not None and full.count == 6
    assert fit_verdict(full, autodl["RTX 4090 D"]) is FitVerdict.SPLIT_NOT_OFFERED
    assert fit_verdict(full, colab["RTX 4090 D"]) is FitVerdict.SPLIT  # limit not known
    assert fit_verdict(None, colab["Tesla P4"]) is FitVerdict.TOO_SMALL


@pytest.fixture
def platforms_copy(tmp_path: Path) -> Path:
    target = tmp_path / "platforms"
    shutil.copytree(resources.resource_path("platforms"), target)
    return target


def edit_gpus(folder: Path, platform_id: str, edit: Callable[[dict[str, Any]], None]) -> None:
    """Change the ``gpus`` object of one copied platform file."""
    path = folder / f"{platform_id}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data["gpus"])
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"gpu": "Voodoo 2"}, r"gpus\.rented\[0\]\.gpu"),
        ({"counts": [0]}, r"gpus\.rented\[0\]\.counts"),
        ({"counts": "2"}, r"gpus\.rented\[0\]\.counts"),
        ({"source": ""}, r"gpus\.rented\[0\]\.source"),
    ],
)
def test_a_broken_gpu_entry_names_file_and_field(
    platforms_copy: Path, change: dict[str, object], field: str
) -> None:
    edit_gpus(platforms_copy, "kaggle", lambda gpus: gpus["rented"][0].update(change))
    with pytest.raises(InputError, match=rf"kaggle\.json.*{field}"):
        load_catalog(platforms_copy)


def test_a_spec_twice_or_a_plain_http_price_page_is_refused(platforms_copy: Path) -> None:
    edit_gpus(platforms_copy, "autodl", lambda gpus: gpus["rented"][1].update(spec="h800"))
    with pytest.raises(InputError, match=r"autodl\.json.*gpus\.rented"):
        load_catalog(platforms_copy)
    edit_gpus(platforms_copy, "autodl", lambda gpus: gpus["rented"][1].update(spec="5090-p"))
    edit_gpus(platforms_copy, "autodl", lambda gpus: gpus.update(price_url="http://x.example/"))
    with pytest.raises(InputError, match=r"autodl\.json.*gpus\.price_url"):
        load_catalog(platforms_copy)


def test_a_platform_file_without_gpus_means_not_known(platforms_copy: Path) -> None:
    path = platforms_copy / "kaggle.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["gpus"]
    path.write_text(json.dumps(data), encoding="utf-8")  # the whole object gone
    assert not load_catalog(platforms_copy).extras_for("kaggle").gpus.known


def test_every_platform_cites_a_source_for_its_gpus() -> None:
    catalog = default_catalog()
    for platform_id in catalog.ids:
        extras = catalog.extras_for(platform_id)
        assert any("gpus" in source.fields for source in extras.sources), platform_id
        assert all(entry.source for entry in extras.gpus.rented)
