"""The guard's rules (validation, the file the guard reads) and its status (hostile input)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pytest

from gpudesk.core.errors import InputError
from gpudesk.core.guard.countdown import CountdownWatch, countdown_notice
from gpudesk.core.guard.remote_scripts import find_process_input, installer, script_command
from gpudesk.core.guard.rules import GuardRules, next_clock_time, power_off_command_for
from gpudesk.core.guard.status import MAX_TEXT, parse_status


@pytest.mark.parametrize(
    "rules",
    [
        GuardRules(idle_minutes=-1),
        GuardRules(idle_minutes=math.nan),
        GuardRules(idle_minutes=math.inf),
        GuardRules(idle_minutes=0),
        GuardRules(idle_minutes=5, idle_threshold_pct=101),
        GuardRules(idle_minutes=5, idle_threshold_pct=math.nan),
        GuardRules(after_pid=-4),
        GuardRules(max_hours=-2),
        GuardRules(max_hours=math.nan),
        GuardRules(idle_minutes=5, grace_minutes=-1),
        GuardRules(idle_minutes=5, interval_s=0.5),
        GuardRules(idle_minutes=5, interval_s=math.inf),
        GuardRules(after_process="train.py\nrm -rf ~"),
        GuardRules(after_process="  "),
        GuardRules(idle_minutes=5, power_off_command="shutdown\n"),
        GuardRules(),
    ],
)
def test_bad_rules_are_refused_with_exit_code_2(rules: GuardRules) -> None:
    with pytest.raises(InputError) as caught:
        rules.validate()
    assert caught.value.code == "guard.bad_rule" and caught.value.exit_code == 2


def test_rules_file_in_whole_seconds() -> None:
    deadline = datetime(2026, 12, 3, 7, 0, tzinfo=timezone.utc)
    rules = GuardRules(
        idle_minutes=0.25,
        idle_threshold_pct=7.5,
        after_pid=42,
        deadline=deadline,
        grace_minutes=0.05,
        interval_s=1.5,
        power_off_command="/bin/bash -c /usr/bin/shutdown",
    )
    rules.validate()
    lines = rules.file_text().splitlines()
    assert set(lines) == {
        "idle_threshold_pct=7.5",
        "grace_s=3",
        "interval_s=2",
        "idle_window_s=15",
        "after_pid=42",
        f"deadline={int(deadline.timestamp())}",
        "power_off_command=/bin/bash -c /usr/bin/shutdown",
    }


def test_at_is_the_next_such_clock_time() -> None:
    now = datetime(2026, 12, 2, 23, 10, tzinfo=timezone(timedelta(hours=8)))
    assert next_clock_time("23:30", now) == now.replace(minute=30)
    assert next_clock_time("7:05", now) == datetime(2026, 12, 3, 7, 5, tzinfo=now.tzinfo)
    for bad in ("24:00", "12:60", "noon", "12:3"):
        with pytest.raises(InputError):
            next_clock_time(bad, now)


def test_power_off_known_for_autodl_only() -> None:
    assert power_off_command_for("autodl") == "/bin/bash -c /usr/bin/shutdown"
    for other in ("luchen", "deepln", "colab", None, "nonexistent"):
        assert power_off_command_for(other) is None


def test_user_text_never_reaches_a_command_line() -> None:
    pattern = "train.py'; rm -rf ~; echo '"
    command, stdin = find_process_input(pattern)
    assert command == "sh -s find" and pattern.encode() in stdin
    command, _stdin = script_command("postpone", 600)
    assert command == "sh -s postpone 600"
    text = installer("power_off_command=$(reboot)\n").decode()
    assert "<<'GPUDESK_GUARD_RULES_END'\npower_off_command=$(reboot)\n" in text
    with pytest.raises(InputError):
        find_process_input("GPUDESK_GUARD_PATTERN_END")


STATE = """@now=1764720000
@alive=1
@rules
idle_window_s=900
idle_threshold_pct=5
grace_s=300
interval_s=60
power_off_command=/bin/bash -c /usr/bin/shutdown
@state
pid=321
phase=grace
reason=idle
idle_for_s=960
sample_time=1764719990
sample=ok 0:0:512:24564 1:3:10:24564
powers_off_at=1764720240
@hold
1764720600
@notice
gpudesk guard: this instance powers off in 4 min because the GPU has been idle.
@end
"""


def test_status_of_a_guard_in_its_grace() -> None:
    status = parse_status(STATE)
    document = status.to_json()
    assert document["active"] is True and document["phase"] == "grace"
    assert document["idle_for_s"] == 960
    assert document["powers_off_at"] == "2025-12-03T00:10:00+00:00"  # the postponement wins
    assert status.seconds_left() == 600
    assert document["rules"]["idle_minutes"] == 15 and document["rules"]["grace_minutes"] == 5
    assert [g["util"] for g in document["last_sample"]["gpus"]] == [0, 3]
    assert document["notice"].startswith("gpudesk guard: this instance powers off in 4 min")


@pytest.mark.parametrize(
    "answer",
    [
        "",
        "\x00" * 100_000,
        "@alive=1\n@state\nsample_time=nan\nsample=ok 0:inf:1:2\nidle_for_s=inf\n",
        "@alive=1\n@state\nsample_time=5\nsample=ok 0:999:1:2\npowers_off_at=-1\n",
        "@alive=1\n@state\nsample_time=5\nsample=ok " + "0:0:1:2 " * 100_000,
        "@alive=1\n@notice\n" + "\x1b[31m" + "x" * 100_000,
        "@rules\nidle_window_s=1e309\nidle_threshold_pct=inf\nafter_process=\x1b]0;pwn\x07\n",
    ],
)
def test_a_hostile_answer_only_makes_the_status_say_less(answer: str) -> None:
    status = parse_status(answer)
    document = status.to_json()
    assert document["idle_for_s"] in (None, 0.0)
    assert document["powers_off_at"] is None
    sample = status.last_sample
    assert sample is None or not sample.readable or len(sample.gpus) <= 64
    if status.notice is not None:
        assert len(status.notice) <= MAX_TEXT and "\x1b" not in status.notice
    rules = document["rules"]
    assert rules.get("idle_minutes") is None and rules.get("idle_threshold_pct") is None
    assert "\x1b" not in str(rules.get("after_process"))


def test_a_dead_guard_is_not_active_and_has_no_countdown() -> None:
    status = parse_status(STATE.replace("@alive=1", "@alive=0"))
    assert not status.active and status.phase == "stopped"
    assert status.powers_off_at is None and status.notice is None


def test_the_tray_is_told_once_per_countdown_and_again_after_a_postponement() -> None:
    watch = CountdownWatch()
    grace = parse_status(STATE)
    notice = watch.update("autodl-4090", grace)
    assert notice is not None and notice.minutes_left == 10 and not notice.warns_only
    assert notice.text() == "autodl-4090 powers off in 10 min — Postpone / Cancel"
    assert watch.update("autodl-4090", grace) is None
    later = parse_status(STATE.replace("1764720600", "1764721200"))
    postponed = watch.update("autodl-4090", later)
    assert postponed is not None and postponed.minutes_left == 20
    assert watch.update("autodl-4090", parse_status(STATE.replace("@alive=1", "@alive=0"))) is None
    assert watch.update("autodl-4090", grace) is not None  # a new countdown after the end
    warning = parse_status(STATE.replace("power_off_command=/bin/bash -c /usr/bin/shutdown\n", ""))
    assert countdown_notice("x", warning) is not None
    assert "console" in countdown_notice("x", warning).text()  # type: ignore[union-attr]
