"""A hostile or broken instance against a REAL sshd: floods, bad numbers, escapes, history.

The rented machine is not trusted: what it prints is input. ``nvidia-smi`` is the test bed's
stand-in (no GPU here), told to flood its output or to print hostile values; everything else
(sshd, login shell, bash and its history file) is real.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gpudesk.core.apps.jupyter import find_or_start_jupyter, find_or_start_tensorboard, stop_server
from gpudesk.core.errors import ExitCode, InstanceAnswerError
from gpudesk.core.monitor.gpumonitor import GpuMonitor, IdleRule, connection_sampler
from gpudesk.core.ssh.probe import probe_instance
from gpudesk.core.ssh.remote import Connection
from tests.clihelpers import ssh_command_for
from tests.integration.logins import pinned_login
from tests.testbed.fixtures import FakeNvidiaSmi
from tests.testbed.remote_venv import RemoteJupyter, remote_jupyter_fixture  # noqa: F401
from tests.testbed.sshd import SshdServer, TestUser

pytestmark = pytest.mark.sshd

PIN = "gpudesk-hostile-test"
#: OSC 52 (write the clipboard), a screen clear and a C1 CSI: what a terminal must never get.
ESCAPES = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31m"


@pytest.fixture(name="connection")
def connection_fixture(sshd: SshdServer, test_user: TestUser) -> Iterator[Connection]:
    """A login to the test sshd as the test user (host key pinned first)."""
    with pinned_login(sshd, test_user, PIN) as connection:
        yield connection


#: Runs ``python -m gpudesk ARGS`` and, on the way out, writes the process's VmHWM (the peak
#: resident memory of ITS address space, in KiB) to the file named by $GPUDESK_TEST_HWM_FILE.
#: Not ``ru_maxrss``: Linux carries the forking parent's peak (pytest's, hundreds of MB after a
#: long run) across fork and exec into the child's ru_maxrss, but VmHWM starts anew at exec.
_MEASURE_PEAK = """
import atexit, os, re, runpy, sys

def _record():
    status = open("/proc/self/status", encoding="ascii").read()
    peak = re.search(r"^VmHWM:\\s+(\\d+) kB", status, re.M).group(1)
    with open(os.environ["GPUDESK_TEST_HWM_FILE"], "w", encoding="ascii") as out:
        out.write(peak)

