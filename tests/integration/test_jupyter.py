"""Jupyter and TensorBoard started by gpudesk through a REAL sshd, as the test user.

The "remote" side is this machine: the test user's login shell finds a real
``jupyter_server`` and the real ``tensorboard`` (no TensorFlow) from the venv that
``scripts/remote-testbed-venv.sh`` builds (see :mod:`tests.testbed.remote_venv`). Plain
``jupyter_server`` has no ``/lab`` page, so the tests speak to ``/api/status``.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest

from gpudesk.core import paths
from gpudesk.core.apps.jupyter import (
    JupyterServer,
    find_or_start_jupyter,
    find_or_start_tensorboard,
    remote_port_open,
    stop_server,
)
from gpudesk.core.errors import InputError, RemoteCommandError
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.ssh.remote import Connection, Credentials, connect
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.store.secrets import KeyringSecretStore, MemorySecretStore, secret_name
from tests.clihelpers import files_containing, follow_redirect_page
from tests.testbed.remote_venv import (
    RemoteJupyter,
    listening_addresses,
    read_argv,
    read_environ,
)
from tests.testbed.sshd import USER_PATH, SshdServer, TestUser, poll_until, tool_path

pytestmark = pytest.mark.sshd

Login = Callable[[], Connection]
PIN = "gpudesk-jupyter-test"
INSTANCE_ID = "gpudesk-0123456789ab"


@pytest.fixture(name="login")
def login_fixture(sshd: SshdServer, test_user: TestUser) -> Iterator[Login]:
    """``login()`` opens a new connection to the test sshd as the test user."""
    store = HostKeyStore()
    key_type, key_base64 = sshd.host_key_line().split()[:2]
    store.pin(PIN, PresentedKey(key_type, key_base64))
    target = SshTarget(test_user.name, "127.0.0.1", sshd.port)
    opened: list[Connection] = []

    def login() -> Connection:
        connection = connect(
            target, Credentials(password=test_user.password), pin_name=PIN, host_keys=store
        )
        opened.append(connection)
        return connection

    yield login
    for connection in opened:
        connection.close()


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def http_status(url: str, token: str | None = None) -> int:
    """The status of a GET on this machine (no proxy), 0 when nothing answers."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    headers = {"Authorization": f"token {token}"} if token else {}
    try:
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http on loopback)
        with opener.open(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def test_jupyter_starts_detached_is_found_again_and_stops(
    login: Login, remote_jupyter: RemoteJupyter, test_user: TestUser
) -> None:
    store = MemorySecretStore()
    with login() as first:
        server = find_or_start_jupyter(
            first, workdir="~/work", secret_store=store, instance_id=INSTANCE_ID, timeout=40
        )
    # The SSH session is closed: the server lives on, detached.
    assert server.started_by_gpudesk and server.pid is not None
    assert remote_jupyter.processes("jupyter-server") == [server.pid]
    assert store.get(secret_name("jupyter-token", INSTANCE_ID)) == server.token
    assert server.root_dir == str(test_user.home)  # ~/work does not exist: falls back to ~
    # Bound to loopback only, and the token is in no argv (ps shows argv to every user).
    assert listening_addresses(server.remote_port) == {"127.0.0.1"}
    argv = read_argv(server.pid)
    assert "--ip=127.0.0.1" in argv and not any(server.token in arg for arg in argv)
    assert read_environ(server.pid)["JUPYTER_TOKEN"] == server.token
    url = f"http://127.0.0.1:{server.remote_port}/api/status"
    assert http_status(url) == 403
    assert http_status(url, server.token) == 200
    # Jupyter's own log on the instance shows "?token=..." rather than the token.
    logs = list(test_user.path(".gpudesk").glob("jupyter-*.log"))
    assert logs and all(server.token not in p.read_text("utf-8", "replace") for p in logs)
    # The interactive login shell kept no history of the script (its export line).
    history = test_user.path(".bash_history")
    assert not history.exists() or server.token not in history.read_text("utf-8", "replace")

    with login() as second:
        again = find_or_start_jupyter(
            second, secret_store=store, instance_id=INSTANCE_ID, timeout=40
        )
        assert (again.remote_port, again.pid, again.token) == (
            server.remote_port,
            server.pid,
            server.token,
        )
        assert again.started_by_gpudesk
        assert remote_jupyter.processes("jupyter-server") == [server.pid]  # not started twice
        assert remote_port_open(second, server.remote_port)
        assert stop_server(second, again, secret_store=store, instance_id=INSTANCE_ID)
    poll_until(
        lambda: not remote_jupyter.processes(children=True), timeout=10, what="jupyter to exit"
    )
    assert store.get(secret_name("jupyter-token", INSTANCE_ID)) is None


def test_platform_server_is_found_used_and_never_stopped(
    login: Login, remote_jupyter: RemoteJupyter, test_user: TestUser
) -> None:
    # The platform's own Jupyter: started without gpudesk, with its own token.
    port, token = free_port(), "platform-" + "7" * 20
    platform = subprocess.Popen(
        [
            tool_path("runuser"), "-u", test_user.name, "--",
            str(remote_jupyter.venv / "bin/jupyter-server"),
            "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            f"--IdentityProvider.token={token}",
        ],
        cwd=test_user.home,
        env={"PATH": USER_PATH, "HOME": str(test_user.home), "LANG": "C.UTF-8"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/api/status"
        poll_until(lambda: http_status(url, token) == 200, timeout=30, what="platform Jupyter")
        with login() as connection:
            found = find_or_start_jupyter(connection, timeout=40)
            assert (found.remote_port, found.token) == (port, token)
            assert not found.started_by_gpudesk
            assert len(remote_jupyter.processes("jupyter-server")) == 1  # nothing started
            with pytest.raises(InputError, match="not started by gpudesk"):
                stop_server(connection, found)
            # Even when told it is gpudesk's, the instance checks the marker and refuses.
            pretend = JupyterServer(port, token, pid=found.pid, started_by_gpudesk=True)
            with pytest.raises(InputError, match="not started by gpudesk"):
                stop_server(connection, pretend)
        assert platform.poll() is None
    finally:
        platform.kill()
        platform.wait(timeout=10)


def test_tensorboard_starts_detached_and_is_found_again(
    login: Login, remote_jupyter: RemoteJupyter, test_user: TestUser
) -> None:
    with login() as first:
        board = find_or_start_tensorboard(first, logdir="~/tf-logs", timeout=40)
    assert board.started_by_gpudesk and test_user.path("tf-logs").is_dir()
    assert listening_addresses(board.remote_port) == {"127.0.0.1"}
    assert http_status(board.local_url(board.remote_port)) == 200
    with login() as second:
        again = find_or_start_tensorboard(second, logdir="~/tf-logs", timeout=40)
        assert (again.remote_port, again.pid) == (board.remote_port, board.pid)
        assert remote_jupyter.processes("--logdir") == [board.pid]
        assert stop_server(second, again)
    poll_until(
        lambda: not remote_jupyter.processes(children=True),
        timeout=10,
        what="tensorboard and its data server to exit",
    )


def test_missing_jupyter_says_how_to_install_it(login: Login, test_user: TestUser) -> None:
    if Path("/usr/local/bin/jupyter-server").exists() or Path("/usr/bin/jupyter").exists():
        pytest.skip("this machine has Jupyter on every user's PATH")
    with login() as connection, pytest.raises(RemoteCommandError) as caught:
        find_or_start_jupyter(connection)
    assert caught.value.code == "jupyter.missing"
    assert "pip install jupyterlab" in caught.value.hint


#: A stand-in web browser (``BROWSER``): records the URL it was given, the page it points to
#: and the page's permission bits, as a browser would load it.
FAKE_BROWSER = textwrap.dedent(
    """
    import json, os, sys, urllib.parse, urllib.request
    url = sys.argv[1]
    path = urllib.request.url2pathname(urllib.parse.urlparse(url).path)
    record = {"argv": sys.argv[1:], "mode": os.stat(path).st_mode & 0o777,
              "page": open(path, encoding="utf-8").read()}
    out_path = os.environ["FAKE_BROWSER_OUT"]
    with open(out_path + ".tmp", "w", encoding="utf-8") as out:
        json.dump(record, out)
    os.replace(out_path + ".tmp", out_path)  # the test polls for the file: never half-written
    """
)


def save_instance(sshd: SshdServer, test_user: TestUser) -> Instance:
    """A saved instance for the test sshd: pinned host key, password in the (test) keyring."""
    instance = InstanceStore().add(
        Instance(
            alias="testbed",
            target=SshTarget(test_user.name, "127.0.0.1", sshd.port),
            platform_id=None,
            host_key_alias=new_host_key_alias(),
        )
    )
    key_type, key_base64 = sshd.host_key_line().split()[:2]
    HostKeyStore().pin(instance.host_key_alias, PresentedKey(key_type, key_base64))
    KeyringSecretStore().set(secret_name("password", instance.instance_id), test_user.password)
    return instance


def read_json_line(
    stream: IO[str], key: str, seen: list[str], timeout: float = 60.0
) -> dict[str, object]:
    """The first JSON line with ``key`` from ``stream``; every line read goes to ``seen``.

    Reads the pipe a byte at a time, never ahead: what follows the line is left in the pipe
    for ``communicate()``, which reads the file descriptor itself, not ``stream``'s buffer.
    """
    fd = stream.fileno()
    deadline = time.monotonic() + timeout
    line = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(0.1):
                continue
            byte = os.read(fd, 1)
            if not byte:
                break
            line += byte
            if byte == b"\n":
                seen.append(line.decode())
                data = json.loads(line)
                line = b""
                if key in data:
                    return dict(data)
    raise AssertionError(f"no line with {key!r}: {seen}")


def test_cli_opens_jupyter_through_the_tunnel_and_never_logs_the_token(
    sshd: SshdServer, test_user: TestUser, remote_jupyter: RemoteJupyter, tmp_path: Path
) -> None:
    instance = save_instance(sshd, test_user)
    browser = tmp_path / "browser.py"
    browser.write_text(FAKE_BROWSER, encoding="utf-8")
    env = {
        **os.environ,
        "BROWSER": f"{sys.executable} {browser} %s",
        "FAKE_BROWSER_OUT": str(tmp_path / "browser.json"),
    }
    cli = subprocess.Popen(
        [sys.executable, "-m", "gpudesk", "-v", "jupyter", "testbed", "--json"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert cli.stdout is not None
        lines: list[str] = []
        info = read_json_line(cli.stdout, "url", lines)
        token = KeyringSecretStore().get(secret_name("jupyter-token", instance.instance_id))
        assert token and info["started"] is True and info["token_masked"] is True
        local_port = int(info["local_port"])  # type: ignore[call-overload]
        assert info["url"] == f"http://127.0.0.1:{local_port}/?token=***"
        assert (
            info["remote_port"] != local_port
            and info["pid"] == remote_jupyter.processes("jupyter-server")[0]
        )
        # Through the tunnel: 403 without the token, 200 with it.
        status_url = f"http://127.0.0.1:{local_port}/api/status"
        assert http_status(status_url) == 403
        assert http_status(status_url, token) == 200
        assert listening_addresses(local_port) == {"127.0.0.1"}
        # The browser got a private redirect page, not the token on its command line.
        poll_until(lambda: (tmp_path / "browser.json").exists(), timeout=15, what="the browser")
        opened = json.loads((tmp_path / "browser.json").read_text("utf-8"))
        assert not any(token in arg for arg in opened["argv"]) and opened["mode"] == 0o600
        # The page holds only a one-time local address; it redirects there once.
        assert token not in opened["page"]
        assert (
            follow_redirect_page(opened["page"]) == f"http://127.0.0.1:{local_port}/?token={token}"
        )

        cli.send_signal(signal.SIGTERM)
        out, err = cli.communicate(timeout=20)
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.communicate(timeout=10)
    assert cli.returncode == 0, err
    assert token not in out and token not in err
    events = [json.loads(line) for line in [*lines, *out.splitlines()] if "state" in line]
    assert [e["state"] for e in events] == ["CONNECTING", "UP", "STOPPED"]
    assert not list((paths.state_dir() / "open").glob("*.html"))  # the page is gone
    home = Path(os.environ["GPUDESK_HOME"])
    assert list(home.rglob("*.log")) and files_containing(home, token) == []
    # The server outlived the command; --stop stops it.
    assert remote_jupyter.processes("jupyter-server") == [info["pid"]]
    stopped = subprocess.run(
        [sys.executable, "-m", "gpudesk", "jupyter", "testbed", "--stop"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert stopped.returncode == 0 and "stopped" in stopped.stdout, stopped.stderr
    assert not files_containing(home, token)
    poll_until(
        lambda: not remote_jupyter.processes(children=True), timeout=10, what="jupyter to exit"
    )


def test_cli_opens_tensorboard_through_the_tunnel(
    sshd: SshdServer, test_user: TestUser, remote_jupyter: RemoteJupyter
) -> None:
    save_instance(sshd, test_user)
    command = [sys.executable, "-m", "gpudesk", "tensorboard", "testbed"]
    cli = subprocess.Popen(
        [*command, "--no-browser", "--json"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert cli.stdout is not None
        info = read_json_line(cli.stdout, "url", [])
        assert info["service"] == "tensorboard" and info["started"] is True
        assert info["logdir"] == "~/tf-logs"  # no platform: the default
        assert http_status(str(info["url"])) == 200
        cli.send_signal(signal.SIGTERM)
        _, err = cli.communicate(timeout=20)
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.communicate(timeout=10)
    assert cli.returncode == 0, err
    assert remote_jupyter.processes("--logdir") == [info["pid"]]
    stopped = subprocess.run(
        [*command, "--stop"], capture_output=True, text=True, timeout=60, check=False
    )
    assert stopped.returncode == 0 and "stopped" in stopped.stdout, stopped.stderr
