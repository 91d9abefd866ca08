"""Sleep/wake and network-change detection with injected clocks."""

from __future__ import annotations

from gpudesk.core.desktop.wakeup import WakeDetector, default_route_address


class Clocks:
    def __init__(self) -> None:
        self.wall = 1_700_000_000.0
        self.mono = 500.0
        self.net: str | None = "192.168.1.5"

    def tick(self, seconds: float, *, slept: float = 0.0) -> None:
        self.wall += seconds + slept
        self.mono += seconds


def detector(clocks: Clocks, calls: list[str]) -> WakeDetector:
    return WakeDetector(
        calls.append,
        interval_s=5.0,
        jump_s=10.0,
        wall=lambda: clocks.wall,
        monotonic=lambda: clocks.mono,
        network=lambda: clocks.net,
    )


def test_regular_polls_see_nothing() -> None:
    clocks, calls = Clocks(), []
    d = detector(clocks, calls)
    for _ in range(20):
        clocks.tick(5.0)
        assert d.check() is None
    clocks.tick(5.0, slept=3.0)  # an NTP step of a few seconds is not a sleep
    assert d.check() is None
    assert calls == []


def test_sleep_where_monotonic_stops_is_a_wake() -> None:
    clocks, calls = Clocks(), []
    d = detector(clocks, calls)
    clocks.tick(5.0, slept=3600.0)
    assert d.check() == "wake"
    clocks.tick(5.0)
    assert d.check() is None
    assert calls == ["wake"] and d.wakes == 1


def test_sleep_where_monotonic_counts_is_a_wake_too() -> None:
    clocks, calls = Clocks(), []
    d = detector(clocks, calls)
    clocks.wall += 1800.0
    clocks.mono += 1800.0  # Windows: GetTickCount64 includes sleep
    assert d.check() == "wake"


def test_network_back_is_reported_once() -> None:
    clocks, calls = Clocks(), []
    d = detector(clocks, calls)
    clocks.net = None
    clocks.tick(5.0)
    assert d.check() is None  # going down: nothing to probe yet
    clocks.tick(5.0)
    assert d.check() is None
    clocks.net = "10.0.0.7"
    clocks.tick(5.0)
    assert d.check() == "network"
    clocks.tick(5.0)
    assert d.check() is None
    assert calls == ["network"]


def test_default_route_address_is_an_address_or_none() -> None:
    address = default_route_address()
    assert address is None or address.count(".") == 3
