"""A login to the shared test sshd as the test user, its host key pinned first (no prompt)."""

from __future__ import annotations

from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.ssh.remote import Connection, Credentials, connect
from tests.testbed.sshd import SshdServer, TestUser


def pinned_login(sshd: SshdServer, user: TestUser, pin: str) -> Connection:
    """Pin ``sshd``'s host key as ``pin`` and log in with the test user's password."""
    store = HostKeyStore()
    key_type, key_b64 = sshd.host_key_line().split()[:2]
    store.pin(pin, PresentedKey(key_type, key_b64))
    target = SshTarget(user.name, "127.0.0.1", sshd.port)
    return connect(target, Credentials(password=user.password), pin_name=pin, host_keys=store)
