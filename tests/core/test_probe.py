"""Parsing the instance probe's answer, including banners and missing parts."""

from __future__ import annotations

import pytest

from gpudesk.core.errors import InputError, RemoteCommandError
from gpudesk.core.ssh.probe import build_probe_script, parse_gpus, parse_report

SAMPLE = """\
+--------------------------------------------------AutoDL--------------------------------------------------+
目录说明: /root/autodl-tmp 数据盘
@@hostname
autodl-container-7f3a
@@os
Ubuntu 22.04.3 LTS
@@gpus
0, NVIDIA GeForce RTX 4090, 24564, 1024, 3, 535.104.05
1, NVIDIA GeForce RTX 4090, 24564, 0, 0, 535.104.05
@@gpus_status
0
@@cuda
12.2
@@python
3.10.12
@@torch
{"version": "2.1.0+cu121", "cuda_available": true, "cuda_version": "12.1", \
"arch_list": ["sm_80", "sm_86", "sm_90"], "capability": "8.9"}
@@disk 0
overlay 52428800 1048576 51380224 3% /root/autodl-tmp
@@end
"""


def test_parse_full_report_ignoring_banner() -> None:
    report = parse_report(SAMPLE, ["/root/autodl-tmp", "~"])
    assert report.hostname == "autodl-container-7f3a"
    assert report.os_name == "Ubuntu 22.04.3 LTS"
    assert [g.name for g in report.gpus] == ["NVIDIA GeForce RTX 4090"] * 2
    assert report.gpus[0].memory_used_mib == 1024 and report.gpus[0].utilization_pct == 3
    assert report.driver_version == "535.104.05" and report.cuda_version == "12.2"
    assert report.python_version == "3.10.12"
    assert report.torch is not None and report.torch.cuda_available
    assert report.torch.arch_list == ("sm_80", "sm_86", "sm_90")
    assert report.torch.device_capability == "8.9"
    (disk,) = report.disks
    assert disk.path == "/root/autodl-tmp" and disk.free_bytes == 51380224 * 1024
    assert report.notes == ()


def test_no_nvidia_smi_and_no_torch_are_notes() -> None:
    text = (
        "@@hostname\nh\n@@os\nDebian\n@@gpus\n@@gpus_status\nmissing\n@@cuda\n@@python\n3.11.2\n"
        '@@torch\n{"error": "ModuleNotFoundError"}\n@@end\n'
    )
    report = parse_report(text, ["~"])
    assert report.gpus == () and report.torch is None
    assert any("nvidia-smi was not found" in n for n in report.notes)
    assert any("PyTorch is not installed" in n for n in report.notes)


def test_cut_short_answer_is_an_error() -> None:
    with pytest.raises(RemoteCommandError):
        parse_report("@@hostname\nh\n", ["~"])


def test_gpu_lines_that_are_errors_are_skipped() -> None:
    assert parse_gpus(["NVIDIA-SMI has failed because it couldn't communicate"]) == ()


def test_script_quotes_directories() -> None:
    script = build_probe_script(["/root/my dir", "~/work"])
    assert "'/root/my dir'" in script
    assert '"$HOME"' in script
    with pytest.raises(InputError):
        build_probe_script(["relative/path"])
    with pytest.raises(InputError):
        build_probe_script(["/root/x\n; rm -rf /"])
