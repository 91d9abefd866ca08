"""Plain, immutable data shared by every part of gpudesk.

Frozen dataclasses and enums only: no I/O, no behaviour beyond small derived values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Access(str, Enum):
    """How a user reaches a platform's machines."""

    SSH = "ssh"
    WEB_NOTEBOOK = "web_notebook"


@dataclass(frozen=True)
class Platform:
    """One GPU platform of the catalog (facts only; the data lives in resources/platforms)."""

    id: str
    name: str
    name_zh: str
    url: str
    console_url: str
    access: Access
    web_tools: tuple[str, ...]
    host_patterns: tuple[str, ...]
    default_user: str | None
    workdir: str
    persistent_dirs: tuple[str, ...]
    tensorboard_logdir: str | None
    free_quota: str
    free_quota_zh: str
    limits: str
    limits_zh: str
    typical_use: str
    typical_use_zh: str
    notes: tuple[str, ...]
    notes_zh: tuple[str, ...]
    docs_url: str
    last_checked: str
    #: Run inside the instance (``sh -c``) to power it off and stop billing; None: unknown.
    power_off_command: str | None = None

    @property
    def has_ssh(self) -> bool:
        """True when the platform gives its users an SSH login."""
        return self.access is Access.SSH


@dataclass(frozen=True)
class PortForward:
    """A local forward as in ``ssh -L LOCAL_PORT:REMOTE_HOST:REMOTE_PORT``."""

    local_port: int
    remote_host: str
    remote_port: int


@dataclass(frozen=True)
class SshTarget:
    """Where to log in: what a pasted ``ssh ...`` command means once validated."""

    user: str
    host: str
    port: int = 22
    identity_file: str | None = None
    forwards: tuple[PortForward, ...] = ()
    platform_id: str | None = None

    @property
    def address(self) -> str:
        """``host:port``, with IPv6 literals in brackets."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def ssh_command(self) -> str:
        """The canonical one-line ``ssh`` command for this target."""
        parts = ["ssh", "-p", str(self.port)]
        if self.identity_file:
            parts += ["-i", self.identity_file]
        parts.append(f"{self.user}@{self.host}")
        return " ".join(parts)


@dataclass(frozen=True)
class GpuInfo:
    """One GPU as ``nvidia-smi`` reports it."""

    index: int
    name: str
    memory_total_mib: int
    memory_used_mib: int
    utilization_pct: int
    driver_version: str


@dataclass(frozen=True)
class DiskInfo:
    """Free space of one directory on the instance."""

    path: str
    total_bytes: int
    free_bytes: int

    @property
    def used_fraction(self) -> float:
        """Fraction of the file system in use, 0.0 to 1.0."""
        if self.total_bytes <= 0:
            return 0.0
        return 1.0 - self.free_bytes / self.total_bytes


@dataclass(frozen=True)
class TorchInfo:
    """What PyTorch on the instance says about itself (when importable)."""

    version: str
    cuda_available: bool
    cuda_version: str | None
    arch_list: tuple[str, ...]
    device_capability: str | None


@dataclass(frozen=True)
class InstanceReport:
    """The result of probing an instance in one round trip."""

    hostname: str
    os_name: str
    gpus: tuple[GpuInfo, ...]
    driver_version: str | None
    cuda_version: str | None
    python_version: str | None
    torch: TorchInfo | None
    disks: tuple[DiskInfo, ...]
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class HostKeyPin:
    """A host key pinned for one instance (``name`` is the HostKeyAlias)."""

    name: str
    key_type: str
    key_base64: str
    fingerprint: str
