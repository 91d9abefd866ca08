"""Removing and renaming a saved instance; VS Code's default extensions; service probes.

Real files in the test's temporary HOME and GPUDESK_HOME, the test keyring (a file-backed
stand-in for the OS keyring, from tests/fakes.py), real sockets on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gpudesk.core.editor.instance_removal import plan_instance_removal, remove_instance
from gpudesk.core.editor.jsonc import loads
from gpudesk.core.editor.rename import rename_instance
from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.editor.sshentry import HostEntry
from gpudesk.core.editor.vscode import (
    DEFAULT_EXTENSIONS_KEY,
    PYTHON_EXTENSIONS,
    plan_remote_ssh_settings,
)
from gpudesk.core.errors import GpuDeskError, InputError
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.store.secrets import KeyringSecretStore, secret_name
from gpudesk.core.tunnels import TunnelSpec, TunnelState, TunnelStatus
from gpudesk.core.tunnels.servicehealth import (
    ServiceHealth,
    distinct_services,
    probe_http,
    probe_tcp,
    probe_tunnel,
)
from tests.integration.tunnel_services import http_service

KEY = PresentedKey(
    "ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIGt7Vn4z6m4bMcZsJx0Nq0m3qK2o0v6Q1T3m8d0m3qYx"
)


def saved(alias: str = "autodl-4090") -> Instance:
    instance = Instance(
        alias,
        SshTarget("root", "connect.nmb1.seetacloud.com", 10309),
        "autodl",
        new_host_key_alias(),
        tunnels=({"name": "Jupyter", "local_port": 8888, "remote_port": 8888, "kind": "jupyter"},),
    )
    instance = InstanceStore().add(instance)
    SshConfig().write(HostEntry.from_instance(instance))
    HostKeyStore().pin(instance.host_key_alias, KEY)
    KeyringSecretStore().set(secret_name("password", instance.instance_id), "hunter2-not-shown")
    return instance


def parts() -> dict[str, object]:
    return {
        "store": InstanceStore(),
        "secrets": KeyringSecretStore(),
        "host_keys": HostKeyStore(),
        "ssh_config": SshConfig(),
    }


def test_removal_lists_everything_first_then_removes_exactly_that() -> None:
    instance = saved()
    other = saved("other-box")
    plan = plan_instance_removal("autodl-4090", **parts())  # type: ignore[arg-type]
    assert plan.ssh_entry == SshConfig().entry_path("autodl-4090")
    assert plan.host_key_pinned and plan.secrets == ("password",)
    assert plan.tunnel_names == ("Jupyter",)
    assert "hunter2" not in repr(plan)
    # Listing changed nothing.
    assert InstanceStore().get("autodl-4090") is not None and plan.ssh_entry.exists()

    remove_instance(plan, **parts())  # type: ignore[arg-type]
    assert InstanceStore().get("autodl-4090") is None
    assert not SshConfig().entry_path("autodl-4090").exists()
    assert HostKeyStore().lookup(instance.host_key_alias) is None
    assert KeyringSecretStore().get(secret_name("password", instance.instance_id)) is None
    # The other instance keeps all of its own.
    assert InstanceStore().get("other-box") is not None
    assert SshConfig().entry_path("other-box").exists()
    assert HostKeyStore().lookup(other.host_key_alias) is not None
    assert KeyringSecretStore().get(secret_name("password", other.instance_id)) is not None


def test_a_stale_removal_plan_is_refused() -> None:
    saved()
    plan = plan_instance_removal("autodl-4090", **parts())  # type: ignore[arg-type]
    InstanceStore().remove("autodl-4090")
    with pytest.raises(InputError) as caught:
        remove_instance(plan, **parts())  # type: ignore[arg-type]
    assert caught.value.code == "instance.changed" and caught.value.hint


def test_rename_moves_the_alias_and_keeps_pin_secrets_and_tunnels() -> None:
    instance = saved()
    renamed = rename_instance(
        "autodl-4090", "my-4090", store=InstanceStore(), ssh_config=SshConfig()
    )
    assert renamed.alias == "my-4090" and renamed.host_key_alias == instance.host_key_alias
    assert renamed.tunnels == instance.tunnels
    assert [i.alias for i in InstanceStore().list()] == ["my-4090"]
    assert SshConfig().entry_path("my-4090").exists()
    assert not SshConfig().entry_path("autodl-4090").exists()
    assert "Host my-4090" in SshConfig().entry_path("my-4090").read_text()
    assert HostKeyStore().lookup(instance.host_key_alias) is not None
    assert KeyringSecretStore().get(secret_name("password", instance.instance_id)) is not None


def test_rename_to_a_taken_or_bad_name_changes_nothing() -> None:
    saved()
    saved("other-box")
    for bad in ("other-box", "has space", "-x"):
        with pytest.raises(GpuDeskError):
            rename_instance("autodl-4090", bad, store=InstanceStore(), ssh_config=SshConfig())
    assert sorted(i.alias for i in InstanceStore().list()) == ["autodl-4090", "other-box"]
    assert SshConfig().entry_path("autodl-4090").exists()


def test_default_extensions_are_added_and_the_users_own_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{\n  // mine\n  "remote.SSH.defaultExtensions": ["eamodio.gitlens"]\n}\n')
    change = plan_remote_ssh_settings(path, "gpu-a")
    assert change.apply()
    text = path.read_text()
    data = loads(text)
    assert "// mine" in text
    assert data[DEFAULT_EXTENSIONS_KEY] == ["eamodio.gitlens", *PYTHON_EXTENSIONS]
    assert data["remote.SSH.remotePlatform"] == {"gpu-a": "linux"}
    assert not plan_remote_ssh_settings(path, "gpu-a").apply()  # twice equals once


def test_default_extensions_in_a_new_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "Code" / "User" / "settings.json"
    path.parent.mkdir(parents=True)
    assert plan_remote_ssh_settings(path, "gpu-a").apply()
    data = json.loads(path.read_text())
    assert data[DEFAULT_EXTENSIONS_KEY] == list(PYTHON_EXTENSIONS)


# --- service probes ------------------------------------------------------------------------


@pytest.fixture
def closing_service() -> Iterator[int]:
    """Accepts and closes at once: what a tunnel does when the instance refuses the port."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    thread.join(2)
    server.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def up(
    tunnel_id: str, local: int, remote: int, state: TunnelState = TunnelState.UP
) -> TunnelStatus:
    return TunnelStatus(tunnel_id, "a", TunnelSpec(local, remote), state, "", time.time())


