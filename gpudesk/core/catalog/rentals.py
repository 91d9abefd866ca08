"""Which GPUs a platform is known to rent, and what gpudesk can honestly say about the price.

Each platform file may hold a ``gpus`` object::

    "gpus": {
      "complete": true,            # these are all the NVIDIA GPUs it rents
      "price_url": "https://...",  # the platform's own price page, when known
      "note": "...", "note_zh": "...",
      "rented": [{"gpu": "Tesla T4", "counts": [2], "free": true, "spec": null,
                  "free_note": "...", "free_note_zh": "...", "source": "..."}]
    }

``gpu`` names a row of ``resources/gpus.json``; ``counts`` says how many come in one instance
(Kaggle's T4s come in twos, AutoDL's Pro API creates 1 to 4); ``spec`` is the platform API's
name for the card (AutoDL's ``gpu_spec_uuid``); ``source`` says where the fact came from. An
empty ``rented`` list (or no ``gpus`` object) means the list is not known to gpudesk: every
common GPU is shown.

There is no sourced price list for any platform and none is invented. A price is known only
from the user's own account (an instance's hourly price, :class:`AccountPrice`); otherwise a
free card says so with its quota, and a paid one points at the platform's price page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from gpudesk.core.catalog.gpus import GpuFit, GpuModel, find_gpu
from gpudesk.core.resources import JsonFields

__all__ = [
    "AccountPrice",
    "FitVerdict",
    "GpuOffer",
    "PlatformGpus",
    "PriceKind",
    "RentedGpu",
    "fit_verdict",
    "gpu_for_account_instance",
    "offers_for",
    "parse_platform_gpus",
]

#: Longest instance name shown next to a price (the platform's text is not trusted).
NAME_LIMIT = 40
#: An hourly price above this is not believed (yuan).
PRICE_LIMIT = 100_000.0
_MAX_COUNT = 16


@dataclass(frozen=True)
class RentedGpu:
    """One GPU a platform is known to rent.

    Attributes:
        gpu: The ``gpus.json`` row's name, e.g. ``"Tesla T4"``.
        counts: How many of it one instance has (``(2,)`` for Kaggle's pair of T4s).
        spec: The platform API's name for it (AutoDL's ``gpu_spec_uuid``), if any.
        free: True when the platform lends it for free.
        free_note: The quota or condition of the free card, English and Chinese.
        source: Where the fact came from (provenance, never shown).
    """

    gpu: str
    counts: tuple[int, ...] = (1,)
    spec: str | None = None
    free: bool = False
    free_note: str = ""
    free_note_zh: str = ""
    source: str = ""


@dataclass(frozen=True)
class PlatformGpus:
    """What the catalog knows about a platform's GPUs.

    Attributes:
        rented: The GPUs it is known to rent (empty: not known to gpudesk).
        complete: True when ``rented`` is everything it rents; False when it rents more.
        price_url: The platform's own price page, when known.
        note: One line about its GPUs (English, Chinese), e.g. "also Ascend NPUs".
    """

    rented: tuple[RentedGpu, ...] = ()
    complete: bool = False
    price_url: str | None = None
    note: str = ""
    note_zh: str = ""

    @property
    def known(self) -> bool:
        """True when gpudesk knows which GPUs the platform rents."""
        return bool(self.rented)

    def rented_gpu(self, name: str) -> RentedGpu | None:
        """The entry for the table row ``name``, if the platform is known to rent it."""
        return next((entry for entry in self.rented if entry.gpu == name), None)

    def by_spec(self, spec: str) -> RentedGpu | None:
        """The entry the platform's API calls ``spec``, if mapped."""
        return next((entry for entry in self.rented if entry.spec == spec), None)


