"""Mismatch flags for a checked instance: GPU, PyTorch and CUDA, disk."""

from __future__ import annotations

import dataclasses

import pytest

from gpudesk.core.catalog.assessment import Finding, assess, worst_severity
from gpudesk.core.catalog.images import Severity
from gpudesk.core.models import DiskInfo, GpuInfo, InstanceReport, SshTarget, TorchInfo
from gpudesk.core.ssh.check import CheckResult
from gpudesk.core.ssh.hostkeys import PresentedKey
from gpudesk.core.ssh.remote import HostKeyCheck

GIB = 2**30
ARCH_CU121 = ("sm_50", "sm_60", "sm_70", "sm_75", "sm_80", "sm_86", "sm_90")


def gpu(name: str = "NVIDIA GeForce RTX 4090", memory_mib: int = 24564) -> GpuInfo:
    return GpuInfo(0, name, memory_mib, 0, 0, "535.104.05")


def torch(
    *,
    cuda: bool = True,
    arch: tuple[str, ...] = ARCH_CU121,
    capability: str | None = "8.9",
    built_for: str = "12.1",
) -> TorchInfo:
    return TorchInfo("2.1.2+cu121", cuda, built_for, arch if cuda else (), capability)


def result(
    gpus: tuple[GpuInfo, ...] = (gpu(),),
    torch_info: TorchInfo | None = None,
    disks: tuple[DiskInfo, ...] = (DiskInfo("/root/autodl-tmp", 100 * GIB, 50 * GIB),),
    cuda: str | None = "12.2",
) -> CheckResult:
    report = InstanceReport(
        hostname="box",
        os_name="Ubuntu 22.04",
        gpus=gpus,
        driver_version="535.104.05" if gpus else None,
        cuda_version=cuda,
        python_version="3.10.12",
        torch=torch_info,
        disks=disks,
    )
    key = PresentedKey("ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIO0=")
    target = SshTarget("root", "connect.nmb1.seetacloud.com", 10309)
    return CheckResult(target, HostKeyCheck("[x]:1", key, True), report)


def codes(findings: list[Finding]) -> list[str]:
    return [finding.code for finding in findings]


def test_a_healthy_instance_has_no_findings() -> None:
    findings = assess(result(torch_info=torch()), "RTX 4090", image_has_torch=True)
    assert findings == []
    assert worst_severity(findings) is Severity.OK


@pytest.mark.parametrize(
    ("chosen", "found", "memory"),
    [
        ("RTX 4090", "NVIDIA GeForce RTX 4090", 24564),
        ("A100 80GB", "NVIDIA A100-SXM4-80GB", 81920),
        ("A100 40GB", "NVIDIA A100-PCIE-40GB", 40960),
        ("Tesla T4", "Tesla T4", 15360),
        ("Tesla V100 32GB", "Tesla V100-SXM2-32GB", 32768),
    ],
)
def test_the_chosen_gpu_matches_nvidia_smi_names(chosen: str, found: str, memory: int) -> None:
    assert assess(result(gpus=(gpu(found, memory),)), chosen) == []


def test_another_gpu_is_flagged() -> None:
    findings = assess(result(gpus=(gpu("Tesla T4", 15360),)), "RTX 4090")
    assert codes(findings) == ["assess.gpu_differs"]
    assert findings[0].params == {"chosen": "RTX 4090", "found": "Tesla T4"}
    assert findings[0].severity is Severity.WARNING


def test_a100_40_is_not_an_a100_80() -> None:
    findings = assess(result(gpus=(gpu("NVIDIA A100-PCIE-40GB", 40960),)), "A100 80GB")
    assert codes(findings) == ["assess.gpu_differs"]


def test_one_matching_card_of_several_is_enough() -> None:
    cards = (gpu("Tesla T4", 15360), dataclasses.replace(gpu(), index=1))
    assert assess(result(gpus=cards), "RTX 4090") == []


def test_no_choice_means_no_gpu_comparison() -> None:
    assert assess(result(gpus=(gpu("Tesla T4", 15360),)), None) == []


