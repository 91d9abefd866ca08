"""Real Jupyter and TensorBoard on the test bed's "remote" side, for the test user.

The test user cannot read root's (pyenv) interpreter, so ``scripts/remote-testbed-venv.sh``
(run by ``make test``) builds a world-readable venv from Debian's ``/usr/bin/python3`` at
``/opt/gpudesk-testbed/venv`` with ``jupyter_server`` and the real ``tensorboard`` (no
TensorFlow: it starts in about a second). The ``remote_jupyter`` fixture builds it when it is
missing (as root, ~25 s once), links ``jupyter``, ``jupyter-server`` and ``tensorboard`` into
the test user's ``~/bin`` (Debian's ``~/.profile`` puts it on PATH in login shells, which is
how gpudesk runs remote commands), and afterwards kills every process the user runs from the
venv and removes the links and Jupyter's runtime files.

Load it in a test module with ``from tests.testbed.remote_venv import remote_jupyter_fixture``
(``# noqa: F401``). Without root or Debian's python3-venv it skips, except under ``CI=true``,
where it fails like the other test-bed fixtures.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.testbed.fixtures import skip_or_fail
from tests.testbed.sshd import TestUser, poll_until, testbed_unavailable_reason

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = REPO_ROOT / "scripts" / "remote-testbed-venv.sh"
VENV = Path(os.environ.get("GPUDESK_TESTBED_VENV", "/opt/gpudesk-testbed/venv"))
#: The programs put on the test user's login PATH (no ``jupyter-lab``: jupyter_server only).
LINKED_PROGRAMS = ("jupyter", "jupyter-server", "tensorboard")
#: Where the user's Jupyter and gpudesk keep runtime files; removed after each test.
_USER_STATE_DIRS = (".local/share/jupyter", ".jupyter", ".gpudesk")
_TCP_LISTEN = "0A"


class RemoteJupyter:
    """The venv's programs on the test user's PATH, and checks on what runs from it."""

    def __init__(self, user: TestUser, venv: Path) -> None:
        """Bind to ``user``; :meth:`link` puts the programs in place."""
        self.user = user
        self.venv = venv

    def link(self) -> None:
        """Symlink the programs into ``~/bin`` (owned by the user)."""
        self.user.make_dir("bin", mode=0o755)
        for name in LINKED_PROGRAMS:
            link = self.user.path(f"bin/{name}")
            link.unlink(missing_ok=True)
            link.symlink_to(self.venv / "bin" / name)
            os.lchown(link, self.user.uid, self.user.gid)

    def unlink(self) -> None:
        """Remove the links and the user's Jupyter/gpudesk runtime files."""
        for name in LINKED_PROGRAMS:
            self.user.path(f"bin/{name}").unlink(missing_ok=True)
        for relative in _USER_STATE_DIRS:
            self.user.remove(relative)

    def processes(self, name: str = "", *, children: bool = False) -> list[int]:
        """Pids of the user's live processes running from the venv (``name`` in the argv).

        Children of such a process (TensorBoard's data server) are left out unless asked.
        """
        found = []
        for pid in self.user.process_ids():
            argv = read_argv(pid)
            if any(str(self.venv) in arg for arg in argv) and name in " ".join(argv):
                found.append(pid)
        if children:
            return found
        return [pid for pid in found if parent_pid(pid) not in found]

    def kill_all(self, timeout: float = 10.0) -> None:
        """SIGKILL every process of the user running from the venv, and wait for them."""
        for pid in self.processes(children=True):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                continue
        poll_until(
            lambda: not self.processes(children=True),
            timeout=timeout,
            what="venv processes to exit",
        )


def read_argv(pid: int) -> list[str]:
    """The argv of ``pid`` (empty when it is gone)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return []
    return [part.decode("utf-8", "replace") for part in raw.split(b"\0") if part]


def parent_pid(pid: int) -> int | None:
    """The parent of ``pid`` (None when it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def read_environ(pid: int) -> dict[str, str]:
    """The environment of ``pid`` (root reads anyone's)."""
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    pairs = (part.decode("utf-8", "replace").partition("=") for part in raw.split(b"\0"))
    return {key: value for key, _, value in pairs if key}


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a TCP socket LISTENING on ``port`` (IPv4 and IPv6)."""
    addresses: set[str] = set()
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        try:
            lines = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            fields = line.split()
            address, _, hex_port = fields[1].partition(":")
            if fields[3] != _TCP_LISTEN or int(hex_port, 16) != port:
                continue
            raw = bytes.fromhex(address)
            # /proc prints each 32-bit word in host (little-endian) order.
            words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            addresses.add(socket.inet_ntop(family, words))
    return addresses


def _ensure_venv() -> None:
    if (VENV / "bin" / "jupyter-server").exists() and (VENV / "bin" / "tensorboard").exists():
        return
    result = subprocess.run(
        ["bash", str(BUILD_SCRIPT)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, "GPUDESK_TESTBED_VENV": str(VENV)},
    )
    if not (VENV / "bin" / "jupyter-server").exists():
        skip_or_fail(
            f"the remote-side venv {VENV} could not be built "
            f"(scripts/remote-testbed-venv.sh exited {result.returncode}): "
            f"{(result.stderr or result.stdout).strip()[-500:]}"
        )


@pytest.fixture(name="remote_jupyter")
def remote_jupyter_fixture(test_user: TestUser) -> Iterator[RemoteJupyter]:
    """jupyter_server and tensorboard on the test user's login PATH; all killed afterwards."""
    reason = testbed_unavailable_reason()
    if reason is not None:
        skip_or_fail(reason)
    _ensure_venv()
    remote = RemoteJupyter(test_user, VENV)
    remote.link()
    try:
        yield remote
    finally:
        try:
            remote.kill_all()
        finally:
            remote.unlink()
