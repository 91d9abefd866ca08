"""The GPU monitor end to end: a REAL sshd, samples over one login, idle alert once.

``nvidia-smi`` is the test bed's stand-in (no GPU here): it prints the real CSV format, and
the test changes its utilisation between samples.
"""

from __future__ import annotations

from gpudesk.core.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.models import SshTarget
from gpudesk.core.monitor import GpuMonitor, IdleRule, connection_sampler
from gpudesk.core.remote import Credentials, connect
from tests.testbed.fixtures import FakeNvidiaSmi
from tests.testbed.sshd import SshdServer, TestUser


def test_samples_share_one_login_and_idle_fires_once(
    sshd: SshdServer, test_user: TestUser, fake_nvidia_smi: FakeNvidiaSmi
) -> None:
    store = HostKeyStore()
    key_type, key_b64 = sshd.host_key_line().split()[:2]
    store.pin("gpudesk-monitor-test", PresentedKey(key_type, key_b64))
    target = SshTarget(test_user.name, "127.0.0.1", sshd.port)
    log_before = len(sshd.log_text())
    clock = iter(float(t) for t in range(0, 10_000, 30))
    with connect(
        target,
        Credentials(password=test_user.password),
        pin_name="gpudesk-monitor-test",
        host_keys=store,
    ) as connection:
        monitor = GpuMonitor(
            "testbox",
            connection_sampler(connection.run),
            interval_s=30,
            rule=IdleRule(threshold_pct=5, window_s=60),
            price_per_hour=2.0,
            clock=lambda: next(clock),
        )
        records = []
        for util in (90, 1, 2, 0, 0, 70, 0):
            fake_nvidia_smi.set(gpus=[{"utilization.gpu": util, "memory.used": 512}])
            records += monitor.sample_once()
    samples = [r for r in records if "gpus" in r]
    alerts = [r for r in records if "alert" in r]
    assert [s["gpus"][0]["util"] for s in samples] == [90, 1, 2, 0, 0, 70, 0]
    assert samples[0]["gpus"][0]["mem_total_mib"] == 24564
    assert samples[0]["gpus"][0]["mem_used_mib"] == 512
    assert [a["idle_for_s"] for a in alerts] == [60.0]
    assert samples[-1]["idle_for_s"] == 0.0 and samples[-1]["cost"] == round(2.0 * 180 / 3600, 4)
    # One login for all seven samples.
    new_log = sshd.log_text()[log_before:]
    assert new_log.count("Accepted password") == 1, new_log
