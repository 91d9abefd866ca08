"""The cost guard end to end: `gpudesk guard` against a REAL sshd, the guard running there.

Stand-ins (see ``guard_rig``): the test bed's ``nvidia-smi`` (no GPU here) and a power-off
command that appends the time it ran to a file; nothing here can power a machine off.
Waiting is on what the guard writes (its sample time, its phase), never on a clock.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Iterator
from datetime import datetime

import pytest

from tests.integration.guard_rig import GuardRig, processes_of, rig_fixture
from tests.testbed.fixtures import FakeNvidiaSmi
from tests.testbed.sshd import TestUser
from tests.waiting import eventually

pytestmark = pytest.mark.sshd
__all__ = ["rig_fixture"]  # the shared fixture, used by name


def wait_for_samples(rig: GuardRig, seconds: int) -> None:
    """Wait until the guard has sampled for ``seconds`` more of the instance's time."""
    first = rig.sample_time()
    eventually(lambda: rig.sample_time() >= first + seconds, timeout=90, what="guard samples")


def test_idle_powers_off_once_after_the_grace_even_with_every_session_killed(
    rig: GuardRig, fake_nvidia_smi: FakeNvidiaSmi
) -> None:
    fake_nvidia_smi.set(gpus=[{"utilization.gpu": 37}])
    armed = rig.install("--idle-minutes", "0.25", "--grace-minutes", "0.2")
    assert armed["active"] is True and armed["phase"] == "watching"
    assert armed["rules"]["idle_minutes"] == 0.25 and armed["rules"]["interval_s"] == 1
    assert armed["rules"]["power_off_command"] == rig.power_off
    assert armed["last_sample"]["gpus"][0]["util"] == 37
    [guard] = rig.guard_pids()
    # The installing client is gone; now kill every SSH session process on the server too.
    for pid in rig.session_pids():
        os.kill(pid, signal.SIGKILL)
    eventually(lambda: not rig.session_pids(), timeout=30, what="the sessions to die")
    assert rig.guard_pids() == [guard]

    wait_for_samples(rig, 20)  # longer than the 15 s window, at 37 %
    assert rig.power_offs() == []
    busy = rig.cli_json("--status")
    assert busy["active"] and busy["idle_for_s"] == 0 and busy["powers_off_at"] is None

    fake_nvidia_smi.set(gpus=[{"utilization.gpu": 0}])
    eventually(lambda: rig.state().get("phase") == "grace", timeout=90, what="the grace")
    announced = rig.cli_json("--status")
    assert announced["phase"] == "grace" and announced["reason"] == "idle"
    assert announced["powers_off_at"] is not None and "powers off in" in announced["notice"]
    assert rig.power_offs() == []

    eventually(lambda: rig.power_offs(), timeout=90, what="the power-off")
    eventually(lambda: not rig.guard_pids(), timeout=30, what="the guard to end")
    [ran_at] = rig.power_offs()
    assert ran_at >= int(rig.state()["grace_ends"])
    log = rig.log_text()
    assert log.index("powers off in") < log.index("running the power-off command")
    ended = rig.cli_json("--status")
    assert ended["active"] is False and ended["phase"] == "powered_off"
    assert rig.power_offs() == [ran_at]  # once


@pytest.fixture(name="sleeper")
def sleeper_fixture(test_user: TestUser) -> Iterator[tuple[int, str]]:
    """A ``sleep`` of the test user standing in for a training job: (pid, command line)."""
    seconds = "613"
    process = subprocess.Popen(["runuser", "-u", test_user.name, "--", "sleep", seconds])

    def job_pid() -> int | None:
        found = [pid for pid, args in processes_of(test_user) if args == f"sleep {seconds}"]
        return found[0] if found else None

    eventually(lambda: job_pid() is not None, timeout=30, what="the job to start")
    pid = job_pid()
    assert pid is not None
    try:
        yield pid, f"sleep {seconds}"
    finally:
        process.kill()
        process.wait()


def test_after_pid_killing_the_process_triggers_it(rig: GuardRig, sleeper: tuple[int, str]) -> None:
    pid, _command = sleeper
    armed = rig.install("--after-pid", str(pid), "--grace-minutes", "0.05")
    assert armed["rules"]["after_pid"] == pid and armed["rules"]["idle_minutes"] is None
    wait_for_samples(rig, 3)
    assert rig.power_offs() == [] and rig.state()["process"] == "running"
    os.kill(pid, signal.SIGKILL)
    eventually(lambda: rig.power_offs(), timeout=60, what="the power-off")
    assert rig.state()["reason"] == "process" and len(rig.power_offs()) == 1


def test_after_process_finds_the_job_by_pattern(rig: GuardRig, sleeper: tuple[int, str]) -> None:
    pid, command = sleeper
    armed = rig.install("--after-process", command, "--grace-minutes", "0.05")
    assert armed["rules"]["after_pid"] == pid and armed["rules"]["after_process"] == command
    wait_for_samples(rig, 3)
    assert rig.power_offs() == []
    os.kill(pid, signal.SIGTERM)
    eventually(lambda: rig.power_offs(), timeout=60, what="the power-off")
    assert len(rig.power_offs()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("--idle-minutes", "-1"),
        ("--idle-minutes", "nan"),
        ("--max-hours", "inf"),
        ("--idle-threshold", "150"),
        ("--grace-minutes", "-0.5"),
        ("--interval", "0"),
        ("--at", "25:00"),
        ("--after-pid", "4000000"),
        ("--after-process", "no-such-job-anywhere-7f3a"),
        ("--status", "--idle-minutes", "5"),
        ("--postpone", "-5"),
    ],
)
def test_bad_rules_exit_2_and_start_nothing(rig: GuardRig, args: tuple[str, ...]) -> None:
    result = rig.cli(*args)
    assert result.returncode == 2, result.stderr
    assert result.stdout == "" and "hint:" in result.stderr
    assert rig.guard_pids() == [] and rig.folder_files() == set()


