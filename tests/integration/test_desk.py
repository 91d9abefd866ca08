"""The desk against the REAL test sshd, without Qt: restore, real tunnels, GPU readings, events.

The instance is saved in the real ``instances.json`` with its password in the (test) keyring
and its host key pinned; the desk logs in with the real connector, forwards to a real HTTP
service, samples the stand-in ``nvidia-smi`` (a FAKE: there is no GPU here) over the same
connection, and its events are read the CLI's way, from an :class:`EventQueue`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gpudesk.core.catalog.platforms import default_catalog
from gpudesk.core.desktop.notifications import NotificationKind
from gpudesk.core.engine import (
    Desk,
    NotificationRaised,
    ReadingChanged,
    TunnelChanged,
)
from gpudesk.core.models import SshTarget
from gpudesk.core.monitor.gpumonitor import IdleRule
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.store.secrets import KeyringSecretStore, secret_name
from gpudesk.core.store.settings import Settings
from gpudesk.core.tunnels import BackoffPolicy, TunnelState, TunnelSupervisor
from gpudesk.core.tunnels.savedtunnels import SavedTunnel, saved_tunnels
from tests.integration.tunnel_services import HTTP_BODY, http_get, http_service, listening_ports
from tests.testbed.fixtures import FakeNvidiaSmi
from tests.testbed.sshd import SshdServer
from tests.waiting import eventually, next_event

pytestmark = pytest.mark.sshd


@pytest.fixture
def web() -> Iterator[int]:
    with http_service() as port:
        yield port


@pytest.fixture
def desk(sshd: SshdServer, web: int) -> Iterator[Desk]:
    secrets = KeyringSecretStore()
    instance = InstanceStore().add(
        Instance(
            alias="testbox",
            target=SshTarget(sshd.user.name, "127.0.0.1", sshd.port),
            platform_id="autodl",
            host_key_alias=new_host_key_alias(),
            price_per_hour=3.6,
            tunnels=(SavedTunnel("Web", 0, web).to_dict(),),
            auto_connect=True,
        )
    )
    key_type, key_b64 = sshd.host_key_line().split()[:2]
    HostKeyStore().pin(instance.host_key_alias, PresentedKey(key_type, key_b64))
    secrets.set(secret_name("password", instance.instance_id), sshd.user.password)
    made = Desk(
        Settings(),
        instances=InstanceStore(),
        catalog=default_catalog(),
        secrets=secrets,
        supervisor=TunnelSupervisor(
            probe_interval_s=0.3, backoff=BackoffPolicy(first_delays_s=(0.0,), jitter=0)
        ),
    )
    made.hub.interval_s = 0.3
    made.hub.first_sample_s = 0.1
    made.hub.rule = IdleRule(threshold_pct=5, window_s=0.6)
    yield made
    made.close()


def test_restored_tunnels_carry_traffic_and_the_gpu_is_watched(
    desk: Desk, sshd: SshdServer, fake_nvidia_smi: FakeNvidiaSmi
) -> None:
    fake_nvidia_smi.set(gpus=[{"utilization.gpu": 70, "memory.used": 4096}])
    with desk.events.queue() as events:
        desk.restore()
        states = []
        while not states or states[-1] is not TunnelState.UP:
            changed = next_event(events, TunnelChanged)
            states.append(changed.event.state)
        assert states == [TunnelState.CONNECTING, TunnelState.UP]
        (status,) = desk.supervisor.tunnels("testbox")
        assert http_get(status.spec.local_port) == HTTP_BODY
        reading = next_event(events, ReadingChanged)
        assert reading.reading.alias == "testbox"
        eventually(lambda: (desk.hub.reading("testbox").max_util or 0) == 70)
        logins = sshd.log_text().count("Accepted password")
        fake_nvidia_smi.set(gpus=[{"utilization.gpu": 0}])
        note = next_event(events, NotificationRaised)
    assert note.note.kind is NotificationKind.GPU_IDLE
    assert sshd.log_text().count("Accepted password") == logins  # samples reuse the login


def test_added_tunnels_are_saved_and_closing_stops_everything(desk: Desk, web: int) -> None:
    desk.restore()
    eventually(lambda: desk.supervisor.tunnels()[0].state is TunnelState.UP, 20, "restored")
    tunnel_id = desk.add_saved_tunnel("testbox", 0, web)
    eventually(lambda: desk.supervisor.status(tunnel_id).state is TunnelState.UP, 20, "added")
    port = desk.supervisor.status(tunnel_id).spec.local_port
    assert http_get(port) == HTTP_BODY
    names = [t.name for t in saved_tunnels(InstanceStore().require("testbox"))]
    assert names == ["Web", f"Port {web}"]
    ports = {s.spec.local_port for s in desk.supervisor.tunnels()}
    with desk.events.queue() as events:
        desk.close()
        stopped = [
            e.event.tunnel_id
            for e in iter(lambda: events.get(timeout=0.5), None)
            if isinstance(e, TunnelChanged) and e.event.state is TunnelState.STOPPED
        ]
    assert len(stopped) == 2  # the last events still reach a consumer
    assert not ports & listening_ports()
