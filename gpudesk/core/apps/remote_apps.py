"""Web apps run detached on the instance: the scripts gpudesk sends and their answers.

Shared by :mod:`gpudesk.core.apps.jupyter` and :mod:`gpudesk.core.apps.tensorboard`.
Shell scripts go to
the user's login shell on its stdin (:data:`gpudesk.core.ssh.probe.LOGIN_SHELL`, so the platform's
conda and PATH apply), never in an argv; small stdlib-only Python snippets run on the
instance's own Python (3.6+). Values are quoted with :func:`shlex.quote`; a secret is only
ever placed in an ``export`` line of a script, so it reaches the remote program's environment
and no process's argv.

A server is believed (and sent a token) only when the instance's own tables say the
listening socket on its port belongs to the login user and is held by the server's pid
(``/proc/net/tcp`` inode owner, ``/proc/PID/fd``): another tenant of a shared machine
cannot get gpudesk to tunnel to its server by planting an info file or taking a port.

Each script prints its answers after ``@@name`` marker lines;
:func:`~gpudesk.core.ssh.untrusted.marked_sections` reads them back and ignores whatever a
login banner printed before. A program is started with ``setsid nohup``
(:func:`detached_launch`) so it outlives the SSH session, and carries gpudesk's marker in its
environment so :func:`stop_marked_process` never stops a process gpudesk did not start.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from gpudesk.core.errors import InputError, RemoteCommandError
from gpudesk.core.redact import redact
from gpudesk.core.ssh.probe import LOGIN_SHELL
from gpudesk.core.ssh.remote import Connection
from gpudesk.core.ssh.untrusted import instance_pid, instance_port, marked_sections, plain_text

LOCALHOST = "127.0.0.1"

#: Marks the processes gpudesk starts (in their environment), so a later call can tell them
#: from the platform's and never stops a process it did not start.
MARKER_VARIABLE = "GPUDESK_SERVICE"

#: The first lines of every script: no history file, no ``!`` expansion, no job control (so
#: ``$!`` is the started program itself: ``setsid`` forks only for a process group leader).
PRELUDE = (
    "set +o history 2>/dev/null\n"
    "set +H +m 2>/dev/null\n"
    "PY=$(command -v python3 || command -v python)\n"
)

_HTTP = """\
import ipaddress, json, os, ssl, sys, time
import urllib.error, urllib.request
_opener = urllib.request.build_opener(
    urllib.request.ProxyHandler({}),  # never through http_proxy (e.g. AutoDL's network_turbo)
    urllib.request.HTTPSHandler(context=ssl._create_unverified_context()),
)
def get(url, token=""):
    headers = {"Authorization": "token " + token} if token else {}
    try:
        return _opener.open(urllib.request.Request(url, headers=headers), timeout=3).getcode()
    except urllib.error.HTTPError as e:
        return e.code
    except Exception:
        return 0
def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
def marked(pid, service):
    try:
        with open("/proc/%d/environ" % pid, "rb") as f:
            return ("GPUDESK_SERVICE=" + service).encode() in f.read().split(b"\\0")
    except (OSError, TypeError):
        return False
def loopback(host):
    if host in ("", "localhost", None):
        return "127.0.0.1"
    try:
        unspecified = ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return host
    return "127.0.0.1" if unspecified else host
def listeners(port):
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cells = row.split()
            if len(cells) > 9 and cells[3] == "0A" and int(cells[1].rsplit(":", 1)[1], 16) == port:
                found.append((int(cells[7]), cells[9]))
    return found
def socket_inodes(pid):
    inodes = set()
    try:
        names = os.listdir("/proc/%d/fd" % pid)
    except OSError:
        return inodes
    for name in names:
        try:
            link = os.readlink("/proc/%d/fd/%s" % (pid, name))
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    return inodes
def mine(port, pid):
    # Only a listener of this user, held by pid: never another tenant's server on the port.
    found = listeners(int(port))
    if not found or any(uid != os.getuid() for uid, _inode in found):
        return False
    held = socket_inodes(int(pid)) if pid else set()
    return any(inode in held for _uid, inode in found)
"""

#: Reads ``jupyter server list --json`` on stdin; prints each server with its health.
JUPYTER_LIST = (
    _HTTP
    + """\
for line in sys.stdin:
    line = line.strip()
    if not line.startswith(("{", "[")):
        continue
    try:
        data = json.loads(line)
    except ValueError:
        continue
    for info in data if isinstance(data, list) else [data]:
        if not isinstance(info, dict) or not info.get("port"):
            continue
        scheme = "https" if str(info.get("url", "")).startswith("https") else "http"
        host = loopback(info.get("hostname"))
        base = info.get("base_url") or "/"
        url = "%s://%s:%d%sapi/status" % (scheme, host, int(info["port"]), base)
        info["gpudesk_host"] = host
        pid = int(info.get("pid") or 0)
        owned = mine(int(info["port"]), pid)
        info["gpudesk_status"] = get(url, info.get("token") or "") if owned else 0
        info["gpudesk_mine"] = marked(int(info.get("pid") or 0), "jupyter")
        print(json.dumps(info))
