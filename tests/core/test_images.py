"""Image choices, image/GPU compatibility and the probed-torch kernel check."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from gpudesk.core.catalog.gpus import GpuModel, default_gpus
from gpudesk.core.catalog.images import (
    CompatNote,
    ImageChoice,
    Severity,
    check_probed_torch,
    compatibility,
    default_images,
    images_for,
    load_images,
    torch_supports_capability,
    version_tuple,
    worst_severity,
)
from gpudesk.core.catalog.platforms import default_catalog
from gpudesk.core.errors import InputError
from gpudesk.core.models import TorchInfo
from gpudesk.core.resources import resource_path

TORCH_21_ARCHS = ["sm_50", "sm_60", "sm_70", "sm_75", "sm_80", "sm_86", "sm_90"]


def _gpu(name: str) -> GpuModel:
    return next(gpu for gpu in default_gpus() if gpu.name == name)


def _image(image_id: str) -> ImageChoice:
    return next(image for image in default_images() if image.id == image_id)


def _codes(notes: list[CompatNote]) -> set[str]:
    return {note.code for note in notes}


def test_images_load_and_cover_the_ssh_platforms() -> None:
    images = load_images()
    assert len({image.id for image in images}) == len(images)
    ssh_ids = {platform.id for platform in default_catalog().with_ssh()}
    for image in images:
        assert set(image.platforms) <= ssh_ids
    for platform_id in ssh_ids:
        assert any(image.framework_version == "2.1" for image in images_for(platform_id))


def test_autodl_public_image_from_platforms_md() -> None:
    image = _image("autodl-pytorch-2.0.0-cu118")
    assert image.image_id == "base-image-l2t43iu6uk"
    assert (image.framework_version, image.cuda, image.python) == ("2.0.0", "11.8", "3.8")
    assert image.typical is False
    assert image.label == "PyTorch 2.0.0 / CUDA 11.8 / Python 3.8"
    assert images_for("autodl")[0] is image


def test_generic_images_have_no_id_and_leave_check_your_console_to_the_page() -> None:
    """The image page tags every typical image "check your console" once; notes do not repeat it."""
    for image in default_images():
        if image.typical:
            assert "check your console" not in image.note
            assert image.image_id is None


def test_luchen_recommends_pytorch_21_first() -> None:
    first = images_for("luchen")[0]
    assert first.framework_version == "2.1"
    assert first.label == "PyTorch 2.1 / CUDA 12.1 / Python 3.10"
    assert images_for("colab") == []
    assert _image("miniconda").label == "Miniconda / Python 3.10"


def test_pascal_p4_with_torch_23_is_warned() -> None:
    notes = compatibility(_image("pytorch-2.3-cu121"), _gpu("Tesla P4"))
    assert worst_severity(notes) is Severity.WARNING
    pascal = next(note for note in notes if note.code == "compat.pascal_new_torch")
    assert "may lack sm_61 kernels" in pascal.message
    assert "torch <= 2.2" in pascal.message
    assert "numpy < 2" in pascal.message


def test_pascal_p4_with_torch_21_is_fine_but_pins_numpy() -> None:
    notes = compatibility(_image("pytorch-2.1-cu121"), _gpu("Tesla P4"))
    assert worst_severity(notes) is Severity.OK
    assert {"compat.ok", "compat.numpy2"} <= _codes(notes)


def test_rtx_4090_with_cuda_113_is_an_error() -> None:
    notes = compatibility(_image("pytorch-1.11-cu113"), _gpu("RTX 4090"))
    assert worst_severity(notes) is Severity.ERROR
    assert notes[0].code == "compat.cuda_too_old"
    assert "sm_89" in notes[0].message
    assert "CUDA >= 11.8" in notes[0].message


def test_hopper_with_cuda_113_has_no_kernels() -> None:
    notes = compatibility(_image("pytorch-1.11-cu113"), _gpu("H100 80GB"))
    assert worst_severity(notes) is Severity.ERROR
    assert "no kernel image" in notes[0].message


@pytest.mark.parametrize("gpu_name", ["RTX 4090", "L40S", "H100 80GB", "H20", "A100 80GB"])
def test_torch_21_cuda_121_is_ok_on_new_cards(gpu_name: str) -> None:
    notes = compatibility(_image("pytorch-2.1-cu121"), _gpu(gpu_name))
    assert worst_severity(notes) is Severity.OK
    assert "compat.ok" in _codes(notes)


def test_autodl_image_cuda_118_is_ok_on_rtx_4090() -> None:
    assert worst_severity(
        compatibility(_image("autodl-pytorch-2.0.0-cu118"), _gpu("RTX 4090"))
    ) is (Severity.OK)


def test_ampere_needs_cuda_11() -> None:
    old = ImageChoice(
        id="old",
        platforms=(),
        framework="pytorch",
        framework_version="1.7",
        cuda="10.2",
        python="3.8",
        image_id=None,
        typical=True,
        recommended_on=(),
        note="",
        note_zh="",
    )
    a100 = compatibility(old, _gpu("A100 40GB"))
    assert worst_severity(a100) is Severity.ERROR
    assert "CUDA >= 11.0" in a100[0].message
    cu110 = dataclasses.replace(old, cuda="11.0")
    assert "CUDA >= 11.1" in compatibility(cu110, _gpu("RTX 3090"))[0].message
    assert worst_severity(compatibility(cu110, _gpu("A100 40GB"))) is Severity.OK
    assert worst_severity(compatibility(old, _gpu("Tesla T4"))) is Severity.OK


def test_cuda_128_builds_have_no_pascal_kernels() -> None:
    new = dataclasses.replace(_image("pytorch-2.3-cu121"), cuda="12.8")
    notes = compatibility(new, _gpu("Tesla P100 16GB"))
    assert worst_severity(notes) is Severity.ERROR
    assert "compat.cuda_dropped_arch" in _codes(notes)


def test_miniconda_gives_advice_for_the_card() -> None:
    notes = compatibility(_image("miniconda"), _gpu("Tesla P4"))
    assert worst_severity(notes) is Severity.OK
    assert "torch <= 2.2" in notes[0].message
    notes = compatibility(_image("miniconda"), _gpu("RTX 4090"))
    assert "CUDA >= 11.8" in notes[0].message


@pytest.mark.parametrize(
    ("arch_list", "capability", "supported"),
    [
        (TORCH_21_ARCHS, "8.9", True),  # sm_86 cubin runs on 8.9 (same major)
        (TORCH_21_ARCHS, "6.1", True),  # sm_60 cubin runs on 6.1
        (TORCH_21_ARCHS, "9.0", True),
        (TORCH_21_ARCHS, "7.5", True),
        (["sm_70", "sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120"], "6.1", False),
        (["sm_37", "sm_50", "sm_60", "sm_70", "sm_75", "sm_80", "sm_86"], "9.0", False),
        (["sm_80", "compute_80"], "9.0", True),  # PTX JIT for a newer GPU
        (["sm_80", "compute_80"], "7.5", False),  # PTX never runs on an older GPU
        (["sm_90a"], "9.0", True),
        (["sm_90a"], "9.1", False),  # arch-specific cubins: exact device only
        (["sm_86"], "8.0", False),  # a higher minor does not run on a lower one
        ([], "8.9", False),  # CPU-only build
        (TORCH_21_ARCHS, "garbage", False),
        (["garbage", "sm_75"], "7.5", True),
    ],
)
def test_torch_supports_capability(arch_list: list[str], capability: str, supported: bool) -> None:
    assert torch_supports_capability(arch_list, capability) is supported


def _torch(arch_list: tuple[str, ...], capability: str | None, cuda: bool = True) -> TorchInfo:
    return TorchInfo("2.1.0+cu121", cuda, "12.1", arch_list, capability)


def test_check_probed_torch() -> None:
    ok = check_probed_torch(_torch(tuple(TORCH_21_ARCHS), "8.9"))
    assert [note.code for note in ok] == ["compat.ok"]
    missing = check_probed_torch(_torch(("sm_70", "sm_80"), "6.1"))
    assert missing[0].severity is Severity.ERROR
    assert "sm_61" in missing[0].message
    ptx = check_probed_torch(_torch(("sm_80", "compute_80"), "9.0"))
    assert ptx[0].code == "compat.ptx_jit"
    no_cuda = check_probed_torch(_torch((), None, cuda=False))
    assert no_cuda[0].code == "compat.cuda_unavailable"
    assert check_probed_torch(_torch((), "8.9")) == []


def test_version_tuple() -> None:
    assert version_tuple("2.1.0+cu121") == (2, 1, 0)
    assert version_tuple("12.1") == (12, 1)
    assert version_tuple("nightly") == ()


def test_broken_image_file_names_file_and_field(tmp_path: Path) -> None:
    data = json.loads(resource_path("images.json").read_text(encoding="utf-8"))
    data["images"][1]["cuda"] = "twelve"
    path = tmp_path / "images.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match=r"images\.json.*images\[1\]\.cuda"):
        load_images(path)
