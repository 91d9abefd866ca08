"""Jupyter on the instance: find a running server, else start one detached.

Everything runs over one :class:`~gpudesk.core.ssh.remote.Connection`, through the user's login
shell so the platform's conda and PATH apply, one round trip per step (the scripts are in
:mod:`gpudesk.core.apps.remote_apps`; TensorBoard, re-exported here, in
:mod:`gpudesk.core.apps.tensorboard`).

``jupyter server list --json`` finds the running servers (the platform's own too, such as
AutoDL's JupyterLab, when it runs as the same user), and the instance itself asks each one
``/api/status`` with its token. When none answers, gpudesk starts ``jupyter lab`` (else
``jupyter server``, else ``jupyter notebook``) with ``setsid nohup`` so it outlives the SSH
session: bound to 127.0.0.1 on a port the instance reports free, in the work directory, with
``--allow-root`` for root, and a fresh ``secrets.token_hex(24)`` token.

The token reaches Jupyter in ``JUPYTER_TOKEN`` (read by jupyter_server and notebook),
exported by the script gpudesk writes to the shell's stdin: it is never in an argv (``ps``
shows argv to every user; an environment only to its owner), and Jupyter then logs
``?token=...`` instead of it. It is kept in the secret store under
``secret_name("jupyter-token", instance_id)`` and never logged: :class:`JupyterServer` leaves
it out of its ``repr`` and masks it in URLs unless asked.
"""

from __future__ import annotations

import json
import logging
import secrets as token_source
from dataclasses import dataclass, field, replace
from typing import Any

from gpudesk.core.apps import remote_apps as apps
from gpudesk.core.apps.remote_apps import LOCALHOST, remote_port_open
from gpudesk.core.apps.tensorboard import (
    DEFAULT_LOGDIR,
    TensorBoardServer,
    default_logdir,
    find_or_start_tensorboard,
)
from gpudesk.core.errors import InputError, RemoteCommandError
from gpudesk.core.models import Platform
from gpudesk.core.redact import MASK
from gpudesk.core.ssh.remote import Connection
from gpudesk.core.ssh.untrusted import instance_pid, instance_port, plain_text
from gpudesk.core.store.secrets import SecretStore, secret_name

__all__ = [
    "DEFAULT_LOGDIR",
    "JUPYTER_COMMANDS",
    "LOCALHOST",
    "JupyterServer",
    "ListedJupyter",
    "TensorBoardServer",
    "build_inspect_script",
    "build_start_script",
    "choose_server",
    "default_logdir",
    "default_workdir",
    "find_or_start_jupyter",
    "find_or_start_tensorboard",
    "parse_server_list",
    "remote_port_open",
    "stop_server",
]

log = logging.getLogger(__name__)

JUPYTER_INSTALL_HINT = "Install it on the instance, e.g.: pip install jupyterlab"
#: Which Jupyter to start, best first, and the page its browser view opens at.
JUPYTER_COMMANDS: dict[str, str] = {
    "jupyter-lab": "lab",
    "jupyter-server": "",
    "jupyter-notebook": "tree",
}


@dataclass(frozen=True)
class JupyterServer:
    """A Jupyter server running on the instance (the token is kept out of ``repr``).

    Attributes:
        remote_port: Its port on the instance.
        token: The token its API and pages accept.
        base_url: Its URL prefix, ``/`` unless the platform set one.
        root_dir: The directory it serves.
        pid: Its process id on the instance, when known.
        started_by_gpudesk: True for a server gpudesk started (and may stop).
        ui_path: The page to open under ``base_url``: ``lab``, ``tree`` or ``""``.
        remote_host: Where it listens, as seen from the instance (for the tunnel).
        scheme: ``http``, or ``https`` for a server with its own certificate.
    """

    remote_port: int
    token: str = field(repr=False)
    base_url: str = "/"
    root_dir: str = ""
    pid: int | None = None
    started_by_gpudesk: bool = False
    ui_path: str = "lab"
    remote_host: str = LOCALHOST
    scheme: str = "http"

    def local_url(self, local_port: int, show_token: bool = False) -> str:
        """The URL to open through a tunnel on ``local_port``; the token masked unless asked.

        >>> JupyterServer(8888, "abc").local_url(18888)
        'http://127.0.0.1:18888/lab?token=***'
        """
        path = "/" + self.base_url.strip("/") + "/" if self.base_url.strip("/") else "/"
        token = self.token if show_token else MASK
        return f"{self.scheme}://{LOCALHOST}:{local_port}{path}{self.ui_path}?token={token}"


@dataclass(frozen=True)
class ListedJupyter:
    """One entry of ``jupyter server list --json``, with what the instance found out."""

    server: JupyterServer
    status: int | None = None
    marked: bool = False


