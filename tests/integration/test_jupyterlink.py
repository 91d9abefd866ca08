""" "Open TensorBoard" end to end through a REAL sshd: found or started, tunnelled, saved.

The test user's login shell finds the real ``tensorboard`` of the remote test-bed venv
(:mod:`tests.testbed.remote_venv`); the saved tunnel lands in ``instances.json``.
"""

from __future__ import annotations

import contextlib
import urllib.request
from collections.abc import Iterator

import pytest

from gpudesk.core.apps.jupyterlink import TensorBoardOpening, open_tensorboard_tunnel
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.tunnels import TunnelState, TunnelSupervisor
from gpudesk.core.tunnels.savedtunnels import TunnelBook
from tests.integration.tunnel_services import instance_for
from tests.testbed.remote_venv import RemoteJupyter, remote_jupyter_fixture  # noqa: F401
from tests.testbed.sshd import SshdServer, TestUser

pytestmark = pytest.mark.sshd


@pytest.fixture
def supervisor() -> Iterator[TunnelSupervisor]:
    with contextlib.closing(TunnelSupervisor(probe_interval_s=0.5, probe_misses=3)) as sup:
        yield sup


def test_open_tensorboard_starts_it_saves_its_tunnel_and_reuses_the_connection(
    sshd: SshdServer,
    test_user: TestUser,
    remote_jupyter: RemoteJupyter,
    supervisor: TunnelSupervisor,
) -> None:
    instance, connect = instance_for(sshd, "tb")
    store = InstanceStore()
    store.add(instance)
    book = TunnelBook()

    def open_board() -> TensorBoardOpening:
        return open_tensorboard_tunnel(
            instance, supervisor=supervisor, book=book, store=store, connect=connect
        )

    opening = open_board()
    assert opening.url == f"http://127.0.0.1:{opening.local_port}/"
    assert opening.server.started_by_gpudesk and opening.server.logdir == "~/tf-logs"
    assert test_user.path("tf-logs").is_dir()
    assert supervisor.status(opening.tunnel_id).state is TunnelState.UP
    with urllib.request.urlopen(opening.url, timeout=10) as response:  # noqa: S310 - loopback
        assert response.status == 200
    (saved,) = store.get("tb").tunnels  # type: ignore[union-attr]
    assert saved["kind"] == "tensorboard" and saved["name"] == "TensorBoard"
    assert (saved["local_port"], saved["remote_port"]) == (
        opening.local_port,
        opening.server.remote_port,
    )
    logins = connect.calls
    # Again: the running TensorBoard is found over the tunnel's connection (no new login).
    again = open_board()
    assert (again.tunnel_id, again.local_port) == (opening.tunnel_id, opening.local_port)
    assert again.server.pid == opening.server.pid
    assert connect.calls == logins
    assert remote_jupyter.processes("--logdir") == [opening.server.pid]
