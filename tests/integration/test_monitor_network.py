"""`gpudesk monitor` for hours: a REAL sshd whose session process is killed mid-run.

The monitor must report the gap, log in again with the tunnels' backoff, resume sampling
without a second idle alert, and end only on SIGTERM (0) or a changed host key (5). The
``--accept-new-host-key`` flag that the host-key hints name exists on every command that
logs in to a saved instance. ``nvidia-smi`` is the test bed's stand-in (no GPU here).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gpudesk.core.errors import ExitCode
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.store.secrets import open_secret_store, secret_name
from tests.clihelpers import run_gpudesk
from tests.testbed.fixtures import FakeNvidiaSmi, SshdFactory
from tests.testbed.sshd import SshdServer, TestUser

pytestmark = pytest.mark.sshd

Record = dict[str, Any]


def save_instance(server: SshdServer, user: TestUser, *, pin: bool) -> Instance:
    """``box`` pointing at ``server``, its password in the keyring, its key pinned if asked."""
    instance = InstanceStore().add(
        Instance(
            alias="box",
            target=SshTarget(user.name, "127.0.0.1", server.port),
            platform_id=None,
            host_key_alias=new_host_key_alias(),
            price_per_hour=2.0,
        )
    )
    if pin:
        key_type, key_b64 = server.host_key_line().split()[:2]
        HostKeyStore().pin(instance.host_key_alias, PresentedKey(key_type, key_b64))
    store, _warning = open_secret_store()
    store.set(secret_name("password", instance.instance_id), user.password)
    return instance


def start_monitor(*extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "gpudesk", "monitor", "box", "--json", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(name="monitor_process")
def monitor_process_fixture() -> Iterator[list[subprocess.Popen[str]]]:
    """Processes started by a test; killed afterwards if still running."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture(name="server")
def server_fixture(
    sshd_factory: SshdFactory, fake_nvidia_smi: FakeNvidiaSmi
) -> Iterator[SshdServer]:
    """A private sshd (its sessions get killed), the stand-in nvidia-smi idle."""
    fake_nvidia_smi.set(gpus=[{"utilization.gpu": 0}])
    yield sshd_factory()


def read_until(
    process: subprocess.Popen[str], records: list[Record], done: Callable[[], bool]
) -> None:
    """Read JSON lines into ``records`` until ``done()``; fail if the process ends first."""
    assert process.stdout is not None
    while not done():
        line = process.stdout.readline()
        if not line:
            stderr = process.stderr.read() if process.stderr else ""
            pytest.fail(f"monitor ended (exit {process.wait()}): {stderr}")
        records.append(json.loads(line))


def test_monitor_reconnects_after_the_session_is_killed_without_a_new_alert(
    server: SshdServer, test_user: TestUser, monitor_process: list[subprocess.Popen[str]]
) -> None:
    save_instance(server, test_user, pin=True)
    process = start_monitor("--interval", "1", "--idle-minutes", "0.02")
    monitor_process.append(process)
    records: list[Record] = []
    read_until(process, records, lambda: any("alert" in r for r in records))
    killed = server.signal_sessions(signal.SIGKILL)
    assert killed, "no session process to kill"
    read_until(process, records, lambda: any(r.get("state") == "connected" for r in records))
    gap = next(r for r in records if r.get("state") == "reconnecting")
    assert set(gap) == {"state", "alias", "reason", "retry_in_s", "time"}
    assert gap["alias"] == "box"
    after = len(records)
    read_until(process, records, lambda: sum("gpus" in r for r in records[after:]) >= 3)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == ExitCode.OK
    assert sum("alert" in r for r in records) == 1, records
    resumed = [r for r in records[after:] if "gpus" in r]
    assert all(r["gpus"][0]["util"] == 0 for r in resumed)


def test_monitor_exits_5_when_the_host_key_changes_while_it_reconnects(
    server: SshdServer, test_user: TestUser, monitor_process: list[subprocess.Popen[str]]
) -> None:
    save_instance(server, test_user, pin=True)
    process = start_monitor("--interval", "1", "--accept-new-host-key")
    monitor_process.append(process)
    records: list[Record] = []
    read_until(process, records, lambda: any("gpus" in r for r in records))
    server.restart_with_new_host_key()
    server.signal_sessions(signal.SIGKILL)
    assert process.wait(timeout=120) == ExitCode.HOST_KEY_CHANGED
    assert process.stderr is not None and "CHANGED" in process.stderr.read()


