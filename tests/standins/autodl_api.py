"""A faithful local stand-in of AutoDL's container instance Pro API, for tests.

Built from the documented shapes (https://www.autodl.com/docs/instance_pro_api/ and the
public clients listed in the project's provider notes), NOT from a real account: the
``{code, data, msg, request_id}`` envelope on every answer; failures as HTTP 200 with
``code != "Success"``; money in 1/1000 yuan; ``{"Time", "Valid"}`` nullable times; paging
(``page_index``, ``page_size``, ``max_page``, ``result_total``); the two GET calls reading
``instance_uuid`` from the query string; the raw token in ``Authorization``.

Where the docs are silent the stand-in makes a plain choice, marked UNVERIFIED: a wrong token
answers ``{"code": "AuthorizeFailed", "msg": "认证失败"}``; a power-on without free GPUs
answers ``BadRequest`` with a message containing 暂无库存.

Instances point at REAL test sshd servers: ``power_on`` makes an instance ``starting`` and,
after ``starting_polls`` status reads, ``running`` at its ``landing`` address (another sshd,
another port and host key: the instance moved). Every request is recorded for assertions.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

API = "/api/v1/dev"
NO_STOCK_MESSAGE = "暂无库存，请稍后再试"


@dataclass
class StandInInstance:
    """One Pro instance of the stand-in account."""

    uuid: str
    name: str = ""
    status: str = "shutdown"
    gpu_spec: str = "v-48g"
    gpu_alias: str = "RTX 4090D"
    gpu_amount: int = 1
    price_milli: int = 1970
    region: str = "西北B区"
    #: Where sshd answers while running: (host, port, user, password).
    landing: tuple[str, int, str, str] | None = None
    address: tuple[str, int, str, str] | None = None
    started: str | None = None
    stopped: str | None = "2025-12-15T17:31:05+08:00"
    polls_left: int = 0


def login_of(server: Any) -> tuple[str, int, str, str]:
    """A test sshd (``tests.testbed.sshd.SshdServer``) as an instance's address."""
    return ("127.0.0.1", server.port, server.user.name, server.user.password)