def test_installing_twice_leaves_one_guard_and_cancel_leaves_only_the_log(
    rig: GuardRig, test_user: TestUser
) -> None:
    before = {p.relative_to(test_user.home) for p in test_user.home.rglob("*")}
    rig.install("--idle-minutes", "60")
    [first] = rig.guard_pids()
    second = rig.install("--idle-minutes", "30", "--max-hours", "2")
    [guard] = rig.guard_pids()
    assert guard != first
    assert second["rules"]["idle_minutes"] == 30 and second["rules"]["max_hours"] == 2
    assert second["powers_off_at"] is not None  # the time limit is known in advance
    human = rig.cli("--status")
    assert human.returncode == 0 and human.stderr == ""
    assert "Guard running: idle below 5 % for 30 min; after 2 h." in human.stdout
    assert "Powers off at " in human.stdout

    cancelled = rig.cli_json("--cancel")
    assert cancelled["active"] is False and cancelled["rules"] == {}
    assert rig.guard_pids() == []
    assert rig.folder_files() == {"log"}
    after = {p.relative_to(test_user.home) for p in test_user.home.rglob("*")}
    assert {str(p) for p in after - before} == {".gpudesk", ".gpudesk/guard", ".gpudesk/guard/log"}
    assert not (test_user.home / ".bash_history").exists()
    again = rig.cli_json("--status")
    assert again["active"] is False and again["last_sample"] is None
    assert rig.cli("--postpone", "5").returncode == 1  # nothing to postpone


def test_an_unreadable_nvidia_smi_never_counts_as_idle(
    rig: GuardRig, fake_nvidia_smi: FakeNvidiaSmi
) -> None:
    rules = ("--idle-minutes", "0.05", "--grace-minutes", "0")

    def breaks(name: str) -> None:
        if name == "missing":
            fake_nvidia_smi.uninstall()
        elif name == "garbage":
            fake_nvidia_smi.fail("Unable to determine the device handle: Unknown Error", 0)
        else:
            fake_nvidia_smi.set(gpus=[{"utilization.gpu": name}])

    for broken in ("missing", "garbage", "inf", "nan"):
        breaks(broken)
        armed = rig.install(*rules)
        assert armed["last_sample"]["readable"] is False, broken
        wait_for_samples(rig, 8)  # more than twice the 3 s window
        assert rig.power_offs() == [], broken
        status = rig.cli_json("--status")
        assert status["idle_for_s"] == 0 and status["last_sample"]["readable"] is False, broken
        fake_nvidia_smi.install()
    # The same rules with a readable idle GPU do power off: the test can fail.
    fake_nvidia_smi.set(gpus=[{"utilization.gpu": 0}])
    rig.install(*rules)
    eventually(lambda: rig.power_offs(), timeout=60, what="the power-off")


def test_postpone_moves_the_power_off_and_cancel_in_the_grace_stops_it(
    rig: GuardRig, fake_nvidia_smi: FakeNvidiaSmi
) -> None:
    fake_nvidia_smi.set(gpus=[{"utilization.gpu": 0}])
    rig.install("--idle-minutes", "0.05", "--grace-minutes", "0.5")
    eventually(lambda: rig.state().get("phase") == "grace", timeout=60, what="the grace")
    postponed = rig.cli_json("--postpone", "10")
    moved_to = datetime.fromisoformat(postponed["powers_off_at"]).timestamp()
    assert moved_to >= int(rig.state()["grace_ends"]) + 9 * 60
    assert postponed["phase"] == "grace" and postponed["active"] is True
    cancelled = rig.cli_json("--cancel")
    assert cancelled["active"] is False and rig.guard_pids() == []
    assert rig.power_offs() == []


def test_max_hours_powers_off_once_when_the_time_is_up(
    rig: GuardRig, fake_nvidia_smi: FakeNvidiaSmi
) -> None:
    fake_nvidia_smi.set(gpus=[{"utilization.gpu": 90}])  # busy: only the time limit can fire
    armed = rig.install("--max-hours", "0.003", "--grace-minutes", "0.05")  # 10.8 s, 3 s
    assert armed["rules"]["idle_minutes"] is None and armed["powers_off_at"] is not None
    eventually(lambda: rig.power_offs(), timeout=90, what="the power-off")
    eventually(lambda: not rig.guard_pids(), timeout=30, what="the guard to end")
    state = rig.state()
    assert state["reason"] == "time" and len(rig.power_offs()) == 1
    assert rig.power_offs()[0] >= int(state["deadline"])


def test_without_a_power_off_command_the_guard_only_warns(
    rig: GuardRig, fake_nvidia_smi: FakeNvidiaSmi
) -> None:
    """The test instance has no platform: gpudesk knows no power-off for it."""
    fake_nvidia_smi.set(gpus=[{"utilization.gpu": 0}])
    result = rig.cli(
        "--idle-minutes", "0.05", "--grace-minutes", "0.05", "--interval", "1", "--json"
    )
    assert result.returncode == 0 and "only warn" in result.stderr
    armed = json.loads(result.stdout)
    assert armed["rules"]["power_off_command"] is None
    eventually(lambda: rig.state().get("phase") == "warned", timeout=60, what="the warning")
    eventually(lambda: not rig.guard_pids(), timeout=30, what="the guard to end")
    notice = rig.user.path(".gpudesk/guard/notice").read_text()
    assert "console" in notice and rig.power_offs() == []
    assert rig.cli_json("--status")["phase"] == "warned"
