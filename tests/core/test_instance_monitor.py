"""The monitor hub: one sampler per running instance, readings, idle once, cost, clean stop."""

from __future__ import annotations

import threading
import time

from gpudesk.core.errors import RemoteCommandError
from gpudesk.core.monitor.gpumonitor import IdleRule, RunSample
from gpudesk.core.monitor.hub import (
    COST_LABEL,
    InstanceReading,
    MonitorHub,
    supervisor_sampler,
)
from gpudesk.core.ssh.remote import CommandResult
from tests.waiting import eventually


class Gpu:
    """A scripted instance: its utilisation, or an error to raise."""

    def __init__(self) -> None:
        self.util = 50
        self.error: Exception | None = None
        self.calls = 0

    def sample(self) -> tuple[int, str]:
        self.calls += 1
        if self.error is not None:
            raise self.error
        return 0, f"0, {self.util}, 1024, 24564\n1, {self.util}, 2048, 24564\n"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.lock = threading.Lock()

    def __call__(self) -> float:
        with self.lock:
            self.now += 30.0  # each sample is 30 s after the previous one
            return self.now


def hub_for(gpus: dict[str, Gpu], events: list[tuple[str, object]]) -> MonitorHub:
    def sampler(alias: str) -> RunSample:
        return gpus[alias].sample

    return MonitorHub(
        sampler,
        interval_s=0.02,
        rule=IdleRule(threshold_pct=5, window_s=60),
        price_of=lambda alias: 3.6 if alias == "paid" else None,
        on_reading=lambda r: events.append(("reading", r)),
        on_alert=lambda alias, idle, price: events.append(("alert", (alias, idle, price))),
        on_busy=lambda alias: events.append(("busy", alias)),
        first_sample_s=0.0,
        clock=Clock(),
    )


def test_readings_idle_once_busy_and_cost() -> None:
    gpus = {"paid": Gpu()}
    events: list[tuple[str, object]] = []
    hub = hub_for(gpus, events)
    try:
        hub.set_running(["paid"])
        eventually(lambda: gpus["paid"].calls >= 2)
        reading = hub.reading("paid")
        assert reading is not None and reading.running and reading.max_util == 50
        assert reading.memory_mib == (3072, 49128)
        assert reading.up_since is not None and reading.cost is not None and reading.cost > 0
        gpus["paid"].util = 0
        eventually(lambda: any(kind == "alert" for kind, _ in events))
        eventually(lambda: gpus["paid"].calls >= 12)
        alerts = [e for kind, e in events if kind == "alert"]
        assert len(alerts) == 1 and alerts[0][0] == "paid" and alerts[0][2] == 3.6
        assert hub.reading("paid").idle  # type: ignore[union-attr]
        gpus["paid"].util = 80
        eventually(lambda: ("busy", "paid") in events)
        assert not hub.reading("paid").idle  # type: ignore[union-attr]
        assert hub.total_cost() == hub.reading("paid").cost  # type: ignore[union-attr]
    finally:
        hub.close()
    assert not any(t.name.startswith("gpudesk-monitor") for t in threading.enumerate())


def test_not_connected_is_quiet_other_errors_are_shown() -> None:
    gpus = {"box": Gpu()}
    events: list[tuple[str, object]] = []
    hub = hub_for(gpus, events)
    gpus["box"].error = RemoteCommandError("tunnel.not_connected", "not connected")
    try:
        hub.set_running(["box"])
        eventually(lambda: gpus["box"].calls >= 3)
        assert [kind for kind, _ in events] == []
        gpus["box"].error = RemoteCommandError("monitor.x", "nvidia-smi is missing")
        eventually(lambda: bool(events))
        reading = events[-1][1]
        assert isinstance(reading, InstanceReading) and reading.error == "nvidia-smi is missing"
        assert hub.total_cost() is None
    finally:
        hub.close()


def test_stopping_an_instance_keeps_its_cost_and_clears_idle() -> None:
    gpus = {"paid": Gpu(), "other": Gpu()}
    gpus["paid"].util = 0
    events: list[tuple[str, object]] = []
    hub = hub_for(gpus, events)
    try:
        hub.set_running(["paid", "other"])
        eventually(lambda: any(kind == "alert" for kind, _ in events))
        assert hub.running() == {"paid", "other"}
        hub.set_running(["other"])
        assert ("busy", "paid") in events
        reading = hub.reading("paid")
        assert reading is not None and not reading.running and not reading.idle
        assert reading.cost is not None and reading.up_since is None
        calls = gpus["paid"].calls
        time.sleep(0.1)
        assert gpus["paid"].calls <= calls + 1  # at most the sample in flight
        hub.set_running([])
        assert hub.running() == set()
    finally:
        hub.close()


def test_cost_label_is_honest() -> None:
    assert "not the platform's bill" in COST_LABEL


class FakeSupervisor:
    """Only what the sampler uses: ``run_on_instance``."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, bytes]] = []

    def run_on_instance(
        self, instance: str, command: str, *, stdin: bytes = b"", timeout: float = 20.0
    ) -> CommandResult:
        self.calls.append((instance, command, stdin))
        return CommandResult(0, "0, 12, 100, 200\n", "")


def test_sampler_uses_the_existing_connection() -> None:
    supervisor = FakeSupervisor()
    sample = supervisor_sampler(supervisor, "box")  # type: ignore[arg-type]
    assert sample() == (0, "0, 12, 100, 200\n")
    assert sample() == (0, "0, 12, 100, 200\n")
    assert [c[0] for c in supervisor.calls] == ["box", "box"]
    assert b"nvidia-smi --query-gpu=" in supervisor.calls[0][2]
