"""Common rental GPUs, matching ``nvidia-smi`` names to them, and a VRAM estimator.

The table lives in ``resources/gpus.json`` (public spec-sheet figures, with a note per card
where a figure is uncertain). ``relative_speed`` is derived here, not stored: the card's
dense FP16 TFLOPS (FP32 for cards without a useful FP16 rate) divided by the Tesla T4's.
It is a peak-compute ratio, nothing more.

The memory estimator answers "which GPU do I rent for a 7B model?" with a formula the user
can check. Assumptions (all in decimal GB, 1 GB = 10^9 bytes):

* fp16/bf16 inference: 2 bytes per parameter; int8: 1 byte; int4: 0.5 bytes (quantisation
  scales and the un-quantised embedding add a little; the overhead factor absorbs it).
* LoRA on an fp16 base: 2 bytes per frozen parameter plus trainable adapters worth about 1%
  of the parameters, each costing 16 bytes with Adam in mixed precision.
* Full fine-tuning with Adam in mixed precision: 16 bytes per parameter (fp16 weights 2 +
  fp16 gradients 2 + fp32 master weights 4 + Adam moments 8).
* Every figure is multiplied by 1.2 for KV cache, activations and the CUDA context at a
  modest batch size and context length. Long contexts or big batches need more; gradient
  checkpointing, ZeRO/FSDP or CPU offload need less per GPU.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from gpudesk.core.errors import InputError
from gpudesk.core.resources import JsonFields, read_json, resource_path

_CC_RE = re.compile(r"^\d{1,2}\.\d$")
# Words nvidia-smi puts around the model name that say nothing about the model.
_NOISE_WORDS = frozenset({"nvidia", "geforce", "tesla", "quadro", "graphics", "gpu"})
# Form factor and memory-type words: the table keeps one row per model and memory size.
_FORM_WORDS = frozenset(
    {"sxm", "sxm2", "sxm3", "sxm4", "sxm5", "pcie", "hbm2", "hbm2e", "hbm3", "hbm3e", "nvl"}
)
_MEMORY_TOKEN_RE = re.compile(r"^(\d+)gb$")

OVERHEAD = 1.2
"""Multiplier for KV cache, activations and CUDA context (see the module docstring)."""
LORA_TRAINABLE_SHARE = 0.01
"""Share of parameters a LoRA adapter trains (about 1%; r=8..64 on attention and MLP)."""
BYTES_ADAM_MIXED = 16.0
"""Bytes per trained parameter with Adam in mixed precision: 2 + 2 + 4 + 8."""
TIGHT_FRACTION = 0.9
"""A single card whose memory the estimate fills beyond this share is "tight"."""


@dataclass(frozen=True)
class GpuModel:
    """One row of the GPU table.

    Attributes:
        name: Display name, e.g. ``"RTX 4090"``.
        vram_gib: Nominal memory size in GiB.
        architecture: ``"Pascal"``, ``"Turing"``, ``"Ampere"``, ``"Ada Lovelace"``, ...
        compute_capability: CUDA compute capability, e.g. ``"8.9"``.
        fp16_tflops: Dense FP16 peak (tensor cores, FP32 accumulate), None if not useful.
        fp32_tflops: FP32 peak.
        relative_speed: Rough peak-compute ratio to the Tesla T4 (1.0).
        match: Normalised model names that map ``nvidia-smi`` output to this row.
        note: Which version the figures are for, and what is uncertain.
        note_zh: The same in Chinese.
    """

    name: str
    vram_gib: float
    architecture: str
    compute_capability: str
    fp16_tflops: float | None
    fp32_tflops: float
    relative_speed: float
    match: tuple[str, ...]
    note: str
    note_zh: str = ""

    @property
    def sm(self) -> str:
        """The CUDA architecture name, e.g. ``"sm_89"``."""
        return "sm_" + self.compute_capability.replace(".", "")

    @property
    def capability(self) -> tuple[int, int]:
        """The compute capability as ``(major, minor)``."""
        major, minor = self.compute_capability.split(".")
        return int(major), int(minor)

    @property
    def effective_tflops(self) -> float:
        """The figure ``relative_speed`` is based on: FP16, or FP32 when FP16 is not useful."""
        return self.fp16_tflops if self.fp16_tflops is not None else self.fp32_tflops


def _parse_gpu(row: JsonFields) -> GpuModel:
    capability = row.string("compute_capability")
    if not _CC_RE.match(capability):
        row.fail(f"{row.where}.compute_capability", "must look like '8.9'")
    vram = row.number("vram_gib")
    fp32 = row.number("fp32_tflops")
    fp16 = row.optional_number("fp16_tflops")
    if vram <= 0 or fp32 <= 0 or (fp16 is not None and fp16 <= 0):
        row.fail(row.where, "vram_gib and TFLOPS figures must be positive")
    match = tuple(normalise_gpu_name(alias)[0] for alias in row.strings("match"))
    return GpuModel(
        name=row.string("name"),
        vram_gib=vram,
        architecture=row.string("architecture"),
        compute_capability=capability,
        fp16_tflops=fp16,
        fp32_tflops=fp32,
        relative_speed=0.0,
        match=match,
        note=row.string("note", allow_empty=True),
        note_zh=row.string("note_zh", allow_empty=True) if row.has("note_zh") else "",
    )


def load_gpus(path: Path | None = None) -> tuple[GpuModel, ...]:
    """Load and validate the GPU table.

    Args:
        path: The JSON file; ``resources/gpus.json`` when None.

    Returns:
        The rows in file order, with ``relative_speed`` filled in.

    Raises:
        InputError: The file is unreadable or invalid, or lacks the reference card.
    """
    file = resource_path("gpus.json") if path is None else path
    fields = JsonFields(read_json(file), file)
    reference_name = fields.string("reference")
    rows = [_parse_gpu(row) for row in fields.objects("gpus")]
    names = [row.name for row in rows]
    if len(set(names)) != len(names):
        fields.fail("gpus", "has duplicate names")
    reference = next((row for row in rows if row.name == reference_name), None)
    if reference is None:
        fields.fail("reference", f"names '{reference_name}', which is not in the table")
    base = reference.effective_tflops
    return tuple(
        dataclasses.replace(row, relative_speed=round(row.effective_tflops / base, 2))
        for row in rows
    )


@functools.cache
def default_gpus() -> tuple[GpuModel, ...]:
    """The bundled GPU table, loaded once per process."""
    return load_gpus()


def normalise_gpu_name(name: str) -> tuple[str, int | None]:
    """Reduce an ``nvidia-smi`` name to a model key and the memory size in its name.

    ``"NVIDIA A100-SXM4-80GB"`` -> ``("a100", 80)``; ``"NVIDIA GeForce RTX 4090"`` ->
    ``("rtx 4090", None)``; ``"NVIDIA GeForce RTX 4090 D"`` -> ``("rtx 4090d", None)``.
    """
    text = name.lower()
    text = re.sub(r"[-_/(),]", " ", text)
    text = re.sub(r"(\d+)\s*gi?b\b", r" \1gb ", text)  # 80GB, 80 GB, 80GiB -> 80gb
    text = re.sub(r"\b(rtx|gtx)(?=\d)", r"\1 ", text)  # rtx4090 -> rtx 4090
    text = re.sub(r"\b(\d{4})(ti|super)\b", r"\1 \2", text)  # 2080ti -> 2080 ti
    text = re.sub(r"\b(\d{4}) d\b", r"\1d", text)  # 4090 d -> 4090d
    memory: int | None = None
    words: list[str] = []
    for word in text.split():
        found = _MEMORY_TOKEN_RE.match(word)
        if found:
            memory = int(found.group(1))
        elif word not in _NOISE_WORDS and word not in _FORM_WORDS:
            words.append(word)
    return " ".join(words), memory


def find_gpu(
    name: str, gpus: Sequence[GpuModel] | None = None, memory_mib: int | None = None
) -> GpuModel | None:
    """The table row for a GPU name as ``nvidia-smi`` (or a user) writes it.

    Args:
        name: E.g. ``"Tesla T4"``, ``"NVIDIA A100-SXM4-80GB"``, ``"rtx4090"``.
        gpus: The table; the bundled one when None.
        memory_mib: ``nvidia-smi``'s total memory, to tell 40 GB from 80 GB cards when the
            name does not say.

    Returns:
        The row, or None when the model is unknown or the memory size stays ambiguous.
    """
    table = default_gpus() if gpus is None else gpus
    key, memory = normalise_gpu_name(name)
    candidates = [gpu for gpu in table if key in gpu.match]
    if memory is not None:
        candidates = [gpu for gpu in candidates if round(gpu.vram_gib) == memory]
    elif memory_mib is not None and len(candidates) > 1:
        gib = memory_mib / 1024
        best = min(candidates, key=lambda gpu: abs(gpu.vram_gib - gib))
        return best if abs(best.vram_gib - gib) <= 0.15 * best.vram_gib else None
    return candidates[0] if len(candidates) == 1 else None


class Task(str, Enum):
    """What the GPU memory is needed for."""

    INFERENCE_FP16 = "inference_fp16"
    INFERENCE_INT8 = "inference_int8"
    INFERENCE_INT4 = "inference_int4"
    LORA_FP16 = "lora_fp16"
    FULL_FINETUNE_ADAM_MIXED = "full_finetune_adam_mixed"


@dataclass(frozen=True)
class MemoryEstimate:
    """How much GPU memory a task needs, with the arithmetic spelled out.

    Attributes:
        task: The task estimated.
        params_billion: Model size in billions of parameters.
        bytes_per_param: Bytes per parameter before the overhead factor.
        overhead: The multiplier for KV cache, activations and CUDA context.
        total_gb: The estimate in decimal GB (10^9 bytes).
        formula: The computation in English, with every number.
    """

    task: Task
    params_billion: float
    bytes_per_param: float
    overhead: float
    total_gb: float
    formula: str

    @property
    def total_gib(self) -> float:
        """The estimate in GiB (2^30 bytes), the unit of ``GpuModel.vram_gib``."""
        return self.total_gb * 1e9 / 2**30


def _bytes_per_param(task: Task) -> tuple[float, str]:
    if task is Task.INFERENCE_FP16:
        return 2.0, "2 bytes (fp16/bf16 weights)"
    if task is Task.INFERENCE_INT8:
        return 1.0, "1 byte (int8 weights)"
    if task is Task.INFERENCE_INT4:
        return 0.5, "0.5 bytes (int4 weights)"
    if task is Task.LORA_FP16:
        value = 2.0 + LORA_TRAINABLE_SHARE * BYTES_ADAM_MIXED
        return value, (
            f"{value:g} bytes (2 for frozen fp16 weights + {LORA_TRAINABLE_SHARE:g} trainable "
            f"adapter share x {BYTES_ADAM_MIXED:g} bytes for its weights, gradients and Adam)"
        )
    return BYTES_ADAM_MIXED, (
        "16 bytes (fp16 weights 2 + fp16 gradients 2 + fp32 master weights 4 + Adam moments 8)"
    )


def estimate_memory(params_billion: float, task: Task) -> MemoryEstimate:
    """Estimate the GPU memory for a model of ``params_billion`` parameters.

    See the module docstring for the assumptions. Example: 7B fp16 inference is
    7 x 2 x 1.2 = 16.8 GB.

    Raises:
        InputError: ``params_billion`` is not a positive finite number.
    """
    if not math.isfinite(params_billion) or params_billion <= 0:
        raise InputError(
            "gpus.bad_model_size",
            f"Model size {params_billion!r} is not a positive number of billions.",
            "Enter the parameter count in billions, e.g. 7 for a 7B model.",
        )
    per_param, explained = _bytes_per_param(task)
    total_gb = params_billion * per_param * OVERHEAD
    gib = total_gb * 1e9 / 2**30
    formula = (
        f"{params_billion:g}B params x {explained} x {OVERHEAD:g} overhead "
        f"(KV cache, activations, CUDA context) = {total_gb:.1f} GB ({gib:.1f} GiB)"
    )
    return MemoryEstimate(task, params_billion, per_param, OVERHEAD, total_gb, formula)


@dataclass(frozen=True)
class GpuFit:
    """One GPU model and how many of it an estimate needs.

    Attributes:
        gpu: The GPU model.
        count: GPUs needed (1 when one card is enough).
        hint: A sentence for the user, e.g. "Needs 2 x A100 80GB ...".
        tight: One card holds it with less than a tenth of its memory to spare (usable
            memory is a little below the nominal size; a longer context will not fit).
    """

    gpu: GpuModel
    count: int
    hint: str
    tight: bool = False

    @property
    def fits_single(self) -> bool:
        """True when one card holds the whole estimate."""
        return self.count == 1


def fitting_gpus(
    estimate: MemoryEstimate, gpus: Sequence[GpuModel] | None = None, *, max_gpus: int = 8
) -> list[GpuFit]:
    """The GPUs that can hold ``estimate``, single cards first.

    A card fits when ``vram_gib >= estimate.total_gib``; it is ``tight`` when the estimate fills
    more than :data:`TIGHT_FRACTION` of it (a 16 GiB T4 for a 15.6 GiB need). Cards that do not
    fit alone are listed with the number needed (``ceil(need / vram)``, a lower bound: splitting
    a model across cards adds its own overhead) when that is at most ``max_gpus``. Pass
    ``max_gpus=1`` for single cards only.

    Returns:
        Fits sorted by count, then memory, then name.
    """
    table = default_gpus() if gpus is None else gpus
    need = estimate.total_gib
    fits: list[GpuFit] = []
    for gpu in table:
        count = max(1, math.ceil(need / gpu.vram_gib - 1e-9))
        if count > max_gpus:
            continue
        tight = count == 1 and need > TIGHT_FRACTION * gpu.vram_gib
        if tight:
            hint = (
                f"Tight on one {gpu.name} ({gpu.vram_gib:g} GiB, needs {need:.1f} GiB): less "
                "than a tenth stays free, and a longer context or bigger batch will not fit."
            )
        elif count == 1:
            hint = f"Fits on one {gpu.name} ({gpu.vram_gib:g} GiB, needs {need:.1f} GiB)."
        else:
            hint = (
                f"Needs {count} x {gpu.name} ({gpu.vram_gib:g} GiB each) for {need:.1f} GiB; "
                "splitting a model across GPUs (tensor/pipeline parallel, FSDP, DeepSpeed) "
                "adds overhead, so this is a lower bound."
            )
        fits.append(GpuFit(gpu, count, hint, tight))
    fits.sort(key=lambda fit: (fit.count, fit.gpu.vram_gib, fit.gpu.name))
    return fits
