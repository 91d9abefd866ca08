"""The real-OpenSSH test bed: a throw-away Unix user, private sshd servers, a fake nvidia-smi.

The classes live in :mod:`tests.testbed.sshd`; the pytest fixtures (``test_user``, ``sshd``,
``sshd_factory``, ``fake_nvidia_smi``) in :mod:`tests.testbed.fixtures`, which
``tests/conftest.py`` loads with ``pytest_plugins``. :mod:`tests.testbed.fake_nvidia_smi` is
the script installed as the test user's ``~/bin/nvidia-smi``.
"""

from tests.testbed.sshd import (
    SshdServer,
    TestbedError,
    TestUser,
    generate_openssh_key,
    testbed_unavailable_reason,
)

__all__ = [
    "SshdServer",
    "TestUser",
    "TestbedError",
    "generate_openssh_key",
    "testbed_unavailable_reason",
]
