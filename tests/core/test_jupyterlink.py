"""The app-tunnel helpers without an instance: redirect page, free ports, the saved tunnel.

The saved-tunnel logic shared by Jupyter and TensorBoard runs here on the fake transport of
:mod:`tests.core.tunnel_fakes`; the whole "Open Jupyter" flow runs against the real sshd in
``tests/ui/test_tray.py``, "Open TensorBoard" in ``tests/integration/test_jupyterlink.py``.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from gpudesk.core.apps.jupyterlink import (
    JUPYTER_TUNNEL,
    TENSORBOARD_TUNNEL,
    SupervisorCommands,
    _open_app_tunnel,
    free_local_port,
    remove_stale_redirect_pages,
    write_redirect_page,
)
from gpudesk.core.ssh.remote import CommandResult
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.tunnels import TunnelState, TunnelSupervisor
from gpudesk.core.tunnels.savedtunnels import TunnelBook
from tests.core.tunnel_fakes import TARGET, ScriptedConnect


@dataclass(frozen=True)
class FakeApp:
    remote_port: int
    remote_host: str = "127.0.0.1"


@pytest.fixture
def supervisor() -> Iterator[TunnelSupervisor]:
    sup = TunnelSupervisor(probe_interval_s=0.2, probe_misses=3)
    yield sup
    sup.close()


@pytest.fixture
def instance() -> Instance:
    return InstanceStore().add(Instance("gpu", TARGET, "autodl", new_host_key_alias()))


def test_redirect_page_is_private_and_holds_no_token() -> None:
    page = write_redirect_page('http://127.0.0.1:8888/lab?token=abc&x="y"')
    assert oct(page.stat().st_mode & 0o777) == "0o600"
    text = page.read_text("utf-8")
    assert "token" not in text and "abc" not in text
    assert 'content="0;url=http://127.0.0.1:' in text


def test_stale_pages_are_removed_fresh_ones_kept() -> None:
    old, fresh = write_redirect_page("http://a/"), write_redirect_page("http://b/")
    past = time.time() - 3600
    os.utime(old, (past, past))
    assert remove_stale_redirect_pages(60) == 1
    assert not old.exists() and fresh.exists()


def test_free_local_port_skips_busy_ones() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        port = busy.getsockname()[1]
        chosen = free_local_port(port, tries=3)
        assert chosen != port and (chosen == 0 or port < chosen < port + 3)


def test_app_tunnels_are_saved_by_kind_and_follow_a_moved_server(
    supervisor: TunnelSupervisor, instance: Instance
) -> None:
    book, store, connect = TunnelBook(), InstanceStore(), ScriptedConnect()
    tunnel_id, port = _open_app_tunnel(
        TENSORBOARD_TUNNEL, instance, FakeApp(6006), supervisor, book, store, connect, 10
    )
    assert supervisor.status(tunnel_id).state is TunnelState.UP
    (saved,) = store.get("gpu").tunnels  # type: ignore[union-attr]
    assert saved["kind"] == "tensorboard" and saved["name"] == "TensorBoard"
    assert saved["remote_port"] == 6006 and saved["local_port"] == port
    # The same server again: the same tunnel. Moved to another port: one tunnel, same name.
    again = _open_app_tunnel(
        TENSORBOARD_TUNNEL, instance, FakeApp(6006), supervisor, book, store, connect, 10
    )
    assert again == (tunnel_id, port)
    moved_id, _ = _open_app_tunnel(
        TENSORBOARD_TUNNEL, instance, FakeApp(6010), supervisor, book, store, connect, 10
    )
    assert moved_id != tunnel_id and [s.tunnel_id for s in supervisor.tunnels()] == [moved_id]
    (saved,) = store.get("gpu").tunnels  # type: ignore[union-attr]
    assert saved["remote_port"] == 6010 and saved["name"] == "TensorBoard"
    # Jupyter is another kind: its own saved tunnel next to TensorBoard's.
    _open_app_tunnel(JUPYTER_TUNNEL, instance, FakeApp(8888), supervisor, book, store, connect, 10)
    kinds = [t["kind"] for t in store.get("gpu").tunnels]  # type: ignore[union-attr]
    assert kinds == ["tensorboard", "jupyter"]


def test_a_busy_saved_port_moves_to_the_suggested_one(
    supervisor: TunnelSupervisor, instance: Instance
) -> None:
    book, store, connect = TunnelBook(), InstanceStore(), ScriptedConnect()
    args = (instance, FakeApp(6006), supervisor, book, store, connect, 10)
    tunnel_id, port = _open_app_tunnel(TENSORBOARD_TUNNEL, *args)
    supervisor.stop(tunnel_id)
    with socket.socket() as busy:  # another program took the saved port meanwhile
        busy.bind(("127.0.0.1", port))
        busy.listen()
        moved_id, moved_port = _open_app_tunnel(TENSORBOARD_TUNNEL, *args)
    assert moved_port != port and supervisor.status(moved_id).state is TunnelState.UP
    (saved,) = store.get("gpu").tunnels  # type: ignore[union-attr]
    assert saved["local_port"] == moved_port


def test_supervisor_commands_run_over_the_existing_connection() -> None:
    class Recorder:
        def run_on_instance(
            self, instance: str, command: str, *, stdin: bytes, timeout: float
        ) -> CommandResult:
            self.call = (instance, command, stdin, timeout)
            return CommandResult(0, "ok", "")

    recorder = Recorder()
    commands = SupervisorCommands(recorder, "gpu")  # type: ignore[arg-type]
    assert commands.run("true", stdin=b"x", timeout=5).stdout == "ok"
    assert recorder.call == ("gpu", "true", b"x", 5)
