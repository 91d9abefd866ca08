"""A saved instance linked to a platform account: power off through the API, and after the
power cycle its tunnels follow the re-pointed alias on their own.

The platform API is the AutoDL stand-in (``tests/standins/autodl_api.py``, FAKE: there is no
real account) over loopback; the "instance" is two REAL test sshd servers, before and after
the power cycle (another port, another host key: the instance moved). Logins, tunnels and
traffic are real.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from gpudesk.core.catalog.platforms import default_catalog
from gpudesk.core.engine import Desk, DeskEvent, PoweredOff
from gpudesk.core.providers.accounts import open_provider
from gpudesk.core.providers.follow import follow_instance
from gpudesk.core.providers.poweron import wait_until_running
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.store.secrets import KeyringSecretStore
from gpudesk.core.store.settings import Settings
from gpudesk.core.tunnels import BackoffPolicy, TunnelState, TunnelSupervisor
from tests.clihelpers import run_gpudesk
from tests.integration.tunnel_services import HTTP_BODY, http_get, http_service
from tests.standins.autodl_api import AutoDLStandIn, StandInInstance, StandInServer, login_of
from tests.testbed.fixtures import SshdFactory
from tests.testbed.sshd import TestUser
from tests.waiting import eventually

pytestmark = pytest.mark.sshd
TOKEN = "desk-linked-token-5d1"
ALIAS = "mover"
INSTANCE_ID = "pro-desk0001"


@pytest.fixture(name="standin")
def standin_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[AutoDLStandIn]:
    api = AutoDLStandIn(token=TOKEN, starting_polls=1)
    with StandInServer(api) as server:
        monkeypatch.setenv("GPUDESK_AUTODL_API", server.url)
        yield api


def test_power_off_goes_through_the_api_and_tunnels_follow_the_moved_instance(
    standin: AutoDLStandIn, sshd_factory: SshdFactory, test_user: TestUser
) -> None:
    first, second = sshd_factory(), sshd_factory()
    standin.add(
        StandInInstance(
            uuid=INSTANCE_ID,
            status="running",
            address=login_of(first),
            landing=login_of(second),
        )
    )
    for args, stdin in (
        (("account", "add", "autodl", "--token-stdin"), TOKEN + "\n"),
        (
            (
                "setup",
                "--instance",
                f"autodl:{INSTANCE_ID}",
                "--alias",
                ALIAS,
                "--accept-new-host-key",
            ),
            "",
        ),
    ):
        done = run_gpudesk(*args, "--json", stdin=stdin)
        assert done.returncode == 0, done.stdout + done.stderr
        assert json.loads(done.stdout)
    secrets = KeyringSecretStore()
    desk = Desk(
        Settings(),
        instances=InstanceStore(),
        catalog=default_catalog(),
        secrets=secrets,
        supervisor=TunnelSupervisor(
            probe_interval_s=0.3,
            backoff=BackoffPolicy(first_delays_s=(0.0,), cap_s=0.5, jitter=0),
        ),
        monitor_gpus=False,
    )
    events: list[DeskEvent] = []
    desk.events.subscribe(events.append)
    try:
        desk.restore()
        assert desk.linked.link(ALIAS) is not None
        with http_service() as web:
            tunnel = desk.add_saved_tunnel(ALIAS, 0, web)

            def tunnel_carries_traffic() -> bool:
                status = desk.supervisor.status(tunnel)
                return status.state is TunnelState.UP and http_get(status.spec.local_port) == (
                    HTTP_BODY
                )

            eventually(tunnel_carries_traffic, 20, "the tunnel via the first address")
            desk.power_off(ALIAS)
            assert PoweredOff(ALIAS) in events
            assert standin.instances[INSTANCE_ID].status == "shutdown"
            first.stop()  # the machine is off: no listener, no session left
            test_user.kill_processes()
            eventually(
                lambda: desk.supervisor.status(tunnel).state is not TunnelState.UP, 20, "lost"
            )
            provider = open_provider("autodl", secrets)
            provider.power_on(INSTANCE_ID)
            wait_until_running(provider, INSTANCE_ID, sleep=lambda _s: None)
            follow_instance(
                provider,
                INSTANCE_ID,
                ALIAS,
                confirm_new_host_key=lambda _key: True,
                secrets=secrets,
                platform_id="autodl",
            )
            assert InstanceStore().require(ALIAS).target.port == second.port
            eventually(tunnel_carries_traffic, 30, "the tunnel via the new address")
    finally:
        desk.close()
