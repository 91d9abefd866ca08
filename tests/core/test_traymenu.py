"""The tray menu's model, built without Qt."""

from __future__ import annotations

import math
import time

import pytest

from gpudesk.core.desktop.traymenu import (
    build_menu_model,
    session_cost,
)
from gpudesk.core.desktop.traystate import OverallState
from gpudesk.core.models import SshTarget
from gpudesk.core.monitor.gpumonitor import GpuSample
from gpudesk.core.monitor.hub import InstanceReading
from gpudesk.core.store.instances import Instance
from gpudesk.core.tunnels import TunnelSpec, TunnelState, TunnelStatus
from gpudesk.core.tunnels.savedtunnels import BookEntry, SavedTunnel, TunnelBook


def inst(alias: str, platform: str | None = "autodl") -> Instance:
    return Instance(
        alias, SshTarget("root", "region-1.autodl.com", 10309), platform, f"pin-{alias}"
    )


def status(tid: str, alias: str, state: TunnelState, lport: int, rport: int) -> TunnelStatus:
    return TunnelStatus(tid, alias, TunnelSpec(lport, rport), state, state.value, time.time())


def test_sections_toggles_and_global_actions() -> None:
    book = TunnelBook()
    book.add(BookEntry("a#1", "a", SavedTunnel("Jupyter", 8888, 8888, kind="jupyter")))
    book.add(BookEntry("a#2", "a", SavedTunnel("TensorBoard", 6006, 6006, kind="tensorboard")))
    statuses = [
        status("a#2", "a", TunnelState.STOPPED, 6006, 6006),
        status("a#1", "a", TunnelState.UP, 8888, 8888),
        status("x#9", "a", TunnelState.RECONNECTING, 7860, 7860),  # not saved (ad hoc)
        status("z#3", "zombie", TunnelState.UP, 9000, 9000),  # not a saved instance
    ]
    reading = InstanceReading(
        "a",
        gpus=(GpuSample(0, 87, 10445, 24564),),
        up_since=1000.0,
        cost=2.1,
        price_per_hour=1.98,
        running=True,
    )
    model = build_menu_model(
        [inst("a"), inst("b", None)],
        statuses,
        book,
        {"a": reading},
        now=1000.0 + 3900,
        console_url_of=lambda p: "https://www.autodl.com/console" if p == "autodl" else None,
        has_ssh_alias=lambda alias: alias == "a",
    )
    a, b = model.sections
    assert [(t.name, t.kind, t.checked) for t in a.toggles] == [
        ("Jupyter", "jupyter", True),
        ("TensorBoard", "tensorboard", False),
        ("7860:127.0.0.1:7860", "custom", True),
    ]
    assert a.jupyter_tunnel == "a#1" and a.ssh_command == "ssh a"
    assert a.console_url == "https://www.autodl.com/console" and a.release_after_days == 15
    # The cost is price x the time shown (1.98 x 65 min), not the monitor's own meter (2.1).
    assert a.reading is not None and a.reading.cost == 2.145
    assert b.toggles == () and b.reading is None and b.console_url is None
    assert b.ssh_command == "ssh -p 10309 root@region-1.autodl.com"
    assert model.can_connect_all and model.can_disconnect_all
    assert model.total_cost == 2.145
    assert model.summary.state is OverallState.RECONNECTING


def test_nothing_running_and_idle() -> None:
    model = build_menu_model([inst("a")], [], TunnelBook(), {}, now=0.0)
    assert not model.can_connect_all and not model.can_disconnect_all
    assert model.summary.state is OverallState.NOTHING_RUNNING and model.total_cost is None
    idle = InstanceReading("a", gpus=(GpuSample(0, 0, 1, 2),), idle=True)
    model = build_menu_model(
        [inst("a")], [status("a#1", "a", TunnelState.UP, 1, 2)], TunnelBook(), {"a": idle}, now=0.0
    )
    assert model.sections[0].idle and model.summary.state is OverallState.IDLE_GPU


def test_platform_of() -> None:
    from gpudesk.core.catalog.platforms import default_catalog
    from gpudesk.core.desktop.traymenu import platform_of

    catalog = default_catalog()
    autodl = platform_of(catalog, "autodl")
    assert autodl is not None and autodl.console_url.startswith("https://")
    assert platform_of(catalog, None) is None and platform_of(catalog, "nope") is None


def test_the_cost_is_the_price_times_the_time_shown_next_to_it() -> None:
    """The tray once said "3 min ≈ ¥0.17 at ¥1.98/h": 3 min at ¥1.98/h is ¥0.099."""
    reading = InstanceReading("a", up_since=1000.0, cost=0.17, price_per_hour=1.98, running=True)
    model = build_menu_model([inst("a")], [], TunnelBook(), {"a": reading}, now=1000.0 + 180)
    section = model.sections[0]
    assert section.up_for_s == 180.0
    assert section.reading is not None and section.reading.cost == pytest.approx(0.099)
    assert model.total_cost == pytest.approx(0.099)


def test_the_saved_price_wins_and_bad_numbers_give_no_cost() -> None:
    priced = Instance("a", SshTarget("root", "h", 22), None, "pin-a", price_per_hour=3.6)
    reading = InstanceReading("a", up_since=0.0, price_per_hour=1.0, running=True)
    model = build_menu_model([priced], [], TunnelBook(), {"a": reading}, now=600.0)
    assert model.sections[0].reading is not None
    assert model.sections[0].reading.cost == pytest.approx(0.6)
    assert session_cost(1.98, None) is None and session_cost(None, 60.0) is None
    assert session_cost(math.inf, 60.0) is None and session_cost(math.nan, 60.0) is None
    assert session_cost(-1.0, 60.0) is None and session_cost(2.0, math.inf) is None
    assert session_cost(1.98, 0.0) == 0.0