@dataclass
class RecordedRequest:
    """One request as the stand-in saw it."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    authorization: str | None
    raw_url: str


@dataclass
class AutoDLStandIn:
    """The account behind the stand-in; change its fields from the test.

    Attributes:
        token: The developer token it accepts.
        instances: The account's Pro instances, by id.
        no_stock_left: How many power-ons are still refused with 暂无库存.
        starting_polls: Status reads an instance stays ``starting`` after power-on.
        balance_milli: The wallet's ``assets`` in 1/1000 yuan.
        requests: Every request received, in order.
    """

    token: str
    instances: dict[str, StandInInstance] = field(default_factory=dict)
    no_stock_left: int = 0
    starting_polls: int = 2
    balance_milli: int = 123450
    requests: list[RecordedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, instance: StandInInstance) -> StandInInstance:
        """Add an instance to the account."""
        self.instances[instance.uuid] = instance
        return instance

    # --- dispatch ---------------------------------------------------------------------------

    def handle(self, method: str, raw_url: str, headers: dict[str, str], body: bytes) -> Any:
        """The JSON answer (always HTTP 200, as documented) to one request."""
        parts = urlsplit(raw_url)
        query = parse_qs(parts.query)
        try:
            payload = json.loads(body) if body else None
        except ValueError:
            payload = None
        with self.lock:
            self.requests.append(
                RecordedRequest(
                    method, parts.path, query, payload, headers.get("authorization"), raw_url
                )
            )
            if headers.get("authorization") != self.token:
                return _fail("AuthorizeFailed", "认证失败")
            route = (method, parts.path.removeprefix(API))
            handler = _ROUTES.get(route)
            if handler is None:
                return _fail("RequestParameterIsWrong", "请求参数错误")
            params = payload if method == "POST" else {k: v[0] for k, v in query.items()}
            if not isinstance(params, dict):
                return _fail("RequestParameterIsWrong", "请求参数错误")
            return handler(self, params)

    def _instance(self, params: dict[str, Any]) -> StandInInstance | dict[str, Any]:
        instance_id = params.get("instance_uuid")
        if not isinstance(instance_id, str) or not instance_id:
            return _fail("RequestParameterIsWrong", "请求参数错误")
        found = self.instances.get(instance_id)
        return found if found is not None else _fail("RecordNotFoundError", "record not found")

    # --- the calls --------------------------------------------------------------------------

    def balance(self, _params: dict[str, Any]) -> dict[str, Any]:
        return _ok({"assets": self.balance_milli, "accumulate": 567890, "voucher_balance": 0})

    def list(self, params: dict[str, Any]) -> dict[str, Any]:
        index, size = params.get("page_index"), params.get("page_size")
        if not isinstance(index, int) or not isinstance(size, int) or index < 1 or size < 1:
            return _fail("RequestParameterIsWrong", "请求参数错误")
        rows = [_list_item(i) for i in self.instances.values()]
        max_page = max(1, -(-len(rows) // size))
        page = rows[(index - 1) * size : index * size]
        return _ok(
            {
                "list": page,
                "page_index": index,
                "page_size": size,
                "offset": (index - 1) * size,
                "max_page": max_page,
                "result_total": len(rows),
            }
        )

    def status(self, params: dict[str, Any]) -> dict[str, Any]:
        found = self._instance(params)
        if isinstance(found, dict):
            return found
        if found.status in ("starting", "creating"):
            if found.polls_left <= 0:
                found.status, found.address = "running", found.landing
                found.started = "2025-12-16T09:00:00+08:00"
            found.polls_left -= 1
        return _ok(found.status)

    def snapshot(self, params: dict[str, Any]) -> dict[str, Any]:
        found = self._instance(params)
        if isinstance(found, dict):
            return found
        snap: dict[str, Any] = {
            "payg_price": found.price_milli,
            "snapshot_gpu_alias_name": found.gpu_alias,
            "region_sign": "west-B",
            "usage_info": {},
        }
        if found.status == "running" and found.address is not None:
            host, port, user, password = found.address
            snap.update(
                {
                    "ssh_command": f"ssh -p {port} {user}@{host}",
                    "proxy_host": host,
                    "ssh_port": port,
                    "root_password": password,
                    "jupyter_token": "jt-" + found.uuid,
                    "jupyter_domain": f"{host}:8443",
                    "service_6006_domain": f"{host}:6006",
                    "service_6006_port_protocol": "http",
                }
            )
        return _ok(snap)

    def power_on(self, params: dict[str, Any]) -> dict[str, Any]:
        found = self._instance(params)
        if isinstance(found, dict):
            return found
        if params.get("payload") != "gpu":
            return _fail("ServerError", "不支持的启动模式")
        if found.status != "shutdown":
            return _fail("BadRequest", "实例已开机")
        if self.no_stock_left > 0:
            self.no_stock_left -= 1
            return _fail("BadRequest", NO_STOCK_MESSAGE)
        found.status, found.polls_left = "starting", self.starting_polls
        return _ok(None)

    def power_off(self, params: dict[str, Any]) -> dict[str, Any]:
        found = self._instance(params)
        if isinstance(found, dict):
            return found
        if found.status == "shutdown":
            return _fail("BadRequest", "已关机")
        found.status, found.address = "shutdown", None
        found.stopped = "2025-12-16T11:00:00+08:00"
        return _ok(None)

    def release(self, params: dict[str, Any]) -> dict[str, Any]:
        found = self._instance(params)
        if isinstance(found, dict):
            return found
        if found.status != "shutdown":
            return _fail("BadRequest", "请先关机")
        del self.instances[found.uuid]
        return _ok(None)

    def create(self, params: dict[str, Any]) -> dict[str, Any]:
        amount = params.get("req_gpu_amount")
        if not isinstance(amount, int) or not 1 <= amount <= 4:
            return _fail("RequestParameterIsWrong", "请求参数错误")
        if not all(isinstance(params.get(k), str) for k in ("gpu_spec_uuid", "image_uuid")):
            return _fail("RequestParameterIsWrong", "请求参数错误")
        if not isinstance(params.get("cuda_v_from"), int):
            return _fail("RequestParameterIsWrong", "请求参数错误")
        new = StandInInstance(
            uuid=f"pro-{uuid.uuid4().hex[:10]}",
            name=str(params.get("instance_name") or ""),
            status="creating",
            gpu_spec=params["gpu_spec_uuid"],
            gpu_amount=amount,
            polls_left=self.starting_polls,
            landing=self.create_landing,
        )
        self.instances[new.uuid] = new
        return _ok(new.uuid)

    #: Where a created instance answers once running.
    create_landing: tuple[str, int, str, str] | None = None

    def private_images(self, _params: dict[str, Any]) -> dict[str, Any]:
        image = {
            "image_uuid": "image-0123456789",
            "name": "my-torch",
            "status": "finished",
            "image_size": 1234,
            "create_at": "2025-12-01T10:00:00+08:00",
        }
        return _ok(
            {
                "list": [image],
                "page_index": 1,
                "page_size": 100,
                "offset": 0,
                "max_page": 1,
                "result_total": 1,
            }
        )


_ROUTES: dict[tuple[str, str], Any] = {
    ("POST", "/wallet/balance"): AutoDLStandIn.balance,
    ("POST", "/instance/pro/list"): AutoDLStandIn.list,
    ("GET", "/instance/pro/status"): AutoDLStandIn.status,
    ("GET", "/instance/pro/snapshot"): AutoDLStandIn.snapshot,
    ("POST", "/instance/pro/power_on"): AutoDLStandIn.power_on,
    ("POST", "/instance/pro/power_off"): AutoDLStandIn.power_off,
    ("POST", "/instance/pro/release"): AutoDLStandIn.release,
    ("POST", "/instance/pro/create"): AutoDLStandIn.create,
    ("POST", "/instance/pro/image/private/list"): AutoDLStandIn.private_images,
}


def _ok(data: Any) -> dict[str, Any]:
    return {"code": "Success", "data": data, "msg": "", "request_id": uuid.uuid4().hex}


def _fail(code: str, msg: str) -> dict[str, Any]:
    return {"code": code, "data": None, "msg": msg, "request_id": uuid.uuid4().hex}


def _time(value: str | None) -> dict[str, Any]:
    return {"Time": value or "0001-01-01T00:00:00Z", "Valid": value is not None}


def _list_item(i: StandInInstance) -> dict[str, Any]:
    return {
        "uuid": i.uuid,
        "name": i.name,
        "machine_id": "m-" + i.uuid[-6:],
        "region_sign": "west-B",
        "region_name": i.region,
        "status": i.status,
        "sub_status": "",
        "status_at": "2025-12-16 09:00:00",
        "created_at": "2025-12-01 10:00:00",
        "start_mode": "gpu",
        "charge_type": "payg",
        "req_gpu_amount": i.gpu_amount,
        "gpu_spec_uuid": i.gpu_spec,
        "started_at": _time(i.started),
        "stopped_at": _time(i.stopped),
        "expired_at": _time(None),
        "timed_shutdown_at": _time(None),
    }


class StandInServer:
    """The stand-in served over HTTP on 127.0.0.1 (a thread); use as a context manager."""

    def __init__(self, api: AutoDLStandIn) -> None:
        self.api = api
        handler = _handler_for(api)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The base URL to put in ``GPUDESK_AUTODL_API``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> StandInServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _handler_for(api: AutoDLStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            answer = api.handle(method, self.path, headers, body)
            data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler
