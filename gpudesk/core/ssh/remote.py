"""Log in to an instance with paramiko, the host key checked before any credential.

The flow is explicit rather than ``SSHClient``'s: open the TCP socket (bounded), run the key
exchange (bounded), compare the server's key with the instance's pin, ask the caller on first
contact, stop hard on a changed key, and only then send the password or key. Timeouts cover
TCP, banner, authentication and every command.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType

import paramiko

from gpudesk.core.errors import (
    AuthenticationError,
    HostKeyChangedError,
    HostKeyUnknownError,
    InputError,
    InstanceAnswerError,
    RemoteCommandError,
    UnreachableError,
)
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import KEY_TYPE_ALGORITHMS, HostKeyStore, PresentedKey, Verdict

log = logging.getLogger(__name__)

#: Asked on first contact with the fingerprint; True pins the key and goes on.
ConfirmHostKey = Callable[[PresentedKey], bool]


@dataclass(frozen=True)
class Timeouts:
    """Seconds allowed for each phase of a login and for commands."""

    connect: float = 10.0
    banner: float = 15.0
    auth: float = 20.0
    command: float = 60.0


DEFAULT_TIMEOUTS = Timeouts()

#: What one remote command may print (stdout and stderr together) before it is stopped.
MAX_OUTPUT_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Credentials:
    """How to authenticate. Secrets are kept out of ``repr``."""

    password: str | None = field(default=None, repr=False)
    key: paramiko.PKey | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.password is None and self.key is None:
            raise InputError(
                "ssh.no_credentials",
                "No password and no key were given.",
                "Paste the password the console shows, or choose a private key.",
            )


@dataclass(frozen=True)
class CommandResult:
    """What a remote command returned."""

    exit_status: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class HostKeyCheck:
    """How the host key was judged for this connection."""

    pin_name: str
    key: PresentedKey
    newly_pinned: bool


class Connection:
    """An authenticated SSH transport to one instance. Close it (or use ``with``)."""

    def __init__(
        self, transport: paramiko.Transport, target: SshTarget, host_key: HostKeyCheck
    ) -> None:
        self.transport = transport
        self.target = target
        self.host_key = host_key

    def __enter__(self) -> Connection:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def is_active(self) -> bool:
        """True while the transport is up (says nothing about a frozen peer)."""
        return bool(self.transport.is_active())

    def close(self) -> None:
        """Close the transport and its socket (idempotent)."""
        self.transport.close()

    def run(
        self,
        command: str,
        *,
        stdin: bytes = b"",
        timeout: float = 60.0,
        max_output: int = MAX_OUTPUT_BYTES,
    ) -> CommandResult:
        """Run ``command`` through the remote user's shell; ``stdin`` is sent then closed.

        One deadline covers every step: opening the channel, the exec request, writing
        ``stdin`` and reading the answer. A watchdog closes the channel when it passes, which
        wakes a step paramiko itself would wait on forever (an exec request never answered).
        At most ``max_output`` bytes of stdout and stderr together are kept: the instance is
        not trusted, and a command that prints more is stopped.

        Raises:
            RemoteCommandError: the channel could not be opened or the command failed.
            InstanceAnswerError: the deadline passed, or the command printed more than
                ``max_output`` bytes (exit code 6, like an unreachable instance).
        """
        deadline = time.monotonic() + timeout
        try:
            channel = self.transport.open_session(timeout=min(timeout, 15.0))
        except (paramiko.SSHException, OSError, EOFError) as exc:
            raise RemoteCommandError(
                "ssh.channel_failed",
                f"Could not open a session on the instance: {exc}",
                "The connection may have dropped; try again.",
            ) from exc
        watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _close_quietly, [channel])
        watchdog.daemon = True
        watchdog.start()
        with contextlib.closing(channel):
            try:
                channel.settimeout(max(0.001, deadline - time.monotonic()))
                channel.exec_command(command)
                if stdin:
                    channel.sendall(stdin)
                channel.shutdown_write()
                stdout, stderr = _drain(channel, deadline, max_output)
                return CommandResult(channel.recv_exit_status(), stdout, stderr)
            except (paramiko.SSHException, OSError, EOFError) as exc:
                if time.monotonic() >= deadline:
                    raise _timed_out() from exc
                raise RemoteCommandError(
                    "ssh.channel_failed",
                    f"The command could not run on the instance: {exc}",
                    "The connection may have dropped; try again.",
                ) from exc
            finally:
                watchdog.cancel()


def _close_quietly(channel: paramiko.Channel) -> None:
    """The watchdog: close the channel; a transport already gone is fine."""
    with contextlib.suppress(paramiko.SSHException, OSError, EOFError):
        channel.close()


def _timed_out() -> RemoteCommandError:
    return InstanceAnswerError(
        "ssh.command_timeout",
        "The command on the instance did not finish in time.",
        "The instance may be overloaded; try again or raise the timeout.",
    )


def _drain(channel: paramiko.Channel, deadline: float, limit: int) -> tuple[str, str]:
    """Read stdout and stderr together until the command ends or the deadline passes."""
    output = _BoundedOutput(limit)
    while True:
        busy = False
        if channel.recv_ready():
            output.add(0, channel.recv(65536))
            busy = True
        if channel.recv_stderr_ready():
            output.add(1, channel.recv_stderr(65536))
            busy = True
        if (
            channel.exit_status_ready()
            and not channel.recv_ready()
            and not (channel.recv_stderr_ready())
        ):
            # Collect what arrived between the checks, then stop.
            while not channel.eof_received and time.monotonic() < deadline:
                time.sleep(0.005)
                if channel.recv_ready():
                    output.add(0, channel.recv(65536))
            break
        if channel.closed and not busy:
            if time.monotonic() >= deadline:
                raise _timed_out()
            break
        if time.monotonic() > deadline:
            raise _timed_out()
        if not busy:
            channel.status_event.wait(0.01)
    return output.text(0), output.text(1)


class _BoundedOutput:
    """stdout and stderr read from a channel: at most ``limit`` bytes of both together."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.streams: tuple[list[bytes], list[bytes]] = ([], [])
        self.size = 0

    def add(self, stream: int, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            raise InstanceAnswerError(
                "ssh.output_too_large",
                f"The instance printed more than {self.limit // (1024 * 1024)} MB in answer "
                "to one command; gpudesk stopped reading.",
                "Something on the instance floods its output (for example a broken "
                "nvidia-smi or a login script); open a terminal on it and check.",
            )
        self.streams[stream].append(chunk)

    def text(self, stream: int) -> str:
        return b"".join(self.streams[stream]).decode("utf-8", "replace")


def open_socket(target: SshTarget, timeout: float) -> socket.socket:
    """Open the TCP connection with a bound and keepalive set as a backstop."""
    try:
        sock = socket.create_connection((target.host, target.port), timeout=timeout)
    except socket.gaierror as exc:
        raise UnreachableError(
            "ssh.dns_failed",
            f"The host name {target.host} could not be resolved.",
            "Check the host in the command you pasted; the console shows the current one.",
        ) from exc
    except TimeoutError as exc:
        raise UnreachableError(
            "ssh.connect_timeout",
            f"No answer from {target.address} within {timeout:g} s.",
            "Is the instance running? AutoDL and deepln change host and port when an "
            "instance restarts: copy the command again from the console.",
        ) from exc
    except OSError as exc:
        raise UnreachableError(
            "ssh.connect_refused",
            f"Could not connect to {target.address}: {exc.strerror or exc}.",
            "Is the instance running? Copy the current command from the console.",
        ) from exc
    _enable_tcp_keepalive(sock)
    # Logins and small messages must not wait for Nagle's algorithm.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _enable_tcp_keepalive(sock: socket.socket) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for name, value in (("TCP_KEEPIDLE", 10), ("TCP_KEEPINTVL", 5), ("TCP_KEEPCNT", 3)):
        option = getattr(socket, name, None)
        if option is not None:
            sock.setsockopt(socket.IPPROTO_TCP, option, value)
    user_timeout = getattr(socket, "TCP_USER_TIMEOUT", None)
    if user_timeout is not None:
        sock.setsockopt(socket.IPPROTO_TCP, user_timeout, 30_000)


def connect(
    target: SshTarget,
    credentials: Credentials,
    *,
    pin_name: str,
    host_keys: HostKeyStore,
    confirm_new_host_key: ConfirmHostKey | None = None,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
    prepare_transport: Callable[[paramiko.Transport], None] | None = None,
) -> Connection:
    """Log in to ``target``; the host key is verified against ``pin_name`` first.

    ``prepare_transport`` may tune the transport (e.g. cipher order) before the handshake.

    Raises:
        UnreachableError: no TCP connection, no SSH banner, or the key exchange failed.
        HostKeyUnknownError: first contact and the key was not accepted.
        HostKeyChangedError: the key differs from the pin (no credential was sent).
        AuthenticationError: the password or key was refused.
    """
    sock = open_socket(target, timeouts.connect)
    transport = paramiko.Transport(sock)
    try:
        transport.banner_timeout = timeouts.banner
        transport.auth_timeout = timeouts.auth
        _prefer_pinned_key_type(transport, host_keys, pin_name)
        if prepare_transport is not None:
            prepare_transport(transport)
        try:
            # start_client returns silently when its timeout passes mid-negotiation;
            # get_remote_server_key then raises, which makes a hung server "unreachable".
            transport.start_client(timeout=timeouts.banner)
            server_key = transport.get_remote_server_key()
        except (paramiko.SSHException, EOFError, OSError) as exc:
            raise UnreachableError(
                "ssh.handshake_failed",
                f"{target.address} did not complete an SSH handshake: {exc}",
                "Check the port: it must be the SSH port the console shows.",
            ) from exc
        check = _check_host_key(server_key, pin_name, host_keys, confirm_new_host_key)
        _authenticate(transport, target, credentials)
    except BaseException:
        transport.close()
        raise
    log.info("connected to %s as %s", target.address, target.user)
    return Connection(transport, target, check)


def _prefer_pinned_key_type(transport: paramiko.Transport, store: HostKeyStore, name: str) -> None:
    pin = store.lookup(name)
    if pin is None or pin.key_type not in KEY_TYPE_ALGORITHMS:
        return
    options = transport.get_security_options()
    # Only what this paramiko offers: paramiko 5 dropped SHA-1 "ssh-rsa" signatures.
    preferred = tuple(t for t in KEY_TYPE_ALGORITHMS[pin.key_type] if t in options.key_types)
    options.key_types = preferred + tuple(t for t in options.key_types if t not in preferred)


def _check_host_key(
    server_key: paramiko.PKey,
    pin_name: str,
    store: HostKeyStore,
    confirm: ConfirmHostKey | None,
) -> HostKeyCheck:
    presented = PresentedKey(server_key.get_name(), server_key.get_base64())
    verdict, pin = store.verify(pin_name, presented)
    if verdict is Verdict.MATCH:
        return HostKeyCheck(pin_name, presented, newly_pinned=False)
    if verdict is Verdict.CHANGED and pin is not None:
        raise HostKeyChangedError(
            "ssh.host_key_changed",
            f"The host key of {pin_name} has CHANGED: pinned {pin.fingerprint}, "
            f"the server now shows {presented.fingerprint}. Nothing was sent to it.",
            "If the platform gave this address to a new instance, forget the old key "
            f"(gpudesk forget-host-key {pin_name}) and check again; otherwise do not connect.",
            old_fingerprint=pin.fingerprint,
            new_fingerprint=presented.fingerprint,
        )
    if confirm is None or not confirm(presented):
        raise HostKeyUnknownError(
            "ssh.host_key_unknown",
            f"The host key of {pin_name} is not trusted yet ({presented.key_type} "
            f"{presented.fingerprint}).",
            "Compare the fingerprint with the platform's console if it shows one, then "
            "accept it (--accept-new-host-key on the command line).",
            fingerprint=presented.fingerprint,
        )
    store.pin(pin_name, presented)
    return HostKeyCheck(pin_name, presented, newly_pinned=True)


def _authenticate(transport: paramiko.Transport, target: SshTarget, creds: Credentials) -> None:
    try:
        if creds.key is not None:
            transport.auth_publickey(target.user, creds.key)
        else:
            transport.auth_password(target.user, creds.password or "")
    except paramiko.BadAuthenticationType as exc:
        allowed = ", ".join(exc.allowed_types) or "none"
        raise AuthenticationError(
            "ssh.auth_method_refused",
            f"{target.address} does not accept this login method (it allows: {allowed}).",
            "Use a key that is installed on the instance, or the console's password.",
        ) from exc
    except paramiko.AuthenticationException as exc:
        what = "key" if creds.key is not None else "password"
        raise AuthenticationError(
            "ssh.auth_failed",
            f"The instance refused the {what} for user {target.user}.",
            "Copy the password again from the console (it changes when an instance is "
            "re-created) and check the user name.",
        ) from exc
    except (paramiko.SSHException, EOFError, OSError) as exc:
        raise UnreachableError(
            "ssh.dropped",
            f"The connection dropped during login: {exc}",
            "Try again; if it keeps happening the instance may be overloaded.",
        ) from exc
    if not transport.is_authenticated():
        raise AuthenticationError(
            "ssh.auth_failed",
            f"The instance did not accept the login for user {target.user}.",
            "Check the user name and the password or key.",
        )


def read_bounded_output(
    channel: paramiko.Channel, deadline: float, limit: int = MAX_OUTPUT_BYTES
) -> tuple[str, str]:
    """stdout and stderr of a command whose stdin the caller streamed itself.

    The same bounded reader as :meth:`Connection.run`: at most ``limit`` bytes of both
    together, and ``deadline`` (a ``time.monotonic()`` value) for the whole answer.

    Raises:
        InstanceAnswerError: The deadline passed or the command printed too much.
    """
    return _drain(channel, deadline, limit)
