"""AutoDL's container instance Pro API (official), as its documentation describes it.

Base ``https://api.autodl.com`` (``GPUDESK_AUTODL_API`` overrides it: a gateway, or the
stand-in of the tests). The developer token goes in the ``Authorization`` header exactly as
issued, without ``Bearer``, and never in a URL. Every answer is an envelope
``{"code", "data", "msg", "request_id"}``; failures are HTTP 200 with ``code != "Success"``.
Money is in 1/1000 yuan; nullable times are ``{"Time": ..., "Valid": bool}``; the two GET
calls take ``instance_uuid`` as a query string. The API reaches Pro instances (``pro-…``)
only. Documentation: https://www.autodl.com/docs/instance_pro_api/ and
https://www.autodl.com/docs/common_api/.
"""

from __future__ import annotations

import math
import os
from typing import Any

from gpudesk.core.errors import GpuDeskError
from gpudesk.core.providers.apiclient import ApiAccount, ApiClient, json_answer
from gpudesk.core.providers.model import Balance, CreateRequest, Endpoint, ProviderInstance
from gpudesk.core.providers.refusals import (
    bad_answer,
    clean_message,
    instance_not_found,
    not_running,
    refusal_error,
)
from gpudesk.core.ssh.sshcommand import parse_ssh_command
from gpudesk.core.ssh.values import validate_host, validate_port

PROVIDER_ID = "autodl"
DISPLAY_NAME = "AutoDL"
DEFAULT_BASE_URL = "https://api.autodl.com"
BASE_URL_ENV = "GPUDESK_AUTODL_API"
PAGE_SIZE = 100
MAX_PAGES = 50
#: The API's money unit: 1/1000 yuan.
MONEY_UNIT = 1000.0
_API = "/api/v1/dev"
#: The login user when the snapshot gives only host and port (AutoDL logs in as root).
DEFAULT_USER = "root"


def base_url_from_env() -> str:
    """``GPUDESK_AUTODL_API`` when set, else the official address."""
    return os.environ.get(BASE_URL_ENV, "").strip() or DEFAULT_BASE_URL


class AutoDLProvider(ApiAccount):
    """An AutoDL account, driven through the Pro API with its developer token.

    Args:
        token: The developer token (kept out of ``repr``; sent only in a header).
        client: The HTTP client; None makes one for :func:`base_url_from_env`.
    """

    PROVIDER_ID = PROVIDER_ID
    DISPLAY_NAME = DISPLAY_NAME

    def __init__(self, token: str, client: ApiClient | None = None) -> None:
        super().__init__(client or ApiClient(base_url_from_env(), DISPLAY_NAME))
        self._token = token

    # --- the documented calls ----------------------------------------------------------------

    def balance(self) -> Balance:
        """The wallet: ``assets`` available, ``voucher_balance``, ``accumulate`` spent."""
        data = _mapping(self._call("POST", "/wallet/balance", body={}), "balance")
        return Balance(
            PROVIDER_ID,
            available=_money(data.get("assets")) or 0.0,
            voucher=_money(data.get("voucher_balance")),
            accumulated_spend=_money(data.get("accumulate")),
        )

    def list_instances(self) -> list[ProviderInstance]:
        """Every Pro instance, all pages, with GPU and price from each one's snapshot."""
        found = []
        for item in self.list_items():
            instance_id = _text(item.get("uuid"))
            try:
                snapshot = self.snapshot(instance_id)
            except GpuDeskError as error:
                if error.code != "provider.instance_not_found":
                    raise
                snapshot = {}
            found.append(_instance(item, snapshot))
        return found

    def list_items(self) -> list[dict[str, Any]]:
        """The raw list items of every page (``page_index`` from 1, bounded)."""
        items: list[dict[str, Any]] = []
        page = 1
        while page <= MAX_PAGES:
            body = {"page_index": page, "page_size": PAGE_SIZE}
            data = _mapping(self._call("POST", "/instance/pro/list", body=body), "list")
            rows = data.get("list") or []
            if not isinstance(rows, list):
                raise bad_answer(DISPLAY_NAME, "the instance list is not a list")
            items += [row for row in rows if isinstance(row, dict) and _text(row.get("uuid"))]
            max_page = _int(data.get("max_page"), 1)
            if page >= max_page or not rows:
                break
            page += 1
        return items

    def status(self, instance_id: str) -> str:
        """``running``, ``starting``, ``shutdown``, ... (GET with a query string)."""
        data = self._call("GET", "/instance/pro/status", params=_uuid(instance_id))
        if not isinstance(data, str) or not data:
            raise bad_answer(DISPLAY_NAME, "the status is not a string")
        return clean_message(data)[:40]

    def snapshot(self, instance_id: str) -> dict[str, Any]:
        """The instance's snapshot: price, GPU, and while running its SSH and service fields."""
        data = self._call("GET", "/instance/pro/snapshot", params=_uuid(instance_id))
        return _mapping(data, "snapshot")

    def endpoint(self, instance_id: str) -> Endpoint:
        """Where to log in now, read from the snapshot (re-read after every power cycle).

        Raises:
            PlatformRefusedError: ``provider.not_running`` when the snapshot has no SSH fields.
        """
        snap = self.snapshot(instance_id)
        host, port, user = _ssh_address(snap)
        if host is None or port is None:
            raise not_running(DISPLAY_NAME, instance_id, self.status(instance_id))
        password = snap.get("root_password")
        return Endpoint(
            host=host,
            port=port,
            user=user,
            password=password if isinstance(password, str) and password else None,
            jupyter_url=_https(snap.get("jupyter_domain")),
            service_urls=tuple(
                (name, url)
                for name, url in (
                    ("6006", _https(snap.get("service_6006_domain"))),
                    ("6008", _https(snap.get("service_6008_domain"))),
                )
                if url
            ),
        )

    def power_on(self, instance_id: str) -> None:
        """Start the instance with its GPU (the API has no GPU-less start)."""
        self._call("POST", "/instance/pro/power_on", body={**_uuid(instance_id), "payload": "gpu"})

    def power_off(self, instance_id: str) -> None:
        """Stop the instance."""
        self._call("POST", "/instance/pro/power_off", body=_uuid(instance_id))

    def release(self, instance_id: str) -> None:
        """Delete a powered-off instance and its data (ask the user first)."""
        self._call("POST", "/instance/pro/release", body=_uuid(instance_id))

    def create(self, request: CreateRequest) -> str:
        """Create an instance; returns its id (``pro-…``)."""
        body: dict[str, Any] = {
            "req_gpu_amount": request.gpu_count,
            "expand_system_disk_by_gb": request.expand_disk_gb,
            "gpu_spec_uuid": request.gpu_spec,
            "image_uuid": request.image,
            "cuda_v_from": request.cuda_from,
        }
        if request.data_centers:
            body["data_center_list"] = list(request.data_centers)
        if request.name:
            body["instance_name"] = request.name
        new_id = self._call("POST", "/instance/pro/create", body=body)
        if not isinstance(new_id, str) or not new_id or not new_id.isprintable():
            raise bad_answer(DISPLAY_NAME, "create gave no instance id")
        return new_id[:100]

    def private_images(self) -> list[dict[str, Any]]:
        """The account's own images (first page of up to 100)."""
        body = {"page_index": 1, "page_size": PAGE_SIZE}
        data = _mapping(self._call("POST", "/instance/pro/image/private/list", body=body), "images")
        rows = data.get("list") or []
        return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []

    # --- the envelope ------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> Any:
        response = self._client.request(
            method,
            _API + path,
            headers={"Authorization": self._token},
            json_body=body if method == "POST" else None,
            params=params,
        )
        envelope = json_answer(response, DISPLAY_NAME)
        if not isinstance(envelope, dict) or not isinstance(envelope.get("code"), str):
            raise bad_answer(DISPLAY_NAME, "the answer has no code")
        if envelope["code"] != "Success":
            instance_id = (params or body or {}).get("instance_uuid")
            raise refusal_error(
                DISPLAY_NAME, envelope["code"], str(envelope.get("msg") or ""), instance_id
            )
        return envelope.get("data")


