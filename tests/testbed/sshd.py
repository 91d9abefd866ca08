"""A real OpenSSH server on 127.0.0.1 and the dedicated Unix user it lets in.

Integration tests talk to a REAL ``/usr/sbin/sshd`` rather than to a fake: host-key trust,
password and key login, ``StrictModes``, a frozen or killed session and a restarted server
behave exactly as on a rented GPU. Two classes:

* :class:`TestUser` creates (``useradd``) and removes (``userdel -r``) a throw-away user with a
  random name and password, whose home lives in a fresh traversable directory under ``/tmp``.
* :class:`SshdServer` runs a private ``sshd -D`` on a free loopback port with its own ed25519
  host key, config, pid file and log, lets only that user in, and can restart with a new host
  key or freeze/kill the per-connection session processes.

Both need root and Linux (see :func:`testbed_unavailable_reason`); the pytest fixtures that
wrap them live in :mod:`tests.testbed.fixtures`.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import TypeVar

import paramiko

try:  # POSIX only; on Windows the test bed reports itself unavailable.
    import pwd
except ImportError:  # pragma: no cover - Windows
    pwd = None  # type: ignore[assignment]

SSHD_PATH = "/usr/sbin/sshd"
LOOPBACK = "127.0.0.1"
#: Where the user's home and the servers' files go: /tmp itself, never pytest's 0700 tmp dir.
TESTBED_TMP_ROOT = "/tmp"
#: PATH for commands run as the test user (root's PATH points into root-only directories).
USER_PATH = "/usr/local/bin:/usr/bin:/bin"

_COMMAND_TIMEOUT = 30.0
_POLL_INTERVAL = 0.01
#: Titles of the unprivileged per-connection process after authentication: ``sshd: USER``
#: until a session channel opens (e.g. a tunnel-only ``ssh -N``), then ``sshd: USER@notty``
#: or ``sshd: USER@pts/N``; OpenSSH 9.8+ calls the binary ``sshd-session``.
_SESSION_TITLE = re.compile(
    r"^(?:sshd|sshd-session): (?P<user>[^\s@\[]+)(?:@(?:notty|pts/\d+)(?:,pts/\d+)*)?$"
)

_T = TypeVar("_T")


class TestbedError(RuntimeError):
    """The test bed could not be set up or torn down; the message carries the tool's output."""

    __test__ = False  # not a test class, although the name starts with "Test"


_REQUIRED_TOOLS = ("useradd", "userdel", "chpasswd", "runuser", "pkill", "ssh-keygen", "ssh")
_TOOL_SEARCH_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def tool_path(name: str) -> str:
    """The absolute path of a system tool (sbin included), or ``name`` when not found.

    Absolute paths keep working when a command runs with another user's PATH.
    """
    return shutil.which(name, path=_TOOL_SEARCH_PATH) or name


def testbed_unavailable_reason() -> str | None:
    """Say why a real-sshd test bed cannot run here, or return None when it can."""
    if not sys.platform.startswith("linux"):
        return f"the OpenSSH test bed needs Linux (this is {sys.platform})"
    if os.geteuid() != 0:
        return "the OpenSSH test bed needs root (it creates a Unix user and runs sshd)"
    if not os.access(SSHD_PATH, os.X_OK):
        return f"{SSHD_PATH} is missing: install Debian's openssh-server"
    missing = [
        tool for tool in _REQUIRED_TOOLS if shutil.which(tool, path=_TOOL_SEARCH_PATH) is None
    ]
    if missing:
        return "missing tools for the OpenSSH test bed: " + ", ".join(missing)
    return None


