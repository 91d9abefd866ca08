"""潞晨云 (Luchen Cloud): only what its public API documentation confirms.

Confirmed (https://cloud.luchentech.com/doc/docs/api, /instance/stop; the international twin
https://dev.hpc-ai.com/doc/docs/api/instance/list): ``POST /api/user/login``
``{username, password}`` answers an ``accessToken`` valid for 86,400 s, sent back as the
cookie ``AccessToken=<token>``; ``POST /api/instance/list`` with ``{pager: {currentPage,
pageSize}}``; ``POST /api/instance/stop`` with ``{instanceId}``.

NOT offered here because the documentation does not settle it: starting an instance, the
SSH address and password fields, prices and the balance. Those raise
``provider.unsupported``; a 潞晨云 instance is set up from its pasted ssh command. The list
reads only ``instanceId`` (the name the stop call confirms) and, when present, ``name`` and
``status``. The base address is ``GPUDESK_LUCHEN_API`` or https://cloud.luchentech.com.
"""

from __future__ import annotations

import os
from typing import Any

from gpudesk.core.providers.apiclient import ApiAccount, ApiClient, json_answer
from gpudesk.core.providers.model import Balance, Endpoint, ProviderInstance
from gpudesk.core.providers.refusals import (
    bad_answer,
    clean_message,
    instance_not_found,
    token_rejected,
    unsupported,
)

PROVIDER_ID = "luchen"
DISPLAY_NAME = "潞晨云"
DEFAULT_BASE_URL = "https://cloud.luchentech.com"
BASE_URL_ENV = "GPUDESK_LUCHEN_API"
PAGE_SIZE = 50
MAX_PAGES = 20


class LuchenProvider(ApiAccount):
    """A 潞晨云 account, logged in with user name and password (kept out of ``repr``).

    Args:
        username: The account's user name.
        password: Its password (sent only in the login call's body).
        client: The HTTP client; None makes one for ``GPUDESK_LUCHEN_API`` or the official site.
    """

    PROVIDER_ID = PROVIDER_ID
    DISPLAY_NAME = DISPLAY_NAME

    def __init__(self, username: str, password: str, client: ApiClient | None = None) -> None:
        base = os.environ.get(BASE_URL_ENV, "").strip() or DEFAULT_BASE_URL
        super().__init__(client or ApiClient(base, DISPLAY_NAME))
        self._username = username
        self._password = password
        self._access_token: str | None = None

    def login(self) -> None:
        """Log in and keep the access token in memory (it is never written anywhere)."""
        body = {"username": self._username, "password": self._password}
        answer = self._post("/api/user/login", body, authenticated=False)
        token = _find_token(answer)
        if token is None:
            raise token_rejected(DISPLAY_NAME)
        self._access_token = token

    def list_instances(self) -> list[ProviderInstance]:
        """The account's instances (id; name and status when the answer carries them)."""
        found: list[ProviderInstance] = []
        for page in range(1, MAX_PAGES + 1):
            body = {"pager": {"currentPage": page, "pageSize": PAGE_SIZE}}
            rows = _rows(self._post("/api/instance/list", body))
            for row in rows:
                instance_id = clean_message(row.get("instanceId"))
                if instance_id:
                    found.append(
                        ProviderInstance(
                            provider=PROVIDER_ID,
                            id=instance_id,
                            name=clean_message(row.get("name")),
                            status=clean_message(row.get("status")) or "unknown",
                        )
                    )
            if len(rows) < PAGE_SIZE:
                break
        return found

    def power_off(self, instance_id: str) -> None:
        """Stop the instance (``/api/instance/stop``)."""
        if not instance_id or len(instance_id) > 100 or not instance_id.isprintable():
            raise instance_not_found(DISPLAY_NAME, instance_id)
        self._post("/api/instance/stop", {"instanceId": instance_id})

    def status(self, instance_id: str) -> str:
        """The status the list reports for the instance."""
        for instance in self.list_instances():
            if instance.id == instance_id:
                return instance.status
        raise instance_not_found(DISPLAY_NAME, instance_id)

    def endpoint(self, instance_id: str) -> Endpoint:
        """Not documented: use the ssh command 潞晨云's console shows."""
        raise unsupported(DISPLAY_NAME, "reading an instance's SSH address")

    def power_on(self, instance_id: str) -> None:
        """Not documented: start the instance in 潞晨云's console."""
        raise unsupported(DISPLAY_NAME, "starting an instance")

    def balance(self) -> Balance:
        """Not documented."""
        raise unsupported(DISPLAY_NAME, "reading the balance")

    def _post(self, path: str, body: dict[str, Any], *, authenticated: bool = True) -> Any:
        cookies: dict[str, str] | None = None
        if authenticated:
            if self._access_token is None:
                self.login()
            cookies = {"AccessToken": self._access_token or ""}
        response = self._client.request("POST", path, json_body=body, cookies=cookies)
        return json_answer(response, DISPLAY_NAME)


def _find_token(answer: Any) -> str | None:
    """``accessToken`` at the top of the answer or inside its ``data`` object."""
    for place in (answer, answer.get("data") if isinstance(answer, dict) else None):
        if isinstance(place, dict):
            token = place.get("accessToken")
            if isinstance(token, str) and token and token.isprintable() and len(token) < 4096:
                return token
    return None


def _rows(answer: Any) -> list[dict[str, Any]]:
    """The instance rows: the first list of objects in the answer or its ``data`` object."""
    places = [answer]
    if isinstance(answer, dict):
        places.append(answer.get("data"))
    for place in places:
        if isinstance(place, list):
            return [row for row in place if isinstance(row, dict)]
        if isinstance(place, dict):
            for value in place.values():
                if isinstance(value, list) and all(isinstance(v, dict) for v in value):
                    return list(value)
    raise bad_answer(DISPLAY_NAME, "the instance list has no rows")
