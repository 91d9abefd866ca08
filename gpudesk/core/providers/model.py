"""What a cloud platform's API tells gpudesk, and the interface every platform implements.

Plain frozen data: :class:`ProviderInstance` (one row of the account's instance list),
:class:`Endpoint` (where to log in right now; the password is kept out of ``repr``),
:class:`Balance` and :class:`CreateRequest`. Money is in yuan (floats), times are ISO 8601
strings as the platform sent them. :class:`Provider` is what the CLI and the GUI call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from gpudesk.core.models import SshTarget

#: Status strings as AutoDL sends them; ``running`` is documented, the others seen in clients.
RUNNING = "running"
STARTING = "starting"
SHUTDOWN = "shutdown"
SETTLED_OFF = frozenset({"shutdown", "released"})


@dataclass(frozen=True)
class ProviderInstance:
    """One instance of the account, as the platform lists it.

    Attributes:
        provider: The provider id (``"autodl"``).
        id: The platform's instance id (``"pro-…"``).
        name: The name given on the platform (may be empty).
        status: ``running``, ``starting``, ``shutdown``, ... as the platform says.
        gpu: The GPU model, e.g. ``"RTX 4090"`` (None when the platform does not say).
        gpu_count: How many GPUs it rents.
        price_per_hour: Yuan per hour while running (None when unknown).
        region: The data centre's name.
        started_at: When it last started (ISO 8601), if ever.
        stopped_at: When it last stopped (ISO 8601), if ever.
        gpu_spec: The platform API's GPU spec name (AutoDL's ``gpu_spec_uuid``), if given.
    """

    provider: str
    id: str
    name: str
    status: str
    gpu: str | None = None
    gpu_count: int = 1
    price_per_hour: float | None = None
    region: str | None = None
    started_at: str | None = None
    stopped_at: str | None = None
    gpu_spec: str | None = None

    @property
    def ref(self) -> str:
        """``provider:id``, the form the CLI takes (``autodl:pro-…``)."""
        return f"{self.provider}:{self.id}"


@dataclass(frozen=True)
class Endpoint:
    """Where the instance answers now. It may change after every power cycle.

    Attributes:
        host: The SSH host name.
        port: The SSH port.
        user: The login user (``root`` on AutoDL).
        password: The login password the platform shows (None when it gives none).
        jupyter_url: The platform's own JupyterLab address, without its token.
        service_urls: Other published services, ``(name, url)`` pairs (AutoDL's 6006, 6008).
    """

    host: str
    port: int
    user: str
    password: str | None = field(default=None, repr=False)
    jupyter_url: str | None = None
    service_urls: tuple[tuple[str, str], ...] = ()

    def target(self, platform_id: str | None) -> SshTarget:
        """The login as gpudesk's :class:`SshTarget` (what a pasted command would give)."""
        return SshTarget(user=self.user, host=self.host, port=self.port, platform_id=platform_id)


@dataclass(frozen=True)
class Balance:
    """The account's money, in yuan."""

    provider: str
    available: float
    voucher: float | None = None
    accumulated_spend: float | None = None


@dataclass(frozen=True)
class CreateRequest:
    """A new instance to create (AutoDL Pro).

    Attributes:
        gpu_spec: The platform's GPU spec id (``gpu_spec_uuid``, e.g. ``"v-48g"``).
        gpu_count: 1 to 4.
        image: The image id (``image_uuid``).
        cuda_from: The lowest CUDA the driver must support, as the API writes it (118 = 11.8).
        name: The instance's name on the platform (may be empty).
        data_centers: Allowed data centres (empty: any).
        expand_disk_gb: Extra system disk, 0 to 500 GB.
    """

    gpu_spec: str
    image: str
    cuda_from: int
    gpu_count: int = 1
    name: str = ""
    data_centers: tuple[str, ...] = ()
    expand_disk_gb: int = 0


class Provider(Protocol):
    """A platform account gpudesk can drive. Every call is blocking and bounded in time.

    Every method raises :class:`~gpudesk.core.errors.GpuDeskError` subclasses only:
    ``AuthenticationError`` (token rejected), ``UnreachableError`` (platform down),
    ``PlatformRefusedError`` (no stock, verification, balance), ``InputError`` (no such
    instance, or a call the platform's documentation does not offer).
    """

    @property
    def provider_id(self) -> str:
        """The id used in ``provider:ID`` references and in the keyring (``"autodl"``)."""
        ...

    @property
    def display_name(self) -> str:
        """The platform's name for messages (``"AutoDL"``)."""
        ...

    def list_instances(self) -> list[ProviderInstance]:
        """Every instance the API controls, all pages."""
        ...

    def status(self, instance_id: str) -> str:
        """The instance's status string now."""
        ...

    def endpoint(self, instance_id: str) -> Endpoint:
        """Where to log in now (re-read after every power cycle; never cache it)."""
        ...

    def power_on(self, instance_id: str) -> None:
        """Ask the platform to start the instance (returns at once; poll :meth:`status`)."""
        ...

    def power_off(self, instance_id: str) -> None:
        """Ask the platform to stop the instance (billing of the GPU stops)."""
        ...

    def balance(self) -> Balance:
        """The account's balance (also proves the token works)."""
        ...
