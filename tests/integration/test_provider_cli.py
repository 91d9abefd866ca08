"""Provider accounts end to end: the CLI against the AutoDL stand-in and REAL sshd servers.

There is no real AutoDL account here. The stand-in API (``tests/standins/autodl_api.py``,
built from the documented shapes) reports an instance running on one real test sshd; after a
power cycle it lands on a SECOND sshd (another port, another host key). gpudesk must re-point
the alias there (new host key as first contact), key login through the alias must work with
the real ``ssh -F`` client, and a tunnel that was up must come back up on its own.
"""

from __future__ import annotations

import json
import os
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from gpudesk.core.providers.follow import following_connector
from gpudesk.core.store.secrets import open_secret_store
from gpudesk.core.tunnels import TunnelState, TunnelSupervisor
from gpudesk.core.tunnels.backoff import BackoffPolicy
from gpudesk.core.tunnels.model import TunnelSpec
from tests.clihelpers import files_containing, run_gpudesk
from tests.integration.alias_login import clean_home_fixture, ssh_through_alias
from tests.standins.autodl_api import AutoDLStandIn, StandInInstance, StandInServer, login_of
from tests.testbed.fixtures import SshdFactory
from tests.testbed.sshd import SshdServer, TestUser

pytestmark = pytest.mark.sshd
TOKEN = "autodl-dev-token-5c1e0b7d9a"
ALIAS = "gpu-move"
ID = "pro-move01"
__all__ = ["clean_home_fixture"]  # the fixture, imported for pytest


@pytest.fixture(name="standin")
def standin_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[AutoDLStandIn]:
    """The AutoDL stand-in served on loopback; GPUDESK_AUTODL_API points gpudesk at it."""
    api = AutoDLStandIn(token=TOKEN)
    with StandInServer(api) as server:
        monkeypatch.setenv("GPUDESK_AUTODL_API", server.url)
        yield api


def gpudesk_json(*args: str, stdin: str = "") -> object:
    done = run_gpudesk(*args, "--json", stdin=stdin)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)


def add_account() -> None:
    gpudesk_json("account", "add", "autodl", "--token-stdin", stdin=TOKEN + "\n")


def banner_through(port: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=20) as conn:
        return conn.recv(64)


def test_a_rejected_token_exits_3_and_stores_nothing(
    standin: AutoDLStandIn, tmp_path: Path
) -> None:
    done = run_gpudesk("account", "add", "autodl", "--token-stdin", stdin="wrong-token-91\n")
    assert done.returncode == 3, done.stderr
    assert done.stdout == "" and "rejected" in done.stderr
    assert files_containing(tmp_path, "wrong-token-91") == []
    assert gpudesk_json("account", "list") == []