"""
)

#: argv: PORT PID TIMEOUT PATH; the token (if any) comes in ``JUPYTER_TOKEN``.
WAIT_READY = (
    _HTTP
    + """\
port, pid, timeout, path = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
token = os.environ.get("JUPYTER_TOKEN", "")
deadline = time.time() + timeout
while True:
    code = get("http://127.0.0.1:%d%s" % (port, path), token) if mine(port, pid) else 0
    if code == 200:
        print("ready")
        break
    if not alive(pid):
        print("exited")
        break
    if time.time() > deadline:
        print("timeout %d" % code)
        break
    time.sleep(0.2)
"""
)

#: argv: LOGDIR. Finds TensorBoards through the info files TensorBoard itself writes.
TENSORBOARD_LIST = (
    _HTTP
    + """\
import glob, tempfile
want = os.path.realpath(os.path.expanduser(sys.argv[1]))
pattern = os.path.join(tempfile.gettempdir(), ".tensorboard-info", "pid-*.info")
for name in sorted(glob.glob(pattern)):
    try:
        with open(name) as f:
            info = json.load(f)
        pid, port = int(info["pid"]), int(info["port"])
    except (OSError, ValueError, KeyError, TypeError):
        continue
    if not alive(pid):
        continue
    try:
        os.kill(pid, 0)
    except OSError:
        continue  # another user's TensorBoard
    logdir = info.get("logdir") or ""
    if not logdir or os.path.realpath(os.path.expanduser(logdir)) != want:
        continue
    if not mine(port, pid):
        continue  # the info file names a port this TensorBoard does not hold
    prefix = (info.get("path_prefix") or "").rstrip("/")
    print(json.dumps({"pid": pid, "port": port, "logdir": logdir, "path_prefix": prefix,
        "status": get("http://127.0.0.1:%d%s/" % (port, prefix)),
        "mine": marked(pid, "tensorboard")}))
"""
)

#: argv: PID SERVICE. Stops a process only when gpudesk's marker for SERVICE is on it.
STOP = (
    _HTTP
    + """\
import signal
pid, service = int(sys.argv[1]), sys.argv[2]
if not alive(pid):
    print("gone")
elif not marked(pid, service):
    print("refused")
else:
    os.kill(pid, signal.SIGTERM)
    deadline = time.time() + 8
    while alive(pid) and time.time() < deadline:
        time.sleep(0.1)
    if alive(pid):
        os.kill(pid, signal.SIGKILL)
    print("stopped")
"""
)

#: argv: HOST PORT. Prints "open" when something accepts TCP connections there.
PORT_OPEN = """\
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3).close()
    print("open")
except OSError:
    print("closed")
"""

#: Prints a TCP port that is free on 127.0.0.1 right now.
FREE_PORT = (
    "import socket\ns = socket.socket()\ns.bind(('127.0.0.1', 0))\nprint(s.getsockname()[1])\n"
)


def shell_dir(path: str) -> str:
    """``path`` as a shell word: ``~`` becomes ``"$HOME"``, the rest is quoted.

    Raises:
        InputError: not absolute (or ``~``-relative), or it holds control characters.
    """
    if not path.startswith(("/", "~")) or any(ord(c) < 32 for c in path):
        raise InputError(
            "webapp.bad_dir",
            f"{path!r} is not an absolute directory path.",
            "Give an absolute path on the instance, e.g. /root/autodl-tmp.",
        )
    if path == "~" or path.startswith("~/"):
        rest = path[1:]
        return '"$HOME"' + (shlex.quote(rest) if rest else "")
    return shlex.quote(path)


def python_call(snippet: str, *args: str) -> str:
    """A shell command running ``snippet`` with the instance's Python (``$PY``)."""
    return " ".join(['"$PY"', "-c", shlex.quote(snippet), *args])


def detached_launch(
    argv_words: str, *, service: str, log_name: str, env: dict[str, str] | None = None
) -> str:
    """Shell lines starting ``argv_words`` detached (``setsid nohup``), ``$PID`` set after.

    ``env`` values (secrets) go into ``export`` lines, never into the command's argv. The log
    file in ``~/.gpudesk`` is created 0600 before the program writes to it.
    """
    lines = [
        'mkdir -p "$HOME/.gpudesk" && chmod 700 "$HOME/.gpudesk"',
        f'LOG="$HOME/.gpudesk/{log_name}"',
        '(umask 077; : >"$LOG")',
        f"export {MARKER_VARIABLE}={shlex.quote(service)}",
    ]
    lines += [f"export {name}={shlex.quote(value)}" for name, value in (env or {}).items()]
    lines += [
        "if command -v setsid >/dev/null 2>&1; then DETACH=setsid; else DETACH=; fi",
        f'nohup $DETACH {argv_words} >>"$LOG" 2>&1 </dev/null &',
        "PID=$!",
        f"unset {MARKER_VARIABLE}",
    ]
    return "\n".join(lines)


