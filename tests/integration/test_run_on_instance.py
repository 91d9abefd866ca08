"""Commands over an instance's EXISTING tunnel connection (what the GPU monitor samples with).

Real sshd; ``nvidia-smi`` is the test bed's stand-in (no GPU here).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gpudesk.core.errors import RemoteCommandError
from gpudesk.core.monitor.gpumonitor import GpuMonitor, IdleRule, connection_sampler
from gpudesk.core.tunnels import TunnelSpec, TunnelState, TunnelSupervisor
from tests.integration.tunnel_services import http_service, instance_for
from tests.testbed.fixtures import FakeNvidiaSmi
from tests.testbed.sshd import SshdServer

pytestmark = pytest.mark.sshd


@pytest.fixture
def supervisor() -> Iterator[TunnelSupervisor]:
    supervisor = TunnelSupervisor(probe_interval_s=0.5, probe_misses=3)
    yield supervisor
    supervisor.close()


def test_monitor_samples_over_the_tunnel_connection_without_new_logins(
    sshd: SshdServer, supervisor: TunnelSupervisor, fake_nvidia_smi: FakeNvidiaSmi
) -> None:
    instance, connect = instance_for(sshd, alias="sampled")
    with pytest.raises(RemoteCommandError) as before:
        supervisor.run_on_instance(instance.alias, "true")
    assert before.value.code == "tunnel.not_connected" and before.value.hint
    with http_service() as remote_port:
        tunnel = supervisor.add(instance.alias, connect, TunnelSpec(0, remote_port))
        supervisor.wait_for(tunnel, TunnelState.UP, timeout=20)
        result = supervisor.run_on_instance(instance.alias, "echo hello; id -un")
        assert result.exit_status == 0
        assert result.stdout.split() == ["hello", sshd.user.name]
        monitor = GpuMonitor(
            instance.alias,
            connection_sampler(lambda *a, **k: supervisor.run_on_instance(instance.alias, *a, **k)),
            rule=IdleRule(threshold_pct=5, window_s=60),
        )
        utils = []
        for util in (40, 0, 90):
            fake_nvidia_smi.set(gpus=[{"utilization.gpu": util}])
            utils.append(monitor.sample_once()[0]["gpus"][0]["util"])
        assert utils == [40, 0, 90]
        assert connect.calls == 1  # the tunnel's own login, nothing more
        supervisor.stop(tunnel)
    with pytest.raises(RemoteCommandError):
        supervisor.run_on_instance(instance.alias, "true")
