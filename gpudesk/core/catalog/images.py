"""Instance images ("choose an image, PyTorch 2.1 recommended") and GPU compatibility.

An image is the preinstalled system an instance boots with: a framework build, the CUDA
runtime it was built against, and Python. ``resources/images.json`` lists typical choices
for the SSH platforms (only AutoDL's ``base-image-l2t43iu6uk`` is a listed image; the others
are marked ``typical``). :func:`compatibility` warns before renting when an image cannot
drive a GPU; :func:`check_probed_torch` checks what PyTorch on a running instance reports.

How CUDA kernels reach a GPU (why :func:`torch_supports_capability` is not a string match):
a build ships compiled kernels (``sm_XY`` cubins) and optionally PTX (``compute_XY``). A
cubin for ``sm_XY`` runs on devices of the same major version X with minor >= Y (``sm_86``
runs on an 8.9 RTX 4090, ``sm_80`` does not run on a 9.0 H100). Arch-specific cubins such as
``sm_90a`` run only on exactly 9.0. PTX for ``compute_XY`` is compiled by the driver at first
launch for any device >= X.Y, so it covers newer GPUs at the price of a slow first start.
See https://docs.nvidia.com/cuda/cuda-c-programming-guide/#binary-compatibility.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Protocol, TypeVar

from gpudesk.core.catalog.gpus import GpuModel
from gpudesk.core.models import TorchInfo
from gpudesk.core.resources import JsonFields, read_json, resource_path

# The first CUDA toolkit that can compile for each compute capability (NVIDIA release notes).
_MIN_CUDA: dict[tuple[int, int], tuple[int, int]] = {
    (6, 0): (8, 0),
    (6, 1): (8, 0),
    (7, 0): (9, 0),
    (7, 5): (10, 0),
    (8, 0): (11, 0),
    (8, 6): (11, 1),
    (8, 9): (11, 8),
    (9, 0): (11, 8),
    (10, 0): (12, 8),
    (12, 0): (12, 8),
}
# PyTorch's CUDA 12.8+ wheels dropped Maxwell and Pascal (release 2.8,
# https://github.com/pytorch/pytorch/issues/157517); CUDA 13 cannot build below sm_75.
_CUDA_DROPS_BELOW: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = (
    ((12, 8), (7, 0)),
    ((13, 0), (7, 5)),
)
# platforms.md: a Pascal card (sm_6x) wants torch <= 2.2 with numpy < 2.
_PASCAL_MAX_TORCH = (2, 2)
# PyTorch 2.3 is the first release that supports NumPy 2; older wheels need numpy < 2
# (https://github.com/pytorch/pytorch/issues/107302).
_FIRST_NUMPY2_TORCH = (2, 3)
_ARCH_RE = re.compile(r"^(sm|compute)_(\d+)([a-z]?)$")


class Severity(str, Enum):
    """How bad a compatibility finding is."""

    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


class HasSeverity(Protocol):
    """Anything that carries a :class:`Severity`: compatibility notes, check findings."""

    @property
    def severity(self) -> Severity: ...


_T = TypeVar("_T", bound=HasSeverity)
_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.OK: 2}


def most_severe_first(items: Iterable[_T]) -> list[_T]:
    """``items`` sorted errors first, then warnings, then the rest (stable)."""
    return sorted(items, key=lambda item: _SEVERITY_ORDER[item.severity])


def worst_severity(items: Iterable[HasSeverity]) -> Severity:
    """``ERROR`` if any item is an error, else ``WARNING`` if any, else ``OK`` (also for none)."""
    severities = {item.severity for item in items}
    for severity in (Severity.ERROR, Severity.WARNING):
        if severity in severities:
            return severity
    return Severity.OK


@dataclass(frozen=True)
class CompatNote:
    """One finding: a stable ``code`` for translation and an English ``message``."""

    severity: Severity
    code: str
    message: str


@dataclass(frozen=True)
class ImageChoice:
    """One image a user can pick when creating an instance.

    Attributes:
        id: Stable id within gpudesk.
        platforms: Platform ids offering it (or typically offering it).
        framework: ``"pytorch"``, or None for a bare Miniconda image.
        framework_version: E.g. ``"2.1"``; None without a framework.
        cuda: CUDA runtime version of the build, e.g. ``"12.1"``; None when not fixed.
        python: Python version, e.g. ``"3.10"``.
        image_id: The platform's image id when known (AutoDL API), else None.
        typical: True for generic choices ("typical, check your console").
        recommended_on: Platform ids where a source recommends it.
        note: English note; ``note_zh`` the Chinese one.
    """

    id: str
    platforms: tuple[str, ...]
    framework: str | None
    framework_version: str | None
    cuda: str | None
    python: str
    image_id: str | None
    typical: bool
    recommended_on: tuple[str, ...]
    note: str
    note_zh: str

    @property
    def label_parts(self) -> tuple[str, ...]:
        """What the image holds, e.g. ``("PyTorch 2.1", "CUDA 12.1", "Python 3.10")``."""
        parts = [f"PyTorch {self.framework_version}" if self.framework else "Miniconda"]
        if self.cuda:
            parts.append(f"CUDA {self.cuda}")
        parts.append(f"Python {self.python}")
        return tuple(parts)

    @property
    def label(self) -> str:
        """E.g. ``"PyTorch 2.1 / CUDA 12.1 / Python 3.10"`` or ``"Miniconda / Python 3.10"``."""
        return " / ".join(self.label_parts)


def version_tuple(text: str) -> tuple[int, ...]:
    """The leading numeric part of a version: ``"2.1.0+cu121"`` -> ``(2, 1, 0)``.

    Returns an empty tuple when the text does not start with a number.
    """
    found = re.match(r"\d+(?:\.\d+)*", text.strip())
    return tuple(int(part) for part in found.group(0).split(".")) if found else ()


def _parse_image(row: JsonFields) -> ImageChoice:
    framework = row.nullable_string("framework")
    version = row.nullable_string("framework_version")
    if (framework is None) != (version is None):
        row.fail(row.where, "needs framework and framework_version together (or neither)")
    if framework not in (None, "pytorch"):
        row.fail(f"{row.where}.framework", "must be 'pytorch' or null")
    cuda = row.nullable_string("cuda")
    for key, value in (("framework_version", version), ("cuda", cuda)):
        if value is not None and len(version_tuple(value)) < 2:
            row.fail(f"{row.where}.{key}", "must look like '2.1' or '12.1'")
    return ImageChoice(
        id=row.string("id"),
        platforms=row.strings("platforms"),
        framework=framework,
        framework_version=version,
        cuda=cuda,
        python=row.string("python"),
        image_id=row.nullable_string("image_id"),
        typical=row.boolean("typical"),
        recommended_on=row.strings("recommended_on", default=()),
        note=row.string("note", allow_empty=True),
        note_zh=row.string("note_zh", allow_empty=True),
    )


def load_images(path: Path | None = None) -> tuple[ImageChoice, ...]:
    """Load and validate the image list (``resources/images.json`` when ``path`` is None).

    Raises:
        InputError: The file is unreadable or a field is missing or invalid.
    """
    file = resource_path("images.json") if path is None else path
    fields = JsonFields(read_json(file), file)
    images = tuple(_parse_image(row) for row in fields.objects("images"))
    ids = [image.id for image in images]
    if len(set(ids)) != len(ids):
        fields.fail("images", "has duplicate ids")
    return images


@functools.cache
def default_images() -> tuple[ImageChoice, ...]:
    """The bundled image list, loaded once per process."""
    return load_images()


def images_for(platform_id: str, images: Sequence[ImageChoice] | None = None) -> list[ImageChoice]:
    """The images offered on one platform, recommended ones first, then listed ones."""
    pool = default_images() if images is None else images
    offered = [image for image in pool if platform_id in image.platforms]
    return sorted(offered, key=lambda i: (platform_id not in i.recommended_on, i.typical))


def _major_minor(version: tuple[int, ...]) -> tuple[int, int]:
    padded = (*version, 0, 0)
    return padded[0], padded[1]


def _fmt(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


def _min_cuda(capability: tuple[int, int]) -> tuple[int, int] | None:
    known = [cap for cap in _MIN_CUDA if cap <= capability]
    return _MIN_CUDA[max(known)] if known else None


def _cuda_notes(cuda: tuple[int, int], gpu: GpuModel) -> list[CompatNote]:
    cap = gpu.capability
    notes: list[CompatNote] = []
    needed = _min_cuda(cap)
    if needed is not None and cuda < needed:
        supported = [c for c, first in _MIN_CUDA.items() if first <= cuda]
        newest = max(supported) if supported else None
        if newest is not None and newest[0] == cap[0]:
            why = (
                f"its sm_{newest[0]}{newest[1]} kernels might run by binary compatibility, "
                f"but CUDA extensions cannot be compiled for {gpu.sm} and its libraries are "
                "not tuned for it"
            )
        else:
            why = f"none of its kernels run on {gpu.sm} ('no kernel image is available')"
        notes.append(
            CompatNote(
                Severity.ERROR,
                "compat.cuda_too_old",
                f"CUDA {_fmt(cuda)} predates {gpu.architecture} ({gpu.sm}, {gpu.name}): {why}. "
                f"Choose an image built with CUDA >= {_fmt(needed)}.",
            )
        )
    for first_cuda, lowest in _CUDA_DROPS_BELOW:
        if cuda >= first_cuda and cap < lowest:
            notes.append(
                CompatNote(
                    Severity.ERROR,
                    "compat.cuda_dropped_arch",
                    f"CUDA {_fmt(first_cuda)}+ builds have no kernels for {gpu.sm} "
                    f"({gpu.name}). Choose a build with an older CUDA (e.g. 12.6 or 12.1).",
                )
            )
            break
    return notes


def compatibility(image: ImageChoice, gpu: GpuModel) -> list[CompatNote]:
    """What to expect when running ``image`` on ``gpu``.

    Returns:
        Findings, errors first; a single ``compat.ok`` note when nothing is wrong.
    """
    notes: list[CompatNote] = []
    if image.cuda is not None:
        notes += _cuda_notes(_major_minor(version_tuple(image.cuda)), gpu)
    pascal = gpu.capability[0] == 6
    torch = _major_minor(version_tuple(image.framework_version or ""))
    if image.framework is None:
        advice = (
            f"torch <= {_fmt(_PASCAL_MAX_TORCH)} with numpy < 2"
            if pascal
            else f"a build for CUDA >= {_fmt(_min_cuda(gpu.capability) or (11, 8))}"
        )
        notes.append(
            CompatNote(
                Severity.OK,
                "compat.no_framework",
                f"No PyTorch preinstalled: pip install {advice} for the {gpu.name} ({gpu.sm}).",
            )
        )
    elif pascal and torch > _PASCAL_MAX_TORCH:
        notes.append(
            CompatNote(
                Severity.WARNING,
                "compat.pascal_new_torch",
                f"The {gpu.name} is a Pascal card ({gpu.sm}): PyTorch builds after "
                f"{_fmt(_PASCAL_MAX_TORCH)} may lack {gpu.sm} kernels (the CUDA 12.8+ builds of "
                f"2.8 and later have none). Prefer torch <= {_fmt(_PASCAL_MAX_TORCH)} with "
                "numpy < 2, or check torch.cuda.get_arch_list() on the instance.",
            )
        )
    if image.framework is not None and torch < _FIRST_NUMPY2_TORCH:
        notes.append(
            CompatNote(  # advice, not a defect: such images ship NumPy 1.x
                Severity.OK,
                "compat.numpy2",
                f"PyTorch {image.framework_version} was built against NumPy 1.x: keep "
                "numpy < 2 (pip install 'numpy<2'), or importing it with NumPy 2 fails.",
            )
        )
    if not any(note.severity is not Severity.OK for note in notes) and image.framework:
        notes.append(
            CompatNote(Severity.OK, "compat.ok", f"{image.label} supports the {gpu.name}.")
        )
    return most_severe_first(notes)


def _parse_capability(capability: str) -> tuple[int, int] | None:
    found = re.match(r"^\s*(\d+)\.(\d+)\s*$", capability)
    return (int(found.group(1)), int(found.group(2))) if found else None


def _kernel_source(arch_list: Sequence[str], capability: str) -> str | None:
    """``"sm"`` for a native cubin, ``"ptx"`` for JIT from PTX, None for nothing."""
    device = _parse_capability(capability)
    if device is None:
        return None
    via_ptx = False
    for entry in arch_list:
        found = _ARCH_RE.match(entry.strip().lower())
        if not found:
            continue
        kind, digits, suffix = found.groups()
        arch = (int(digits[:-1] or "0"), int(digits[-1]))
        if kind == "sm":
            exact_only = suffix == "a"  # sm_90a: arch-specific features, exact device only
            if arch == device or (not exact_only and arch[0] == device[0] and arch < device):
                return "sm"
        elif arch <= device:
            via_ptx = True
    return "ptx" if via_ptx else None


def torch_supports_capability(arch_list: Sequence[str], capability: str) -> bool:
    """Whether a PyTorch build with ``arch_list`` has kernels for a device.

    Args:
        arch_list: ``torch.cuda.get_arch_list()``, e.g. ``["sm_50", ..., "sm_90"]``.
        capability: ``torch.cuda.get_device_capability()`` as text, e.g. ``"8.9"``.

    Returns:
        True when a cubin of the same major version and a lower or equal minor exists, or
        PTX (``compute_XY``) at or below the device's capability that the driver can JIT
        (see the module docstring). False for an empty list (a CPU build) or bad input.
    """
    return _kernel_source(arch_list, capability) is not None


def check_probed_torch(torch: TorchInfo) -> list[CompatNote]:
    """Findings on PyTorch as probed on a running instance."""
    if not torch.cuda_available:
        return [
            CompatNote(
                Severity.WARNING,
                "compat.cuda_unavailable",
                f"PyTorch {torch.version} cannot use the GPU (torch.cuda.is_available() is "
                "False): a CPU-only build, or a driver older than the build's CUDA.",
            )
        ]
    if torch.device_capability is None or not torch.arch_list:
        return []
    sm = "sm_" + torch.device_capability.replace(".", "")
    source = _kernel_source(torch.arch_list, torch.device_capability)
    if source is None:
        return [
            CompatNote(
                Severity.ERROR,
                "compat.missing_kernels",
                f"PyTorch {torch.version} has kernels for {', '.join(torch.arch_list)} but the "
                f"GPU is {sm}: CUDA calls will fail with 'no kernel image is available'. "
                f"Install a PyTorch build that includes {sm}.",
            )
        ]
    if source == "ptx":
        return [
            CompatNote(
                Severity.WARNING,
                "compat.ptx_jit",
                f"PyTorch {torch.version} has no {sm} kernels and runs on this GPU through PTX "
                "compiled by the driver: the first start can take minutes.",
            )
        ]
    return [CompatNote(Severity.OK, "compat.ok", f"PyTorch {torch.version} has kernels for {sm}.")]