def run_command(
    argv: Sequence[str | os.PathLike[str]],
    *,
    input_text: str | None = None,
    timeout: float = _COMMAND_TIMEOUT,
    check: bool = True,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` (never through a shell) and capture text output.

    A bare program name is looked up in the system directories, sbin included.

    Raises:
        TestbedError: ``check`` is true and the command exited non-zero; the message holds
            the command and its stderr/stdout.
    """
    command = [os.fspath(arg) for arg in argv]
    if "/" not in command[0]:
        command[0] = tool_path(command[0])  # /usr/sbin may be missing from PATH
    result = subprocess.run(
        command,
        input=input_text,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=cwd,
        env=None if env is None else dict(env),
        stdin=None if input_text is not None else subprocess.DEVNULL,
    )
    if check and result.returncode != 0:
        raise TestbedError(
            f"{' '.join(map(str, argv))} exited {result.returncode}:\n"
            f"{result.stderr.strip()}\n{result.stdout.strip()}".rstrip()
        )
    return result


def poll_until(
    probe: Callable[[], _T | None], *, timeout: float, what: str, interval: float = _POLL_INTERVAL
) -> _T:
    """Call ``probe`` until it returns something truthy, and return that; or time out.

    Raises:
        TimeoutError: nothing came within ``timeout`` seconds; the message names ``what``.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout:.1f} s waiting for {what}")
        time.sleep(interval)


def generate_openssh_key(path: Path, *, comment: str = "gpudesk-test") -> str:
    """Make an unencrypted ed25519 key pair with ``ssh-keygen``; return the public key line."""
    run_command(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path])
    return path.with_name(path.name + ".pub").read_text(encoding="ascii").strip()


def _run_account_tool(argv: Sequence[str], *, input_text: str | None = None) -> None:
    """Run useradd/userdel/chpasswd, retrying while another process holds the passwd lock."""
    deadline = time.monotonic() + 15.0
    while True:
        result = run_command(argv, input_text=input_text, check=False)
        if result.returncode == 0:
            return
        output = f"{result.stderr}\n{result.stdout}".strip()
        if "lock" in output.lower() and time.monotonic() < deadline:
            time.sleep(0.05)  # another pytest run is editing /etc/passwd right now
            continue
        raise TestbedError(f"{' '.join(argv)} exited {result.returncode}:\n{output}")


class TestUser:
    """A throw-away Unix account for the sshd test bed (needs root).

    The name is ``gdt`` + 8 random hex digits, so several pytest runs on one machine never
    collide. The home is ``<base>/<name>`` where ``<base>`` comes from
    ``tempfile.mkdtemp(prefix="gpudesk-sshd-")`` under /tmp and is made traversable (0755);
    the home is owned by the user with mode 0755 so sshd's ``StrictModes`` accepts it.
    ``~/bin`` exists: Debian's ``~/.profile`` puts it on PATH in login shells, which is where
    remote-side stand-ins (a fake ``nvidia-smi``) go.
    """

    __test__ = False  # a class named Test* must not be collected when a test imports it

    def __init__(self, name: str, password: str, base_dir: Path) -> None:
        """Wrap an account that already exists; use :meth:`create` to make one."""
        entry = pwd.getpwnam(name)
        self.name = name
        self.password = password
        self.base_dir = base_dir
        self.home = Path(entry.pw_dir)
        self.uid = entry.pw_uid
        self.gid = entry.pw_gid

    def __repr__(self) -> str:
        return f"TestUser(name={self.name!r}, uid={self.uid}, home={str(self.home)!r})"

    @classmethod
    def create(cls) -> TestUser:
        """Create the account, its home, ``~/bin`` and a random password."""
        name = "gdt" + secrets.token_hex(4)
        password = secrets.token_urlsafe(18)
        base_dir = Path(tempfile.mkdtemp(prefix="gpudesk-sshd-", dir=TESTBED_TMP_ROOT))
        base_dir.chmod(0o755)  # the user and sshd must traverse it
        home = base_dir / name
        try:
            _run_account_tool(["useradd", "-m", "-d", str(home), "-s", "/bin/bash", name])
            try:
                _run_account_tool(["chpasswd"], input_text=f"{name}:{password}\n")
                user = cls(name, password, base_dir)
                os.chown(home, user.uid, user.gid)
                home.chmod(0o755)  # StrictModes: not group/world-writable
                user.make_dir("bin", mode=0o755)
            except BaseException:
                _run_account_tool(["userdel", "-r", name])
                raise
        except BaseException:
            shutil.rmtree(base_dir, ignore_errors=True)
            raise
        return user

    # --- files in the home -------------------------------------------------------------

    def path(self, relative: str | os.PathLike[str]) -> Path:
        """The absolute path of ``relative`` inside the home (no absolute paths, no ``..``)."""
        pure = PurePosixPath(os.fspath(relative))
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise ValueError(f"expected a path relative to the home, got {relative!r}")
        return self.home.joinpath(*pure.parts)

    def make_dir(self, relative: str | os.PathLike[str], *, mode: int = 0o700) -> Path:
        """Create ``relative`` (and missing parents) owned by the user with ``mode``.

        Existing directories keep their mode, except the last one, which is set to ``mode``.
        """
        target = self.path(relative)
        current = self.home
        for part in target.relative_to(self.home).parts:
            current = current / part
            if not current.exists():
                current.mkdir(mode=mode)
                os.chown(current, self.uid, self.gid)
        os.chown(target, self.uid, self.gid)
        target.chmod(mode)
        return target

    def write_file(
        self,
        relative: str | os.PathLike[str],
        content: str | bytes,
        *,
        mode: int = 0o600,
        dir_mode: int = 0o700,
    ) -> Path:
        """Write a file in the home, owned by the user with ``mode``; return its path.

        Missing parent directories are created owned by the user with ``dir_mode`` (0700
        suits ``.ssh``). The file is replaced, not followed, if it is a symlink.
        """
        target = self.path(relative)
        if target.parent != self.home and not target.parent.exists():
            self.make_dir(target.parent.relative_to(self.home), mode=dir_mode)
        data = content.encode("utf-8") if isinstance(content, str) else content
        if target.is_symlink():
            target.unlink()
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        try:
            os.fchown(fd, self.uid, self.gid)
            os.fchmod(fd, mode)
            os.write(fd, data)
        finally:
            os.close(fd)
        return target

    def read_file(self, relative: str | os.PathLike[str]) -> str:
        """Read a text file in the home."""
        return self.path(relative).read_text(encoding="utf-8")

    def remove(self, relative: str | os.PathLike[str]) -> None:
        """Remove a file or directory tree in the home if it exists."""
        target = self.path(relative)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)

    def authorize_key(self, public_key_line: str) -> Path:
        """Make ``public_key_line`` the only entry of ``~/.ssh/authorized_keys`` (600, .ssh 700)."""
        return self.write_file(
            ".ssh/authorized_keys", public_key_line.strip() + "\n", mode=0o600, dir_mode=0o700
        )

    # --- processes ----------------------------------------------------------------------

    def run(
        self,
        *argv: str | os.PathLike[str],
        input_text: str | None = None,
        timeout: float = _COMMAND_TIMEOUT,
        check: bool = False,
        env: Mapping[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` as the user (``runuser -u NAME -- ...``) in the home, with a plain PATH."""
        user_env = {"PATH": USER_PATH, "LANG": "C.UTF-8", "HOME": str(self.home)}
        user_env.update(env or {})
        return run_command(
            [tool_path("runuser"), "-u", self.name, "--", *argv],
            input_text=input_text,
            timeout=timeout,
            check=check,
            cwd=self.home,
            env=user_env,
        )

    def process_ids(self) -> list[int]:
        """The pids of every live process with the user's real uid.

        Zombies are left out: a killed session whose ``[priv]`` monitor exited first is
        reparented to pid 1, which reaps it whenever it likes (over a second in containers
        whose pid 1 is not a real init); zombies hold nothing and ``userdel`` ignores them.
        """
        return [
            pid
            for pid in _all_pids()
            if _real_uid(pid) == self.uid and process_state(pid) not in ("Z", "")
        ]

    def kill_processes(self, *, timeout: float = 5.0) -> None:
        """SIGKILL every process of the user and wait until they are gone."""
        if not self.process_ids():
            return
        run_command(["pkill", "-KILL", "-u", self.name], check=False)

        def all_gone() -> bool:
            remaining = self.process_ids()
            if remaining:
                run_command(["pkill", "-KILL", "-u", self.name], check=False)
            return not remaining

        poll_until(all_gone, timeout=timeout, what=f"the processes of {self.name} to exit")

    def delete(self) -> None:
        """Kill the user's processes, ``userdel -r`` the account and remove the temp dir."""
        try:
            self.kill_processes()
            _run_account_tool(["userdel", "-r", self.name])
        finally:
            shutil.rmtree(self.base_dir, ignore_errors=True)


def _all_pids() -> Iterator[int]:
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            yield int(entry)


def _real_uid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            for line in status:
                if line.startswith("Uid:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return None


def process_state(pid: int) -> str:
    """The state letter from ``/proc/PID/stat`` (R, S, T for stopped, Z, ...); "" if gone."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""
    return stat_line.rsplit(")", 1)[1].split()[0]  # the command in (...) may hold spaces


def _cmdline(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return ""
    # sshd rewrites its title in place: NUL separators and trailing padding vary.
    return raw.replace(b"\0", b" ").decode("utf-8", "replace").strip()


def _socket_inodes(pid: int) -> set[int]:
    inodes: set[int] = set()
    fd_dir = f"/proc/{pid}/fd"
    try:
        names = os.listdir(fd_dir)
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return inodes
    for name in names:
        try:
            target = os.readlink(f"{fd_dir}/{name}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[8:-1]))
    return inodes


def _tcp_inodes_on_local_port(port: int) -> set[int]:
    """Inodes of the loopback TCP sockets whose LOCAL port is ``port`` (any state)."""
    inodes: set[int] = set()
    wanted = f":{port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[1].endswith(wanted):
                inodes.add(int(fields[9]))
    return inodes


def _pid_alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


class SshdServer:
    """A private OpenSSH server on 127.0.0.1 that lets only one :class:`TestUser` in.

    All its files (config, host key, pid file, log, a ready-made known_hosts) live in its own
    temp dir. Password and public-key login are on, TCP forwarding is allowed, root login is
    off. Use it as a context manager or call :meth:`close`.
    """

    def __init__(
        self,
        user: TestUser,
        *,
        port: int | None = None,
        config_overrides: Mapping[str, str] | None = None,
    ) -> None:
        """Prepare (not start) a server; ``config_overrides`` replace or add sshd options."""
        self.user = user
        self.host = LOOPBACK
        self._fixed_port = port is not None
        self.port = port if port is not None else _free_loopback_port()
        self.dir = Path(tempfile.mkdtemp(prefix="gpudesk-sshd-srv-", dir=TESTBED_TMP_ROOT))
        self.config_path = self.dir / "sshd_config"
        self.host_key_path = self.dir / "ssh_host_ed25519_key"
        self.pid_path = self.dir / "sshd.pid"
        self.log_path = self.dir / "sshd.log"
        self.stderr_path = self.dir / "sshd.stderr"
        self.known_hosts_path = self.dir / "known_hosts"
        self._config_overrides = dict(config_overrides or {})
        self._process: subprocess.Popen[bytes] | None = None
        self._frozen: set[int] = set()
        self._generate_host_key()

    def __repr__(self) -> str:
        state = "running" if self.is_running() else "stopped"
        return f"SshdServer({self.host}:{self.port}, user={self.user.name!r}, {state})"

    def __enter__(self) -> SshdServer:
        if not self.is_running():
            self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- configuration --------------------------------------------------------------------

    def config_options(self) -> dict[str, str]:
        """The sshd options written to the config, overrides applied."""
        options = {
            "Port": str(self.port),
            "ListenAddress": LOOPBACK,
            "HostKey": str(self.host_key_path),
            "PidFile": str(self.pid_path),
            "UsePAM": "no",
            "StrictModes": "yes",
            "AllowUsers": self.user.name,
            "PasswordAuthentication": "yes",
            "PubkeyAuthentication": "yes",
            "KbdInteractiveAuthentication": "no",
            "AuthorizedKeysFile": ".ssh/authorized_keys",
            "AllowTcpForwarding": "yes",
            "PermitRootLogin": "no",
            "LogLevel": "VERBOSE",
            "Subsystem": "sftp internal-sftp",
            "MaxStartups": "100:30:200",
            "MaxSessions": "100",
        }
        options.update(self._config_overrides)
        return options

    def _write_config(self) -> None:
        lines = [f"{key} {value}" for key, value in self.config_options().items()]
        self.config_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = run_command([SSHD_PATH, "-t", "-f", self.config_path], check=False)
        if result.returncode != 0:
            raise TestbedError(
                f"sshd -t rejected {self.config_path}:\n{(result.stderr + result.stdout).strip()}"
            )

    def _generate_host_key(self) -> None:
        for path in (self.host_key_path, self.host_key_path.with_suffix(".pub")):
            path.unlink(missing_ok=True)
        generate_openssh_key(self.host_key_path, comment="gpudesk-testbed-host")

    # --- lifecycle ------------------------------------------------------------------------

    def is_running(self) -> bool:
        """True while the listener process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self, *, timeout: float = 10.0) -> None:
        """Start sshd and wait until the port answers with an SSH banner.

        A port picked automatically that another process grabbed first is replaced by a new
        free one (a few attempts); a fixed port (after a restart) is not.
        """
        if self.is_running():
            raise TestbedError(f"{self!r} is already running")
        _ensure_privsep_dir()
        attempts = 1 if self._fixed_port else 3
        for attempt in range(attempts):
            self._write_config()
            self._write_known_hosts(self.known_hosts_path)
            try:
                self._launch_and_wait(timeout)
                return
            except _PortTakenError:
                if attempt == attempts - 1:
                    raise
                self.port = _free_loopback_port()

    def _launch_and_wait(self, timeout: float) -> None:
        with self.stderr_path.open("ab") as stderr_file:
            self._process = subprocess.Popen(
                [SSHD_PATH, "-D", "-f", str(self.config_path), "-E", str(self.log_path)],
                stdin=subprocess.DEVNULL,
                stdout=stderr_file,
                stderr=stderr_file,
                start_new_session=True,  # a ^C in the terminal must not skip our teardown
            )
        process = self._process

        def banner_seen() -> bool:
            if process.poll() is not None:
                output = self.log_text() + self.stderr_path.read_text("utf-8", "replace")
                if "Address already in use" in output:
                    raise _PortTakenError(output)
                raise TestbedError(f"sshd exited with {process.returncode}:\n{output.strip()}")
            return _read_banner(self.host, self.port).startswith("SSH-2.0-")

        try:
            poll_until(banner_seen, timeout=timeout, what=f"sshd on {self.host}:{self.port}")
        except TimeoutError:
            self._terminate_listener()
            raise

    def stop(self) -> None:
        """Stop the listener. Established sessions live on, as after a real sshd restart."""
        self._terminate_listener()

    def _terminate_listener(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

    def restart_with_new_host_key(self) -> None:
        """Stop, generate a NEW host key and start again on the same port."""
        self.stop()
        self._generate_host_key()
        self._fixed_port = True
        self.start()

    def close(self) -> None:
        """Thaw and kill this server's sessions, stop the listener and remove its files."""
        try:
            self.signal_sessions(signal.SIGCONT)
            self.signal_sessions(signal.SIGKILL)
            self._terminate_listener()
        finally:
            self._frozen.clear()
            shutil.rmtree(self.dir, ignore_errors=True)

    # --- host key -------------------------------------------------------------------------

    def host_key_line(self) -> str:
        """The server's public key as ``ssh-ed25519 AAAA...`` (no comment)."""
        key_type, key_base64 = self.host_key_path.with_suffix(".pub").read_text("ascii").split()[:2]
        return f"{key_type} {key_base64}"

    def host_key_fingerprint(self) -> str:
        """The host key's ``SHA256:...`` fingerprint as ``ssh-keygen -lf`` prints it."""
        output = run_command(["ssh-keygen", "-lf", self.host_key_path.with_suffix(".pub")])
        return output.stdout.split()[1]

    def paramiko_host_key(self) -> paramiko.PKey:
        """The host key as a paramiko key object (for ``client.get_host_keys().add``)."""
        key_type, key_base64 = self.host_key_line().split()
        return paramiko.PKey.from_type_string(key_type, base64.b64decode(key_base64))

    def known_hosts_name(self) -> str:
        """How OpenSSH names this server in known_hosts: ``[127.0.0.1]:PORT``."""
        return f"[{self.host}]:{self.port}"

    def known_hosts_line(self) -> str:
        """A known_hosts line for the current host key."""
        return f"{self.known_hosts_name()} {self.host_key_line()}"

    def _write_known_hosts(self, path: Path) -> None:
        path.write_text(self.known_hosts_line() + "\n", encoding="utf-8")

    # --- log ------------------------------------------------------------------------------

    def log_text(self) -> str:
        """Everything sshd logged so far (``LogLevel VERBOSE``), across restarts."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def wait_for_log(self, pattern: str | re.Pattern[str], timeout: float = 5.0) -> re.Match[str]:
        """Wait until the log matches ``pattern`` (``re.search``, MULTILINE); return the match.

        Raises:
            TimeoutError: no match in time; the message ends with the log's last lines.
        """
        regex = re.compile(pattern, re.MULTILINE) if isinstance(pattern, str) else pattern
        try:
            return poll_until(
                lambda: regex.search(self.log_text()),
                timeout=timeout,
                what=f"sshd log to match {regex.pattern!r}",
            )
        except TimeoutError as error:
            tail = "\n".join(self.log_text().splitlines()[-20:])
            raise TimeoutError(f"{error}; log tail:\n{tail}") from None

    # --- session processes ----------------------------------------------------------------

    def session_processes(self) -> list[int]:
        """Pids of this server's per-connection processes running as the test user.

        Their titles are ``sshd: USER@notty`` (or ``@pts/N``), or ``sshd: USER`` on a
        connection with no session channel yet (a tunnel-only ``ssh -N``). The ``[priv]``
        monitor (root) is not included: freezing it would not freeze the connection.

        A process counts when it runs as the test user, has such a title and holds a TCP socket
        whose local port is this server's (so it still counts after :meth:`stop` orphaned it,
        and sessions of another server for the same user do not).
        """
        port_inodes = _tcp_inodes_on_local_port(self.port)
        if not port_inodes:
            return []
        pids = []
        for pid in _all_pids():
            if _real_uid(pid) != self.user.uid:
                continue
            title = _SESSION_TITLE.match(_cmdline(pid))
            if title is None or title.group("user") != self.user.name:
                continue
            if _socket_inodes(pid) & port_inodes:
                pids.append(pid)
        return sorted(pids)

    def wait_for_sessions(self, count: int = 1, timeout: float = 5.0) -> list[int]:
        """Wait until at least ``count`` session processes exist; return their pids."""

        def enough_sessions() -> list[int] | None:
            found = self.session_processes()
            return found if len(found) >= count else None

        return poll_until(
            enough_sessions,
            timeout=timeout,
            what=f"{count} session process(es) of {self.user.name} on port {self.port}",
        )

    def signal_sessions(self, sig: int) -> list[int]:
        """Send ``sig`` (SIGSTOP, SIGCONT, SIGKILL, ...) to every session process; return pids.

        Stopped pids are remembered so :meth:`close` and the fixtures can thaw them.
        """
        pids = self.session_processes()
        if sig == signal.SIGCONT:
            pids = sorted(set(pids) | {pid for pid in self._frozen if _pid_alive(pid)})
        signalled = []
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                continue
            signalled.append(pid)
        if sig == signal.SIGSTOP:
            self._frozen.update(signalled)
        elif sig in (signal.SIGCONT, signal.SIGKILL):
            self._frozen.difference_update(pids)
        return signalled

    def thaw_sessions(self) -> list[int]:
        """SIGCONT every session this server froze (safe to call at any time)."""
        return self.signal_sessions(signal.SIGCONT)

    # --- clients --------------------------------------------------------------------------

    def openssh_client_argv(
        self,
        *extra: str,
        identity: str | os.PathLike[str] | None = None,
        known_hosts: str | os.PathLike[str] | None = None,
    ) -> list[str]:
        """An argv for the REAL ``ssh`` client to this server as the test user.

        ``extra`` goes after the destination; OpenSSH parses options there too, so it may hold
        options (``-N``, ``-L ...``, ``-o ...``) followed by the remote command (one string
        for the remote shell). ``known_hosts`` defaults to a file this server keeps holding its
        CURRENT key as ``[127.0.0.1]:PORT``; a path given is used as is (e.g. a stale copy to
        see a changed-key refusal). With ``identity`` only that key is offered. The argv
        reads no ssh config (``-F /dev/null``) and never prompts (``BatchMode=yes``).
        """
        known_hosts_file = os.fspath(known_hosts) if known_hosts else str(self.known_hosts_path)
        argv = [
            tool_path("ssh"), "-F", "/dev/null", "-p", str(self.port),
            "-o", f"UserKnownHostsFile={known_hosts_file}",
            "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=5",
            "-o", "IdentityAgent=none",
        ]  # fmt: skip
        if identity is not None:
            argv += ["-i", os.fspath(identity), "-o", "IdentitiesOnly=yes"]
        argv.append(f"{self.user.name}@{self.host}")
        argv.extend(extra)
        return argv

    def paramiko_client(
        self,
        *,
        password: str | None = None,
        pkey: paramiko.PKey | None = None,
        timeout: float = 5.0,
    ) -> paramiko.SSHClient:
        """A connected paramiko client; the host key is pinned in memory (RejectPolicy).

        Logs in with ``pkey`` when given, else with ``password`` (default: the user's).
        The caller closes it.
        """
        if pkey is None and password is None:
            password = self.user.password
        host_key = self.paramiko_host_key()
        client = paramiko.SSHClient()
        client.get_host_keys().add(self.known_hosts_name(), host_key.get_name(), host_key)
        client.set_missing_host_key_policy(paramiko.RejectPolicy())
        try:
            client.connect(
                self.host,
                port=self.port,
                username=self.user.name,
                password=password,
                pkey=pkey,
                allow_agent=False,
                look_for_keys=False,
                timeout=timeout,
                banner_timeout=timeout,
                auth_timeout=timeout,
                channel_timeout=timeout,
            )
        except BaseException:
            client.close()
            raise
        return client


class _PortTakenError(TestbedError):
    """sshd could not bind its port (another process took it after we picked it)."""


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def _read_banner(host: str, port: int) -> str:
    """The first line the server sends, or "" when it does not (yet) accept or answer."""
    try:
        with socket.create_connection((host, port), timeout=1.0) as connection:
            data = b""
            while b"\n" not in data and len(data) < 256:
                chunk = connection.recv(256)
                if not chunk:
                    break
                data += chunk
    except OSError:
        return ""
    return data.decode("ascii", "replace").strip()


def _ensure_privsep_dir() -> None:
    """sshd refuses to start without /run/sshd (root-owned, 0755)."""
    privsep = Path("/run/sshd")
    if not privsep.is_dir():
        privsep.mkdir(mode=0o755, parents=True, exist_ok=True)
        privsep.chmod(0o755)  # what Debian's openssh-server creates
