"""What the tray menu shows, built without Qt (the GUI only turns it into actions).

:func:`build_menu_model` takes the saved instances, the supervisor's tunnel snapshots, the
saved-tunnel book and the monitor readings, and returns a :class:`MenuModel`: per instance a
section (header facts, one toggle per tunnel, what its actions need), then what the global
"Connect all" / "Disconnect all" can do and the total cost. The GUI words
everything through ``tr()``.

The cost of a session is :func:`session_cost`: the hourly price times the time up SHOWN next
to it, so "3 min" and "≈ ¥0.10 at ¥1.98/h" always agree (the tray, the state panel and the
main window all read it from here).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from gpudesk.core.catalog.platforms import Catalog
from gpudesk.core.desktop.traystate import Summary, TunnelView, summarize
from gpudesk.core.errors import InputError
from gpudesk.core.models import Platform
from gpudesk.core.monitor.hub import InstanceReading
from gpudesk.core.store.instances import Instance
from gpudesk.core.tunnels.model import TunnelState, TunnelStatus
from gpudesk.core.tunnels.savedtunnels import TunnelBook

#: Platforms that release (delete) a stopped instance after some days: say so next to "stop".
RELEASE_AFTER_DAYS: dict[str, int] = {"autodl": 15}


@dataclass(frozen=True)
class TunnelToggle:
    """One checkable tunnel entry: checked while the tunnel is started."""

    tunnel_id: str
    name: str
    kind: str
    local_port: int
    remote_port: int
    state: TunnelState
    reason: str

    @property
    def checked(self) -> bool:
        """True while the tunnel listens and wants to be up."""
        return self.state.active


@dataclass(frozen=True)
class InstanceSection:
    """One instance in the menu.

    Attributes:
        alias: The instance.
        platform_id: Its catalog platform, if any.
        console_url: The platform console (for "stop it"), if known.
        release_after_days: The platform deletes stopped instances after this many days.
        reading: The latest GPU reading, or None when not monitored yet.
        up_for_s: Seconds gpudesk has seen it up, or None.
        toggles: One per tunnel, saved ones first in saved order.
        jupyter_tunnel: The id of its Jupyter tunnel, if one is saved.
        ssh_command: The ``ssh`` command line for "Copy ssh command".
        idle: Its GPU is idle past the rule.
    """

    alias: str
    platform_id: str | None
    console_url: str | None
    release_after_days: int | None
    reading: InstanceReading | None
    up_for_s: float | None
    toggles: tuple[TunnelToggle, ...]
    jupyter_tunnel: str | None
    ssh_command: str
    idle: bool


@dataclass(frozen=True)
class MenuModel:
    """The whole menu."""

    sections: tuple[InstanceSection, ...]
    can_connect_all: bool
    can_disconnect_all: bool
    total_cost: float | None
    summary: Summary


def platform_of(catalog: Catalog, platform_id: str | None) -> Platform | None:
    """The catalog's platform ``platform_id``, or None (none given, or not in the catalog)."""
    if not platform_id:
        return None
    try:
        return catalog.by_id(platform_id)
    except InputError:
        return None


def session_cost(price_per_hour: float | None, up_for_s: float | None) -> float | None:
    """Price times time up: ``1.98`` ¥/h for 180 s is ``0.099``; None without both.

    A price or time that is not a finite, non-negative number gives None (never ``nan``).
    """
    if price_per_hour is None or up_for_s is None:
        return None
    if not (math.isfinite(price_per_hour) and math.isfinite(up_for_s)):
        return None
    if price_per_hour < 0 or up_for_s < 0:
        return None
    return round(price_per_hour * up_for_s / 3600.0, 4)


def with_session_cost(
    reading: InstanceReading, now: float, price_per_hour: float | None = None
) -> InstanceReading:
    """``reading`` with its cost as :func:`session_cost` of its time up at ``now``.

    ``price_per_hour`` (the saved instance's price) wins over the one the monitor started with.
    """
    price = price_per_hour if price_per_hour is not None else reading.price_per_hour
    cost = session_cost(price, reading.up_for_s(now))
    return dataclasses.replace(reading, cost=cost, price_per_hour=price)


def ssh_command_for(instance: Instance, has_alias: bool = False) -> str:
    """``ssh ALIAS`` when gpudesk wrote the alias into the ssh config, else the full command."""
    return f"ssh {instance.alias}" if has_alias else instance.target.ssh_command()


def build_menu_model(
    instances: Iterable[Instance],
    statuses: Iterable[TunnelStatus],
    book: TunnelBook,
    readings: Mapping[str, InstanceReading],
    *,
    now: float,
    console_url_of: Callable[[str | None], str | None] = lambda _platform: None,
    has_ssh_alias: Callable[[str], bool] = lambda _alias: False,
) -> MenuModel:
    """Everything the tray menu shows, in order (saved instances, then unknown tunnel keys)."""
    all_statuses = list(statuses)
    by_instance: dict[str, list[TunnelStatus]] = {}
    for status in all_statuses:
        by_instance.setdefault(status.instance, []).append(status)
    sections = []
    for instance in instances:
        mine = by_instance.pop(instance.alias, [])
        toggles = _toggles(mine, book)
        reading = readings.get(instance.alias)
        if reading is not None:
            reading = with_session_cost(reading, now, instance.price_per_hour)
        jupyter = next((t.tunnel_id for t in toggles if t.kind == "jupyter"), None)
        sections.append(
            InstanceSection(
                alias=instance.alias,
                platform_id=instance.platform_id,
                console_url=console_url_of(instance.platform_id),
                release_after_days=RELEASE_AFTER_DAYS.get(instance.platform_id or ""),
                reading=reading,
                up_for_s=reading.up_for_s(now) if reading else None,
                toggles=toggles,
                jupyter_tunnel=jupyter,
                ssh_command=ssh_command_for(instance, has_ssh_alias(instance.alias)),
                idle=bool(reading and reading.idle),
            )
        )
    costs = [s.reading.cost for s in sections if s.reading and s.reading.cost is not None]
    idle = [r.alias for r in readings.values() if r.idle]
    return MenuModel(
        sections=tuple(sections),
        can_connect_all=any(not s.state.active for s in all_statuses),
        can_disconnect_all=any(s.state.active for s in all_statuses),
        total_cost=round(sum(costs), 4) if costs else None,
        summary=summarize((TunnelView.of(s) for s in all_statuses), idle),
    )


def _toggles(statuses: list[TunnelStatus], book: TunnelBook) -> tuple[TunnelToggle, ...]:
    saved_order = {e.tunnel_id: n for n, e in enumerate(book.entries())}
    ordered = sorted(statuses, key=lambda s: saved_order.get(s.tunnel_id, len(saved_order)))
    toggles = []
    for status in ordered:
        entry = book.get(status.tunnel_id)
        toggles.append(
            TunnelToggle(
                tunnel_id=status.tunnel_id,
                name=entry.saved.name if entry else status.spec.label,
                kind=entry.saved.kind if entry else "custom",
                local_port=status.spec.local_port,
                remote_port=status.spec.remote_port,
                state=status.state,
                reason=status.reason,
            )
        )
    return tuple(toggles)