def test_accept_new_host_key_on_the_commands_that_use_a_saved_instance(
    server: SshdServer, test_user: TestUser, monitor_process: list[subprocess.Popen[str]]
) -> None:
    """Without a pin: exit 4 and a hint naming the flag; with the flag: pinned, it runs."""
    instance = save_instance(server, test_user, pin=False)
    refused = run_gpudesk("monitor", "box", "--json", timeout=60)
    assert refused.returncode == ExitCode.HOST_KEY_UNKNOWN, refused.stderr
    assert "--accept-new-host-key" in refused.stderr
    for command in (("tunnel", "box", "0:22"), ("jupyter", "box"), ("tensorboard", "box")):
        help_text = run_gpudesk(*command[:1], "--help").stdout
        assert "--accept-new-host-key" in help_text, command
    process = start_monitor("--interval", "1", "--accept-new-host-key")
    monitor_process.append(process)
    records: list[Record] = []
    read_until(process, records, lambda: any("gpus" in r for r in records))
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == ExitCode.OK
    pin = HostKeyStore().lookup(instance.host_key_alias)
    assert pin is not None and pin.fingerprint == server.host_key_fingerprint()
    tunnel = subprocess.Popen(
        [sys.executable, "-m", "gpudesk", "tunnel", "box", "0:22", "--json-events",
         "--accept-new-host-key"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    monitor_process.append(tunnel)
    states: list[Record] = []
    read_until(tunnel, states, lambda: any(s.get("state") == "UP" for s in states))
    tunnel.send_signal(signal.SIGTERM)
    assert tunnel.wait(timeout=30) == ExitCode.OK


def test_monitor_skips_hostile_samples_reports_each_once_and_never_dies(
    server: SshdServer,
    test_user: TestUser,
    fake_nvidia_smi: FakeNvidiaSmi,
    monitor_process: list[subprocess.Popen[str]],
) -> None:
    """Values that cannot be true (with terminal escapes), a 40 MB flood and a failing
    nvidia-smi: each is one problem line, printable, and sampling goes on to a good sample."""
    save_instance(server, test_user, pin=True)
    escapes = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31m"
    fake_nvidia_smi.set(raw_query_output=f"0, inf{escapes}, 1, 24564\n")
    process = start_monitor("--interval", "1")
    monitor_process.append(process)
    records: list[Record] = []

    def problems() -> list[Record]:
        return [r for r in records if "problem" in r]

    read_until(process, records, lambda: len(problems()) == 1)
    unreadable = problems()[0]
    assert set(unreadable) == {"time", "gpus", "idle_for_s", "cost", "problem"}
    assert unreadable["gpus"] == [] and "cannot be true" in unreadable["problem"]
    assert not any(c in unreadable["problem"] for c in "\x1b\x07\x9b")
    fake_nvidia_smi.set(raw_query_output="0, nan, 1, 24564\n")  # still bad: no new line
    seen = len(records)
    fake_nvidia_smi.set(flood_bytes=40 * 1024 * 1024)
    read_until(process, records, lambda: len(problems()) == 2)
    flood = problems()[1]
    assert set(flood) == {"time", "alias", "problem"}, records[seen:]
    fake_nvidia_smi.reset()
    fake_nvidia_smi.fail()
    read_until(process, records, lambda: len(problems()) == 3)
    assert "nvidia-smi failed" in problems()[2]["problem"]
    fake_nvidia_smi.reset()
    fake_nvidia_smi.set(gpus=[{"utilization.gpu": 40}])
    read_until(process, records, lambda: any(r.get("gpus") for r in records))
    assert process.poll() is None, "the monitor is still running"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == ExitCode.OK
    assert len(problems()) == 3, records
    assert [r["gpus"][0]["util"] for r in records if r.get("gpus")][-1] == 40
