"""The wizard's account path without Qt: create-and-wait, stopping a wait, private images.

The AutoDL API is the stand-in of the tests (``tests/standins/autodl_api.py``, built from the
documented shapes; there is no real account here), served over loopback.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from gpudesk.core.errors import GpuDeskError
from gpudesk.core.providers.accounts import connect_account
from gpudesk.core.providers.model import CreateRequest
from gpudesk.core.providers.poweron import PowerEvent
from gpudesk.core.store.secrets import SecretStore, open_secret_store
from gpudesk.core.wizard.account import account_images, create_and_wait
from tests.standins import autodl_api
from tests.standins.autodl_api import AutoDLStandIn, StandInServer

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
