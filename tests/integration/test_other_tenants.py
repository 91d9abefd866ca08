"""Another account on a shared instance cannot get gpudesk to tunnel to its server.

The "other tenant" is root on this machine (the tests run as root): it listens on a port of
127.0.0.1 with a small HTTP server that answers 200 to everything and records any token it
is sent. The test user is the gpudesk user, logged in through the REAL sshd; its TensorBoard
info files and Jupyter runtime files are planted the way a stale or forged file would be.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from gpudesk.core.apps.jupyter import find_or_start_jupyter, find_or_start_tensorboard
from gpudesk.core.errors import RemoteCommandError
from gpudesk.core.ssh.remote import Connection
from tests.integration.logins import pinned_login
from tests.testbed.remote_venv import RemoteJupyter
from tests.testbed.sshd import SshdServer, TestUser

pytestmark = pytest.mark.sshd

TOKEN = "0ther7enant5hould9ever5ee7his0123456789abcdef"


class Impostor(http.server.ThreadingHTTPServer):
    """Answers 200 to every GET and remembers the Authorization headers it saw."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ImpostorHandler)
        self.authorizations: list[str] = []

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class _ImpostorHandler(http.server.BaseHTTPRequestHandler):
    server: Impostor

    def do_GET(self) -> None:
        self.server.authorizations.append(self.headers.get("Authorization") or "")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture(name="impostor")
def impostor_fixture() -> Iterator[Impostor]:
    server = Impostor()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(name="connection")
def connection_fixture(sshd: SshdServer, test_user: TestUser) -> Iterator[Connection]:
    """A login to the test sshd as the test user (host key pinned first)."""
    with pinned_login(sshd, test_user, "tenants") as connection:
        yield connection


def user_pid(sshd: SshdServer) -> int:
    """A live process of the test user (its sshd session): what a forged file names."""
    return sshd.wait_for_sessions(1)[0]


def test_a_planted_tensorboard_info_file_is_not_believed(
    sshd: SshdServer, test_user: TestUser, connection: Connection, impostor: Impostor
) -> None:
    info_dir = Path("/tmp/.tensorboard-info")
    info_dir.mkdir(mode=0o777, exist_ok=True)
    info_dir.chmod(0o1777)
    test_user.make_dir("tf-logs", mode=0o755)
    pid = user_pid(sshd)
    planted = info_dir / f"pid-{pid}.info"
    planted.write_text(
        json.dumps({"pid": pid, "port": impostor.port, "logdir": str(test_user.path("tf-logs")),
                    "path_prefix": "", "version": "2.16.0"})
    )  # fmt: skip
    planted.chmod(0o644)
    try:
        with pytest.raises(RemoteCommandError):
            board = find_or_start_tensorboard(connection, logdir="~/tf-logs", start=False)
            pytest.fail(f"tunnelled to the other tenant's port {board.remote_port}")
    finally:
        planted.unlink(missing_ok=True)
        test_user.remove("tf-logs")


def test_a_jupyter_file_naming_another_tenants_port_gets_no_token(
    sshd: SshdServer,
    test_user: TestUser,
    connection: Connection,
    impostor: Impostor,
    remote_jupyter: RemoteJupyter,
) -> None:
    """A stale runtime file whose port another account took: the token is never sent."""
    pid = user_pid(sshd)
    runtime = ".local/share/jupyter/runtime"
    for part in (".local", ".local/share", ".local/share/jupyter", runtime):
        test_user.make_dir(part, mode=0o700)
    test_user.write_file(
        f"{runtime}/jpserver-{pid}.json",
        json.dumps({"base_url": "/", "hostname": "127.0.0.1", "password": False, "pid": pid,
                    "port": impostor.port, "root_dir": "/", "secure": False, "sock": "",
                    "token": TOKEN, "url": f"http://127.0.0.1:{impostor.port}/",
                    "version": "2.14.0"}),
        mode=0o600,
    )  # fmt: skip
    with pytest.raises(RemoteCommandError):
        server = find_or_start_jupyter(connection, start=False)
        pytest.fail(f"tunnelled to the other tenant's port {server.remote_port}")
    assert not any(TOKEN in header for header in impostor.authorizations)