def default_workdir(platform: Platform | None, instance_workdir: str | None = None) -> str:
    """Where Jupyter starts: the instance's folder, the platform's work dir, or ``~``."""
    return instance_workdir or (platform.workdir if platform else "") or "~"


def parse_server_list(text: str, ui_path: str = "lab") -> list[ListedJupyter]:
    """Parse ``jupyter server list --json`` output (one object per line, or a JSON list).

    Lines that are not JSON (login banners, warnings) are skipped, and so are servers on a
    Unix socket (no port). The ``gpudesk_*`` fields the instance adds, if present, fill in
    ``status`` and ``marked``.
    """
    listed: list[ListedJupyter] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line.startswith(("{", "[")):
            continue
        try:
            data = json.loads(line)
        except ValueError:
            continue
        for info in data if isinstance(data, list) else [data]:
            entry = _listed_from_info(info, ui_path)
            if entry is not None:
                listed.append(entry)
    return listed


def _listed_from_info(info: Any, ui_path: str) -> ListedJupyter | None:
    if not isinstance(info, dict):
        return None
    port = instance_port(info.get("port"))
    pid = instance_pid(info.get("pid"))
    if port is None:
        return None
    url = str(info.get("url") or "")
    server = JupyterServer(
        remote_port=port,
        token=str(info.get("token") or ""),
        base_url=str(info.get("base_url") or "/"),
        root_dir=plain_text(str(info.get("root_dir") or info.get("notebook_dir") or "")),
        pid=pid,
        ui_path=ui_path,
        remote_host=str(info.get("gpudesk_host") or LOCALHOST),
        scheme="https" if url.startswith("https") else "http",
    )
    status = info.get("gpudesk_status")
    return ListedJupyter(
        server, int(status) if isinstance(status, int) else None, bool(info.get("gpudesk_mine"))
    )


@dataclass(frozen=True)
class _Inspection:
    uid: int | None
    python: str
    commands: tuple[str, ...]
    servers: list[ListedJupyter]


def build_inspect_script() -> str:
    """The script that lists Jupyter commands and running servers (with their health)."""
    commands = " ".join(JUPYTER_COMMANDS)
    listing = apps.python_call(apps.JUPYTER_LIST)
    return apps.PRELUDE + "\n".join(
        [
            'echo "@@uid"; id -u',
            'echo "@@python"; printf "%s\\n" "$PY"',
            f'echo "@@commands"; for c in {commands}; do command -v "$c" >/dev/null 2>&1 '
            '&& echo "$c"; done',
            'echo "@@servers"; if [ -n "$PY" ]; then { if command -v jupyter-server >/dev/null '
            "2>&1; then jupyter-server list --json; elif command -v jupyter-notebook >/dev/null "
            f"2>&1; then jupyter-notebook list --json; fi; }} 2>/dev/null | {listing}; fi",
            'echo "@@end"',
            "exit 0",
            "",
        ]
    )


def inspect_jupyter(connection: Connection, timeout: float = 60.0) -> _Inspection:
    """Which Jupyter commands the login shell has, and which servers run (and answer)."""
    found = apps.run_script(connection, build_inspect_script(), timeout)
    commands = tuple(c for c in found.get("commands", []) if c in JUPYTER_COMMANDS)
    ui_path = next((JUPYTER_COMMANDS[c] for c in commands if c != "jupyter-server"), "")
    uid_text = (found.get("uid") or [""])[0]
    return _Inspection(
        uid=int(uid_text) if uid_text.isdigit() else None,
        python=(found.get("python") or [""])[0],
        commands=commands,
        servers=parse_server_list("\n".join(found.get("servers", [])), ui_path),
    )


def choose_server(listed: list[ListedJupyter], known_token: str | None) -> JupyterServer | None:
    """The server to use: one that answered 200; gpudesk's own first. None when none did."""
    answering = [e for e in listed if e.status == 200 and e.server.token]
    for entry in answering:
        if entry.marked or (known_token and entry.server.token == known_token):
            return _replace_started(entry.server, True)
    return answering[0].server if answering else None


def _replace_started(server: JupyterServer, started: bool) -> JupyterServer:
    return replace(server, started_by_gpudesk=started)


def build_start_script(
    command: str, workdir: str, token: str, *, allow_root: bool, timeout: float
) -> str:
    """The script starting ``command`` detached; the token only in an ``export`` line."""
    if command not in JUPYTER_COMMANDS:
        raise InputError(
            "jupyter.bad_command",
            f"Unknown Jupyter command {command!r}.",
            "Use jupyter lab or jupyter notebook.",
        )
    flags = '--no-browser --ip=127.0.0.1 --port="$PORT" --port-retries=0'
    if allow_root:
        flags += " --allow-root"
    launch = apps.detached_launch(
        f"{command} {flags}", service="jupyter", log_name="jupyter-$PORT.log",
        env={"JUPYTER_TOKEN": token},
    )  # fmt: skip
    return apps.PRELUDE + "\n".join(
        [
            f'cd {apps.shell_dir(workdir)} 2>/dev/null || cd "$HOME"',
            f"PORT=$({apps.python_call(apps.FREE_PORT)})",
            *apps.start_lines(launch, apps.wait_call("/api/status", timeout)),
            "unset JUPYTER_TOKEN",
            'echo "@@end"',
            "exit 0",
            "",
        ]
    )