def test_no_gpu_found() -> None:
    assert codes(assess(result(gpus=()), "RTX 4090")) == ["assess.no_gpu"]
    assert assess(result(gpus=()), "RTX 4090")[0].severity is Severity.ERROR
    assert assess(result(gpus=()), None)[0].severity is Severity.WARNING


def test_torch_without_cuda() -> None:
    findings = assess(result(torch_info=torch(cuda=False, capability=None)), "RTX 4090")
    assert codes(findings) == ["assess.torch_no_cuda"]
    assert findings[0].severity is Severity.ERROR
    assert "CPU-only" in findings[0].params["reason"]


def test_torch_without_cuda_because_the_driver_is_too_old() -> None:
    info = torch(cuda=False, capability=None, built_for="12.4")
    findings = assess(result(torch_info=info, cuda="12.2"), "RTX 4090")
    assert "supports CUDA 12.2" in findings[0].message
    assert "needs CUDA 12.4" in findings[0].params["reason"]


def test_cpu_torch_on_a_gpu_less_instance_is_not_flagged_twice() -> None:
    findings = assess(result(gpus=(), torch_info=torch(cuda=False, capability=None)), None)
    assert codes(findings) == ["assess.no_gpu"]


def test_torch_lacking_kernels_for_the_gpu() -> None:
    # A CUDA 12.8 build of torch 2.8 has no Pascal kernels; the GPU is a Tesla P4 (6.1).
    arch = ("sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120")
    info = torch(arch=arch, capability="6.1")
    findings = assess(result(gpus=(gpu("Tesla P4", 7680),), torch_info=info), "Tesla P4")
    assert codes(findings) == ["assess.torch_missing_kernels"]
    assert findings[0].params["sm"] == "sm_61"
    assert findings[0].severity is Severity.ERROR


def test_missing_capability_is_taken_from_the_gpu_table() -> None:
    info = torch(arch=("sm_80", "sm_86"), capability=None)
    findings = assess(result(gpus=(gpu("NVIDIA H100 80GB HBM3", 81559),), torch_info=info))
    assert codes(findings) == ["assess.torch_missing_kernels"]
    assert findings[0].params["sm"] == "sm_90"


def test_ptx_only_is_a_warning() -> None:
    info = torch(arch=("sm_80", "compute_80"), capability="9.0")
    findings = assess(result(gpus=(gpu("NVIDIA H100 80GB HBM3", 81559),), torch_info=info))
    assert codes(findings) == ["assess.torch_ptx_only"]
    assert findings[0].severity is Severity.WARNING


def test_torch_not_found_only_matters_when_the_image_has_it() -> None:
    assert assess(result(torch_info=None), "RTX 4090") == []
    findings = assess(result(torch_info=None), "RTX 4090", image_has_torch=True)
    assert codes(findings) == ["assess.torch_not_found"]


def test_nearly_full_disk() -> None:
    disks = (
        DiskInfo("/root/autodl-tmp", 50 * GIB, 2 * GIB),
        DiskInfo("/root", 100 * GIB, 50 * GIB),
        DiskInfo("/empty", 0, 0),
    )
    findings = assess(result(disks=disks), "RTX 4090")
    assert codes(findings) == ["assess.disk_nearly_full"]
    assert findings[0].params == {"path": "/root/autodl-tmp", "used_pct": "96", "free_gib": "2.0"}


def test_exactly_ninety_percent_is_not_flagged() -> None:
    disks = (DiskInfo("/root", 100 * GIB, 10 * GIB),)
    assert assess(result(disks=disks), "RTX 4090") == []


def test_errors_come_first() -> None:
    disks = (DiskInfo("/root", 100 * GIB, 1 * GIB),)
    info = torch(cuda=False, capability=None)
    findings = assess(
        result(gpus=(gpu("Tesla T4", 15360),), torch_info=info, disks=disks), "RTX 4090"
    )
    assert codes(findings) == [
        "assess.torch_no_cuda",
        "assess.gpu_differs",
        "assess.disk_nearly_full",
    ]
    assert worst_severity(findings) is Severity.ERROR
