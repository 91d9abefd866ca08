"""A saved instance on the real test sshd, and views of the guard from the server's side.

Two stand-ins, because the real things cannot exist here: the test bed's ``nvidia-smi`` (no
GPU on this machine) and a power-off command that only records: it appends the time it ran
to a file in the test user's home. No test ever gives the guard a real ``shutdown``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.store.secrets import open_secret_store, secret_name
from tests.clihelpers import run_gpudesk
from tests.testbed.fixtures import FakeNvidiaSmi
from tests.testbed.sshd import SshdServer, TestUser

ALIAS = "guardbox"
GUARD_FOLDER = ".gpudesk/guard"


def processes_of(user: TestUser) -> list[tuple[int, str]]:
    """(pid, command line) of every live process of ``user``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid != user.uid:
                continue
            raw = Path(f"/proc/{entry}/cmdline").read_bytes()
            state = Path(f"/proc/{entry}/stat").read_text("utf-8", "replace")
        except OSError:
            continue
        if state.rsplit(")", 1)[1].split()[0] == "Z":
            continue
        found.append((int(entry), raw.replace(b"\0", b" ").decode("utf-8", "replace").strip()))
    return found


class GuardRig:
    """The instance ``guardbox`` (password in the keyring, host key pinned) and its guard."""

    def __init__(self, sshd: SshdServer, user: TestUser) -> None:
        self.user = user
        instance = InstanceStore().add(
            Instance(
                alias=ALIAS,
                target=SshTarget(user.name, "127.0.0.1", sshd.port),
                platform_id=None,
                host_key_alias=new_host_key_alias(),
                price_per_hour=2.5,
            )
        )
        key_type, key_b64 = sshd.host_key_line().split()[:2]
        HostKeyStore().pin(instance.host_key_alias, PresentedKey(key_type, key_b64))
        store, _warning = open_secret_store()
        store.set(secret_name("password", instance.instance_id), user.password)
        self.record = user.path("power-off-calls")
        #: The stand-in power-off command: records the time it ran, powers nothing off.
        self.power_off = f"date +%s >> {self.record}"

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``gpudesk guard guardbox ARGS``."""
        return run_gpudesk("guard", ALIAS, *args)

    def cli_json(self, *args: str) -> dict[str, Any]:
        """``gpudesk guard guardbox ARGS --json``, which must succeed."""
        result = self.cli(*args, "--json")
        assert result.returncode == 0, result.stderr
        document: dict[str, Any] = json.loads(result.stdout)
        return document

    def install(self, *rules: str) -> dict[str, Any]:
        """Install with ``rules``, the stand-in power-off and a 1 s interval."""
        return self.cli_json("--interval", "1", "--power-off-command", self.power_off, *rules)

    def power_offs(self) -> list[int]:
        """When the stand-in power-off command ran (one entry per run)."""
        if not self.record.exists():
            return []
        return [int(line) for line in self.record.read_text().split()]

    def guard_pids(self) -> list[int]:
        """The guard loops running as the test user."""
        return [pid for pid, args in processes_of(self.user) if "gpudesk-guard run" in args]

    def session_pids(self) -> list[int]:
        """The test user's sshd session processes on the server (``sshd: USER@notty``)."""
        return [pid for pid, args in processes_of(self.user) if args.startswith("sshd:")]

    def state(self) -> dict[str, str]:
        """The guard's state file as the server sees it ({} before there is one)."""
        path = self.user.path(f"{GUARD_FOLDER}/state")
        try:
            lines = path.read_text().splitlines()
        except FileNotFoundError:
            return {}
        return dict(line.split("=", 1) for line in lines if "=" in line)

    def sample_time(self) -> int:
        """The instance time of the guard's last sample (0 before the first)."""
        return int(self.state().get("sample_time") or 0)

    def folder_files(self) -> set[str]:
        """The names in the guard's folder."""
        folder = self.user.path(GUARD_FOLDER)
        return {p.name for p in folder.iterdir()} if folder.is_dir() else set()

    def log_text(self) -> str:
        """The guard's log."""
        return self.user.path(f"{GUARD_FOLDER}/log").read_text()

    def guard_tree_pids(self) -> list[int]:
        """The guard loops and every process under them (its ``sleep``, its writers)."""
        parents: dict[int, int] = {}
        for pid, _args in processes_of(self.user):
            try:
                stat_text = Path(f"/proc/{pid}/stat").read_text("utf-8", "replace")
            except OSError:
                continue
            parents[pid] = int(stat_text.rsplit(")", 1)[1].split()[1])
        tree = set(self.guard_pids())
        grew = True
        while grew:
            children = {pid for pid, parent in parents.items() if parent in tree} - tree
            tree |= children
            grew = bool(children)
        return sorted(tree)

    def clean_up(self) -> None:
        """Kill any guard left behind (and wait until it is gone), then remove its folder.

        A guard killed mid-write may still have a child finishing a ``state.tmp`` when
        the folder is removed, so the kill waits for the whole tree to vanish and the
        removal is retried.
        """
        for _ in range(100):
            pids = self.guard_tree_pids()
            if not pids:
                break
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.05)
        for attempt in range(5):
            try:
                self.user.remove(".gpudesk")
                break
            except FileNotFoundError:
                if attempt == 4:
                    raise
                time.sleep(0.1)
        self.record.unlink(missing_ok=True)


@pytest.fixture(name="rig")
def rig_fixture(
    sshd: SshdServer, test_user: TestUser, fake_nvidia_smi: FakeNvidiaSmi
) -> Iterator[GuardRig]:
    """A :class:`GuardRig` with no guard before and none left after (import it to use it)."""
    rig = GuardRig(sshd, test_user)
    rig.clean_up()
    try:
        yield rig
    finally:
        rig.clean_up()