def test_the_platform_down_exits_6(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("GPUDESK_AUTODL_API", f"http://127.0.0.1:{port}")
    done = run_gpudesk("account", "add", "autodl", "--token-stdin", stdin=TOKEN + "\n")
    assert done.returncode == 6, done.stderr
    assert done.stdout == "" and "could not be reached" in done.stderr


def test_power_cycle_follows_the_instance_to_another_machine(
    standin: AutoDLStandIn, sshd_factory: SshdFactory, clean_home: TestUser, tmp_path: Path
) -> None:
    first, second = sshd_factory(), sshd_factory()
    standin.add(
        StandInInstance(
            uuid=ID,
            name="train",
            status="running",
            address=login_of(first),
            landing=login_of(second),
        )
    )
    add_account()
    [row] = gpudesk_json("instances")  # type: ignore[misc]
    assert (row["id"], row["status"], row["price_per_hour"], row["alias"]) == (
        ID,
        "running",
        1.97,
        None,
    )

    report = gpudesk_json(
        "setup", "--instance", f"autodl:{ID}", "--alias", ALIAS, "--accept-new-host-key"
    )
    assert report["ok"] is True  # type: ignore[index]
    assert ssh_through_alias(ALIAS) == "alias-ok"
    [row] = gpudesk_json("instances")  # type: ignore[misc]
    assert row["alias"] == ALIAS

    secrets, _ = open_secret_store()
    backoff = BackoffPolicy(first_delays_s=(0.2, 0.5), cap_s=1.0, jitter=0.0)
    supervisor = TunnelSupervisor(probe_interval_s=0.5, probe_misses=2, backoff=backoff)
    try:
        tunnel = supervisor.add(
            ALIAS, following_connector(ALIAS, secrets=secrets), TunnelSpec(0, second.port)
        )
        local = supervisor.wait_for(tunnel, TunnelState.UP, timeout=30).spec.local_port
        assert banner_through(local).startswith(b"SSH-2.0")

        off = gpudesk_json("power-off", ALIAS)
        assert off["status"] == "shutdown"  # type: ignore[index]
        first.stop()  # the old machine is gone: listener and sessions
        first.signal_sessions(signal.SIGKILL)
        supervisor.wait_for(tunnel, TunnelState.RECONNECTING, timeout=30)

        standin.no_stock_left = 2
        done = run_gpudesk(
            "power-on", ALIAS, "--wait-for-gpu", "1", "--accept-new-host-key", "--json", timeout=180
        )
        assert done.returncode == 0, done.stdout + done.stderr
        events = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
        assert [e["attempt"] for e in events if e["event"] == "no_stock"] == [1, 2]
        result = json.loads(done.stdout)
        assert result["status"] == "running" and result["attempts"] == 3
        assert result["endpoint"]["port"] == second.port
        moved = result["repointed"]
        assert moved["moved"] and moved["new_host_key"]
        assert moved["fingerprint"] == second.host_key_fingerprint()

        assert (
            ssh_through_alias(ALIAS) == "alias-ok"
        )  # key login through the alias, on the new machine
        supervisor.wait_for(tunnel, TunnelState.UP, timeout=60)
        assert banner_through(local).startswith(b"SSH-2.0")
    finally:
        supervisor.close()

    for root in (Path(os.environ["HOME"]), Path(os.environ["GPUDESK_HOME"])):
        assert files_containing(root, TOKEN) == []
    assert files_containing(tmp_path, TOKEN) == [tmp_path / "keyring.json"]  # the test keyring


def test_a_new_host_key_is_never_accepted_silently(
    standin: AutoDLStandIn, sshd_factory: SshdFactory, clean_home: TestUser
) -> None:
    first, second = sshd_factory(), sshd_factory()
    standin.add(
        StandInInstance(
            uuid=ID, status="running", address=login_of(first), landing=login_of(second)
        )
    )
    add_account()
    gpudesk_json("setup", "--instance", f"autodl:{ID}", "--alias", ALIAS, "--accept-new-host-key")
    gpudesk_json("power-off", f"autodl:{ID}")
    before = (Path(os.environ["GPUDESK_HOME"])).rglob("*.conf")
    before_text = {p: p.read_text() for p in before}

    done = run_gpudesk("power-on", ALIAS, "--json", timeout=120)  # no terminal, no flag
    assert done.returncode == 4, done.stderr
    assert done.stdout == ""
    assert {p: p.read_text() for p in before_text} == before_text  # alias not re-pointed
    assert f"Port {first.port}" in "".join(before_text.values())


def test_setup_from_a_stopped_instance_is_refused_with_7(
    standin: AutoDLStandIn, clean_home: TestUser
) -> None:
    standin.add(StandInInstance(uuid=ID, status="shutdown"))
    add_account()
    done = run_gpudesk("setup", "--instance", f"autodl:{ID}", "--alias", ALIAS)
    assert done.returncode == 7, done.stderr
    assert "power-on" in done.stderr


def test_create_wait_then_release_only_when_off_and_confirmed(
    standin: AutoDLStandIn, sshd: SshdServer
) -> None:
    standin.create_landing = login_of(sshd)
    add_account()
    made = gpudesk_json(
        "create",
        "autodl",
        "--gpu",
        "v-48g",
        "--image",
        "image-0123456789",
        "--cuda",
        "118",
        "--name",
        "exp",
        "--wait",
    )
    new_id = made["id"]  # type: ignore[index]
    assert made["endpoint"]["port"] == sshd.port  # type: ignore[index]
    body = next(r.body for r in standin.requests if r.path.endswith("/pro/create"))
    assert body == {
        "req_gpu_amount": 1,
        "expand_system_disk_by_gb": 0,
        "gpu_spec_uuid": "v-48g",
        "image_uuid": "image-0123456789",
        "cuda_v_from": 118,
        "instance_name": "exp",
    }
    assert run_gpudesk("release", f"autodl:{new_id}").returncode == 2  # no --yes
    running = run_gpudesk("release", f"autodl:{new_id}", "--yes")
    assert running.returncode == 2 and "power" in running.stderr.lower()
    gpudesk_json("power-off", f"autodl:{new_id}")
    assert gpudesk_json("release", f"autodl:{new_id}", "--yes") == {
        "provider": "autodl",
        "id": new_id,
        "released": True,
    }
    assert new_id not in standin.instances


def test_no_stock_countdown_in_text_and_exit_7_without_waiting(standin: AutoDLStandIn) -> None:
    standin.add(StandInInstance(uuid=ID, name="idle"))
    add_account()
    standin.no_stock_left = 1
    refused = run_gpudesk("power-on", f"autodl:{ID}")
    assert refused.returncode == 7 and refused.stdout == ""
    assert "no free GPU" in refused.stderr and "--wait-for-gpu" in refused.stderr

    standin.no_stock_left = 1
    done = run_gpudesk("power-on", f"autodl:{ID}", "--wait-for-gpu", "1")
    assert done.returncode == 0, done.stderr
    assert "try 1: " in done.stderr and "暂无库存" in done.stderr
    assert "next try in" in done.stderr  # the countdown
    assert done.stdout.startswith(f"autodl:{ID} is starting.")


def test_balance_and_instances_in_text_and_json(standin: AutoDLStandIn) -> None:
    standin.add(StandInInstance(uuid=ID, name="idle", gpu_alias="H800", price_milli=8880))
    add_account()
    assert gpudesk_json("balance") == [
        {"provider": "autodl", "balance": 123.45, "voucher": 0.0, "accumulated_spend": 567.89}
    ]
    text = run_gpudesk("instances").stdout
    assert f"autodl:{ID}" in text and "1× H800" in text and "¥8.88/h" in text
    assert "Pro instances only" in text
    assert gpudesk_json("account", "list")[0]["token_saved"] is True  # type: ignore[index]
    assert gpudesk_json("account", "remove", "autodl") == {"provider": "autodl", "removed": True}
    assert gpudesk_json("instances") == []
