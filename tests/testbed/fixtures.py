"""pytest fixtures for the real-OpenSSH test bed (load with ``pytest_plugins``).

* ``test_user`` (session): a :class:`~tests.testbed.sshd.TestUser`, created once per run.
* ``sshd`` (session): a running :class:`~tests.testbed.sshd.SshdServer` shared by most tests.
  Do not stop or restart it; frozen sessions are thawed after every test that used it.
* ``sshd_factory`` (function): ``sshd_factory(config_overrides=None) -> SshdServer`` starts a
  private server for destructive tests (restart, new host key, killed sessions); all of them
  are closed after the test.
* ``authorized_openssh_key`` (function): the path of a fresh ed25519 private key made with
  ``ssh-keygen`` in ``tmp_path`` and authorized for the test user (``~/.ssh`` removed after).
* ``fake_nvidia_smi`` (function): a :class:`FakeNvidiaSmi` installed as ``~/bin/nvidia-smi``
  of the test user (found by login shells); removed after the test.

Without root, ``useradd`` or ``sshd`` these fixtures skip with the reason, except when the
environment says ``CI=true``: there a missing test bed is a failure, not a skip.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.skipping import skip_or_fail
from tests.testbed import fake_nvidia_smi as fake_module
from tests.testbed.sshd import (
    SshdServer,
    TestUser,
    generate_openssh_key,
    testbed_unavailable_reason,
)

DEBIAN_PYTHON = "/usr/bin/python3"
#: What the real tool prints (exit code 9) when no driver is loaded.
DRIVER_NOT_LOADED_MESSAGE = (
    "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
    "Make sure that the latest NVIDIA driver is installed and running."
)

SshdFactory = Callable[..., SshdServer]


class FakeNvidiaSmi:
    """Controls the stand-in ``nvidia-smi`` installed in the test user's ``~/bin``.

    ``set()`` rewrites the state file atomically, so a sampler reading it concurrently never
    sees half a file. GPU dicts are partial and keyed by query field names
    (``{"utilization.gpu": 80}``); the script fills the rest from the default RTX 4090.
    """

    def __init__(self, user: TestUser) -> None:
        """Bind to ``user``; call :meth:`install` to put the files in place."""
        self.user = user
        self.path = user.path("bin/nvidia-smi")
        self.state_path = user.path("bin/nvidia-smi.json")
        self._raw_state: dict[str, Any] = {}

    def install(self) -> None:
        """Copy the script to ``~/bin/nvidia-smi`` (0755) and write the default state."""
        script = Path(fake_module.__file__).read_bytes()
        self.user.make_dir("bin", mode=0o755)
        self.user.write_file("bin/nvidia-smi", script, mode=0o755)
        self.reset()

    def uninstall(self) -> None:
        """Remove the script and its state file."""
        self.user.remove("bin/nvidia-smi")
        self.user.remove("bin/nvidia-smi.json")

    def reset(self) -> None:
        """Back to the default state: one RTX 4090, driver 535.104.05, CUDA 12.2, no failure."""
        self._raw_state = {
            "driver_version": fake_module.DEFAULT_DRIVER_VERSION,
            "cuda_version": fake_module.DEFAULT_CUDA_VERSION,
            "gpus": [{}],
        }
        self._write_state()

    def set(
        self,
        *,
        gpus: Sequence[Mapping[str, Any]] | None = None,
        driver: str | None = None,
        cuda: str | None = None,
        delay_seconds: float | None = None,
        flood_bytes: int | None = None,
        raw_query_output: str | None = None,
    ) -> dict[str, Any]:
        """Change the given parts of the state (None keeps a part); return the full state.

        ``flood_bytes`` makes every call print that many bytes first; ``raw_query_output``
        is printed verbatim for every ``--query-gpu`` (a hostile tool's numbers).
        """
        if gpus is not None:
            self._raw_state["gpus"] = [dict(gpu) for gpu in gpus]
        if driver is not None:
            self._raw_state["driver_version"] = driver
        if cuda is not None:
            self._raw_state["cuda_version"] = cuda
        if delay_seconds is not None:
            self._raw_state["delay_seconds"] = delay_seconds
        if flood_bytes is not None:
            self._raw_state["flood_bytes"] = flood_bytes
        if raw_query_output is not None:
            self._raw_state["raw_query_output"] = raw_query_output
        self._write_state()
        return self.state()

    def fail(self, message: str = DRIVER_NOT_LOADED_MESSAGE, exit_code: int = 9) -> None:
        """Make every call print ``message`` and exit ``exit_code`` (default: no driver)."""
        self._raw_state["failure"] = {"message": message, "exit_code": exit_code}
        self._write_state()

    def recover(self) -> None:
        """Undo :meth:`fail`."""
        self._raw_state.pop("failure", None)
        self._write_state()

    def state(self) -> dict[str, Any]:
        """The state as the script sees it (every GPU completed from the defaults)."""
        return fake_module.load_state(str(self.state_path))

    def run(self, *args: str, timeout: float = 10.0) -> subprocess.CompletedProcess[str]:
        """Run the installed stand-in as the test user, without ssh (fast checks)."""
        return self.user.run(str(self.path), *args, timeout=timeout)

    def _write_state(self) -> None:
        temporary = "bin/.nvidia-smi.json.tmp"
        written = self.user.write_file(
            temporary, json.dumps(self._raw_state, indent=2) + "\n", mode=0o644
        )
        os.replace(written, self.state_path)


@pytest.fixture(scope="session", name="test_user")
def test_user_fixture() -> Iterator[TestUser]:
    """The throw-away Unix user the test sshd lets in (deleted at the end of the run)."""
    reason = testbed_unavailable_reason()
    if reason is not None:
        skip_or_fail(reason)
    user = TestUser.create()
    try:
        yield user
    finally:
        user.delete()


@pytest.fixture(scope="session", name="sshd")
def sshd_fixture(test_user: TestUser) -> Iterator[SshdServer]:
    """The shared sshd on 127.0.0.1 (password + key auth); never stop or restart it."""
    server = SshdServer(test_user)
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture(autouse=True)
def _guard_shared_sshd(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a test that used the shared sshd: thaw its sessions, and insist it still runs."""
    yield
    server = getattr(request.node, "funcargs", {}).get("sshd")
    if not isinstance(server, SshdServer):
        return  # the test did not use it, or its setup was skipped
    server.thaw_sessions()
    if not server.is_running():
        server.start()
        pytest.fail("the test stopped the shared sshd; use sshd_factory for destructive tests")


@pytest.fixture(name="sshd_factory")
def sshd_factory_fixture(test_user: TestUser) -> Iterator[SshdFactory]:
    """Start private servers: ``sshd_factory(config_overrides=None)``; closed after the test."""
    servers: list[SshdServer] = []

    def start_server(*, config_overrides: Mapping[str, str] | None = None) -> SshdServer:
        server = SshdServer(test_user, config_overrides=config_overrides)
        servers.append(server)
        server.start()
        return server

    yield start_server
    errors = []
    for server in reversed(servers):
        try:
            server.close()
        except Exception as error:  # close the others before reporting
            errors.append(error)
    if errors:
        raise errors[0]


@pytest.fixture(name="authorized_openssh_key")
def authorized_openssh_key_fixture(tmp_path: Path, test_user: TestUser) -> Iterator[Path]:
    """A fresh ed25519 key (private key path) in the test user's authorized_keys."""
    key_path = tmp_path / "id_ed25519_testbed"
    test_user.authorize_key(generate_openssh_key(key_path))
    try:
        yield key_path
    finally:
        test_user.remove(".ssh")


@pytest.fixture(name="fake_nvidia_smi")
def fake_nvidia_smi_fixture(test_user: TestUser) -> Iterator[FakeNvidiaSmi]:
    """The stand-in ``nvidia-smi`` on the test user's login PATH, default state."""
    if not os.access(DEBIAN_PYTHON, os.X_OK):
        skip_or_fail(f"{DEBIAN_PYTHON} is missing: the stand-in nvidia-smi runs as the test user")
    fake = FakeNvidiaSmi(test_user)
    fake.install()
    try:
        yield fake
    finally:
        fake.uninstall()
