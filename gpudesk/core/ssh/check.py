"""Connect to an instance and find out what it is: the service behind `gpudesk check`.

The GUI's Connect step and the CLI share this function; both pass a progress callback
(the GUI shows it, the CLI prints it when asked) and a host-key confirmation callback.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gpudesk.core.models import InstanceReport, SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore
from gpudesk.core.ssh.probe import probe_instance
from gpudesk.core.ssh.remote import (
    DEFAULT_TIMEOUTS,
    ConfirmHostKey,
    Credentials,
    HostKeyCheck,
    Timeouts,
    connect,
)

#: Called with a short English description of the step now under way.
Progress = Callable[[str], None]


@dataclass(frozen=True)
class CheckResult:
    """A successful check: who answered and what the instance has."""

    target: SshTarget
    host_key: HostKeyCheck
    report: InstanceReport


def check_instance(
    target: SshTarget,
    credentials: Credentials,
    *,
    pin_name: str,
    directories: Sequence[str] = ("~",),
    host_keys: HostKeyStore | None = None,
    confirm_new_host_key: ConfirmHostKey | None = None,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
    progress: Progress | None = None,
) -> CheckResult:
    """Log in (host key verified first) and probe the instance in one round trip."""
    say = progress or (lambda _step: None)
    say(f"Connecting to {target.address}")
    store = host_keys if host_keys is not None else HostKeyStore()
    with connect(
        target,
        credentials,
        pin_name=pin_name,
        host_keys=store,
        confirm_new_host_key=confirm_new_host_key,
        timeouts=timeouts,
    ) as connection:
        say("Reading GPU, Python, PyTorch and disk information")
        report = probe_instance(connection, directories, timeout=timeouts.command)
        return CheckResult(target, connection.host_key, report)
