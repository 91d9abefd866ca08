"""The 潞晨云 client: login → AccessToken cookie, list with a pager, stop; nothing guessed.

There is no 潞晨云 account here: httpx's MockTransport plays the API from its documented calls.
"""

from __future__ import annotations

import json

import httpx
import pytest

from gpudesk.core.errors import AuthenticationError, InputError
from gpudesk.core.providers.apiclient import ApiClient
from gpudesk.core.providers.luchen import LuchenProvider

ACCESS = "acc-123"


def luchen(password: str, seen: list[httpx.Request]) -> LuchenProvider:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = json.loads(request.content or b"{}")
        if request.url.path == "/api/user/login":
            if body != {"username": "u", "password": "right"}:
                return httpx.Response(401)
            return httpx.Response(200, json={"code": 0, "data": {"accessToken": ACCESS}})
        if request.headers.get("cookie") != f"AccessToken={ACCESS}":
            return httpx.Response(401)
        if request.url.path == "/api/instance/list":
            assert body == {"pager": {"currentPage": 1, "pageSize": 50}}
            rows = [{"instanceId": "ins-1", "name": "a", "status": "RUNNING"}]
            return httpx.Response(200, json={"code": 0, "data": {"list": rows}})
        return httpx.Response(200, json={"code": 0, "data": None})

    transport = httpx.MockTransport(handler)
    return LuchenProvider(
        "u", password, ApiClient("https://luchen.example", "潞晨云", transport=transport)
    )


def test_login_cookie_list_and_stop() -> None:
    seen: list[httpx.Request] = []
    provider = luchen("right", seen)
    [instance] = provider.list_instances()
    assert (instance.id, instance.name, instance.status) == ("ins-1", "a", "RUNNING")
    provider.power_off("ins-1")
    assert [r.url.path for r in seen] == [
        "/api/user/login",
        "/api/instance/list",
        "/api/instance/stop",
    ]
    assert json.loads(seen[-1].content) == {"instanceId": "ins-1"}


def test_a_wrong_password_and_undocumented_calls() -> None:
    with pytest.raises(AuthenticationError):
        luchen("wrong", []).list_instances()
    provider = luchen("right", [])
    for call in (provider.power_on, provider.endpoint):
        with pytest.raises(InputError) as caught:
            call("ins-1")
        assert caught.value.code == "provider.unsupported"
