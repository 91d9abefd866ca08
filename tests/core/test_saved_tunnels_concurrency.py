"""Saved tunnels changed at the same time by threads and by processes lose nothing.

Every change of a saved tunnel is a read-modify-write of ``instances.json``; it must happen
entirely under the file's lock (:meth:`InstanceStore.modify`), or two writers that read the
same old list each write their own change over the other's. The race window of a real disk
is a few microseconds; these tests widen it with a SLOW DISK stand-in (each read of the file
sleeps a little) so that code reading outside the lock loses updates every time, while code
reading under the lock only gets slower. The threads, the processes, the lock and the file
are real.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from typing import Any

import pytest

from gpudesk.core.models import SshTarget
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.tunnels.savedtunnels import (
    SavedTunnel,
    remove_saved_tunnel,
    save_tunnel,
    saved_tunnels,
)

ALIAS = "box"
READ_DELAY_S = 0.02


def _instance(*names: str) -> Instance:
    return Instance(
        alias=ALIAS,
        target=SshTarget("root", "gpu.example.com", 10309),
        platform_id="autodl",
        host_key_alias=new_host_key_alias(),
        tunnels=tuple(SavedTunnel(n, 0, 8000 + i).to_dict() for i, n in enumerate(names)),
    )


def _names(store: InstanceStore) -> list[str]:
    return sorted(t.name for t in saved_tunnels(store.require(ALIAS)))


@pytest.fixture
def slow_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every read of instances.json takes a little longer (a stand-in for a slow disk)."""
    real_read = InstanceStore._read

    def slow_read(self: InstanceStore) -> Any:
        result = real_read(self)
        time.sleep(READ_DELAY_S)
        return result

    monkeypatch.setattr(InstanceStore, "_read", slow_read)


@pytest.mark.usefixtures("slow_disk")
def test_threads_saving_and_removing_lose_no_update() -> None:
    store = InstanceStore()
    store.add(_instance("Old 0", "Old 1", "Old 2", "Old 3"))
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def save(number: int) -> None:
        start.wait()
        try:
            save_tunnel(store, ALIAS, SavedTunnel(f"New {number}", 0, 9000 + number))
        except BaseException as error:  # reported below
            errors.append(error)

    def remove(number: int) -> None:
        start.wait()
        try:
            remove_saved_tunnel(store, ALIAS, f"Old {number}")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(4)]
    threads += [threading.Thread(target=remove, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert _names(store) == ["New 0", "New 1", "New 2", "New 3"]


_WORKER = textwrap.dedent(
    """
    import sys, time
    from gpudesk.core.store.instances import InstanceStore
    from gpudesk.core.tunnels.savedtunnels import SavedTunnel, save_tunnel, remove_saved_tunnel

    real_read = InstanceStore._read
    def slow_read(self):
        result = real_read(self)
        time.sleep(float(sys.argv[3]))
        return result
    InstanceStore._read = slow_read
    number = int(sys.argv[2])
    store = InstanceStore()
    sys.stdin.readline()  # every process starts together
    if sys.argv[1] == "save":
        for round_ in range(3):
            port = 9000 + 10 * number + round_
            save_tunnel(store, "box", SavedTunnel(f"P{number}-{round_}", 0, port))
    else:
        remove_saved_tunnel(store, "box", f"Old {number}")
    """
)


def test_processes_saving_and_removing_lose_no_update() -> None:
    store = InstanceStore()
    store.add(_instance("Old 0", "Old 1", "Old 2"))
    jobs = [("save", n) for n in range(3)] + [("remove", n) for n in range(3)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, kind, str(n), str(READ_DELAY_S)],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for kind, n in jobs
    ]
    time.sleep(0.5)  # let the interpreters import (not a timing assertion: a head start)
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    for process in processes:
        _out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    assert _names(store) == sorted(f"P{n}-{r}" for n in range(3) for r in range(3))