def _parse_rented(row: JsonFields, table_names: frozenset[str] | None) -> RentedGpu:
    name = row.string("gpu")
    if table_names is not None and name not in table_names:
        row.fail(f"{row.where}.gpu", f"'{name}' is not a row of gpus.json")
    counts: list[int] = []
    for value in row.data.get("counts", [1]) if isinstance(row.data, dict) else []:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_COUNT:
            row.fail(f"{row.where}.counts", f"must be whole numbers from 1 to {_MAX_COUNT}")
        counts.append(value)
    if not counts:
        row.fail(f"{row.where}.counts", "must not be empty")
    free = row.boolean("free", default=False)
    return RentedGpu(
        gpu=name,
        counts=tuple(sorted(set(counts))),
        spec=row.optional_string("spec"),
        free=free,
        free_note=row.optional_string("free_note") or "",
        free_note_zh=row.optional_string("free_note_zh") or "",
        source=row.string("source"),
    )


def parse_platform_gpus(
    fields: JsonFields, table_names: frozenset[str] | None = None
) -> PlatformGpus:
    """Read a platform file's ``gpus`` object (absent: nothing known).

    Args:
        fields: The platform file.
        table_names: The GPU table's names, to reject a ``gpu`` that names no row.

    Raises:
        InputError: A field is invalid (the message names the file and the field).
    """
    if not fields.has("gpus"):
        return PlatformGpus()
    row = fields.child("gpus")
    rented = tuple(_parse_rented(entry, table_names) for entry in row.objects("rented"))
    names = [entry.gpu for entry in rented]
    specs = [entry.spec for entry in rented if entry.spec is not None]
    if len(set(names)) != len(names) or len(set(specs)) != len(specs):
        row.fail("gpus.rented", "names a GPU or a spec twice")
    price_url = row.optional_string("price_url")
    if price_url is not None and not price_url.startswith("https://"):
        row.fail("gpus.price_url", "must be an https:// URL")
    return PlatformGpus(
        rented=rented,
        complete=row.boolean("complete", default=False),
        price_url=price_url,
        note=row.optional_string("note") or "",
        note_zh=row.optional_string("note_zh") or "",
    )


@dataclass(frozen=True)
class AccountPrice:
    """One instance of the user's own platform account, as far as its price goes.

    Attributes:
        instance_name: Its name on the platform (or its id when it has none).
        gpu_name: The GPU as the platform names it, e.g. ``"RTX 4090D"``.
        gpu_spec: The platform API's spec name, e.g. ``"4090D"`` (None when not given).
        gpu_count: How many GPUs it has.
        price_per_hour: Yuan per hour for the whole instance, None when unknown.
    """

    instance_name: str
    gpu_name: str | None
    gpu_spec: str | None
    gpu_count: int
    price_per_hour: float | None


class PriceKind(str, Enum):
    """Where the price shown for a GPU comes from."""

    ACCOUNT = "account"  # one of the user's own instances
    FREE = "free"  # the platform lends it for free
    PRICE_PAGE = "price_page"  # paid: see the platform's price page
    UNKNOWN = "unknown"  # paid or unknown, and no price page known


@dataclass(frozen=True)
class GpuOffer:
    """One table row for the chosen platform.

    Attributes:
        gpu: The GPU.
        rented: The platform's entry for it (None when the list is unknown, or the row is
            shown only because the user asked for every GPU).
        price: Where the price comes from.
        yuan_per_hour: The account instance's hourly price (``ACCOUNT`` only).
        instance_name: The account instance it comes from (``ACCOUNT`` only).
        instance_gpus: How many GPUs that price is for (``ACCOUNT`` only).
        price_url: The platform's price page (``PRICE_PAGE`` only).
    """

    gpu: GpuModel
    rented: RentedGpu | None
    price: PriceKind
    yuan_per_hour: float | None = None
    instance_name: str | None = None
    instance_gpus: int = 1
    price_url: str | None = None

    @property
    def max_count(self) -> int | None:
        """The most of this GPU one instance has on the platform, when known."""
        return max(self.rented.counts) if self.rented is not None else None


def _clean_name(text: str) -> str:
    kept = "".join(ch for ch in text if ch.isprintable())
    return kept.strip()[:NAME_LIMIT]


def _usable(price: AccountPrice) -> bool:
    value = price.price_per_hour
    return value is not None and math.isfinite(value) and 0 <= value <= PRICE_LIMIT


