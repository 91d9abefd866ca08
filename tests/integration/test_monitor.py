"""The GPU monitor end to end: a REAL sshd, samples over one login, idle alert once.

``nvidia-smi`` is the test bed's stand-in (no GPU here): it prints the real CSV format, and
the test changes its utilisation between samples.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys

from gpudesk.core.models import SshTarget
from gpudesk.core.monitor.gpumonitor import GpuMonitor, IdleRule, connection_sampler
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.ssh.remote import Credentials, connect
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.store.secrets import open_secret_store, secret_name
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


def test_monitor_cli_json_lines_alert_once_and_sigterm(
    sshd: SshdServer, test_user: TestUser, fake_nvidia_smi: FakeNvidiaSmi
) -> None:
    """`gpudesk monitor` against a saved instance; SIGTERM ends it with exit 0."""
    instance = InstanceStore().add(
        Instance(
            alias="testbox",
            target=SshTarget(test_user.name, "127.0.0.1", sshd.port),
            platform_id=None,
            host_key_alias=new_host_key_alias(),
            price_per_hour=3.6,
        )
    )
    key_type, key_b64 = sshd.host_key_line().split()[:2]
    HostKeyStore().pin(instance.host_key_alias, PresentedKey(key_type, key_b64))
    store, warning = open_secret_store()
    assert warning is None
    store.set(secret_name("password", instance.instance_id), test_user.password)
    fake_nvidia_smi.set(gpus=[{"utilization.gpu": 0}])
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gpudesk",
            "monitor",
            "testbox",
            "--json",
            "--interval",
            "1",
            "--idle-minutes",
            "0.01",
            "--idle-threshold",
            "5",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = []
        while len([line for line in lines if "alert" in line]) < 1:
            line = process.stdout.readline()
            assert line, process.stderr.read() if process.stderr else ""
            lines.append(json.loads(line))
        fake_nvidia_smi.set(gpus=[{"utilization.gpu": 60}])
        while not any(r.get("gpus", [{}])[0].get("util") == 60 for r in lines if "gpus" in r):
            lines.append(json.loads(process.stdout.readline()))
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    alerts = [r for r in lines if "alert" in r]
    assert len(alerts) == 1
    assert set(alerts[0]) == {"alert", "alias", "idle_for_s", "price_per_hour", "cost"}
    assert alerts[0]["alias"] == "testbox" and alerts[0]["price_per_hour"] == 3.6
    assert alerts[0]["idle_for_s"] >= 0.6
    sample = next(r for r in lines if "gpus" in r)
    assert set(sample) == {"time", "gpus", "idle_for_s", "cost"}
    assert set(sample["gpus"][0]) == {"index", "util", "mem_used_mib", "mem_total_mib"}
    assert lines[-1]["idle_for_s"] == 0.0  # the busy sample reset the idle timer


def test_monitor_cli_unknown_alias_exits_2() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gpudesk", "monitor", "nope", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert "nope" in result.stderr and "hint:" in result.stderr
