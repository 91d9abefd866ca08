"""Idle detection and the cost estimate, with a fake clock and scripted samples."""

from __future__ import annotations

import pytest

from gpudesk.core.errors import RemoteCommandError
from gpudesk.core.monitor.gpumonitor import (
    CostMeter,
    GpuMonitor,
    GpuSample,
    IdleDetector,
    IdleRule,
    Sample,
    idle_alert_text,
    parse_sample,
)


def sample(at: float, *utils: int) -> Sample:
    return Sample(at, tuple(GpuSample(i, u, 100, 24564) for i, u in enumerate(utils)))


def test_parse_sample_skips_noise() -> None:
    parsed = parse_sample("0, 37, 1024, 24564\n1, 0, 0, 24564\nNo devices were found\n", 5.0)
    assert parsed.time == 5.0
    assert [(g.index, g.util, g.mem_used_mib, g.mem_total_mib) for g in parsed.gpus] == [
        (0, 37, 1024, 24564),
        (1, 0, 0, 24564),
    ]
    assert parse_sample("[N/A], [N/A], 1, 2\n", 0).gpus == ()


def test_a_gpu_row_with_a_bad_value_makes_the_whole_sample_unreadable() -> None:
    for bad in ("inf", "nan", "[N/A]", "-3", "1e2", "101", "37 %"):
        assert parse_sample(f"0, 0, 1, 2\n1, {bad}, 1, 2\n", 0).gpus == (), bad


def test_alert_once_per_idle_period_and_busy_sample_resets() -> None:
    detector = IdleDetector(IdleRule(threshold_pct=5, window_s=60))
    assert detector.feed(sample(0, 1, 2)) == (0.0, False)
    assert detector.feed(sample(30, 0, 4)) == (30.0, False)
    assert detector.feed(sample(60, 0, 0)) == (60.0, True)
    assert detector.feed(sample(90, 0, 0)) == (90.0, False)  # once per period
    assert detector.feed(sample(120, 0, 50)) == (0.0, False)  # one busy GPU resets
    assert detector.feed(sample(150, 0, 0)) == (0.0, False)
    assert detector.feed(sample(200, 0, 0)) == (50.0, False)
    assert detector.feed(sample(210, 0, 0)) == (60.0, True)  # a new period alerts again


def test_threshold_is_inclusive_of_busy() -> None:
    detector = IdleDetector(IdleRule(threshold_pct=5, window_s=10))
    detector.feed(sample(0, 5))
    assert detector.idle_since is None
    detector.feed(sample(1, 4))
    assert detector.idle_since == 1


def test_an_unreadable_sample_ends_the_period_like_a_busy_one() -> None:
    detector = IdleDetector(IdleRule(threshold_pct=5, window_s=10))
    detector.feed(sample(0, 0))
    assert detector.feed(Sample(5, ())) == (0.0, False)
    assert detector.feed(sample(10, 0)) == (0.0, False)
    assert detector.feed(sample(20, 0)) == (10.0, True)


def test_cost_counts_only_time_seen_up() -> None:
    meter = CostMeter(price_per_hour=2.0, max_gap_s=120)
    for at in (0, 60, 120, 180):
        meter.seen(at)
    assert meter.seen_up_s == 180 and meter.cost == 0.1
    meter.seen(180 + 8 * 3600)  # the laptop slept: the gap is not billed
    assert meter.seen_up_s == 180
    assert CostMeter(price_per_hour=None).cost is None


def test_monitor_records_and_single_alert() -> None:
    clock = iter(float(t) for t in range(0, 1000, 30))
    utils = iter([80, 0, 0, 0, 0, 0])

    def run_sample() -> tuple[int, str]:
        return 0, f"0, {next(utils)}, 1000, 24564\n"

    monitor = GpuMonitor(
        "autodl-4090",
        run_sample,
        interval_s=30,
        rule=IdleRule(threshold_pct=5, window_s=60),
        price_per_hour=1.98,
        clock=lambda: next(clock),
    )
    records = [record for _ in range(6) for record in monitor.sample_once()]
    alerts = [r for r in records if "alert" in r]
    assert len(alerts) == 1
    assert alerts[0] == {
        "alert": "idle",
        "alias": "autodl-4090",
        "idle_for_s": 60.0,
        "price_per_hour": 1.98,
        "cost": round(1.98 * 90 / 3600, 4),  # seen up from 0 s to 90 s
    }
    samples = [r for r in records if "gpus" in r]
    assert set(samples[0]) == {"time", "gpus", "idle_for_s", "cost"}
    assert samples[0]["gpus"] == [
        {"index": 0, "util": 80, "mem_used_mib": 1000, "mem_total_mib": 24564}
    ]
    assert samples[0]["time"].endswith("+00:00")


def test_failing_nvidia_smi_is_a_clear_error() -> None:
    monitor = GpuMonitor("box", lambda: (9, "NVIDIA-SMI has failed"), clock=lambda: 0.0)
    with pytest.raises(RemoteCommandError) as caught:
        monitor.sample_once()
    assert "NVIDIA-SMI has failed" in caught.value.message and caught.value.hint


def test_texts() -> None:
    assert "15 minutes" in IdleRule().describe()
    assert idle_alert_text("a", 900, 1.5) == (
        "a: GPU idle for 15 min, about ¥1.5 per hour. Stop it in the console?"
    )