def test_http_and_tcp_probes_tell_alive_from_dead(closing_service: int) -> None:
    with http_service() as web:
        assert probe_http(web) is ServiceHealth.UP
        assert probe_tcp(web) is ServiceHealth.UP  # open and quiet: alive
        assert probe_tunnel(up("t", web, 8888), "jupyter") is ServiceHealth.UP
    assert probe_http(closing_service) is ServiceHealth.DOWN
    assert probe_tcp(closing_service) is ServiceHealth.DOWN
    assert probe_tcp(free_port()) is ServiceHealth.DOWN
    assert probe_tunnel(up("t", closing_service, 6006), "tensorboard") is ServiceHealth.DOWN
    stopped = up("t", 0, 8888, TunnelState.STOPPED)
    assert probe_tunnel(stopped, "jupyter") is ServiceHealth.UNKNOWN


def test_a_flood_is_read_only_as_far_as_needed() -> None:
    server = socket.create_server(("127.0.0.1", 0))

    def flood() -> None:
        conn, _ = server.accept()
        with contextlib.suppress(OSError):
            conn.sendall(b"X" * 1_000_000)
        conn.close()

    thread = threading.Thread(target=flood, daemon=True)
    thread.start()
    assert probe_http(int(server.getsockname()[1])) is ServiceHealth.DOWN  # not HTTP
    thread.join(5)
    server.close()


def test_one_row_per_service_preferring_the_saved_tunnel() -> None:
    saved_jupyter = up("a#1", 8888, 8888, TunnelState.STOPPED)
    ad_hoc = up("a#2", 9999, 8888)
    board = up("a#3", 6006, 6006)
    assert distinct_services([ad_hoc, saved_jupyter, board], preferred={"a#1"}) == [
        saved_jupyter,
        board,
    ]
    assert distinct_services([saved_jupyter, ad_hoc]) == [ad_hoc]


def test_concurrent_changes_of_one_instance_lose_nothing() -> None:
    """Saving tunnels on one thread while auto-connect flips on another keeps every tunnel."""
    from gpudesk.core.tunnels.savedtunnels import SavedTunnel, save_tunnel, set_auto_connect

    saved("box")
    store = InstanceStore()

    def add_tunnels() -> None:
        for number in range(20):
            save_tunnel(store, "box", SavedTunnel(f"Port {number}", 0, 9000 + number))

    def flip() -> None:
        for number in range(20):
            set_auto_connect(store, "box", number % 2 == 0)

    threads = [threading.Thread(target=add_tunnels), threading.Thread(target=flip)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    names = [t["name"] for t in store.require("box").tunnels]
    assert sorted(names) == sorted(["Jupyter", *(f"Port {n}" for n in range(20))])
