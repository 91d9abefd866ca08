"""Skip a test for a missing part on a developer's machine; fail it under ``CI=true``.

CI installs everything the suite needs (``make test`` runs ``scripts/system-packages.sh``), so
there a missing tool or service is a bug in the set-up, never a reason to skip quietly.
"""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest


def running_in_ci() -> bool:
    """True when the environment says ``CI=true`` (also ``1``/``yes``)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def skip_or_fail(reason: str) -> NoReturn:
    """Skip the test with ``reason``; in CI, fail it instead."""
    if running_in_ci():
        pytest.fail(f"CI=true but this test cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


def require_tool(name: str, package: str) -> str:
    """The path of the program ``name``, or skip (fail in CI) naming the Debian ``package``."""
    path = shutil.which(name)
    if path is None:
        skip_or_fail(f"{name} is missing (Debian package {package})")
    return path


def needs_tool(name: str, package: str) -> pytest.MarkDecorator:
    """A marker that skips without the program ``name``, except in CI, where the test runs
    (and fails on the missing program)."""
    return pytest.mark.skipif(
        shutil.which(name) is None and not running_in_ci(),
        reason=f"{name} is missing (Debian package {package})",
    )