def _uuid(instance_id: str) -> dict[str, str]:
    if not instance_id or len(instance_id) > 100 or not instance_id.isprintable():
        raise instance_not_found(DISPLAY_NAME, instance_id)
    return {"instance_uuid": instance_id}


def _instance(item: dict[str, Any], snapshot: dict[str, Any]) -> ProviderInstance:
    gpu = _text(snapshot.get("snapshot_gpu_alias_name")) or _text(item.get("gpu_spec_uuid"))
    return ProviderInstance(
        provider=PROVIDER_ID,
        id=_text(item.get("uuid")),
        name=_text(item.get("name")),
        status=_text(item.get("status")) or "unknown",
        gpu=gpu or None,
        gpu_count=max(1, _int(item.get("req_gpu_amount"), 1)),
        price_per_hour=_money(snapshot.get("payg_price")),
        region=_text(item.get("region_name")) or _text(item.get("region_sign")) or None,
        started_at=nullable_time(item.get("started_at")),
        stopped_at=nullable_time(item.get("stopped_at")),
        gpu_spec=_text(item.get("gpu_spec_uuid"))[:40] or None,
    )


def nullable_time(value: object) -> str | None:
    """A Go nullable time ``{"Time": "...", "Valid": true}`` as its string, or None."""
    if isinstance(value, dict) and value.get("Valid") is True:
        text = _text(value.get("Time"))
        return text or None
    return None


def _ssh_address(snap: dict[str, Any]) -> tuple[str | None, int | None, str]:
    """Host, port and user from ``ssh_command``, else ``proxy_host``/``ssh_port`` as root."""
    host, port, command = snap.get("proxy_host"), snap.get("ssh_port"), snap.get("ssh_command")
    try:
        if isinstance(command, str) and command.strip():
            target = parse_ssh_command(command[:300], ())
            return target.host, target.port, target.user
        if isinstance(host, str) and host and port not in (None, ""):
            return validate_host(host), validate_port(port), DEFAULT_USER
    except (GpuDeskError, ValueError):
        raise bad_answer(DISPLAY_NAME, "the SSH address is not usable") from None
    return None, None, DEFAULT_USER


def _https(value: object) -> str | None:
    text = _text(value)
    if not text or any(ch.isspace() for ch in text):
        return None
    return text if text.startswith(("https://", "http://")) else f"https://{text}"


def _mapping(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise bad_answer(DISPLAY_NAME, f"the {what} is not an object")
    return value


def _text(value: object) -> str:
    return clean_message(value) if isinstance(value, str) else ""


def _int(value: object, default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return default
    return value


def _money(value: object) -> float | None:
    """1/1000 yuan as yuan; None for anything that is not a sane finite number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not math.isfinite(value) or abs(value) > 1e15:
        return None
    return round(value / MONEY_UNIT, 3)
