"""The wizard's account path without Qt: create-and-wait, stopping a wait, images, prices.

The AutoDL API is the stand-in of the tests (``tests/standins/autodl_api.py``, built from the
documented shapes; there is no real account here), served over loopback.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from gpudesk.core.catalog.gpus import default_gpus
from gpudesk.core.catalog.platforms import default_catalog
from gpudesk.core.catalog.rentals import AccountPrice, PriceKind, offers_for
from gpudesk.core.errors import GpuDeskError
from gpudesk.core.providers.accounts import connect_account
from gpudesk.core.providers.model import CreateRequest
from gpudesk.core.providers.poweron import PowerEvent
from gpudesk.core.store.secrets import SecretStore, open_secret_store
from gpudesk.core.wizard.account import (
    CUDA_FLOORS,
    AccountImage,
    account_images,
    account_prices,
    create_and_wait,
)
from gpudesk.core.wizard.createimages import (
    CreateImage,
    create_images,
    cuda_floor_of,
    documented_images,
)
from tests.standins import autodl_api
from tests.standins.autodl_api import AutoDLStandIn, StandInInstance, StandInServer

TOKEN = "core-wizard-token-5e1"
REQUEST = CreateRequest(gpu_spec="h800", image="image-0123456789", cuda_from=118)


@pytest.fixture(name="account")
def account_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[AutoDLStandIn, SecretStore]]:
    api = AutoDLStandIn(token=TOKEN, starting_polls=0)
    with StandInServer(api) as server:
        monkeypatch.setenv("GPUDESK_AUTODL_API", server.url)
        secrets, _warning = open_secret_store()
        connect_account("autodl", TOKEN, secrets)
        yield api, secrets


def creates(api: AutoDLStandIn) -> int:
    return sum(r.path.endswith("/instance/pro/create") for r in api.requests)


def test_stopping_the_wait_for_a_gpu_sends_no_further_create(
    account: tuple[AutoDLStandIn, SecretStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    api, secrets = account

    def no_stock(_api: AutoDLStandIn, _params: dict[str, Any]) -> dict[str, Any]:
        return autodl_api._fail("BadRequest", autodl_api.NO_STOCK_MESSAGE)

    monkeypatch.setitem(autodl_api._ROUTES, ("POST", "/instance/pro/create"), no_stock)
    stop = threading.Event()
    events: list[PowerEvent] = []

    def on_event(event: PowerEvent) -> None:
        events.append(event)
        if event.kind == "no_stock":
            stop.set()  # the user presses "Stop waiting" during the first countdown

    with pytest.raises(GpuDeskError) as raised:
        create_and_wait(REQUEST, secrets, wait_for_gpu_s=600, on_event=on_event, stop=stop)
    assert raised.value.code == "wizard.create_stopped"
    assert creates(api) == 1
    assert [e.kind for e in events][:1] == ["no_stock"]


def test_create_and_wait_returns_the_running_instance(
    account: tuple[AutoDLStandIn, SecretStore],
) -> None:
    api, secrets = account
    created: list[str] = []
    ref = create_and_wait(
        REQUEST, secrets, wait_for_gpu_s=None, on_event=lambda _e: None, on_created=created.append
    )
    assert created == [ref] and ref.startswith("autodl:pro-")
    assert api.instances[ref.partition(":")[2]].status == "running"
    assert creates(api) == 1


def test_private_images_are_listed_by_id_and_name(
    account: tuple[AutoDLStandIn, SecretStore],
) -> None:
    _api, secrets = account
    (image,) = account_images(secrets)
    assert (image.image_uuid, image.name) == ("image-0123456789", "my-torch")


def test_account_prices_carry_the_spec_and_the_price_of_each_instance(
    account: tuple[AutoDLStandIn, SecretStore],
) -> None:
    api, secrets = account
    api.add(StandInInstance(uuid="pro-a1", name="train", gpu_spec="4090D", price_milli=1980))
    api.add(StandInInstance(uuid="pro-b2", name="", gpu_spec="v-48g", price_milli=1200))
    prices = sorted(account_prices(secrets), key=lambda price: price.instance_name)
    assert prices == [
        AccountPrice("pro-b2", "RTX 4090D", "v-48g", 1, 1.2),  # unnamed: its id
        AccountPrice("train", "RTX 4090D", "4090D", 1, 1.98),
    ]
    offers = {
        offer.gpu.name: offer
        for offer in offers_for(default_catalog().extras_for("autodl").gpus, default_gpus(), prices)
    }
    shown = offers["RTX 4090 D"]
    assert (shown.price, shown.yuan_per_hour, shown.instance_name) == (
        PriceKind.ACCOUNT,
        1.98,
        "train",
    )


def test_the_create_step_offers_the_documented_public_image_first(
    account: tuple[AutoDLStandIn, SecretStore],
) -> None:
    _api, secrets = account
    offered = create_images(account_images(secrets))
    public, private = offered
    assert public == CreateImage(
        image_uuid="base-image-l2t43iu6uk",
        public=True,
        contents=("PyTorch 2.0.0", "CUDA 11.8", "Python 3.8"),
        cuda_from=118,
    )
    assert (private.image_uuid, private.name, private.public) == (
        "image-0123456789",
        "my-torch",
        False,
    )
    # An account image with the public image's id is not listed twice.
    again = create_images([AccountImage("base-image-l2t43iu6uk", "copy")])
    assert [image.image_uuid for image in again] == ["base-image-l2t43iu6uk"]


def test_cuda_floors_follow_the_images_cuda() -> None:
    assert cuda_floor_of("11.8") == 118
    assert cuda_floor_of("12.1") == 121
    assert cuda_floor_of("9.0") is None  # not a floor the create call offers
    assert cuda_floor_of(None) is None
    assert all(image.cuda_from in CUDA_FLOORS for image in documented_images())
