"""A server that accepts the login, then never answers an exec request: nothing may hang.

OpenSSH cannot be told to swallow an exec request, so this is a scripted paramiko server: a
legitimate stand-in for a broken or hostile instance (its sshd stuck, its root playing games).
It logs in with a password, opens the session channel, and then holds every exec request
(or answers it and never reads stdin) until the test ends.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import paramiko
import pytest

from gpudesk.core.errors import ExitCode, RemoteCommandError
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.ssh.probe import probe_instance
from gpudesk.core.ssh.remote import Connection, Credentials, connect

PASSWORD = "stall-password"
#: A hang guard, not a timing assertion: the calls under test have a 1 s deadline.
HANG_GUARD_S = 60.0


class StallingServer(paramiko.ServerInterface):
    """Lets in ``user``/``PASSWORD``; exec requests wait on ``release`` (never, in practice)."""

    def __init__(self, release: threading.Event, answer_exec: bool) -> None:
        self.release = release
        self.answer_exec = answer_exec

    def check_auth_password(self, username: str, password: str) -> int:
        ok = password == PASSWORD
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def get_allowed_auths(self, username: str) -> str:
        return "password"

    def check_channel_request(self, kind: str, chanid: int) -> int:
        return paramiko.OPEN_SUCCEEDED

    def check_channel_exec_request(self, channel: paramiko.Channel, command: bytes) -> bool:
        if not self.answer_exec:
            self.release.wait(HANG_GUARD_S)  # holds the server's transport thread
        return True


@dataclass
class Stall:
    """The running stand-in: where it listens and how to pin its host key."""

    port: int
    host_key: paramiko.PKey


def serve(answer_exec: bool) -> Iterator[Stall]:
    release = threading.Event()
    key = paramiko.RSAKey.generate(2048)
    listener = socket.create_server(("127.0.0.1", 0))
    transports: list[paramiko.Transport] = []

    def accept() -> None:
        while True:
            try:
                sock, _addr = listener.accept()
            except OSError:
                return
            transport = paramiko.Transport(sock)
            transport.add_server_key(key)
            transports.append(transport)
            transport.start_server(server=StallingServer(release, answer_exec))

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield Stall(listener.getsockname()[1], key)
    finally:
        release.set()
        listener.close()
        for transport in transports:
            transport.close()


@pytest.fixture(name="silent_exec")
def silent_exec_fixture() -> Iterator[Stall]:
    """A server that never answers an exec request."""
    yield from serve(answer_exec=False)


@pytest.fixture(name="deaf_stdin")
def deaf_stdin_fixture() -> Iterator[Stall]:
    """A server that accepts the exec request but never reads what is sent to it."""
    yield from serve(answer_exec=True)


def login(stall: Stall) -> Connection:
    store = HostKeyStore()
    store.pin("stall", PresentedKey(stall.host_key.get_name(), stall.host_key.get_base64()))
    return connect(
        SshTarget("someone", "127.0.0.1", stall.port),
        Credentials(password=PASSWORD),
        pin_name="stall",
        host_keys=store,
    )


def run_guarded(call: object) -> BaseException | None:
    """Run ``call`` on a thread; return what it raised (None: it returned); fail on a hang."""
    outcome: list[BaseException | None] = []

    def target() -> None:
        try:
            call()  # type: ignore[operator]
        except BaseException as error:
            outcome.append(error)
        else:
            outcome.append(None)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(HANG_GUARD_S)
    assert outcome, "the remote step hung past its deadline"
    return outcome[0]


def test_an_exec_request_never_answered_times_out(silent_exec: Stall) -> None:
    with login(silent_exec) as connection:
        error = run_guarded(lambda: probe_instance(connection, timeout=1.0))
    assert isinstance(error, RemoteCommandError), error
    assert error.code == "ssh.command_timeout" and error.exit_code == ExitCode.UNREACHABLE


def test_stdin_never_read_times_out(deaf_stdin: Stall) -> None:
    """8 MB of stdin into a channel whose window never opens: the write is bounded too."""
    with login(deaf_stdin) as connection:
        error = run_guarded(lambda: connection.run("cat", stdin=b"x" * 8_000_000, timeout=1.0))
    assert isinstance(error, RemoteCommandError), error
    assert error.code == "ssh.command_timeout" and error.exit_code == ExitCode.UNREACHABLE
