"""`repoint_instance` against two REAL sshd servers: same alias, new port and host key.

The instance is set up on one server with ``gpudesk setup``; a second server (its own port and
host key, the same test user) plays the machine the instance landed on after a power cycle.
The real ``ssh -F`` client judges that the alias works there afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from gpudesk.core.editor.repoint import repoint_instance
from gpudesk.core.errors import HostKeyUnknownError
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.store.secrets import open_secret_store
from tests.clihelpers import run_gpudesk, ssh_command_for
from tests.testbed.fixtures import SshdFactory
from tests.testbed.sshd import SshdServer, TestUser, run_command

pytestmark = pytest.mark.sshd
ALIAS = "moving-gpu"


@pytest.fixture(name="clean_home")
def clean_home_fixture(test_user: TestUser) -> Iterator[TestUser]:
    """The test user without ~/.ssh before and after."""
    test_user.remove(".ssh")
    yield test_user
    test_user.remove(".ssh")


def set_up_alias(server: SshdServer, alias: str = ALIAS) -> None:
    """``gpudesk setup`` on ``server`` (key made and installed, alias written)."""
    done = run_gpudesk(
        "setup", ssh_command_for(server), "--alias", alias, "--accept-new-host-key",
        "--password-stdin", "--json", stdin=server.user.password + "\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["ok"] is True


def real_ssh(alias: str = ALIAS) -> subprocess.CompletedProcess[str]:
    """The real OpenSSH client through the alias (BatchMode: key only, no prompt)."""
    config = Path(os.environ["HOME"]) / ".ssh" / "config"
    argv = [shutil.which("ssh") or "ssh", "-F", str(config), "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=10", alias, "echo alias-ok"]  # fmt: skip
    return run_command(argv, check=False, timeout=30)


def target_of(server: SshdServer) -> SshTarget:
    return SshTarget(user=server.user.name, host="127.0.0.1", port=server.port)


def test_repoint_follows_the_instance_to_a_new_port_and_host_key(
    sshd_factory: SshdFactory, clean_home: TestUser
) -> None:
    first, second = sshd_factory(), sshd_factory()
    set_up_alias(first)
    asked: list[str] = []

    def confirm(key: object) -> bool:
        asked.append(getattr(key, "fingerprint", ""))
        return True

    secrets, _ = open_secret_store()
    result = repoint_instance(
        ALIAS, target_of(second), confirm_new_host_key=confirm, secrets=secrets
    )

    assert asked == [second.host_key_fingerprint()]  # asked once, with the new fingerprint
    assert result.moved and result.new_host_key and not result.key_installed
    saved = InstanceStore().require(ALIAS)
    assert saved.target.port == second.port
    pin = HostKeyStore().lookup(saved.host_key_alias)
    assert pin is not None and pin.fingerprint == second.host_key_fingerprint()
    done = real_ssh()
    assert done.returncode == 0 and done.stdout.strip() == "alias-ok", done.stderr
    conf = (Path(os.environ["GPUDESK_HOME"])).rglob(f"{ALIAS}.conf")
    assert any(f"Port {second.port}" in p.read_text() for p in conf)


def test_a_declined_new_host_key_changes_nothing(
    sshd_factory: SshdFactory, clean_home: TestUser
) -> None:
    first, second = sshd_factory(), sshd_factory()
    set_up_alias(first)
    before = InstanceStore().require(ALIAS)
    secrets, _ = open_secret_store()
    with pytest.raises(HostKeyUnknownError):
        repoint_instance(
            ALIAS, target_of(second), confirm_new_host_key=lambda _key: False, secrets=secrets
        )
    assert InstanceStore().require(ALIAS) == before
    pin = HostKeyStore().lookup(before.host_key_alias)
    assert pin is not None and pin.fingerprint == first.host_key_fingerprint()
    assert real_ssh().stdout.strip() == "alias-ok"  # still the first server


def test_on_a_fresh_machine_the_key_is_installed_with_the_new_password(
    sshd_factory: SshdFactory, clean_home: TestUser
) -> None:
    first, second = sshd_factory(), sshd_factory()
    set_up_alias(first)
    clean_home.remove(".ssh")  # the machine it landed on does not know the key
    secrets, _ = open_secret_store()
    result = repoint_instance(
        ALIAS,
        target_of(second),
        password=clean_home.password,
        confirm_new_host_key=lambda _key: True,
        secrets=secrets,
    )
    assert result.key_installed
    done = real_ssh()
    assert done.returncode == 0 and done.stdout.strip() == "alias-ok", done.stderr
