"""The desk reads the REAL guard over the tunnels' connection to the REAL test sshd.

Stand-ins (see ``guard_rig``): the test bed's ``nvidia-smi`` (no GPU here) and a power-off
command that only records when it ran; nothing here can power a machine off. The desk's
events are collected as the CLI would; the guard is polled by hand (``poll_once``) so no
test waits on the 45 s clock.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gpudesk.core.catalog.platforms import default_catalog
from gpudesk.core.engine import Desk, DeskEvent, GuardChanged, GuardCountdown
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.store.secrets import KeyringSecretStore
from gpudesk.core.store.settings import Settings
from gpudesk.core.tunnels import BackoffPolicy, TunnelState, TunnelSupervisor
from tests.integration.guard_rig import ALIAS, GuardRig, rig_fixture
from tests.integration.tunnel_services import http_service
from tests.testbed.fixtures import FakeNvidiaSmi
from tests.waiting import eventually

pytestmark = pytest.mark.sshd
__all__ = ["rig_fixture"]  # the shared fixture, used by name


@pytest.fixture
def desk(rig: GuardRig) -> Iterator[Desk]:
    made = Desk(
        Settings(),
        instances=InstanceStore(),
        catalog=default_catalog(),
        secrets=KeyringSecretStore(),
        supervisor=TunnelSupervisor(
            probe_interval_s=0.3, backoff=BackoffPolicy(first_delays_s=(0.0,), jitter=0)
        ),
    )
    made.guards.interval_s = 3600.0  # polled by hand below
    yield made
    made.close()


def test_the_tray_hears_the_countdown_once_and_postpones_and_cancels_it(
    desk: Desk, rig: GuardRig, fake_nvidia_smi: FakeNvidiaSmi
) -> None:
    events: list[DeskEvent] = []
    desk.events.subscribe(events.append)
    desk.restore()
    with http_service() as web:
        tunnel = desk.add_saved_tunnel(ALIAS, 0, web)
        eventually(
            lambda: desk.supervisor.status(tunnel).state is TunnelState.UP, what="the tunnel"
        )
        fake_nvidia_smi.set(gpus=[{"utilization.gpu": 0}])
        rig.install("--idle-minutes", "0.05", "--grace-minutes", "5")
        eventually(lambda: rig.state().get("phase") == "grace", timeout=60, what="the grace")

        def announced() -> list[GuardCountdown]:
            return [e for e in events if isinstance(e, GuardCountdown)]

        desk.guards.poll_once()
        desk.guards.poll_once()  # the same countdown: said once
        assert [(e.notice.alias, e.notice.warns_only) for e in announced()] == [(ALIAS, False)]
        assert 1 <= announced()[0].notice.minutes_left <= 5
        assert desk.guards.countdowns()[ALIAS].powers_off_at == announced()[0].notice.powers_off_at

        desk.guards.postpone(ALIAS)  # the tray's "Postpone 30 min"
        assert len(announced()) == 2 and announced()[1].notice.minutes_left >= 29

        before = len(events)
        desk.guards.cancel(ALIAS)
        assert desk.guards.countdowns() == {}
        assert GuardChanged(ALIAS) in events[before:]
        assert rig.guard_pids() == [] and rig.power_offs() == []
