"""One idle rule, two places: the monitor's IdleDetector and the guard script agree.

The same nvidia-smi outputs, at the same times, go through ``parse_sample`` +
``IdleDetector`` (Python, in gpudesk) and through the guard's own ``judge`` subcommand (POSIX
sh + awk, the code that runs on the instance, run here by the real ``/bin/sh``). Both must say
the same idle time and fire on the same sample.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gpudesk.core.monitor.gpumonitor import IdleDetector, IdleRule, parse_sample
from gpudesk.core.resources import resource_path

BUSY = "0, 37, 1024, 24564\n"
IDLE = "0, 0, 1024, 24564\n"
TWO_IDLE = "0, 1, 10, 24564\n1, 4, 10, 24564\n"
ONE_OF_TWO_BUSY = "0, 0, 10, 24564\n1, 50, 10, 24564\n"
AT_THRESHOLD = "0, 5, 10, 24564\n"
FRACTION = "0, 4.9, 10, 24564\n"
GARBAGE = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n"
INF = "0, inf, 10, 24564\n"
NAN = "0, nan, 10, 24564\n"
NOT_AVAILABLE = "0, [N/A], 10, 24564\n"
HALF_BROKEN = "0, 0, 10, 24564\n1, ERR!, 10, 24564\n"
OVER_100 = "0, 250, 10, 24564\n"
WITH_NOISE = "Warning: persistence mode is off\n0, 0, 10, 24564\n\n"
EMPTY = ""

SEQUENCES: dict[str, list[str]] = {
    "idle fires once, busy resets": [IDLE, IDLE, IDLE, IDLE, BUSY, IDLE, IDLE, IDLE],
    "busy throughout": [BUSY] * 6,
    "every GPU must be idle": [TWO_IDLE, TWO_IDLE, ONE_OF_TWO_BUSY, TWO_IDLE, TWO_IDLE, TWO_IDLE],
    "the threshold itself is busy": [IDLE, IDLE, AT_THRESHOLD, FRACTION, FRACTION, FRACTION],
    "garbage is not idle": [IDLE, IDLE, GARBAGE, IDLE, IDLE, IDLE, IDLE],
    "inf and nan are not idle": [INF, INF, NAN, NAN, INF, IDLE, IDLE, IDLE],
    "[N/A] and a half-broken sample are not idle": [IDLE, NOT_AVAILABLE, IDLE, HALF_BROKEN, IDLE],
    "over 100 % is not a reading": [OVER_100, OVER_100, OVER_100, OVER_100],
    "empty output is not idle": [EMPTY, EMPTY, IDLE, EMPTY, IDLE, IDLE, IDLE],
    "noise lines are skipped": [WITH_NOISE, WITH_NOISE, WITH_NOISE, WITH_NOISE],
    "idle again after firing fires again": [IDLE, IDLE, IDLE, BUSY, IDLE, IDLE, IDLE, IDLE],
}
STEP_S = 10
WINDOW_S = 20
THRESHOLD = 5


def monitor_verdicts(outputs: list[str]) -> list[tuple[int, bool]]:
    detector = IdleDetector(IdleRule(threshold_pct=THRESHOLD, window_s=WINDOW_S))
    verdicts = []
    for step, text in enumerate(outputs):
        idle_for, fired = detector.feed(parse_sample(text, float(step * STEP_S)))
        verdicts.append((int(idle_for), fired))
    return verdicts


def guard_verdicts(outputs: list[str], folder: Path) -> list[tuple[int, bool]]:
    lines = []
    for step, text in enumerate(outputs):
        sample_file = folder / f"sample-{step}.txt"
        sample_file.write_text(text, encoding="utf-8")
        lines.append(f"{step * STEP_S} 0 {sample_file}\n")
    result = subprocess.run(
        ["/bin/sh", str(resource_path("guard", "gpudesk-guard.sh")), "judge", str(THRESHOLD),
         str(WINDOW_S)],
        input="".join(lines),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )  # fmt: skip
    pairs = [line.split() for line in result.stdout.splitlines()]
    return [(int(idle_for), fired == "1") for idle_for, fired in pairs]


@pytest.mark.parametrize("name", sorted(SEQUENCES))
def test_monitor_and_guard_agree(name: str, tmp_path: Path) -> None:
    outputs = SEQUENCES[name]
    assert guard_verdicts(outputs, tmp_path) == monitor_verdicts(outputs)


def test_the_rule_itself_on_three_rows_of_the_table() -> None:
    """Agreement alone could hide a rule both got wrong: pin the expected verdicts."""
    no, yes = False, True
    assert monitor_verdicts(SEQUENCES["idle fires once, busy resets"]) == [
        (0, no), (10, no), (20, yes), (30, no), (0, no), (0, no), (10, no), (20, yes),
    ]  # fmt: skip
    assert monitor_verdicts(SEQUENCES["garbage is not idle"]) == [
        (0, no), (10, no), (0, no), (0, no), (10, no), (20, yes), (30, no),
    ]  # fmt: skip
    assert monitor_verdicts(SEQUENCES["inf and nan are not idle"]) == [(0, no)] * 6 + [
        (10, no), (20, yes),
    ]  # fmt: skip


def test_a_failed_nvidia_smi_is_not_idle(tmp_path: Path) -> None:
    """A non-zero exit (no driver, missing tool) resets the guard's timer like a busy sample."""
    sample_file = tmp_path / "idle.txt"
    sample_file.write_text(IDLE, encoding="utf-8")
    lines = "".join(
        f"{at} {status} {sample_file}\n" for at, status in ((0, 0), (10, 0), (20, 9), (30, 0))
    )
    result = subprocess.run(
        ["/bin/sh", str(resource_path("guard", "gpudesk-guard.sh")), "judge", "5", "20"],
        input=lines,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert result.stdout.split("\n")[:4] == ["0 0", "10 0", "0 0", "0 0"]


def test_the_log_is_bounded(tmp_path: Path) -> None:
    """Past 64 KiB the log becomes log.1 and a new one starts (one old file kept)."""
    folder = tmp_path / "guard"
    folder.mkdir()
    (folder / "log").write_text("x" * 70_000)
    # A process whose command line looks like a guard loop, for `stop` to find and log.
    stand_in = subprocess.Popen(["/bin/sh", "-c", "sleep 60", "gpudesk-guard", "run"])
    try:
        subprocess.run(
            ["/bin/sh", str(resource_path("guard", "gpudesk-guard.sh")), "stop"],
            env={"PATH": "/usr/bin:/bin", "GPUDESK_GUARD_DIR": str(folder)},
            timeout=30,
            check=True,
        )
        assert stand_in.wait(timeout=10) != 0  # stopped by the guard's stop
    finally:
        stand_in.kill()
        stand_in.wait()
    assert sorted(p.name for p in folder.iterdir()) == ["log.1"]
    assert "stopped guard" in (folder / "log.1").read_text()[-200:]
