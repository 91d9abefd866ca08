"""Jupyter and TensorBoard on the instance, without an instance: parsing, URLs, scripts.

A scripted stand-in connection records what would be sent: the token must only ever be in the
script on stdin (an ``export`` line), never in the command's argv, a log line or a repr.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Callable

import pytest

from gpudesk.core.apps import remote_apps
from gpudesk.core.apps.jupyter import (
    JupyterServer,
    ListedJupyter,
    TensorBoardServer,
    build_inspect_script,
    build_start_script,
    choose_server,
    default_logdir,
    default_workdir,
    find_or_start_jupyter,
    find_or_start_tensorboard,
    parse_server_list,
    remote_port_open,
    stop_server,
)
from gpudesk.core.apps.tensorboard import build_tensorboard_script
from gpudesk.core.catalog.platforms import default_catalog
from gpudesk.core.errors import InputError, RemoteCommandError
from gpudesk.core.redact import redact
from gpudesk.core.ssh.remote import CommandResult
from gpudesk.core.store.secrets import MemorySecretStore, secret_name

TOKEN = "f3" * 24

#: What ``jupyter server list --json`` printed for two servers (jupyter_server 2.21), after a
#: login banner; the second is the platform's own under a base URL.
SERVER_LIST = (
    "Welcome to AutoDL\n"
    '{"base_url": "/", "hostname": "127.0.0.1", "password": false, "pid": 4242, "port": 40001, '
    '"root_dir": "/root/autodl-tmp", "secure": false, "sock": "", "token": "' + TOKEN + '", '
    '"url": "http://127.0.0.1:40001/", "version": "2.21.1"}\n'
    '{"base_url": "/jupyter/", "hostname": "0.0.0.0", "password": false, "pid": 17, '
    '"port": 8888, "root_dir": "/root", "secure": false, "sock": "", "token": "platformtoken", '
    '"url": "http://autodl-container:8888/jupyter/", "version": "2.7.0"}\n'
)


class ScriptedConnection:
    """Stands in for :class:`gpudesk.core.ssh.remote.Connection`; answers by script content."""

    def __init__(self, answer: Callable[[str], str]) -> None:
        self.answer = answer
        self.calls: list[tuple[str, str]] = []

    def run(self, command: str, *, stdin: bytes = b"", timeout: float = 60.0) -> CommandResult:
        script = stdin.decode("utf-8")
        self.calls.append((command, script))
        return CommandResult(0, self.answer(script), "")


def inspect_answer(
    servers: str = "", commands: str = "jupyter-lab\njupyter-server", uid: int = 0
) -> str:
    """What the inspect script prints: uid, Python, Jupyter commands, servers."""
    return (
        f"banner\n@@uid\n{uid}\n@@python\n/usr/bin/python3\n@@commands\n{commands}\n"
        f"@@servers\n{servers}\n@@end\n"
    )


# --- parsing `jupyter server list --json` --------------------------------------------------


def test_parse_server_list_skips_banners_and_reads_every_field() -> None:
    first, platform = parse_server_list(SERVER_LIST)
    assert first.server.remote_port == 40001 and first.server.pid == 4242
    assert first.server.token == TOKEN and first.server.root_dir == "/root/autodl-tmp"
    assert first.server.base_url == "/" and first.server.scheme == "http"
    assert platform.server.base_url == "/jupyter/" and platform.server.remote_port == 8888
    assert first.status is None and not first.marked


def test_parse_server_list_handles_lists_classic_notebook_sockets_and_junk() -> None:
    classic = {"port": 8890, "token": "t", "notebook_dir": "/data", "pid": 5, "url": "https://x/"}
    text = "\n".join(
        [
            json.dumps([classic, {"port": 0, "sock": "/run/j.sock", "token": "s"}]),
            "{not json",
            json.dumps({"port": "nan"}),
            json.dumps("a string"),
        ]
    )
    (entry,) = parse_server_list(text, ui_path="tree")
    assert entry.server.root_dir == "/data" and entry.server.scheme == "https"
    assert entry.server.local_url(9000) == "https://127.0.0.1:9000/tree?token=***"


def test_instance_fields_fill_status_host_and_marker() -> None:
    info = json.loads(SERVER_LIST.splitlines()[1])
    info.update(gpudesk_status=200, gpudesk_mine=True, gpudesk_host="127.0.0.1")
    (entry,) = parse_server_list(json.dumps(info))
    assert entry.status == 200 and entry.marked and entry.server.remote_host == "127.0.0.1"


# --- URLs and secrecy ----------------------------------------------------------------------


def test_local_url_masks_the_token_unless_asked() -> None:
    server = JupyterServer(40001, TOKEN)
    assert server.local_url(18888) == "http://127.0.0.1:18888/lab?token=***"
    assert server.local_url(18888, show_token=True).endswith(f"/lab?token={TOKEN}")
    assert TOKEN not in repr(server) and TOKEN not in str(server)
    assert TOKEN not in redact(server.local_url(18888, show_token=True))
    platform = JupyterServer(8888, "x", base_url="/jupyter/", ui_path="lab")
    assert platform.local_url(1) == "http://127.0.0.1:1/jupyter/lab?token=***"
    assert JupyterServer(1, "x", ui_path="").local_url(2) == "http://127.0.0.1:2/?token=***"


def test_tensorboard_url_has_its_prefix() -> None:
    assert TensorBoardServer(6006, "/root/tf-logs").local_url(16006) == "http://127.0.0.1:16006/"
    prefixed = TensorBoardServer(6006, "/l", path_prefix="/tb/")
    assert prefixed.local_url(7) == "http://127.0.0.1:7/tb/"


def test_platform_defaults() -> None:
    autodl = default_catalog().by_id("autodl")
    assert default_workdir(autodl) == "/root/autodl-tmp"
    assert default_workdir(autodl, "/root/project") == "/root/project"
    assert default_workdir(None) == "~"
    assert default_logdir(autodl) == "/root/tf-logs"
    assert default_logdir(default_catalog().by_id("deepln")) == "~/tf-logs"


# --- choosing ------------------------------------------------------------------------------


def _listed(port: int, token: str, status: int | None, marked: bool = False) -> ListedJupyter:
    return ListedJupyter(JupyterServer(port, token), status, marked)


def test_choose_server_prefers_gpudesks_own_and_needs_an_answer() -> None:
    platform, ours = _listed(8888, "p", 200), _listed(40001, TOKEN, 200)
    chosen = choose_server([platform, ours], known_token=TOKEN)
    assert chosen is not None and chosen.remote_port == 40001 and chosen.started_by_gpudesk
    chosen = choose_server([platform, _listed(40002, "q", 200, marked=True)], None)
    assert chosen is not None and chosen.remote_port == 40002 and chosen.started_by_gpudesk
    chosen = choose_server([platform], known_token=TOKEN)
    assert chosen is not None and chosen.remote_port == 8888 and not chosen.started_by_gpudesk
    assert (
        choose_server([_listed(1, "t", 403), _listed(2, "", 200), _listed(3, "t", 0)], None) is None
    )


# --- scripts -------------------------------------------------------------------------------


def test_start_script_passes_the_token_only_through_the_environment() -> None:
    script = build_start_script("jupyter-lab", "~/my work", TOKEN, allow_root=True, timeout=30)
    token_lines = [line for line in script.splitlines() if TOKEN in line]
    assert token_lines == [f"export JUPYTER_TOKEN={TOKEN}"]
    (launch,) = [line for line in script.splitlines() if "nohup" in line]
    assert 'jupyter-lab --no-browser --ip=127.0.0.1 --port="$PORT" --port-retries=0' in launch
    assert "--allow-root" in launch and "$DETACH" in launch and "</dev/null &" in launch
    assert launch.count("--ip") == 1 and "token=" not in launch.lower()
    assert "cd \"$HOME\"'/my work'" in script
    assert "unset JUPYTER_TOKEN" in script and "set +o history" in script
    user = build_start_script("jupyter-server", "/data", TOKEN, allow_root=False, timeout=30)
    assert "--allow-root" not in user and "cd /data " in user


def test_start_script_refuses_bad_input() -> None:
    with pytest.raises(InputError):
        build_start_script("rm -rf /", "~", TOKEN, allow_root=False, timeout=1)
    with pytest.raises(InputError):
        build_start_script("jupyter-lab", "relative/dir", TOKEN, allow_root=False, timeout=1)
    with pytest.raises(InputError):
        build_start_script("jupyter-lab", "/a\nb", TOKEN, allow_root=False, timeout=1)


def test_tensorboard_script_binds_loopback_and_quotes_the_logdir() -> None:
    script = build_tensorboard_script("/root/tf logs", start=True, timeout=20)
    assert "tensorboard --logdir '/root/tf logs' --host 127.0.0.1 --port \"$PORT\"" in script
    (launch,) = [line for line in script.splitlines() if "nohup" in line]
    assert launch.count("--host") == 1 and "--host 127.0.0.1" in launch
    assert "nohup" not in build_tensorboard_script("~/tf-logs", start=False, timeout=20)


def test_remote_python_snippets_compile() -> None:
    for name in (
        "JUPYTER_LIST",
        "WAIT_READY",
        "TENSORBOARD_LIST",
        "STOP",
        "PORT_OPEN",
        "FREE_PORT",
    ):
        compile(getattr(remote_apps, name), name, "exec")
    assert f"{remote_apps.MARKER_VARIABLE}=" in remote_apps.JUPYTER_LIST


def test_list_snippet_reports_a_dead_server_as_status_zero() -> None:
    line = json.dumps({"port": 1, "token": "t", "pid": 999999999, "base_url": "/"})
    result = subprocess.run(
        [sys.executable, "-c", remote_apps.JUPYTER_LIST],
        input=line + "\nbanner\n",
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    (entry,) = parse_server_list(result.stdout)
    assert entry.status == 0 and not entry.marked and entry.server.remote_host == "127.0.0.1"


def test_inspect_script_lists_servers_through_the_login_shell() -> None:
    script = build_inspect_script()
    assert "jupyter-server list --json" in script and "@@end" in script


# --- find or start, with a scripted instance -----------------------------------------------


def test_running_server_is_reused_and_not_started_again() -> None:
    info = json.loads(SERVER_LIST.splitlines()[1])
    info.update(gpudesk_status=200, gpudesk_mine=True)
    connection = ScriptedConnection(lambda script: inspect_answer(json.dumps(info)))
    server = find_or_start_jupyter(connection, workdir="/root/autodl-tmp")  # type: ignore[arg-type]
    assert server.remote_port == 40001 and server.started_by_gpudesk and server.token == TOKEN
    assert len(connection.calls) == 1 and "nohup" not in connection.calls[0][1]


def test_start_keeps_the_token_secret(caplog: pytest.LogCaptureFixture) -> None:
    store = MemorySecretStore()

    def answer(script: str) -> str:
        if "nohup" not in script:
            return inspect_answer()
        return (
            "@@started\n40123 777\n/root/autodl-tmp\n@@ready\nready\n"
            "@@log\nServing at ?token=...\n@@end\n"
        )

    connection = ScriptedConnection(answer)
    caplog.set_level(logging.DEBUG, logger="gpudesk")
    server = find_or_start_jupyter(
        connection,  # type: ignore[arg-type]
        workdir="/root/autodl-tmp",
        secret_store=store,
        instance_id="gpudesk-abc123",
    )
    assert server.started_by_gpudesk and server.remote_port == 40123 and server.pid == 777
    assert server.root_dir == "/root/autodl-tmp" and server.ui_path == "lab"
    assert (
        len(server.token) == 48
        and store.get(secret_name("jupyter-token", "gpudesk-abc123")) == server.token
    )
    start_command, start_script = connection.calls[1]
    assert server.token not in start_command and server.token in start_script
    assert "--allow-root" in start_script  # uid 0
    assert server.token not in caplog.text and "40123" in caplog.text


def test_missing_jupyter_names_the_install_command() -> None:
    connection = ScriptedConnection(lambda script: inspect_answer(commands=""))
    with pytest.raises(RemoteCommandError) as caught:
        find_or_start_jupyter(connection)  # type: ignore[arg-type]
    assert caught.value.code == "jupyter.missing"
    assert "pip install jupyterlab" in caught.value.hint


def test_failed_start_shows_the_redacted_log_and_forgets_the_token() -> None:
    store = MemorySecretStore()

    def answer(script: str) -> str:
        if "nohup" not in script:
            return inspect_answer(uid=1000)
        return (
            "@@started\n40123 777\n/home/u\n@@ready\nexited\n@@log\n"
            "OSError: [Errno 98] Address already in use\nhttp://x/lab?token=abcdef\n@@end\n"
        )

    with pytest.raises(RemoteCommandError) as caught:
        find_or_start_jupyter(
            ScriptedConnection(answer),  # type: ignore[arg-type]
            secret_store=store,
            instance_id="gpudesk-abc123",
        )
    assert "exited" in caught.value.message and "Address already in use" in caught.value.message
    assert "abcdef" not in caught.value.message
    assert store.get(secret_name("jupyter-token", "gpudesk-abc123")) is None


def test_cut_short_answer_is_an_error() -> None:
    with pytest.raises(RemoteCommandError, match="cut short"):
        find_or_start_jupyter(ScriptedConnection(lambda s: "@@uid\n0\n"))  # type: ignore[arg-type]


def test_tensorboard_found_running() -> None:
    found = {
        "pid": 9,
        "port": 6007,
        "logdir": "/root/tf-logs",
        "path_prefix": "",
        "status": 200,
        "mine": False,
    }
    connection = ScriptedConnection(
        lambda s: f"@@found\n{json.dumps(found)}\n@@command\n/x/tensorboard\n@@end\n"
    )
    server = find_or_start_tensorboard(connection, logdir="/root/tf-logs")  # type: ignore[arg-type]
    assert server == TensorBoardServer(6007, "/root/tf-logs", 9, started_by_gpudesk=False)


def test_tensorboard_missing_names_the_install_command() -> None:
    connection = ScriptedConnection(lambda s: "@@found\n@@command\n@@end\n")
    with pytest.raises(RemoteCommandError) as caught:
        find_or_start_tensorboard(connection)  # type: ignore[arg-type]
    assert (
        caught.value.code == "tensorboard.missing"
        and "pip install tensorboard" in caught.value.hint
    )


# --- stopping and custom ports -------------------------------------------------------------


def test_stop_refuses_servers_gpudesk_did_not_start() -> None:
    connection = ScriptedConnection(lambda s: "@@stop\nrefused\n@@end\n")
    with pytest.raises(InputError):
        stop_server(connection, JupyterServer(8888, "p", pid=17))  # type: ignore[arg-type]
    assert connection.calls == []
    with pytest.raises(InputError):  # marked as ours, but the instance says the pid is not
        stop_server(connection, JupyterServer(1, "t", pid=5, started_by_gpudesk=True))  # type: ignore[arg-type]


def test_stop_forgets_the_token() -> None:
    store = MemorySecretStore()
    store.set(secret_name("jupyter-token", "gpudesk-abc123"), TOKEN)
    connection = ScriptedConnection(lambda s: "@@stop\nstopped\n@@end\n")
    server = JupyterServer(1, TOKEN, pid=5, started_by_gpudesk=True)
    assert stop_server(connection, server, secret_store=store, instance_id="gpudesk-abc123")  # type: ignore[arg-type]
    assert store.get(secret_name("jupyter-token", "gpudesk-abc123")) is None
    assert TOKEN not in connection.calls[0][1]


def test_remote_port_open() -> None:
    assert remote_port_open(ScriptedConnection(lambda s: "@@port\nopen\n@@end\n"), 7860)  # type: ignore[arg-type]
    with pytest.raises(InputError):
        remote_port_open(ScriptedConnection(lambda s: ""), 70000)  # type: ignore[arg-type]
