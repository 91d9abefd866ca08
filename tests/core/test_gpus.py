"""The GPU table, nvidia-smi name matching and the VRAM estimator."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from gpudesk.core.catalog.gpus import (
    TIGHT_FRACTION,
    GpuModel,
    Task,
    default_gpus,
    estimate_memory,
    find_gpu,
    fitting_gpus,
    load_gpus,
    normalise_gpu_name,
)
from gpudesk.core.errors import InputError
from gpudesk.core.resources import resource_path

REQUIRED_NAMES = {
    "Tesla P4",
    "Tesla P100 16GB",
    "Tesla T4",
    "Tesla V100 16GB",
    "Tesla V100 32GB",
    "RTX 2080 Ti",
    "RTX 3090",
    "A10",
    "A40",
    "A100 40GB",
    "A100 80GB",
    "RTX 4090",
    "RTX 4090 D",
    "L20",
    "L40S",
    "H20",
    "H100 80GB",
}


def _gpu(name: str) -> GpuModel:
    return next(gpu for gpu in default_gpus() if gpu.name == name)


def test_table_has_the_common_rental_gpus() -> None:
    table = load_gpus()
    assert {gpu.name for gpu in table} >= REQUIRED_NAMES
    for gpu in table:
        assert gpu.vram_gib > 0
        assert gpu.fp32_tflops > 0
        assert gpu.compute_capability.count(".") == 1
        assert gpu.match


def test_every_note_has_its_chinese_twin() -> None:
    for gpu in load_gpus():
        assert bool(gpu.note) == bool(gpu.note_zh), gpu.name


def test_relative_speed_is_fp16_over_t4() -> None:
    t4 = _gpu("Tesla T4")
    assert t4.relative_speed == 1.0
    rtx4090 = _gpu("RTX 4090")
    assert rtx4090.fp16_tflops is not None
    assert rtx4090.relative_speed == pytest.approx(rtx4090.fp16_tflops / 65.0, abs=0.01)
    assert _gpu("H100 80GB").relative_speed > _gpu("A100 80GB").relative_speed > 1
    # No useful FP16 on the P4: its speed comes from FP32.
    assert _gpu("Tesla P4").fp16_tflops is None
    assert _gpu("Tesla P4").relative_speed == pytest.approx(5.5 / 65, abs=0.01)


def test_capabilities_and_architectures() -> None:
    assert _gpu("RTX 4090").sm == "sm_89"
    assert _gpu("Tesla P4").capability == (6, 1)
    assert _gpu("H20").architecture == "Hopper"
    assert _gpu("A10").compute_capability == "8.6"
    assert _gpu("A100 40GB").compute_capability == "8.0"


@pytest.mark.parametrize(
    ("smi_name", "expected"),
    [
        ("NVIDIA GeForce RTX 4090", "RTX 4090"),
        ("NVIDIA GeForce RTX 4090 D", "RTX 4090 D"),
        ("Tesla T4", "Tesla T4"),
        ("NVIDIA A100-SXM4-80GB", "A100 80GB"),
        ("NVIDIA A100-PCIE-40GB", "A100 40GB"),
        ("NVIDIA A100 80GB PCIe", "A100 80GB"),
        ("Tesla V100-SXM2-32GB", "Tesla V100 32GB"),
        ("Tesla V100S-PCIE-32GB", "Tesla V100 32GB"),
        ("Tesla V100-PCIE-16GB", "Tesla V100 16GB"),
        ("Tesla P100-PCIE-16GB", "Tesla P100 16GB"),
        ("Tesla P4", "Tesla P4"),
        ("NVIDIA GeForce RTX 2080 Ti", "RTX 2080 Ti"),
        ("NVIDIA GeForce RTX 3090", "RTX 3090"),
        ("NVIDIA A10", "A10"),
        ("NVIDIA L40S", "L40S"),
        ("NVIDIA H100 80GB HBM3", "H100 80GB"),
        ("NVIDIA H100 PCIe", "H100 80GB"),
        ("NVIDIA H20", "H20"),
        ("NVIDIA GeForce RTX 5090", "RTX 5090"),
        ("NVIDIA RTX PRO 6000 Blackwell Workstation Edition", "RTX PRO 6000"),
        ("NVIDIA RTX PRO 6000 Blackwell Server Edition", "RTX PRO 6000"),
        ("NVIDIA H800", "H800 80GB"),
        ("rtx4090", "RTX 4090"),
        ("  nvidia geforce rtx 2080ti ", "RTX 2080 Ti"),
    ],
)
def test_find_gpu_normalises_nvidia_smi_names(smi_name: str, expected: str) -> None:
    found = find_gpu(smi_name)
    assert found is not None, smi_name
    assert found.name == expected


def test_find_gpu_unknown_or_ambiguous() -> None:
    assert find_gpu("NVIDIA GeForce GTX 1080") is None
    assert find_gpu("NVIDIA A10G") is None
    assert find_gpu("Tesla P100-PCIE-12GB") is None  # wrong memory: not the 16 GB row
    assert find_gpu("Tesla V100") is None  # 16 or 32 GB?
    found = find_gpu("Tesla V100", memory_mib=32510)
    assert found is not None
    assert found.name == "Tesla V100 32GB"
    found = find_gpu("NVIDIA A100", memory_mib=40960)
    assert found is not None
    assert found.name == "A100 40GB"


def test_normalise_gpu_name() -> None:
    assert normalise_gpu_name("NVIDIA A100-SXM4-80GB") == ("a100", 80)
    assert normalise_gpu_name("NVIDIA GeForce RTX 4090") == ("rtx 4090", None)
    assert normalise_gpu_name("NVIDIA GeForce RTX 4090 D") == ("rtx 4090d", None)


@pytest.mark.parametrize(
    ("task", "per_param", "gb_for_7b"),
    [
        (Task.INFERENCE_FP16, 2.0, 16.8),
        (Task.INFERENCE_INT8, 1.0, 8.4),
        (Task.INFERENCE_INT4, 0.5, 4.2),
        (Task.LORA_FP16, 2.16, 18.1),
        (Task.FULL_FINETUNE_ADAM_MIXED, 16.0, 134.4),
    ],
)
def test_estimate_memory_numbers_and_formula(
    task: Task, per_param: float, gb_for_7b: float
) -> None:
    estimate = estimate_memory(7, task)
    assert estimate.bytes_per_param == pytest.approx(per_param)
    assert estimate.overhead == 1.2
    assert estimate.total_gb == pytest.approx(7 * per_param * 1.2)
    assert round(estimate.total_gb, 1) == gb_for_7b
    assert estimate.total_gib == pytest.approx(estimate.total_gb * 1e9 / 2**30)
    assert "7B params" in estimate.formula
    assert f"x {per_param:g} byte" in estimate.formula
    assert "1.2" in estimate.formula
    assert f"= {gb_for_7b:.1f} GB" in estimate.formula


def test_full_finetune_formula_shows_the_byte_breakdown() -> None:
    formula = estimate_memory(7, Task.FULL_FINETUNE_ADAM_MIXED).formula
    for part in ("weights 2", "gradients 2", "master weights 4", "Adam moments 8"):
        assert part in formula


@pytest.mark.parametrize("bad", [0, -7, math.nan, math.inf])
def test_estimate_memory_rejects_bad_sizes(bad: float) -> None:
    with pytest.raises(InputError):
        estimate_memory(bad, Task.INFERENCE_FP16)


def test_fitting_gpus_for_7b_fp16_inference() -> None:
    estimate = estimate_memory(7, Task.INFERENCE_FP16)  # 15.6 GiB
    fits = fitting_gpus(estimate, max_gpus=1)
    names = {fit.gpu.name for fit in fits}
    assert {"Tesla T4", "RTX 4090", "A100 80GB", "Tesla V100 16GB"} <= names
    assert "RTX 2080 Ti" not in names
    assert "Tesla P4" not in names
    assert all(fit.fits_single and fit.gpu.vram_gib >= estimate.total_gib for fit in fits)
    assert fits[0].gpu.vram_gib == min(fit.gpu.vram_gib for fit in fits)
    by_name = {fit.gpu.name: fit for fit in fits}
    # 15.6 of 16 GiB: it fits, but only just (the "a T4 'fits' a 15.6 GiB need").
    assert by_name["Tesla T4"].tight and "Tight on one Tesla T4" in by_name["Tesla T4"].hint
    assert not by_name["RTX 4090"].tight and "Fits on one" in by_name["RTX 4090"].hint


def test_tight_is_the_last_tenth_of_one_card() -> None:
    t4 = next(gpu for gpu in default_gpus() if gpu.name == "Tesla T4")
    for billions, tight in ((6.0, False), (6.5, True), (7.0, True)):
        estimate = estimate_memory(billions, Task.INFERENCE_FP16)
        (fit,) = fitting_gpus(estimate, [t4])
        assert fit.count == 1
        assert fit.tight is tight, (billions, estimate.total_gib)
        assert tight is (estimate.total_gib > TIGHT_FRACTION * t4.vram_gib)
    (split,) = fitting_gpus(estimate_memory(13, Task.LORA_FP16), [t4])
    assert split.count == 2 and not split.tight


def test_fitting_gpus_hints_multi_gpu_needs() -> None:
    estimate = estimate_memory(70, Task.INFERENCE_FP16)  # 168 GB = 156.5 GiB
    fits = fitting_gpus(estimate)
    assert not any(fit.fits_single for fit in fits)
    by_name = {fit.gpu.name: fit for fit in fits}
    assert by_name["A100 80GB"].count == 2
    assert by_name["RTX 4090"].count == 7
    assert "Needs 7 x RTX 4090" in by_name["RTX 4090"].hint
    assert "Tesla T4" not in by_name  # would need 10 > max_gpus=8
    counts = [fit.count for fit in fits]
    assert counts == sorted(counts)


def test_broken_gpu_table_names_file_and_field(tmp_path: Path) -> None:
    data = json.loads(resource_path("gpus.json").read_text(encoding="utf-8"))
    data["gpus"][2]["compute_capability"] = "eighty-nine"
    path = tmp_path / "gpus.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match=r"gpus\.json.*gpus\[2\]\.compute_capability"):
        load_gpus(path)
    data["reference"] = "Voodoo 2"
    data["gpus"][2]["compute_capability"] = "7.5"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="reference"):
        load_gpus(path)