atexit.register(_record)
sys.argv = ["gpudesk", *sys.argv[1:]]
runpy.run_module("gpudesk", run_name="__main__", alter_sys=True)
"""


def run_check_measured(
    sshd: SshdServer, password: str, tmp_path: Path, *extra: str
) -> tuple[int, str, str, int]:
    """``gpudesk check`` in a child process: (exit code, stdout, stderr, peak RSS in KiB)."""
    hwm = tmp_path / "vmhwm"
    env = {**os.environ, "GPUDESK_TEST_HWM_FILE": str(hwm)}
    argv = ["check", ssh_command_for(sshd), "--password-stdin", "--accept-new-host-key", *extra]
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE_PEAK, *argv],
        input=(password + "\n").encode(), capture_output=True, env=env, timeout=120,
        check=False,
    )  # fmt: skip
    return (
        result.returncode,
        result.stdout.decode(errors="replace"),
        result.stderr.decode(errors="replace"),
        int(hwm.read_text(encoding="ascii")),
    )


def test_flooding_nvidia_smi_stops_check_with_a_clear_error_and_bounded_memory(
    sshd: SshdServer, test_user: TestUser, fake_nvidia_smi: FakeNvidiaSmi, tmp_path: Path
) -> None:
    """120 MB of output: exit 6 with a message, no MemoryError, peak RSS far below it."""
    fake_nvidia_smi.set(flood_bytes=120 * 1024 * 1024)
    code, stdout, stderr, peak_kib = run_check_measured(
        sshd, test_user.password, tmp_path, "--json"
    )
    assert code == ExitCode.UNREACHABLE, stderr
    assert "Traceback" not in stderr and stdout == ""
    assert "stopped reading" in stderr
    assert peak_kib < 160 * 1024, f"peak RSS {peak_kib} KiB"


def test_flooding_nvidia_smi_sample_raises_the_typed_error(
    connection: Connection, fake_nvidia_smi: FakeNvidiaSmi
) -> None:
    fake_nvidia_smi.set(flood_bytes=40 * 1024 * 1024)
    monitor = GpuMonitor("box", connection_sampler(connection.run), interval_s=30)
    with pytest.raises(InstanceAnswerError):
        monitor.sample_once()


HOSTILE_QUERY_OUTPUTS = [
    "0, inf, 1, 24564\n",
    "0, 1e400, 1, 24564\n",
    "0, nan, 1, 24564\n",
    "0, \u00b2, 1, 24564\n",
    "\u00b2, 3, 1, 24564\n",
    "0, -5, 1, 24564\n",
    "0, 5, -1, 99999999999999999999999\n",
]


@pytest.mark.parametrize("raw", HOSTILE_QUERY_OUTPUTS)
def test_monitor_skips_a_hostile_sample_and_goes_on(
    connection: Connection, fake_nvidia_smi: FakeNvidiaSmi, raw: str
) -> None:
    clock = iter(float(t) for t in range(0, 10_000, 30))
    monitor = GpuMonitor(
        "box",
        connection_sampler(connection.run),
        interval_s=30,
        rule=IdleRule(threshold_pct=5, window_s=60),
        clock=lambda: next(clock),
    )
    fake_nvidia_smi.set(raw_query_output=raw)
    bad = monitor.sample_once()
    assert len(bad) == 1 and "problem" in bad[0], bad
    assert bad[0]["gpus"] == []
    json.dumps(bad, allow_nan=False)
    assert monitor.sample_once() == [], "a bad sample is reported once, not on every sample"
    fake_nvidia_smi.set(raw_query_output="0, 40, 100, 24564\n")
    good = monitor.sample_once()
    assert good[0]["gpus"] == [{"index": 0, "util": 40, "mem_used_mib": 100,
                                "mem_total_mib": 24564}]  # fmt: skip


@pytest.mark.parametrize(
    "raw",
    [
        "0, RTX, inf, nan, 1e400, 535.1\n",
        "0, RTX, \u00b2, -3, 101, 535.1\n",
        f"0, RTX{ESCAPES}, 24564, 1, 0, 535{ESCAPES}\n",
    ],
)
def test_check_survives_hostile_gpu_values_and_keeps_escapes_off_the_terminal(
    sshd: SshdServer,
    test_user: TestUser,
    fake_nvidia_smi: FakeNvidiaSmi,
    tmp_path: Path,
    raw: str,
) -> None:
    fake_nvidia_smi.set(raw_query_output=raw)
    for extra in ((), ("--json",)):
        code, stdout, stderr, _rss = run_check_measured(sshd, test_user.password, tmp_path, *extra)
        assert code == ExitCode.OK, stderr
        assert "Traceback" not in stderr
        assert "\x1b" not in stdout and "\x9b" not in stdout and "\x07" not in stdout
        if not extra:
            continue
        report = json.loads(stdout)["report"]
        if ESCAPES in raw:
            assert report["gpus"][0]["name"] == "RTX"
            assert report["driver_version"] == "535"
        else:  # values no GPU has: the row is skipped, and the report says so
            assert report["gpus"] == []
            assert any("cannot be true" in note for note in report["notes"])


HISTORY = "".join(f"echo precious command number {n}\n" for n in range(2500)).encode()


def test_no_command_touches_the_users_shell_history(
    connection: Connection, test_user: TestUser, fake_nvidia_smi: FakeNvidiaSmi
) -> None:
    """Probe and monitor samples run in the login shell; ~/.bash_history stays byte for byte.

    2500 lines: more than the HISTFILESIZE=2000 that Debian's ~/.bashrc sets, so a shell
    that trims the file on its way in changes it too.
    """
    test_user.write_file(".bash_history", HISTORY, mode=0o600)
    try:
        probe_instance(connection)
        monitor = GpuMonitor("box", connection_sampler(connection.run), interval_s=30)
        for _ in range(3):
            monitor.sample_once()
        assert test_user.path(".bash_history").read_bytes() == HISTORY
    finally:
        test_user.remove(".bash_history")


def test_jupyter_and_tensorboard_leave_the_shell_history_alone(
    connection: Connection, test_user: TestUser, remote_jupyter: RemoteJupyter
) -> None:
    """Finding, starting and stopping both web apps: ~/.bash_history stays byte for byte."""
    test_user.write_file(".bash_history", HISTORY, mode=0o600)
    test_user.make_dir("tf-logs", mode=0o755)
    try:
        server = find_or_start_jupyter(connection)
        board = find_or_start_tensorboard(connection, logdir="~/tf-logs")
        find_or_start_jupyter(connection, start=False)
        stop_server(connection, server)
        stop_server(connection, board)
        assert test_user.path(".bash_history").read_bytes() == HISTORY
    finally:
        test_user.remove(".bash_history")
        test_user.remove("tf-logs")
