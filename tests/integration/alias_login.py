"""Shared by the re-point and provider tests: a clean test user, and login through an alias.

OpenSSH reads ~/.ssh/config from the passwd home, not the test's $HOME: hence ``-F``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.testbed.sshd import TestUser, run_command


@pytest.fixture(name="clean_home")
def clean_home_fixture(test_user: TestUser) -> Iterator[TestUser]:
    """The test user without ~/.ssh before and after (no other test's key lets us in)."""
    test_user.remove(".ssh")
    yield test_user
    test_user.remove(".ssh")


def ssh_through_alias(alias: str) -> str:
    """Run ``echo alias-ok`` with the real OpenSSH client through ``alias`` (key only)."""
    config = Path(os.environ["HOME"]) / ".ssh" / "config"
    argv = [shutil.which("ssh") or "ssh", "-F", str(config), "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=10", alias, "echo alias-ok"]  # fmt: skip
    done = run_command(argv, check=False, timeout=30)
    assert done.returncode == 0, done.stderr
    return str(done.stdout).strip()
