"""Notice that the computer woke from sleep or the network came back, and say so at once.

No OS hooks: a poll every few seconds compares two clocks and the network.

* Sleep: the monotonic clock stops while the computer sleeps (Linux ``CLOCK_MONOTONIC``,
  macOS ``mach_absolute_time``) while the wall clock does not, so after a wake the wall clock
  has moved far more than the monotonic one. Where the monotonic clock counts sleep too
  (Windows' ``GetTickCount64``), the gap between two polls is far longer than the interval.
  Either jump beyond ``jump_s`` counts as a wake.
* Network: :func:`default_route_address` (the local address the OS would use to reach the
  internet; no packet is sent) changes, e.g. from none to an address after Wi-Fi returns.

Then ``on_wake(reason)`` is called (the app calls ``TunnelSupervisor.probe_now()``), so
every tunnel is probed and reconnected at once, not after the next probe interval.
Clocks and the network check are injected for tests.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

#: A TEST-NET-1 address (RFC 5737): routed like the internet, never answered, never sent to.
_PROBE_ADDRESS = ("192.0.2.1", 9)


def default_route_address() -> str | None:
    """The local IP address of the default route, or None without a network.

    A UDP socket's ``connect`` only asks the routing table; nothing leaves the computer.
    """
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(_PROBE_ADDRESS)
        address = s.getsockname()[0]
        if not address or ipaddress.ip_address(address).is_unspecified:
            return None
        return str(address)
    return None


class WakeDetector:
    """Calls ``on_wake(reason)`` after a sleep/wake or a network change; poll :meth:`check`.

    Args:
        on_wake: Called with ``"wake"`` or ``"network"`` (on the polling thread).
        interval_s: How often :meth:`check` is meant to be called.
        jump_s: A clock jump (or poll gap) beyond this is a wake.
        wall: The wall clock (``time.time``).
        monotonic: The monotonic clock (``time.monotonic``).
        network: The network fingerprint (:func:`default_route_address`); None = no network.
    """

    def __init__(
        self,
        on_wake: Callable[[str], None],
        *,
        interval_s: float = 5.0,
        jump_s: float = 10.0,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        network: Callable[[], str | None] = default_route_address,
    ) -> None:
        self.on_wake = on_wake
        self.interval_s = interval_s
        self.jump_s = jump_s
        self._wall = wall
        self._monotonic = monotonic
        self._network = network
        self._last_wall = wall()
        self._last_mono = monotonic()
        self._last_net = network()
        self.wakes = 0

    def check(self) -> str | None:
        """Poll once; return (and report) ``"wake"`` or ``"network"``, or None."""
        wall, mono, net = self._wall(), self._monotonic(), self._network()
        wall_delta, mono_delta = wall - self._last_wall, mono - self._last_mono
        previous_net = self._last_net
        self._last_wall, self._last_mono, self._last_net = wall, mono, net
        reason: str | None = None
        if wall_delta - mono_delta > self.jump_s or mono_delta > self.interval_s + self.jump_s:
            reason = "wake"
            log.info("woke up (wall +%.0f s, monotonic +%.0f s)", wall_delta, mono_delta)
        elif net != previous_net and net is not None:
            reason = "network"
            log.info("the network changed: %s -> %s", previous_net or "none", net)
        if reason is not None:
            self.wakes += 1
            self.on_wake(reason)
        return reason
