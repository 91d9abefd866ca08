"""The desk without Qt: restoring, saved tunnels, events, idle GPUs, wake-ups, the cache.

Logins are FAKES (:class:`ScriptedConnect`: fake transports over socket pairs) and GPUs are
scripted samplers (no nvidia-smi here); the supervisor, the store, the files, the threads and
the event stream are real. The same desk against the real sshd is in
``tests/integration/test_desk.py``.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator

import pytest

from gpudesk.core.catalog.platforms import default_catalog
from gpudesk.core.desktop.notifications import NotificationKind, NotificationPolicy
from gpudesk.core.desktop.traystate import OverallState
from gpudesk.core.engine import (
    Desk,
    DeskEvent,
    EventStream,
    InstancesChanged,
    NotificationRaised,
    ReadingChanged,
    Restored,
    StateChanged,
    TunnelChanged,
    WokeUp,
)
from gpudesk.core.errors import InputError, UnreachableError
from gpudesk.core.models import SshTarget
from gpudesk.core.monitor.gpumonitor import IdleRule, RunSample
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.store.secrets import MemorySecretStore
from gpudesk.core.store.settings import Settings
from gpudesk.core.tunnels import BackoffPolicy, TunnelState, TunnelSupervisor
from gpudesk.core.tunnels.savedtunnels import SavedTunnel, saved_tunnels
from tests.core.tunnel_fakes import ScriptedConnect
from tests.waiting import eventually, next_event


def _instance(alias: str, *tunnels: SavedTunnel, auto: bool = False) -> Instance:
    return Instance(
        alias=alias,
        target=SshTarget("root", "gpu.example.com", 10309),
        platform_id="autodl",
        host_key_alias=new_host_key_alias(),
        tunnels=tuple(t.to_dict() for t in tunnels),
        auto_connect=auto,
        price_per_hour=3.6,
    )


def _idle_gpu() -> tuple[int, str]:
    return 0, "0, 0, 1024, 24564\n"


@pytest.fixture
def desk() -> Iterator[Desk]:
    supervisor = TunnelSupervisor(
        probe_interval_s=0.2, backoff=BackoffPolicy(first_delays_s=(0.0,), cap_s=0.05, jitter=0)
    )

    def sampler(_alias: str) -> RunSample:
        return _idle_gpu

    made = Desk(
        Settings(),
        instances=InstanceStore(),
        catalog=default_catalog(),
        secrets=MemorySecretStore(),
        supervisor=supervisor,
        sampler=sampler,
        policy=NotificationPolicy(grace_s=0.0),
    )
    made.connector = lambda _instance: ScriptedConnect()  # type: ignore[method-assign]
    made.hub.first_sample_s = 0.0
    made.hub.interval_s = 0.05
    made.hub.rule = IdleRule(threshold_pct=5, window_s=0.0)
    yield made
    made.close()


def test_restore_registers_saved_tunnels_and_starts_auto_connect_ones(desk: Desk) -> None:
    store = desk.store
    store.add(_instance("auto", SavedTunnel("Jupyter", 0, 8888, kind="jupyter"), auto=True))
    store.add(_instance("manual", SavedTunnel("Web", 0, 8080)))
    got: list[DeskEvent] = []
    desk.events.subscribe(got.append)
    assert desk.restore() == []
    assert isinstance(got[0], InstancesChanged)
    assert Restored(()) in got and any(isinstance(e, StateChanged) for e in got)
    assert [i.alias for i in got[0].instances] == ["auto", "manual"]
    eventually(
        lambda: any(isinstance(e, TunnelChanged) and e.event.state is TunnelState.UP for e in got),
        what="the auto-connect tunnel up",
    )
    up = next(e for e in got if isinstance(e, TunnelChanged) and e.event.state is TunnelState.UP)
    assert up.event.instance == "auto"
    states = {s.instance: s.state for s in desk.supervisor.tunnels()}
    assert states == {"auto": TunnelState.UP, "manual": TunnelState.STOPPED}
    assert [e.saved.name for e in desk.book.entries()] == ["Jupyter", "Web"]
    desk.restore()  # a second restore adds nothing
    assert len(desk.supervisor.tunnels()) == 2


def test_an_up_tunnel_is_monitored_and_an_idle_gpu_notified_once(desk: Desk) -> None:
    desk.store.add(_instance("box", SavedTunnel("Web", 0, 8080), auto=True))
    with desk.events.queue() as events:
        desk.restore()
        reading = next_event(events, ReadingChanged)
        assert reading.reading.alias == "box"
        note = next_event(events, NotificationRaised)
    assert note.note.kind is NotificationKind.GPU_IDLE
    assert note.note.price_per_hour == 3.6
    eventually(lambda: desk.state.state is OverallState.IDLE_GPU, what="the idle icon")
    section = desk.menu_model().sections[0]
    assert section.idle and section.reading is not None


def test_custom_tunnels_from_many_threads_are_all_saved_and_removed(desk: Desk) -> None:
    desk.store.add(_instance("box"))
    desk.restore()
    ids: list[str] = []
    lock = threading.Lock()

    def add(port: int) -> None:
        tunnel_id = desk.add_saved_tunnel("box", 0, port)
        with lock:
            ids.append(tunnel_id)

    threads = [threading.Thread(target=add, args=(7000 + n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    saved = sorted(t.name for t in saved_tunnels(desk.store.require("box")))
    assert saved == sorted(f"Port {7000 + n}" for n in range(6))
    assert len(desk.book.of_instance("box")) == 6
    for tunnel_id in ids[:3]:
        desk.remove_saved_tunnel(tunnel_id)
    assert len(saved_tunnels(desk.store.require("box"))) == 3
    assert len(desk.supervisor.tunnels("box")) == 3


def test_a_second_tunnel_of_the_same_port_gets_a_numbered_name(desk: Desk) -> None:
    desk.store.add(_instance("box"))
    desk.restore()
    desk.add_saved_tunnel("box", 0, 7860)
    desk.add_saved_tunnel("box", 0, 7860)
    desk.add_saved_tunnel("box", 0, 7860, lambda port, n: f"P{port}" if n == 1 else f"P{port}#{n}")
    desk.add_saved_tunnel("box", 0, 7860, lambda port, n: f"P{port}" if n == 1 else f"P{port}#{n}")
    names = [t.name for t in saved_tunnels(desk.store.require("box"))]
    assert names == ["Port 7860", "Port 7860 (2)", "P7860", "P7860#2"]


def test_unknown_instance_is_an_input_error(desk: Desk) -> None:
    with pytest.raises(InputError) as caught:
        desk.open_jupyter("no-such-box")
    assert caught.value.code == "instance.not_found"


def test_one_login_callable_per_instance_even_from_many_threads() -> None:
    made = Desk(
        Settings(),
        instances=InstanceStore(),
        catalog=default_catalog(),
        secrets=MemorySecretStore(),
    )
    instance = _instance("box")
    start = threading.Barrier(8)
    seen: list[object] = []

    def build() -> None:
        start.wait()
        seen.append(made.connector(instance))

    threads = [threading.Thread(target=build) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    made.close()
    assert len(seen) == 8 and len({id(c) for c in seen}) == 1


def test_the_menu_reads_no_file_and_a_refresh_reports_changes(desk: Desk) -> None:
    desk.store.add(_instance("box"))
    desk.restore()
    desk.store.add(_instance("second"))
    assert [s.alias for s in desk.menu_model().sections] == ["box"]  # from memory
    with desk.events.queue() as events:
        desk.refresh_instances()
        changed = next_event(events, InstancesChanged)
    assert [i.alias for i in changed.instances] == ["box", "second"]
    assert [s.alias for s in desk.menu_model().sections] == ["box", "second"]


def test_a_damaged_file_keeps_the_last_good_instances(desk: Desk) -> None:
    desk.store.add(_instance("box"))
    desk.restore()
    desk.store.path.write_text("{not json", encoding="utf-8")
    assert [i.alias for i in desk.cache.refresh()] == ["box"]


def test_a_wake_up_probes_and_is_published(desk: Desk) -> None:
    probed: list[bool] = []
    real = desk.supervisor.probe_now

    def spy() -> None:
        probed.append(True)
        real()

    desk.supervisor.probe_now = spy  # type: ignore[method-assign]
    desk.wake._last_wall -= 3600  # the wall clock jumped: the machine slept
    with desk.events.queue() as events:
        assert desk.check_wake() == "wake"
        assert events.get(timeout=5) == WokeUp("wake")
    assert probed == [True]


def test_the_heartbeat_releases_a_lost_notification(desk: Desk) -> None:
    login = ScriptedConnect()
    desk.connector = lambda _instance: login  # type: ignore[method-assign]
    desk.monitor_gpus = False
    desk.store.add(_instance("box", SavedTunnel("Web", 0, 8080), auto=True))
    desk.restore()
    eventually(lambda: desk.supervisor.tunnels()[0].state is TunnelState.UP, what="up")
    with desk.events.queue() as events:
        desk.start_watching()
        # The instance goes away: every new login fails, so the link keeps reconnecting; the
        # policy holds "lost" for its grace period (0 s here) until the heartbeat ticks.
        login.errors = [UnreachableError("ssh.unreachable", "gone")] * 1000
        login.transports[0].die()
        note = next_event(events, NotificationRaised)
    assert note.note.kind is NotificationKind.LOST
    assert desk.heartbeat.running


def test_a_failing_subscriber_does_not_stop_the_others() -> None:
    stream = EventStream()
    got: list[DeskEvent] = []

    def broken(_event: DeskEvent) -> None:
        raise RuntimeError("boom")

    stream.subscribe(broken)
    unsubscribe = stream.subscribe(got.append)
    stream.publish(WokeUp("network"), WokeUp("wake"))
    unsubscribe()
    stream.publish(WokeUp("later"))
    assert got == [WokeUp("network"), WokeUp("wake")]


def test_an_event_queue_is_a_blocking_iterator_until_closed() -> None:
    stream = EventStream()
    with stream.queue() as events:
        threading.Thread(target=stream.publish, args=(WokeUp("a"), WokeUp("b"))).start()
        first, second = itertools.islice(events, 2)
        assert (first, second) == (WokeUp("a"), WokeUp("b"))
        assert events.get(timeout=0.01) is None
    stream.publish(WokeUp("c"))
    assert events.get(timeout=0.01) is None


def test_the_clock_notices_an_instance_saved_elsewhere(desk: Desk) -> None:
    desk.store.add(_instance("box"))
    desk.restore()
    with desk.events.queue() as events:
        desk.tick()  # nothing changed: no re-read
        assert events.get(timeout=0.2) is None
        InstanceStore().add(_instance("from-the-cli"))  # e.g. `gpudesk setup` in a terminal
        desk.tick()
        changed = next_event(events, InstancesChanged)
    assert [i.alias for i in changed.instances] == ["box", "from-the-cli"]
