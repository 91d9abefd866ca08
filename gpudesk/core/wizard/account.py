"""The wizard's platform-account path: AutoDL Pro choices, the login from the API, creating.

No Qt. What the GPU and image steps offer when an AutoDL account is connected (only what the
platform documents: the ``gpu_spec_uuid`` values seen in its documentation and public clients,
CUDA floors written as the API writes them), and the blocking calls the pages run off the GUI
thread: the account's Pro instances, its private images, the login of an instance (endpoint
and password from the API, re-read every time), creating an instance and waiting for it, and
linking the saved instance to the platform instance so power-on/off work later.

AutoDL's official API controls Pro instances only (``pro-…``); release is not offered here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from gpudesk.core.catalog.rentals import AccountPrice
from gpudesk.core.errors import InputError
from gpudesk.core.models import SshTarget
from gpudesk.core.providers.accounts import AccountBook, open_provider, parse_ref
from gpudesk.core.providers.autodl import AutoDLProvider
from gpudesk.core.providers.model import CreateRequest, ProviderInstance
from gpudesk.core.providers.poweron import EventSink, retry_while_no_stock, wait_until_running
from gpudesk.core.store.secrets import SecretStore

__all__ = [
    "AUTODL",
    "CUDA_FLOORS",
    "GPU_SPECS",
    "AccountImage",
    "account_connected",
    "account_images",
    "account_instances",
    "account_login",
    "account_prices",
    "create_and_wait",
    "link_saved_instance",
]

AUTODL = "autodl"
#: The ``gpu_spec_uuid`` values AutoDL's documentation and public clients show (nothing more).
GPU_SPECS: tuple[str, ...] = (
    "h800",
    "v-48g",
    "pro6000-p",
    "v-32g-p",
    "v-48g-350w",
    "5090-p",
    "4090D",
)
#: CUDA floors (``cuda_v_from``): 113 means the driver supports CUDA 11.3 or newer.
CUDA_FLOORS: tuple[int, ...] = (113, 116, 117, 118, 120, 121, 122, 124)
MAX_GPUS = 4


@dataclass(frozen=True)
class AccountImage:
    """An image the create call accepts: its ``image_uuid`` and the name the user gave it."""

    image_uuid: str
    name: str


def account_connected(book: AccountBook | None = None) -> bool:
    """True when an AutoDL account is recorded as connected (reads ``accounts.json``)."""
    return (book or AccountBook()).account(AUTODL) is not None


def _autodl(secrets: SecretStore, book: AccountBook | None) -> AutoDLProvider:
    provider = open_provider(AUTODL, secrets, book)
    if not isinstance(provider, AutoDLProvider):  # pragma: no cover - open_provider's contract
        raise InputError(
            "provider.unsupported",
            "Only AutoDL instances can be created here.",
            "Choose AutoDL as the platform.",
        )
    return provider


def account_instances(
    secrets: SecretStore, book: AccountBook | None = None
) -> list[ProviderInstance]:
    """The account's Pro instances with status, GPU and price (blocking)."""
    return _autodl(secrets, book).list_instances()


def account_prices(secrets: SecretStore, book: AccountBook | None = None) -> list[AccountPrice]:
    """The account's Pro instances as the GPU step shows their prices (blocking)."""
    return [
        AccountPrice(
            instance_name=instance.name or instance.id,
            gpu_name=instance.gpu,
            gpu_spec=instance.gpu_spec,
            gpu_count=instance.gpu_count,
            price_per_hour=instance.price_per_hour,
        )
        for instance in account_instances(secrets, book)
    ]


def account_images(secrets: SecretStore, book: AccountBook | None = None) -> list[AccountImage]:
    """The account's private images (blocking); unusable rows are left out."""
    found = []
    for row in _autodl(secrets, book).private_images():
        image_uuid, name = row.get("image_uuid"), row.get("name")
        if isinstance(image_uuid, str) and image_uuid.isprintable() and 0 < len(image_uuid) < 100:
            label = name if isinstance(name, str) and name.isprintable() else ""
            found.append(AccountImage(image_uuid, label[:80]))
    return found


def account_login(
    ref: str, secrets: SecretStore, book: AccountBook | None = None
) -> tuple[SshTarget, str | None]:
    """Where ``autodl:ID`` logs in now and its password, read from the API (blocking).

    Raises:
        InputError: Not an ``autodl:ID``, or no account connected.
        PlatformRefusedError: ``provider.not_running`` while the instance is off.
    """
    provider_id, instance_id = _split(ref)
    endpoint = _autodl(secrets, book).endpoint(instance_id)
    return endpoint.target(provider_id), endpoint.password


def create_and_wait(
    request: CreateRequest,
    secrets: SecretStore,
    *,
    wait_for_gpu_s: float | None,
    on_event: EventSink,
    on_created: Callable[[str], None] = lambda _ref: None,
    stop: threading.Event | None = None,
    book: AccountBook | None = None,
) -> str:
    """Create the instance (retrying on 暂无库存 while the wait lasts), wait until it runs.

    Setting ``stop`` ends every wait at once, so a user who stopped waiting is never billed
    for an instance a later retry would have created.

    Returns:
        ``autodl:ID`` of the new instance.

    Raises:
        InputError: ``wizard.create_stopped`` when ``stop`` was set during a wait.
    """
    stop = stop or threading.Event()

    def sleep(seconds: float) -> None:
        if stop.wait(seconds):
            raise InputError(
                "wizard.create_stopped",
                "Stopped waiting for the new instance.",
                "An instance AutoDL already created stays in your account: see its console.",
            )

    provider = _autodl(secrets, book)
    new_id, _attempts = retry_while_no_stock(
        lambda: provider.create(request),
        wait_for_gpu_s=wait_for_gpu_s,
        on_event=on_event,
        sleep=sleep,
    )
    ref = f"{AUTODL}:{new_id}"
    on_created(ref)
    wait_until_running(provider, new_id, on_event=on_event, sleep=sleep)
    return ref


def link_saved_instance(
    ref: str, alias: str, host_key_alias: str | None, book: AccountBook | None = None
) -> None:
    """Remember that the saved instance ``alias`` is the platform instance ``ref``."""
    provider_id, instance_id = _split(ref)
    (book or AccountBook()).link(provider_id, instance_id, alias, host_key_alias)


def _split(ref: str) -> tuple[str, str]:
    parsed = parse_ref(ref)
    if parsed is None:
        raise InputError(
            "provider.bad_ref",
            f"{ref[:120]!r} does not name a platform instance.",
            "Write it as autodl:INSTANCE_ID (see gpudesk instances).",
        )
    return parsed
