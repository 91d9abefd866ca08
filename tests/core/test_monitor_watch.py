"""`gpudesk monitor` on the engine: the desk watches one instance, the command prints its events.

Logins are FAKES (fake transports from :mod:`tests.core.tunnel_fakes`; the real sshd version,
with a killed session process, is ``tests/integration/test_monitor_network.py``) and the GPU
answers come from a script (no nvidia-smi here). The desk, its link with the tunnels' probe
and backoff, the monitor hub, the event stream and the command's records are the real ones.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from gpudesk.commands.monitor import MonitorRecords, _human
from gpudesk.core.catalog.platforms import default_catalog
from gpudesk.core.engine import Desk
from gpudesk.core.engine.gpuwatch import not_connected
from gpudesk.core.errors import (
    ExitCode,
    GpuDeskError,
    HostKeyChangedError,
    RemoteCommandError,
    UnreachableError,
)
from gpudesk.core.models import SshTarget
from gpudesk.core.monitor.gpumonitor import IdleRule, RunSample
from gpudesk.core.ssh.remote import Connection
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.store.secrets import MemorySecretStore
from gpudesk.core.store.settings import Settings
from gpudesk.core.tunnels import BackoffPolicy, TunnelSupervisor
from tests.core.tunnel_fakes import FakeTransport, fake_connection

Record = dict[str, Any]

IDLE = "0, 0, 1, 24564\n"
BUSY = "0, 90, 20000, 24564\n"
#: The connection dies during this sample (the session process was killed).
DROP = "drop"
FAIL = "fail"


class Logins:
    """Logins that fail or succeed as listed (then succeed); keeps the fake transports."""

    def __init__(self, *outcomes: GpuDeskError | None) -> None:
        self.outcomes = list(outcomes)
        self.transports: list[FakeTransport] = []
        self.lock = threading.Lock()

    def __call__(self) -> Connection:
        with self.lock:
            failure = self.outcomes.pop(0) if self.outcomes else None
            if failure is not None:
                raise failure
            transport = FakeTransport()
            self.transports.append(transport)
        return fake_connection(transport)


class Instance1:
    """The scripted instance: answers in order over the current connection; then ``done``."""

    def __init__(self, desk: Desk, answers: list[str]) -> None:
        self.desk = desk
        self.answers = answers
        self.done = threading.Event()

    def sampler(self, alias: str) -> RunSample:
        def sample() -> tuple[int, str]:
            link = self.desk.watches.link_of(alias)
            connection = None if link is None else link.current_connection()
            if connection is None:
                raise not_connected(alias)
            if not self.answers:
                self.done.set()
                return 0, IDLE
            answer = self.answers.pop(0)
            if answer == DROP:
                connection.transport.die()
                raise RemoteCommandError("ssh.channel_failed", "SSH session not active")
            if answer == FAIL:
                return 9, "NVIDIA-SMI has failed"
            return 0, answer

        return sample


@pytest.fixture
def desk() -> Iterator[Desk]:
    InstanceStore().add(
        Instance(
            alias="box",
            target=SshTarget("root", "gpu.example.com", 10309),
            platform_id=None,
            host_key_alias=new_host_key_alias(),
            price_per_hour=3.6,
        )
    )
    supervisor = TunnelSupervisor(
        probe_interval_s=0.05,
        backoff=BackoffPolicy(first_delays_s=(0.0,), cap_s=0.05, jitter=0),
    )
    stores = {"instances": InstanceStore(), "secrets": MemorySecretStore()}
    made = Desk(
        Settings(),
        supervisor=supervisor,
        sampler=lambda alias: script.sampler(alias),
        catalog=default_catalog(),
        **stores,  # type: ignore[arg-type]
    )
    script = Instance1(made, [])
    made.hub.first_sample_s, made.hub.interval_s = 0.0, 0.02
    made.hub.rule = IdleRule(threshold_pct=5, window_s=0.15)
    made.script = script  # type: ignore[attr-defined]
    yield made
    made.close()


def run_monitor(desk: Desk, answers: list[str], logins: Logins) -> list[Record]:
    """What `gpudesk monitor box --json` prints until the script is used up."""
    script: Instance1 = desk.script  # type: ignore[attr-defined]
    script.answers = answers
    records = MonitorRecords("box")
    out: list[Record] = []
    with desk.events.queue() as events:
        desk.watch_gpus("box", logins, price_per_hour=2.0)
        while not script.done.is_set():
            event = events.get(timeout=0.05)
            out += records.of(event) if event is not None else []
    return out


def test_the_gap_is_reported_and_not_counted_as_idle(desk: Desk) -> None:
    logins = Logins(None, UnreachableError("ssh.connect_refused", "refused"), None)
    records = run_monitor(desk, [IDLE] * 8 + [DROP, IDLE, IDLE], logins)
    states = [r["state"] for r in records if "state" in r]
    assert states == ["reconnecting", "reconnecting", "connected"], records
    lost, refused = (r for r in records if r.get("state") == "reconnecting")
    assert set(lost) == {"state", "alias", "reason", "retry_in_s", "time"}
    assert lost["alias"] == "box" and lost["reason"] and lost["retry_in_s"] >= 0
    assert refused["reason"] == "refused"
    samples = [r for r in records if "gpus" in r]
    assert samples[0]["idle_for_s"] == 0.0 and samples[7]["idle_for_s"] > 0.0
    connected = next(i for i, r in enumerate(records) if r.get("state") == "connected")
    after = [r for r in records[connected:] if "gpus" in r]
    # After the gap the idle period starts again: what was not seen is not idle.
    assert after[0]["idle_for_s"] == 0.0, records
    lines = [_human(r) for r in records]  # what the command prints without --json
    assert any("connection lost" in line and "retrying in" in line for line in lines)
    assert any(line.endswith("connected again") for line in lines)
    assert any("GPU0   0 % 1/24564 MiB" in line for line in lines), lines
    assert len(logins.transports) == 2


def test_an_alerted_idle_period_does_not_alert_again_after_a_blip(desk: Desk) -> None:
    logins = Logins()
    records = run_monitor(desk, [IDLE] * 15 + [DROP] + [IDLE] * 20, logins)
    assert sum("alert" in r for r in records) == 1, records
    alert = next(r for r in records if "alert" in r)
    assert _human(alert).startswith("ALERT box: GPU idle for 0 min, about ¥2 per hour")
    assert set(alert) == {"alert", "alias", "idle_for_s", "price_per_hour", "cost"}
    assert alert["alias"] == "box" and alert["price_per_hour"] == 2.0
    assert any(r.get("state") == "connected" for r in records)
    connected = next(i for i, r in enumerate(records) if r.get("state") == "connected")
    after = [r["idle_for_s"] for r in records[connected:] if "gpus" in r]
    assert max(after) > 0.15, "the idle window passed again after the blip, without an alert"


def test_a_busy_sample_ends_the_idle_period_and_the_next_one_alerts(desk: Desk) -> None:
    records = run_monitor(desk, [IDLE] * 15 + [BUSY] + [IDLE] * 15, Logins())
    assert sum("alert" in r for r in records) == 2, records


def test_a_changed_host_key_while_reconnecting_ends_it_with_exit_5(desk: Desk) -> None:
    changed = HostKeyChangedError("ssh.host_key_changed", "changed", "", "old", "new")
    with pytest.raises(HostKeyChangedError) as raised:
        run_monitor(desk, [IDLE, DROP], Logins(None, changed))
    assert raised.value.exit_code == ExitCode.HOST_KEY_CHANGED
    assert desk.watches.watched() == set()


def test_the_first_login_error_is_raised_and_nothing_is_watched(desk: Desk) -> None:
    with pytest.raises(UnreachableError):
        desk.watch_gpus("box", Logins(UnreachableError("ssh.connect_refused", "refused")))
    assert desk.watches.link_of("box") is None and desk.hub.running() == set()


def test_a_failing_nvidia_smi_is_reported_once_and_sampling_goes_on(desk: Desk) -> None:
    records = run_monitor(desk, [FAIL, FAIL, FAIL, IDLE, FAIL, IDLE], Logins())
    problems = [r for r in records if "problem" in r]
    assert [set(p) for p in problems] == [{"time", "alias", "problem"}] * 2, records
    assert all("nvidia-smi failed" in p["problem"] for p in problems)
    assert any("gpus" in r for r in records)


def test_values_that_cannot_be_true_are_one_record_until_a_good_sample(desk: Desk) -> None:
    bad = ["0, inf, 1, 24564\n", "0, nan, 1, 24564\n", "0, 1e400, 1, 1\n"]
    records = run_monitor(desk, [*bad, IDLE, IDLE], Logins())
    problems = [r for r in records if "problem" in r]
    assert len(problems) == 1, records
    assert set(problems[0]) == {"time", "gpus", "idle_for_s", "cost", "problem"}
    assert problems[0]["gpus"] == [] and "cannot be true" in problems[0]["problem"]


def test_a_monitor_that_stops_unasked_ends_the_command(desk: Desk) -> None:
    class Dies(BaseException):
        pass

    def dying(_alias: str) -> RunSample:
        def sample() -> tuple[int, str]:
            raise Dies("boom")

        return sample

    desk.hub.sampler = dying
    with pytest.raises(GpuDeskError) as raised:
        run_monitor(desk, [IDLE], Logins())
    assert raised.value.code == "monitor.stopped" and "boom" in raised.value.message
