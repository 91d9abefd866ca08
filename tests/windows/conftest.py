"""The Windows lane: these tests run under the official Windows CPython in Wine.

``make test-windows`` (``tests/windows/run_lane.py``) starts the real OpenSSH test server on
Linux, then runs pytest here with the lane's Windows Python (``packaging/windows/wine-lane.sh``)
in a fresh Wine prefix, so the Windows Credential Manager, registry and app folders the tests
use are throw-away. Outside Windows every test here is skipped (the Linux suite collects them
only to skip them); inside the lane nothing skips: with ``CI=true`` a missing server or
package is a failure.

Fixtures:
* ``lane`` (session): the server's address, user, password and host key, from the JSON file
  ``GPUDESK_LANE_SSHD`` names.
* ``windows_home`` (autouse): ``USERPROFILE`` and ``HOME`` point to a fresh folder whose user
  name has a space and an apostrophe (``O'Brien Li``), so ``~\\.ssh`` paths are awkward ones;
  ``GPUDESK_HOME`` points to a fresh folder too (tests of the real app folders remove it).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.skipping import skip_or_fail

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
ON_WINDOWS = sys.platform == "win32"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Outside Windows, skip the lane's tests (and only those)."""
    if ON_WINDOWS:
        return
    skip = pytest.mark.skip(reason="Windows lane: runs under Wine with make test-windows")
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(skip)


@dataclass(frozen=True)
class Lane:
    """The Linux test server as the Windows side sees it (the same 127.0.0.1)."""

    host: str
    port: int
    user: str
    password: str
    host_key_line: str
    host_key_fingerprint: str
    web_port: int
    web_body: str

    def ssh_command(self) -> str:
        """What a console would show for this server."""
        return f"ssh -p {self.port} {self.user}@{self.host}"


@pytest.fixture(scope="session")
def lane() -> Lane:
    """The running server (started by ``tests/windows/run_lane.py``)."""
    if not ON_WINDOWS:
        pytest.skip("Windows lane only")
    source = os.environ.get("GPUDESK_LANE_SSHD")
    if not source or not Path(source).is_file():
        skip_or_fail("no test server: run the lane with make test-windows")
    data = json.loads(Path(source).read_text("utf-8"))
    return Lane(**data)


@pytest.fixture(autouse=True)
def windows_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh user folder named with a space and an apostrophe, and fresh app folders."""
    home = tmp_path / "O'Brien Li"
    home.mkdir()
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GPUDESK_HOME", str(tmp_path / "gpudesk"))
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    yield home
