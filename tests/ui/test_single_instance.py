"""One gpudesk at a time: a second ``python -m gpudesk`` hands over to the first and exits.

Real processes, offscreen, with a server name of their own (``GPUDESK_INSTANCE_NAME``) so a
gpudesk the developer runs is never disturbed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from gpudesk.ui.single_instance import NAME_ENV, server_name

LOG_LINE = "a second launch asked for the window"


def launch(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "gpudesk"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached in {timeout:g} s: {what}")
        time.sleep(0.05)


def log_text() -> str:
    path = Path(os.environ["GPUDESK_HOME"]) / "logs" / "gpudesk.log"
    return path.read_text("utf-8") if path.exists() else ""


@pytest.fixture
def app_env() -> Iterator[dict[str, str]]:
    env = dict(os.environ)
    env[NAME_ENV] = f"gpudesk-test-{uuid.uuid4().hex[:12]}"
    env["QT_QPA_PLATFORM"] = "offscreen"
    yield env


def socket_path(env: dict[str, str]) -> Path:
    return Path(tempfile.gettempdir()) / env[NAME_ENV]


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def test_second_launch_hands_over_and_exits(app_env: dict[str, str]) -> None:
    first = launch(app_env)
    try:
        wait_for(lambda: socket_path(app_env).exists(), 30, "the first gpudesk listening")
        second = subprocess.run(
            [sys.executable, "-m", "gpudesk"],
            env=app_env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert second.returncode == 0, second.stdout + second.stderr
        wait_for(lambda: LOG_LINE in log_text(), 10, "the first gpudesk bringing its window")
        assert first.poll() is None  # the first one keeps running
    finally:
        stop(first)


def test_a_socket_left_by_a_crash_is_taken_over(app_env: dict[str, str]) -> None:
    crashed = launch(app_env)
    wait_for(lambda: socket_path(app_env).exists(), 30, "the first gpudesk listening")
    stop(crashed)  # SIGKILL: the socket file stays behind
    assert socket_path(app_env).exists()
    survivor = launch(app_env)
    try:
        wait_for(
            lambda: log_text().count("single-instance server listening") == 2,
            30,
            "the new gpudesk listening in place of the stale socket",
        )
        assert survivor.poll() is None
        second = subprocess.run(
            [sys.executable, "-m", "gpudesk"],
            env=app_env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert second.returncode == 0
        wait_for(lambda: LOG_LINE in log_text(), 10, "the survivor bringing its window")
    finally:
        stop(survivor)


def test_server_name_is_per_user_and_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NAME_ENV, raising=False)
    first = server_name()
    assert first.startswith("gpudesk-") and first == server_name()
    monkeypatch.setenv("GPUDESK_HOME", "/tmp/elsewhere")
    assert server_name() != first
    monkeypatch.setenv(NAME_ENV, "custom")
    assert server_name() == "custom"
