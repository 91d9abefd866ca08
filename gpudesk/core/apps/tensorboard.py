"""TensorBoard on the instance: find one serving the log dir, else start one detached.

Running TensorBoards are found through the info files TensorBoard itself writes
(``$TMPDIR/.tensorboard-info/pid-*.info``, the way the notebook ``%tensorboard`` magic finds
them), kept when the process is alive, belongs to the user, serves the same log dir and
answers HTTP 200 from the instance. Otherwise ``tensorboard --logdir D --host 127.0.0.1
--port P`` starts with ``setsid nohup`` (see :mod:`gpudesk.core.apps.remote_apps`) on a port the
instance reports free. TensorBoard has no token; the tunnel keeps it on loopback at both ends.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from gpudesk.core.apps import remote_apps as apps
from gpudesk.core.errors import RemoteCommandError
from gpudesk.core.models import Platform
from gpudesk.core.ssh.remote import Connection
from gpudesk.core.ssh.untrusted import instance_pid, instance_port, plain_text

log = logging.getLogger(__name__)

DEFAULT_LOGDIR = "~/tf-logs"
INSTALL_HINT = "Install it on the instance, e.g.: pip install tensorboard"


@dataclass(frozen=True)
class TensorBoardServer:
    """A TensorBoard running on the instance.

    Attributes:
        remote_port: Its port on the instance.
        logdir: The log directory it serves.
        pid: Its process id on the instance, when known.
        started_by_gpudesk: True for one gpudesk started (and may stop).
        path_prefix: Its URL prefix (``--path_prefix``), usually empty.
        remote_host: Where it listens, as seen from the instance (for the tunnel).
    """

    remote_port: int
    logdir: str
    pid: int | None = None
    started_by_gpudesk: bool = False
    path_prefix: str = ""
    remote_host: str = apps.LOCALHOST

    def local_url(self, local_port: int) -> str:
        """The URL to open through a tunnel on ``local_port``.

        >>> TensorBoardServer(6006, "/root/tf-logs").local_url(16006)
        'http://127.0.0.1:16006/'
        """
        return f"http://{apps.LOCALHOST}:{local_port}{self.path_prefix.rstrip('/')}/"


def default_logdir(platform: Platform | None) -> str:
    """The platform's TensorBoard dir (AutoDL: ``/root/tf-logs``), else ``~/tf-logs``."""
    return (platform.tensorboard_logdir if platform else None) or DEFAULT_LOGDIR


def build_tensorboard_script(logdir: str, *, start: bool, timeout: float) -> str:
    """Find a TensorBoard for ``logdir``; when ``start`` and none answers, start one.

    Raises:
        InputError: ``logdir`` is not absolute (or ``~``-relative).
    """
    quoted = apps.shell_dir(logdir)
    listing = apps.python_call(apps.TENSORBOARD_LIST, quoted)
    lines = [
        'FOUND=$([ -n "$PY" ] && ' + listing + ")",
        'echo "@@found"; printf "%s\\n" "$FOUND"',
        'echo "@@command"; command -v tensorboard',
    ]
    if start:
        launch = apps.detached_launch(
            f'tensorboard --logdir {quoted} --host 127.0.0.1 --port "$PORT"',
            service="tensorboard",
            log_name="tensorboard-$PORT.log",
        )
        lines += [
            'if [ -n "$PY" ] && command -v tensorboard >/dev/null 2>&1 && '
            "! printf '%s\\n' \"$FOUND\" | grep -q '\"status\": 200'; then",
            f"mkdir -p {quoted} 2>/dev/null",
            f"PORT=$({apps.python_call(apps.FREE_PORT)})",
            *apps.start_lines(launch, apps.wait_call("/", timeout)),
            "fi",
        ]
    return apps.PRELUDE + "\n".join([*lines, 'echo "@@end"', "exit 0", ""])


def _running(lines: list[str], logdir: str) -> TensorBoardServer | None:
    for line in lines:
        try:
            info = json.loads(line)
        except ValueError:
            continue
        if not isinstance(info, dict) or info.get("status") != 200:
            continue
        port, pid = instance_port(info.get("port")), instance_pid(info.get("pid"))
        if port is None or pid is None:
            continue
        return TensorBoardServer(
            remote_port=port,
            logdir=plain_text(str(info.get("logdir") or logdir)),
            pid=pid,
            started_by_gpudesk=info.get("mine") is True,
            path_prefix=plain_text(str(info.get("path_prefix") or ""), limit=100),
        )
    return None


def find_or_start_tensorboard(
    connection: Connection,
    *,
    logdir: str = DEFAULT_LOGDIR,
    start: bool = True,
    timeout: float = 60.0,
) -> TensorBoardServer:
    """Find a TensorBoard serving ``logdir`` that answers, else start one (detached).

    Args:
        connection: The instance.
        logdir: The log directory on the instance (created when missing).
        start: False to only look.
        timeout: Seconds to wait for a new TensorBoard to answer.

    Raises:
        RemoteCommandError: ``tensorboard.missing`` (with the install command), none running
            when ``start`` is False, or the new one exited or did not answer in time.
    """
    script = build_tensorboard_script(logdir, start=start, timeout=timeout)
    found = apps.run_script(connection, script, timeout + 30)
    running = _running(found.get("found", []), logdir)
    if running is not None:
        log.info("TensorBoard already runs on the instance: port %d", running.remote_port)
        return running
    if not found.get("command"):
        raise RemoteCommandError(
            "tensorboard.missing",
            "TensorBoard is not installed in the instance's login shell environment.",
            INSTALL_HINT,
        )
    if "started" not in found:
        raise RemoteCommandError(
            "tensorboard.not_running",
            f"No running TensorBoard answered on the instance for {logdir}.",
            "Start one with: gpudesk tensorboard ALIAS",
        )
    started = apps.parse_start_output(found)
    if not started.ready:
        raise started.error("TensorBoard", INSTALL_HINT)
    log.info("TensorBoard answers on the instance: port %d, pid %s", started.port, started.pid)
    return TensorBoardServer(started.port, logdir, started.pid, started_by_gpudesk=True)
