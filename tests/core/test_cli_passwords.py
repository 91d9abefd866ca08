"""The password a login command needs: from --password-stdin, a terminal, or a clear refusal.

``check``, ``install-key`` and ``setup`` share one way of getting the password; without a
terminal and without ``--password-stdin`` each refuses with exit 2 and its own message before
anything connects (the host is a closed port, so a connection attempt would end in 6).
Runs ``python -m gpudesk`` in the temporary HOME; no network, no sshd.
"""

from __future__ import annotations

import socket

from gpudesk.core.errors import ExitCode
from gpudesk.core.keys.keypairs import generate_key
from tests.clihelpers import run_gpudesk


def _closed_port_command() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"ssh -p {port} root@127.0.0.1"


def test_each_login_command_without_a_password_exits_2_with_its_own_message() -> None:
    command = _closed_port_command()
    key = generate_key(name="id_password_test").private_path
    expected = {
        ("check", command): "No password or key was given",
        ("install-key", command, "--identity", str(key)): "Installing a key needs",
        ("setup", command, "--alias", "nopw"): "gpudesk needs the instance's password",
    }
    for argv, message in expected.items():
        result = run_gpudesk(*argv)
        assert result.returncode == ExitCode.BAD_INPUT, (argv, result.stderr)
        assert result.stdout == ""
        assert message in result.stderr
        assert "--password-stdin" in result.stderr
        assert "Traceback" not in result.stderr


def test_password_stdin_is_read_and_an_empty_one_is_refused() -> None:
    empty = run_gpudesk("check", _closed_port_command(), "--password-stdin", stdin="\n")
    assert empty.returncode == ExitCode.BAD_INPUT
    assert "standard input held no password" in empty.stderr
    given = run_gpudesk("check", _closed_port_command(), "--password-stdin", stdin="pw\n")
    assert given.returncode == ExitCode.UNREACHABLE  # read, then the closed port answered
