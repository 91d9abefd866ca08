"""Judge a checked instance against what the user chose: the wizard's mismatch flags.

:func:`assess` turns a :class:`~gpudesk.core.ssh.check.CheckResult` and the GPU the user chose
into findings a newcomer should see before working on the machine:

* ``assess.no_gpu``: nvidia-smi found no GPU (a GPU-less mode, or the driver is gone);
* ``assess.gpu_differs``: the instance has a GPU other than the one chosen;
* ``assess.torch_no_cuda``: PyTorch is there but cannot use the GPU;
* ``assess.torch_missing_kernels``: the PyTorch build has no kernels for the GPU's compute
  capability ("no kernel image is available");
* ``assess.torch_ptx_only``: it runs only through PTX compiled at first start (slow start);
* ``assess.torch_not_found``: the chosen image promised PyTorch but the login shell has none;
* ``assess.disk_nearly_full``: a probed directory's file system is more than 90 % full.

Each finding has a stable ``code`` the UI translates with ``params``, and an English
``message`` for logs and the command line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from gpudesk.core.catalog.gpus import GpuModel, find_gpu, normalise_gpu_name
from gpudesk.core.catalog.images import (
    Severity,
    check_probed_torch,
    most_severe_first,
    torch_supports_capability,
    version_tuple,
    worst_severity,
)
from gpudesk.core.models import GpuInfo, InstanceReport, TorchInfo
from gpudesk.core.ssh.check import CheckResult

__all__ = ["DISK_FULL_THRESHOLD", "Finding", "assess", "worst_severity"]

#: A file system more than this fraction full is flagged.
DISK_FULL_THRESHOLD = 0.9


@dataclass(frozen=True)
class Finding:
    """One mismatch between the instance and what the user expects.

    Attributes:
        code: Stable id (``"assess.gpu_differs"``); the UI translates by it.
        severity: ``WARNING`` or ``ERROR``.
        message: The finding in English, with every value.
        params: The values the message is built from (for translated texts).
    """

    code: str
    severity: Severity
    message: str
    params: dict[str, str] = field(default_factory=dict, hash=False)


def _model_of(gpu: GpuInfo, table: Sequence[GpuModel] | None) -> GpuModel | None:
    return find_gpu(gpu.name, table, memory_mib=gpu.memory_total_mib)


def _same_gpu(chosen: str, gpu: GpuInfo, table: Sequence[GpuModel] | None) -> bool:
    wanted = find_gpu(chosen, table)
    found = _model_of(gpu, table)
    if wanted is not None and found is not None:
        return wanted.name == found.name
    return normalise_gpu_name(chosen)[0] == normalise_gpu_name(gpu.name)[0]


def _gpu_findings(
    report: InstanceReport, chosen: str | None, table: Sequence[GpuModel] | None
) -> list[Finding]:
    if not report.gpus:
        return [
            Finding(
                "assess.no_gpu",
                Severity.ERROR if chosen else Severity.WARNING,
                "No NVIDIA GPU was found on the instance (nvidia-smi is missing or sees none): "
                "a GPU-less mode, or the GPU is not attached.",
            )
        ]
    if not chosen or any(_same_gpu(chosen, gpu, table) for gpu in report.gpus):
        return []
    found = ", ".join(dict.fromkeys(gpu.name for gpu in report.gpus))
    return [
        Finding(
            "assess.gpu_differs",
            Severity.WARNING,
            f"You chose {chosen}, but the instance has {found}.",
            {"chosen": chosen, "found": found},
        )
    ]


def _driver_too_old(report: InstanceReport, torch: TorchInfo) -> bool:
    driver = version_tuple(report.cuda_version or "")
    built = version_tuple(torch.cuda_version or "")
    return bool(driver and built) and built[:2] > driver[:2]


def _torch_findings(
    report: InstanceReport, table: Sequence[GpuModel] | None, image_has_torch: bool
) -> list[Finding]:
    torch = report.torch
    if torch is None:
        if not image_has_torch:
            return []
        return [
            Finding(
                "assess.torch_not_found",
                Severity.WARNING,
                "The chosen image comes with PyTorch, but the login shell's Python cannot "
                "import it (another conda environment may be active).",
            )
        ]
    if not torch.cuda_available:
        if not report.gpus:
            return []  # no GPU at all: already flagged, and a CPU torch is then expected
        reason = "a CPU-only build, or a driver older than the build's CUDA"
        if _driver_too_old(report, torch):
            reason = (
                f"the driver supports CUDA {report.cuda_version} but this build needs "
                f"CUDA {torch.cuda_version}"
            )
        return [
            Finding(
                "assess.torch_no_cuda",
                Severity.ERROR,
                f"PyTorch {torch.version} cannot use the GPU (torch.cuda.is_available() is "
                f"False): {reason}.",
                {"version": torch.version, "reason": reason},
            )
        ]
    if not torch.arch_list:
        return []
    capability = torch.device_capability
    if capability is None:
        model = _model_of(report.gpus[0], table) if report.gpus else None
        if model is None:
            return []
        capability = model.compute_capability
    sm = "sm_" + capability.replace(".", "")
    arch = ", ".join(torch.arch_list)
    if not torch_supports_capability(torch.arch_list, capability):
        return [
            Finding(
                "assess.torch_missing_kernels",
                Severity.ERROR,
                f"PyTorch {torch.version} has kernels for {arch} but the GPU is {sm}: CUDA calls "
                f"will fail with 'no kernel image is available'. Install a build that "
                f"includes {sm}.",
                {"version": torch.version, "sm": sm, "arch_list": arch},
            )
        ]
    probed = TorchInfo(torch.version, True, torch.cuda_version, torch.arch_list, capability)
    if any(note.code == "compat.ptx_jit" for note in check_probed_torch(probed)):
        return [
            Finding(
                "assess.torch_ptx_only",
                Severity.WARNING,
                f"PyTorch {torch.version} has no {sm} kernels and runs through PTX compiled by "
                "the driver: the first start can take minutes.",
                {"version": torch.version, "sm": sm},
            )
        ]
    return []


def _disk_findings(report: InstanceReport, threshold: float) -> list[Finding]:
    findings = []
    for disk in report.disks:
        if disk.total_bytes > 0 and disk.used_fraction > threshold:
            used = f"{disk.used_fraction * 100:.0f}"
            free = f"{disk.free_bytes / 2**30:.1f}"
            findings.append(
                Finding(
                    "assess.disk_nearly_full",
                    Severity.WARNING,
                    f"The disk holding {disk.path} is {used} % full ({free} GiB free).",
                    {"path": disk.path, "used_pct": used, "free_gib": free},
                )
            )
    return findings


def assess(
    result: CheckResult,
    chosen_gpu: str | None = None,
    *,
    image_has_torch: bool = False,
    gpus: Sequence[GpuModel] | None = None,
    disk_threshold: float = DISK_FULL_THRESHOLD,
) -> list[Finding]:
    """The mismatches between a checked instance and the user's choices.

    Args:
        result: What :func:`gpudesk.core.ssh.check.check_instance` found.
        chosen_gpu: The GPU chosen in the wizard (a table name such as ``"RTX 4090"``), or
            None when the user did not choose one.
        image_has_torch: True when the chosen image comes with PyTorch.
        gpus: The GPU table; the bundled one when None.
        disk_threshold: Used fraction above which a disk is flagged.

    Returns:
        Findings, errors first; empty when nothing is wrong.
    """
    report = result.report
    findings = [
        *_gpu_findings(report, chosen_gpu, gpus),
        *_torch_findings(report, gpus, image_has_torch),
        *_disk_findings(report, disk_threshold),
    ]
    return most_severe_first(findings)