def run_script(connection: Connection, script: str, timeout: float) -> dict[str, list[str]]:
    """Run ``script`` in the login shell and return its ``@@`` sections.

    Raises:
        RemoteCommandError: the answer has no ``@@end`` (the shell exited early), or the
            connection failed or timed out.
    """
    result = connection.run(LOGIN_SHELL, stdin=script.encode("utf-8"), timeout=timeout)
    found = marked_sections(result.stdout)
    if "end" not in found:
        raise RemoteCommandError(
            "webapp.incomplete",
            "The instance's answer was cut short.",
            "The login shell may have exited early; open a terminal on it and check ~/.bashrc.",
        )
    return found


def start_lines(launch: str, wait: str) -> list[str]:
    """The script lines after :func:`detached_launch`: report, wait, show the log tail."""
    return [
        launch,
        'echo "@@started"; echo "$PORT $PID"; printf "%s\\n" "$PWD"',
        f'echo "@@ready"; {wait}',
        'echo "@@log"; tail -n 15 "$LOG"',
    ]


def wait_call(path: str, timeout: float) -> str:
    """The shell command waiting until ``http://127.0.0.1:$PORT{path}`` answers 200."""
    return python_call(WAIT_READY, '"$PORT"', '"$PID"', f"{timeout:g}", shlex.quote(path))


@dataclass(frozen=True)
class StartOutcome:
    """What a start script reported: port, pid, directory, ``ready``/``exited``/``timeout``."""

    port: int
    pid: int | None
    cwd: str
    outcome: str
    log_tail: str

    @property
    def ready(self) -> bool:
        """True when the program answered in time."""
        return self.outcome == "ready"

    def error(self, what: str, hint: str) -> RemoteCommandError:
        """The error to raise when not :attr:`ready` (the log tail redacted)."""
        if self.outcome == "exited":
            message = f"{what} exited right after it started."
        else:
            message = f"{what} did not answer within the time allowed ({self.outcome})."
        if self.log_tail:
            message += f" Its last output:\n{self.log_tail}"
        return RemoteCommandError("webapp.start_failed", message, hint)


def parse_start_output(found: dict[str, list[str]]) -> StartOutcome:
    """Read the ``@@started``/``@@ready``/``@@log`` answers of a start script.

    Raises:
        RemoteCommandError: no port was reported (no Python on the instance).
    """
    started = found.get("started") or []
    fields = started[0].split() if started else []
    port = instance_port(fields[0]) if fields else None
    pid = instance_pid(fields[1]) if len(fields) > 1 else None
    if port is None:
        raise RemoteCommandError(
            "webapp.no_port",
            "The instance could not pick a free port (is Python there?).",
            "Open a terminal on the instance and check that python3 runs.",
        ) from None
    outcome = (found.get("ready") or ["no answer"])[0]
    tail = plain_text(redact("\n".join(found.get("log", []))), limit=20_000, multiline=True)
    cwd = plain_text(started[1]) if len(started) > 1 else ""
    return StartOutcome(port, pid, cwd, plain_text(outcome, limit=80), tail[-1500:])


def stop_marked_process(connection: Connection, pid: int, service: str) -> str:
    """SIGTERM (then SIGKILL after 8 s) ``pid`` if it carries gpudesk's ``service`` marker.

    Returns:
        ``stopped``, ``gone`` (no such process) or ``refused`` (not gpudesk's).
    """
    call = python_call(STOP, str(int(pid)), shlex.quote(service))
    script = PRELUDE + f'echo "@@stop"; {call}\necho "@@end"\n'
    return (run_script(connection, script, 30.0).get("stop") or [""])[0]


def remote_port_open(connection: Connection, port: int, host: str = LOCALHOST) -> bool:
    """True when something on the instance accepts TCP connections on ``host:port``.

    For a custom port (a Gradio demo on 7860) nothing is started: this only checks before a
    tunnel is opened.

    Raises:
        InputError: ``port`` is not a TCP port.
    """
    if not 0 < port < 65536:
        raise InputError("webapp.bad_port", f"{port} is not a TCP port.", "Use 1 to 65535.")
    call = python_call(PORT_OPEN, shlex.quote(host), str(port))
    script = PRELUDE + f'echo "@@port"; {call}\necho "@@end"\n'
    return (run_script(connection, script, 30.0).get("port") or [""])[0] == "open"
