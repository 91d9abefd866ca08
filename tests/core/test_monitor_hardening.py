"""The monitor hub against hostile samples: the thread never dies, and never silently.

The instance is a scripted sampler here (the real sshd runs in
``tests/integration/test_hostile_instance.py``): these tests are about the hub's thread.
"""

from __future__ import annotations

import threading

from gpudesk.core.monitor.gpumonitor import IdleRule, RunSample
from gpudesk.core.monitor.hub import InstanceReading, MonitorHub
from tests.waiting import eventually


class Script:
    """Answers in turn; the last answer repeats."""

    def __init__(self, answers: list[str | BaseException]) -> None:
        self.answers = answers
        self.calls = 0
        self.lock = threading.Lock()

    def sample(self) -> tuple[int, str]:
        with self.lock:
            answer = self.answers[min(self.calls, len(self.answers) - 1)]
            self.calls += 1
        if isinstance(answer, BaseException):
            raise answer
        return 0, answer


def make_hub(script: Script, readings: list[InstanceReading]) -> MonitorHub:
    def sampler(_alias: str) -> RunSample:
        return script.sample

    return MonitorHub(
        sampler,
        interval_s=0.01,
        rule=IdleRule(threshold_pct=5, window_s=60),
        on_reading=readings.append,
        first_sample_s=0.0,
    )


def test_bad_numbers_do_not_kill_the_thread_and_good_samples_follow() -> None:
    bad = ["0, inf, 1, 24564\n", "0, nan, 1, 24564\n", "0, 1e400, 1, 1\n", "\u00b2, 1, 1, 1\n"]
    script = Script([*bad, "0, 42, 100, 24564\n"])
    readings: list[InstanceReading] = []
    hub = make_hub(script, readings)
    try:
        hub.set_running(["box"])
        eventually(lambda: any(r.gpus for r in readings))
        assert hub.running() == {"box"}
        assert any(r.error and "cannot be true" in r.error for r in readings)
        last = hub.reading("box")
        assert last is not None and last.max_util == 42 and last.error is None
        assert last.stopped is None
    finally:
        hub.close()


def test_a_thread_that_ends_unasked_says_so() -> None:
    """Even a BaseException (not an Exception) out of sampling leaves a visible reading."""

    class Doom(BaseException):
        pass

    script = Script([Doom("boom")])
    readings: list[InstanceReading] = []
    hub = make_hub(script, readings)
    try:
        hub.set_running(["box"])
        eventually(lambda: any(r.stopped for r in readings))
        reading = hub.reading("box")
        assert reading is not None and reading.stopped and not reading.running
        assert hub.running() == set()
    finally:
        hub.close()


def test_a_failing_reading_callback_does_not_end_sampling() -> None:
    script = Script(["0, 1, 1, 24564\n"])
    calls: list[InstanceReading] = []

    def explode(reading: InstanceReading) -> None:
        calls.append(reading)
        raise RuntimeError("the UI bridge failed")

    hub = MonitorHub(
        lambda _alias: script.sample, interval_s=0.01, on_reading=explode, first_sample_s=0.0
    )
    try:
        hub.set_running(["box"])
        eventually(lambda: script.calls >= 4)
        assert hub.running() == {"box"}
    finally:
        hub.close()
