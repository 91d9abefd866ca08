"""Saved tunnels per instance: the JSON objects, the store, and restoring at start."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest

from gpudesk.core.errors import InputError
from gpudesk.core.models import SshTarget
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.tunnels import BackoffPolicy, TunnelState, TunnelSupervisor
from gpudesk.core.tunnels.savedtunnels import (
    SavedTunnel,
    TunnelBook,
    remove_saved_tunnel,
    restore_tunnels,
    save_tunnel,
    saved_tunnels,
    set_auto_connect,
)
from tests.core.tunnel_fakes import ScriptedConnect

JUPYTER = SavedTunnel("Jupyter", 0, 8888, kind="jupyter")
BOARD = SavedTunnel("TensorBoard", 0, 6006, kind="tensorboard")


def instance(alias: str, *tunnels: SavedTunnel, auto: bool = False) -> Instance:
    return Instance(
        alias=alias,
        target=SshTarget("root", "gpu.example.com", 10309),
        platform_id="autodl",
        host_key_alias=new_host_key_alias(),
        tunnels=tuple(t.to_dict() for t in tunnels),
        auto_connect=auto,
    )


@pytest.fixture
def supervisor() -> Iterator[TunnelSupervisor]:
    sup = TunnelSupervisor(
        probe_interval_s=0.2, backoff=BackoffPolicy(first_delays_s=(0.0,), cap_s=0.05, jitter=0)
    )
    yield sup
    sup.close()


def test_round_trip_and_json_shape() -> None:
    saved = SavedTunnel("Gradio demo", 7860, 7860)
    assert saved.to_dict() == {
        "name": "Gradio demo",
        "local_port": 7860,
        "remote_port": 7860,
        "remote_host": "127.0.0.1",
        "kind": "custom",
    }
    assert SavedTunnel.from_dict(saved.to_dict()) == saved
    assert (
        SavedTunnel.from_dict({"name": "x", "local_port": "1", "remote_port": 2}).kind == "custom"
    )


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "local_port": 1, "remote_port": 2},
        {"name": "x", "local_port": 1, "remote_port": 0},
        {"name": "x", "local_port": 70000, "remote_port": 2},
        {"name": "x", "local_port": 1, "remote_port": 2, "kind": "ftp"},
        {"name": "x", "local_port": 1, "remote_port": 2, "remote_host": "-oProxyCommand"},
        {"name": "x", "remote_port": 2},
        {"name": "x", "local_port": "abc", "remote_port": 2},
    ],
)
def test_bad_saved_tunnels_are_refused(data: dict[str, object]) -> None:
    with pytest.raises(InputError):
        SavedTunnel.from_dict(data)


def test_malformed_entries_are_skipped_not_fatal() -> None:
    inst = instance("box", JUPYTER)
    inst = Instance(**{**inst.__dict__, "tunnels": (*inst.tunnels, {"name": "broken"})})
    assert saved_tunnels(inst) == [JUPYTER]


def test_store_helpers_persist_in_instances_json() -> None:
    store = InstanceStore()
    store.add(instance("box"))
    save_tunnel(store, "box", JUPYTER)
    save_tunnel(store, "box", BOARD)
    save_tunnel(store, "box", SavedTunnel("Jupyter", 18888, 8888, kind="jupyter"))  # replaces
    set_auto_connect(store, "box", True)
    raw = json.loads(store.path.read_text())["instances"][0]
    assert [t["name"] for t in raw["tunnels"]] == ["TensorBoard", "Jupyter"]
    assert raw["tunnels"][1]["local_port"] == 18888 and raw["auto_connect"] is True
    remove_saved_tunnel(store, "box", "TensorBoard")
    got = store.get("box")
    assert got is not None and [t.name for t in saved_tunnels(got)] == ["Jupyter"]
    with pytest.raises(InputError):
        save_tunnel(store, "nope", JUPYTER)


def test_restore_registers_all_and_starts_auto_connect_only(supervisor: TunnelSupervisor) -> None:
    connects: dict[str, ScriptedConnect] = {}

    def connector(inst: Instance) -> ScriptedConnect:
        return connects.setdefault(inst.alias, ScriptedConnect())

    book = TunnelBook()
    auto = instance("auto", JUPYTER, BOARD, auto=True)
    manual = instance("manual", SavedTunnel("Demo", 0, 7860))
    problems = restore_tunnels(supervisor, [auto, manual, instance("empty")], connector, book)
    assert problems == []
    assert [(e.alias, e.saved.name) for e in book.entries()] == [
        ("auto", "Jupyter"),
        ("auto", "TensorBoard"),
        ("manual", "Demo"),
    ]
    for entry in book.of_instance("auto"):
        assert (
            supervisor.wait_for(entry.tunnel_id, TunnelState.UP, timeout=5).state is TunnelState.UP
        )
    (demo,) = book.of_instance("manual")
    assert supervisor.status(demo.tunnel_id).state is TunnelState.STOPPED
    assert "manual" not in connects or connects["manual"].calls == 0
    # Twice adds nothing.
    restore_tunnels(supervisor, [auto, manual], connector, book)
    assert len(supervisor.tunnels()) == 3
    assert book.find("auto", "TensorBoard") is not None
    assert book.get(demo.tunnel_id) == demo


def test_restore_reports_a_busy_port_and_starts_the_rest(supervisor: TunnelSupervisor) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        inst = instance("box", SavedTunnel("Taken", port, 80), JUPYTER, auto=True)
        book = TunnelBook()
        problems = restore_tunnels(supervisor, [inst], lambda _i: ScriptedConnect(), book)
        assert [(p.alias, p.name, p.error.code) for p in problems] == [
            ("box", "Taken", "tunnel.local_port_busy")
        ]
        taken, jupyter = book.of_instance("box")
        assert supervisor.status(taken.tunnel_id).state is TunnelState.STOPPED
        supervisor.wait_for(jupyter.tunnel_id, TunnelState.UP, timeout=5)


def test_restore_without_connect_starts_nothing(supervisor: TunnelSupervisor) -> None:
    book = TunnelBook()
    restore_tunnels(
        supervisor,
        [instance("a", JUPYTER, auto=True)],
        lambda _i: ScriptedConnect(),
        book,
        connect=False,
    )
    assert [s.state for s in supervisor.tunnels()] == [TunnelState.STOPPED]
