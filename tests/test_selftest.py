"""``gpudesk --self-test`` from source: every check passes here, a failing one fails the run.

The self-test runs in a subprocess, as users and ``make dist`` run it. The conftest's autouse
fixture gives it the test keyring (``tests.fakes.FileKeyring``) and temporary HOME and
GPUDESK_HOME; the self-test must not even create that GPUDESK_HOME (it works in its own
temporary directory). The frozen app's self-test runs in ``make dist`` and in the Windows
workflow, never here (no builds in the test suite).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gpudesk import selftest

REPO_ROOT = Path(__file__).resolve().parent.parent
CHECKS = (
    "modules",
    "resources",
    "keyring",
    "ssh keys",
    "qt",
    "icons",
    "translations",
    "main window",
)


def run_self_test(code: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m gpudesk --self-test``, or ``python -c code`` for a doctored run."""
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "gpudesk"]
    return subprocess.run(
        [*command, "--self-test"],
        cwd=REPO_ROOT,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_self_test_passes_from_source(tmp_path: Path, isolated_user_dirs: Path) -> None:
    result = run_self_test()
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    lines = result.stdout.splitlines()
    assert lines[0].startswith("gpudesk ") and "(source," in lines[0]
    for name in CHECKS:
        line = next((x for x in lines if x[5:].startswith(f"{name}:")), None)
        assert line is not None, f"no line for {name}:\n{report}"
        assert line.startswith("ok   "), report
    assert "keyring: tests.fakes.FileKeyring answers" in result.stdout
    assert lines[-1].startswith("self-test passed: 8 checks")
    # Nothing of the user's: no app dirs under the test's GPUDESK_HOME, no ~/.ssh.
    assert not (tmp_path / "gpudesk").exists()
    assert not (isolated_user_dirs / ".ssh").exists()


def test_a_failing_check_fails_the_run() -> None:
    code = (
        "import sys\n"
        "from gpudesk import selftest\n"
        "def broken():\n"
        "    raise RuntimeError('icon engine missing')\n"
        "selftest.check_icons = broken\n"
        "sys.exit(selftest.main())\n"
    )
    result = run_self_test(code)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAIL icons: RuntimeError: icon engine missing" in result.stdout
    assert "self-test FAILED: icons (1 of 8)" in result.stdout
    assert "ok   main window:" in result.stdout  # later checks still run


@pytest.mark.parametrize(
    ("system", "frozen", "allowed", "verdict"),
    [
        ("linux", False, False, "warn"),  # from source on a headless machine
        ("linux", True, False, "FAIL"),  # a frozen app must find a keyring ...
        ("linux", True, True, "warn"),  # ... unless CI says there is none on purpose
        ("win32", False, False, "FAIL"),  # desktop OSes always have one
        ("win32", True, True, "FAIL"),
        ("darwin", True, False, "FAIL"),
    ],
)
def test_no_keyring_verdict(system: str, frozen: bool, allowed: bool, verdict: str) -> None:
    assert selftest.no_keyring_verdict(system, frozen, allowed) == verdict


def test_run_check_turns_outcomes_into_lines() -> None:
    def warns() -> str:
        raise selftest.CheckWarning("session-only")

    ok = selftest.run_check("a", lambda: "fine")
    warn = selftest.run_check("b", warns)
    fail = selftest.run_check("c", lambda: str(1 / 0))
    assert (ok.status, ok.passed) == ("ok", True)
    assert (warn.status, warn.passed) == ("warn", True)
    assert (fail.status, fail.passed) == ("FAIL", False)
    assert ok.line().startswith("ok   a: fine (")
    assert fail.line().startswith("FAIL c: ZeroDivisionError: division by zero (")