def gpu_for_account_instance(
    price: AccountPrice, platform: PlatformGpus, gpus: Sequence[GpuModel]
) -> GpuModel | None:
    """The table row an account instance's GPU is, or None when that is not certain.

    A spec the catalog maps names its row. A spec it does not map (AutoDL's vGPU specs such as
    ``v-48g``) names no row, whatever the GPU's display name says: a share of a card is not
    the card. Without a spec the platform's GPU name is matched like ``nvidia-smi``'s.
    """
    if price.gpu_spec:
        entry = platform.by_spec(price.gpu_spec)
        if entry is None:
            return None
        return next((gpu for gpu in gpus if gpu.name == entry.gpu), None)
    if not price.gpu_name:
        return None
    return find_gpu(price.gpu_name[:80], gpus)


def _account_prices(
    platform: PlatformGpus, gpus: Sequence[GpuModel], account: Sequence[AccountPrice]
) -> dict[str, AccountPrice]:
    """For each table row, the account instance whose price to show (fewest GPUs, cheapest)."""
    chosen: dict[str, AccountPrice] = {}
    for price in account:
        gpu = gpu_for_account_instance(price, platform, gpus) if _usable(price) else None
        if gpu is None:
            continue
        current = chosen.get(gpu.name)
        key = (max(1, price.gpu_count), price.price_per_hour or 0.0)
        if current is None or key < (max(1, current.gpu_count), current.price_per_hour or 0.0):
            chosen[gpu.name] = price
    return chosen


def offers_for(
    platform: PlatformGpus,
    gpus: Sequence[GpuModel],
    account: Sequence[AccountPrice] = (),
    *,
    show_all: bool = False,
) -> list[GpuOffer]:
    """The GPU table's rows for a platform, each with its price source.

    Args:
        platform: The platform's GPUs from the catalog.
        gpus: The GPU table, in display order.
        account: The user's own instances on this platform (prices known from them).
        show_all: Every common GPU even when the platform's list is known.

    Returns:
        Rows in table order: the platform's known GPUs, or every GPU when its list is not
        known or ``show_all`` is set.
    """
    prices = _account_prices(platform, gpus, account)
    offers: list[GpuOffer] = []
    for gpu in gpus:
        rented = platform.rented_gpu(gpu.name)
        if platform.known and rented is None and not show_all:
            continue
        found = prices.get(gpu.name)
        if found is not None:
            offers.append(
                GpuOffer(
                    gpu,
                    rented,
                    PriceKind.ACCOUNT,
                    yuan_per_hour=found.price_per_hour,
                    instance_name=_clean_name(found.instance_name),
                    instance_gpus=max(1, found.gpu_count),
                )
            )
        elif rented is not None and rented.free:
            offers.append(GpuOffer(gpu, rented, PriceKind.FREE))
        elif platform.price_url is not None:
            offers.append(GpuOffer(gpu, rented, PriceKind.PRICE_PAGE, price_url=platform.price_url))
        else:
            offers.append(GpuOffer(gpu, rented, PriceKind.UNKNOWN))
    return offers


class FitVerdict(str, Enum):
    """What the estimate means for one GPU on the chosen platform."""

    TOO_SMALL = "too_small"  # more cards than anyone rents in one instance
    FITS = "fits"
    TIGHT = "tight"  # fits one card with less than a tenth to spare
    SPLIT = "split"  # needs several cards; the platform's limit is not known
    SPLIT_OFFERED = "split_offered"  # needs several cards and the platform rents that many
    SPLIT_NOT_OFFERED = "split_not_offered"  # needs more cards than the platform puts in one


def fit_verdict(fit: GpuFit | None, offer: GpuOffer) -> FitVerdict:
    """Whether the GPU holds the estimate, and whether the platform rents enough of it."""
    if fit is None:
        return FitVerdict.TOO_SMALL
    if fit.fits_single:
        return FitVerdict.TIGHT if fit.tight else FitVerdict.FITS
    if offer.rented is None:
        return FitVerdict.SPLIT  # not a card the platform is known to rent
    limit = offer.max_count
    if limit is None:  # pragma: no cover - a rented entry always has counts
        return FitVerdict.SPLIT
    return FitVerdict.SPLIT_OFFERED if fit.count <= limit else FitVerdict.SPLIT_NOT_OFFERED