def find_or_start_jupyter(
    connection: Connection,
    *,
    workdir: str = "~",
    secret_store: SecretStore | None = None,
    instance_id: str | None = None,
    start: bool = True,
    timeout: float = 60.0,
) -> JupyterServer:
    """Find a running Jupyter server that answers, else start one (detached).

    Args:
        connection: The instance.
        workdir: The directory a new server serves (``~`` when it does not exist).
        secret_store: Where the token of a server gpudesk starts is kept (with
            ``instance_id``); also how a later call recognises that server.
        instance_id: The instance's stable id (:attr:`Instance.instance_id`).
        start: False to only look for a running server, never start one.
        timeout: Seconds to wait for a new server to answer ``/api/status``.

    Raises:
        RemoteCommandError: ``jupyter.missing`` (with the install command), no Python in
            the login shell, or the new server exited or did not answer in time.
    """
    name = secret_name("jupyter-token", instance_id) if instance_id and secret_store else None
    known = secret_store.get(name) if secret_store is not None and name else None
    inspection = inspect_jupyter(connection)
    chosen = choose_server(inspection.servers, known)
    if chosen is not None:
        whose = "gpudesk's" if chosen.started_by_gpudesk else "not gpudesk's"
        log.info(
            "Jupyter runs on the instance: port %d, pid %s, %s",
            chosen.remote_port,
            chosen.pid,
            whose,
        )
        return chosen
    if not inspection.python:
        raise RemoteCommandError(
            "jupyter.no_python",
            "The instance's login shell has no python3 or python.",
            JUPYTER_INSTALL_HINT,
        )
    if not inspection.commands:
        raise RemoteCommandError(
            "jupyter.missing",
            "Jupyter is not installed in the instance's login shell environment.",
            JUPYTER_INSTALL_HINT,
        )
    if not start:
        raise RemoteCommandError(
            "jupyter.not_running",
            "No running Jupyter server answered on the instance.",
            "Start one with: gpudesk jupyter ALIAS",
        )
    command = inspection.commands[0]
    token = token_source.token_hex(24)
    if secret_store is not None and name:
        secret_store.set(name, token)  # before starting: a crash mid-way still knows it
    script = build_start_script(
        command, workdir, token, allow_root=inspection.uid == 0, timeout=timeout
    )
    log.info("Starting %s on the instance in %s", command, workdir)
    started = apps.parse_start_output(apps.run_script(connection, script, timeout + 30))
    if not started.ready:
        if secret_store is not None and name:
            secret_store.delete(name)
        raise started.error(command, JUPYTER_INSTALL_HINT)
    log.info("%s answers on the instance: port %d, pid %s", command, started.port, started.pid)
    return JupyterServer(
        remote_port=started.port,
        token=token,
        base_url="/",
        root_dir=started.cwd,
        pid=started.pid,
        started_by_gpudesk=True,
        ui_path=JUPYTER_COMMANDS[command],
    )


def stop_server(
    connection: Connection,
    server: JupyterServer | TensorBoardServer,
    *,
    secret_store: SecretStore | None = None,
    instance_id: str | None = None,
) -> bool:
    """Stop a Jupyter or TensorBoard that gpudesk started; forget a Jupyter token.

    The instance checks gpudesk's marker in the process's environment first, so the
    platform's own servers (or a reused pid) are never stopped.

    Returns:
        True when it was stopped, False when it was already gone.

    Raises:
        InputError: not started by gpudesk, or the pid is unknown.
    """
    service = "jupyter" if isinstance(server, JupyterServer) else "tensorboard"
    refusal = InputError(
        f"{service}.not_ours",
        f"This {service} server was not started by gpudesk, so gpudesk leaves it running.",
        "Stop it on the instance yourself if you really mean to.",
    )
    if not server.started_by_gpudesk or server.pid is None:
        raise refusal
    outcome = apps.stop_marked_process(connection, server.pid, service)
    if outcome == "refused":
        raise refusal
    if isinstance(server, JupyterServer) and secret_store is not None and instance_id:
        secret_store.delete(secret_name("jupyter-token", instance_id))
    log.info("%s (pid %d) on the instance: %s", service, server.pid, outcome or "no answer")
    return outcome == "stopped"
