"""`gpudesk monitor`'s session logic with scripted connections: the gap, the idle timer, the end.

The connections are stand-ins (the real sshd version, with a killed session process, is
``tests/integration/test_monitor_network.py``); the clock is injected, nothing sleeps long.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from gpudesk.core.errors import HostKeyChangedError, RemoteCommandError, UnreachableError
from gpudesk.core.monitor.gpumonitor import GpuMonitor, IdleRule
from gpudesk.core.monitor.session import MonitorSession
from gpudesk.core.ssh.remote import CommandResult
from gpudesk.core.tunnels.backoff import BackoffPolicy

NO_WAIT = BackoffPolicy(first_delays_s=(0.0,), cap_s=0.0, jitter=0.0)


class Link:
    """A connection whose samples come from a shared script."""

    def __init__(self, session: Script) -> None:
        self.script = session
        self.is_active = True

    def run(self, _command: str, **_kwargs: Any) -> CommandResult:
        answer = self.script.next_answer()
        if isinstance(answer, Exception):
            self.is_active = False
            raise answer
        return CommandResult(0, answer, "")

    def close(self) -> None:
        self.is_active = False


class Script:
    """Sample answers in order; logins succeed or fail as listed."""

    def __init__(self, answers: list[str | Exception], logins: list[Exception | None]) -> None:
        self.answers = answers
        self.logins = logins
        self.stop = threading.Event()

    def next_answer(self) -> str | Exception:
        if not self.answers:
            self.stop.set()
            return "0, 0, 1, 24564\n"
        return self.answers.pop(0)

    def connect(self) -> Link:
        failure = self.logins.pop(0) if self.logins else None
        if failure is not None:
            raise failure
        return Link(self)


def run_session(script: Script, clock_steps: list[float]) -> list[dict[str, Any]]:
    times = iter(clock_steps)
    monitor = GpuMonitor(
        "box",
        lambda: (0, ""),
        interval_s=0.0,
        rule=IdleRule(threshold_pct=5, window_s=60),
        clock=lambda: next(times),
    )
    session = MonitorSession(monitor, script.connect, policy=NO_WAIT)  # type: ignore[arg-type]
    with session:
        return list(session.run(script.stop))


IDLE = "0, 0, 1, 24564\n"
DROP = RemoteCommandError("ssh.channel_failed", "SSH session not active")


def test_the_gap_is_reported_and_not_counted_as_idle() -> None:
    script = Script(
        [IDLE, IDLE, DROP, IDLE, IDLE],
        logins=[None, UnreachableError("ssh.connect_refused", "refused"), None],
    )
    # Samples at 0 and 30 s, the gap, then samples at 1000 and 1030 s.
    records = run_session(script, [0, 30, 40, 50, 60, 1000, 1030, 1040, 1050])
    states = [r["state"] for r in records if "state" in r]
    assert states == ["reconnecting", "reconnecting", "connected"]
    samples = [r for r in records if "gpus" in r]
    # After the gap the idle period starts again: 1000 -> 0 s, 1030 -> 30 s (not 1030 s).
    assert [s["idle_for_s"] for s in samples[:4]] == [0.0, 30.0, 0.0, 30.0]
    assert not any("alert" in r for r in records)


def test_an_alerted_idle_period_does_not_alert_again_after_a_blip() -> None:
    script = Script([IDLE, IDLE, IDLE, DROP, IDLE, IDLE, IDLE], logins=[None, None])
    records = run_session(script, [0, 30, 60, 70, 80, 100, 130, 160, 190, 220])
    assert sum("alert" in r for r in records) == 1


def test_a_changed_host_key_while_reconnecting_ends_it() -> None:
    changed = HostKeyChangedError("ssh.host_key_changed", "changed", "", "old", "new")
    script = Script([IDLE, DROP], logins=[None, changed])
    with pytest.raises(HostKeyChangedError):
        run_session(script, [0, 10, 20, 30])


def test_a_failing_nvidia_smi_is_reported_once_and_sampling_goes_on() -> None:
    class FailingLink(Link):
        def run(self, _command: str, **_kwargs: Any) -> CommandResult:
            answer = self.script.next_answer()
            if answer == "FAIL":
                return CommandResult(9, "NVIDIA-SMI has failed", "")
            return CommandResult(0, str(answer), "")

    script = Script(["FAIL", "FAIL", "FAIL", IDLE], logins=[None])
    script.connect = lambda: FailingLink(script)  # type: ignore[method-assign]
    records = run_session(script, [float(t) for t in range(0, 300, 10)])
    problems = [r for r in records if "problem" in r]
    assert len(problems) == 1 and "nvidia-smi failed" in problems[0]["problem"]
    assert any("gpus" in r for r in records)
