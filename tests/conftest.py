"""Fixtures for every test: the user's real HOME, app dirs and keyring are never touched.

The autouse fixture points HOME, GPUDESK_HOME, the XDG dirs and the keyring backend at a
temporary directory. The real-sshd test bed lives in ``tests/testbed``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

from tests.fakes import FileKeyring
from tests.skipping import running_in_ci

pytest_plugins = ["tests.testbed.fixtures", "tests.testbed.remote_venv"]

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh HOME, GPUDESK_HOME and file-backed test keyring for each test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("GPUDESK_HOME", str(tmp_path / "gpudesk"))
    for variable, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_CACHE_HOME", ".cache"),
    ):
        monkeypatch.setenv(variable, str(home / sub))
    monkeypatch.setenv("GPUDESK_TEST_KEYRING_FILE", str(tmp_path / "keyring.json"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.fakes.FileKeyring")
    existing = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT) + (os.pathsep + existing if existing else ""))
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    yield home
    keyring.set_keyring(previous)


# The Windows lane's tests run under the Windows Python in Wine (``make test-windows``); the
# Linux run does not collect them at all, so that under CI=true nothing is skipped.
collect_ignore_glob = [] if sys.platform == "win32" else ["windows/*"]


# --- CI never skips quietly -------------------------------------------------------------
# `make test` installs every part the suite needs; under CI=true a skipped test means the
# set-up is broken, so the run fails and names the skips.
_skipped_in_this_run: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped_in_this_run.append(f"{report.nodeid}: {report.longrepr}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if running_in_ci() and _skipped_in_this_run and exitstatus == 0:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("CI=true and tests were skipped (a missing part is a failure):")
            for line in _skipped_in_this_run:
                reporter.write_line(f"  {line}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
