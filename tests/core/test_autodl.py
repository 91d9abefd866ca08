"""The AutoDL Pro client against the local stand-in of the API (HTTP over loopback).

There is no real AutoDL account here: the stand-in (``tests/standins/autodl_api.py``) is built
from the documented shapes, so these tests show the client speaks THAT protocol.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from gpudesk.core.errors import (
    AuthenticationError,
    ExitCode,
    InputError,
    PlatformRefusedError,
    UnreachableError,
)
from gpudesk.core.providers import autodl
from gpudesk.core.providers.apiclient import ApiClient, RetryPolicy
from gpudesk.core.providers.autodl import AutoDLProvider
from gpudesk.core.providers.poweron import PowerEvent, power_on_when_free, wait_until_running
from gpudesk.core.providers.refusals import refusal_error
from gpudesk.core.tunnels.backoff import BackoffPolicy
from tests.standins.autodl_api import AutoDLStandIn, StandInInstance, StandInServer

TOKEN = "dev-token-7f3a9c"


@pytest.fixture(name="api")
def api_fixture() -> Iterator[tuple[AutoDLStandIn, StandInServer]]:
    api = AutoDLStandIn(token=TOKEN)
    api.add(
        StandInInstance(
            uuid="pro-aaa111",
            name="train",
            status="running",
            landing=("127.0.0.1", 2222, "root", "pw1"),
            address=("127.0.0.1", 2222, "root", "pw1"),
        )
    )
    api.add(StandInInstance(uuid="pro-bbb222", name="idle", gpu_alias="H800", price_milli=8880))
    api.add(StandInInstance(uuid="pro-ccc333", name="third", gpu_amount=2))
    with StandInServer(api) as server:
        yield api, server


def client(server: StandInServer, token: str = TOKEN) -> AutoDLProvider:
    return AutoDLProvider(token, ApiClient(server.url, "AutoDL", sleep=lambda _s: None))


def test_lists_every_page_with_money_times_and_gpu(
    api: tuple[AutoDLStandIn, StandInServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    standin, server = api
    monkeypatch.setattr(autodl, "PAGE_SIZE", 2)
    rows = {i.id: i for i in client(server).list_instances()}
    assert sorted(rows) == ["pro-aaa111", "pro-bbb222", "pro-ccc333"]
    idle = rows["pro-bbb222"]
    assert (idle.gpu, idle.price_per_hour, idle.status) == ("H800", 8.88, "shutdown")
    assert idle.started_at is None  # {"Valid": false}
    assert idle.stopped_at == "2025-12-15T17:31:05+08:00"
    assert rows["pro-ccc333"].gpu_count == 2
    pages = [r.body["page_index"] for r in standin.requests if r.path.endswith("/pro/list")]
    assert pages == [1, 2]


def test_token_only_in_the_header_and_get_parameters_in_the_query(
    api: tuple[AutoDLStandIn, StandInServer],
) -> None:
    standin, server = api
    provider = client(server)
    assert provider.status("pro-aaa111") == "running"
    endpoint = provider.endpoint("pro-aaa111")
    assert (endpoint.host, endpoint.port, endpoint.user) == ("127.0.0.1", 2222, "root")
    assert endpoint.password == "pw1" and "pw1" not in repr(endpoint)
    assert endpoint.jupyter_url == "https://127.0.0.1:8443"
    assert all(r.authorization == TOKEN for r in standin.requests)  # raw, no "Bearer"
    assert all(TOKEN not in r.raw_url for r in standin.requests)
    gets = [r for r in standin.requests if r.method == "GET"]
    assert gets and all(r.query == {"instance_uuid": ["pro-aaa111"]} for r in gets)


def test_balance_is_in_yuan(api: tuple[AutoDLStandIn, StandInServer]) -> None:
    balance = client(api[1]).balance()
    assert (balance.available, balance.accumulated_spend) == (123.45, 567.89)


def test_a_rejected_token_is_an_authentication_error(
    api: tuple[AutoDLStandIn, StandInServer],
) -> None:
    with pytest.raises(AuthenticationError) as caught:
        client(api[1], token="wrong-token").balance()
    assert caught.value.code == "provider.token_rejected"
    assert "wrong-token" not in str(caught.value)


def test_unknown_instance_and_endpoint_of_a_stopped_one(
    api: tuple[AutoDLStandIn, StandInServer],
) -> None:
    provider = client(api[1])
    with pytest.raises(InputError) as missing:
        provider.status("pro-nothere")
    assert missing.value.code == "provider.instance_not_found"
    with pytest.raises(PlatformRefusedError) as stopped:
        provider.endpoint("pro-bbb222")
    assert stopped.value.code == "provider.not_running"
    with pytest.raises(PlatformRefusedError) as off:
        provider.power_off("pro-bbb222")  # 已关机
    assert off.value.code == "provider.refused" and "已关机" in off.value.message


def test_no_stock_twice_then_power_on_and_running(
    api: tuple[AutoDLStandIn, StandInServer],
) -> None:
    standin, server = api
    standin.no_stock_left = 2
    events: list[PowerEvent] = []
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    sent = power_on_when_free(
        client(server),
        "pro-bbb222",
        wait_for_gpu_s=300,
        on_event=events.append,
        sleep=sleep,
        clock=lambda: now[0],
    )
    assert sent == 3
    refusals = [e for e in events if e.kind == "no_stock"]
    assert [e.attempt for e in refusals] == [1, 2] and "暂无库存" in refusals[0].detail
    assert any(e.kind == "countdown" for e in events)
    assert events[-1].kind == "power_on_sent"
    wait_until_running(client(server), "pro-bbb222", sleep=sleep, clock=lambda: now[0])
    assert standin.instances["pro-bbb222"].status == "running"


def test_no_stock_without_waiting_is_exit_code_7(api: tuple[AutoDLStandIn, StandInServer]) -> None:
    api[0].no_stock_left = 1
    with pytest.raises(PlatformRefusedError) as caught:
        power_on_when_free(client(api[1]), "pro-bbb222")
    assert caught.value.code == "provider.no_stock"
    assert caught.value.exit_code == ExitCode.PLATFORM_REFUSED == 7


def test_a_platform_that_is_down_is_unreachable_after_bounded_retries() -> None:
    waits: list[float] = []
    api_client = ApiClient("http://127.0.0.1:9", "AutoDL", sleep=waits.append)
    with pytest.raises(UnreachableError) as caught:
        AutoDLProvider(TOKEN, api_client).balance()
    assert caught.value.code == "provider.unreachable" and TOKEN not in str(caught.value)
    assert len(waits) == RetryPolicy().attempts - 1


def test_429_and_5xx_are_retried_but_a_refusal_is_not() -> None:
    """httpx's MockTransport plays the platform's overload answers (not reproducible live)."""
    answers = [
        httpx.Response(503),
        httpx.Response(429, headers={"Retry-After": "2"}),
        httpx.Response(200, json={"code": "BadRequest", "msg": "已关机", "data": None}),
    ]
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers[len(seen) - 1]

    waits: list[float] = []
    policy = RetryPolicy(backoff=BackoffPolicy(first_delays_s=(0.5, 1.0), jitter=0.0))
    api_client = ApiClient(
        "https://api.example",
        "AutoDL",
        retry=policy,
        transport=httpx.MockTransport(handler),
        sleep=waits.append,
    )
    with pytest.raises(PlatformRefusedError):
        AutoDLProvider(TOKEN, api_client).power_off("pro-x")
    assert len(seen) == 3 and waits == [0.5, 2.0]  # Retry-After honoured


@pytest.mark.parametrize(
    ("code", "message", "expected"),
    [
        ("BadRequest", "暂无库存", "provider.no_stock"),
        ("BadRequest", "请先完成实名认证", "provider.verification_needed"),
        ("BadRequest", "余额不足，请充值", "provider.balance_too_low"),
        ("RecordNotFoundError", "record not found", "provider.instance_not_found"),
        ("ServerError", "不支持的启动模式\x1b[31m" + "x" * 500, "provider.refused"),
    ],
)
def test_refusals_map_to_codes(code: str, message: str, expected: str) -> None:
    error = refusal_error("AutoDL", code, message, "pro-x")
    assert error.code == expected
    assert "\x1b" not in error.message and len(error.message) < 400
