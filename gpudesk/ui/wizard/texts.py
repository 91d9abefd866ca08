"""Translated texts the wizard pages share: step names, tasks, tools, compatibility notes.

The core reports findings with a stable code, an English message and (for assessments)
parameters. Here each code becomes a sentence through Qt's translation system; an unknown
code falls back to the core's English message, so a new finding is never lost.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication

from gpudesk.core.catalog.assessment import Finding
from gpudesk.core.catalog.gpus import GpuModel, Task
from gpudesk.core.catalog.images import CompatNote, ImageChoice, Severity
from gpudesk.core.errors import InputError
from gpudesk.core.store.instances import Instance, validate_alias
from gpudesk.core.wizard import StepId
from gpudesk.ui.widgets.text import fmt


def alias_problem(alias: str, saved: Iterable[Instance], known: Instance | None) -> str | None:
    """What is wrong with ``alias`` as an instance's name; None when it can be saved.

    Taken means another saved instance has it (in any case); ``known``, the instance being
    saved again, keeps its own name.
    """
    try:
        validate_alias(alias)
    except InputError:
        return QCoreApplication.translate(
            "WizardText", "Use 1-64 letters, digits, '.', '_' or '-', not starting with '-' or '.'."
        )
    if any(i.alias.lower() == alias.lower() and i != known for i in saved):
        return QCoreApplication.translate(
            "WizardText", "An instance with this name exists already."
        )
    return None


def step_name(step: StepId) -> str:
    """The short name of a step for the step bar."""
    names = {
        StepId.PLATFORM: QCoreApplication.translate("WizardText", "Platform"),
        StepId.GPU: QCoreApplication.translate("WizardText", "GPU"),
        StepId.IMAGE: QCoreApplication.translate("WizardText", "Image"),
        StepId.CONNECT: QCoreApplication.translate("WizardText", "Connect"),
        StepId.KEY: QCoreApplication.translate("WizardText", "SSH key"),
        StepId.EDITOR: QCoreApplication.translate("WizardText", "Editor"),
        StepId.SUMMARY: QCoreApplication.translate("WizardText", "Save"),
        StepId.NO_SSH: QCoreApplication.translate("WizardText", "No SSH"),
    }
    return names[step]


def task_name(task: Task) -> str:
    """What a memory-estimator task is called."""
    names = {
        Task.INFERENCE_FP16: QCoreApplication.translate("WizardText", "Inference, fp16/bf16"),
        Task.INFERENCE_INT8: QCoreApplication.translate("WizardText", "Inference, 8-bit"),
        Task.INFERENCE_INT4: QCoreApplication.translate("WizardText", "Inference, 4-bit"),
        Task.LORA_FP16: QCoreApplication.translate("WizardText", "LoRA fine-tuning"),
        Task.FULL_FINETUNE_ADAM_MIXED: QCoreApplication.translate(
            "WizardText", "Full fine-tuning (Adam, mixed precision)"
        ),
    }
    return names[task]


def bytes_explained(task: Task) -> str:
    """Where the bytes per parameter of a task come from (for the formula)."""
    texts = {
        Task.INFERENCE_FP16: QCoreApplication.translate("WizardText", "fp16/bf16 weights"),
        Task.INFERENCE_INT8: QCoreApplication.translate("WizardText", "int8 weights"),
        Task.INFERENCE_INT4: QCoreApplication.translate("WizardText", "int4 weights"),
        Task.LORA_FP16: QCoreApplication.translate(
            "WizardText",
            "2 for frozen fp16 weights + 1 % trainable adapters x 16 for their weights, "
            "gradients and Adam states",
        ),
        Task.FULL_FINETUNE_ADAM_MIXED: QCoreApplication.translate(
            "WizardText",
            "fp16 weights 2 + fp16 gradients 2 + fp32 master weights 4 + Adam moments 8",
        ),
    }
    return texts[task]


def web_tool_name(tool: str) -> str:
    """A catalog ``web_tools`` word as the user knows it."""
    names = {
        "jupyterlab": "JupyterLab",
        "jupyter": "Jupyter",
        "notebook": QCoreApplication.translate("WizardText", "web notebook"),
        "vscode_web": QCoreApplication.translate("WizardText", "VS Code in the browser"),
        "autopanel": "AutoPanel",
        "web_terminal": QCoreApplication.translate("WizardText", "terminal in the browser"),
    }
    return names.get(tool, tool)


def level_of(severity: Severity) -> str:
    """The :class:`~gpudesk.ui.widgets.notice.Notice` level for a severity."""
    return {Severity.OK: "ok", Severity.WARNING: "warning", Severity.ERROR: "error"}[severity]


def compat_text(note: CompatNote, image: ImageChoice, gpu: GpuModel) -> str:
    """A compatibility note (from ``images.compatibility``) as a translated sentence."""
    texts = {
        "compat.cuda_too_old": fmt(
            QCoreApplication.translate(
                "WizardText",
                "CUDA %1 is older than the %2 (%3) needs: choose an image built with a newer CUDA.",
            ),
            image.cuda,
            gpu.name,
            gpu.sm,
        ),
        "compat.cuda_dropped_arch": fmt(
            QCoreApplication.translate(
                "WizardText",
                "CUDA %1 builds have no kernels for the %2 (%3): choose a build with an older "
                "CUDA (e.g. 12.6 or 12.1).",
            ),
            image.cuda,
            gpu.name,
            gpu.sm,
        ),
        "compat.pascal_new_torch": fmt(
            QCoreApplication.translate(
                "WizardText",
                "The %1 is a Pascal card (%2): PyTorch builds after 2.2 may lack its kernels. "
                "Prefer torch <= 2.2 with numpy < 2.",
            ),
            gpu.name,
            gpu.sm,
        ),
        "compat.numpy2": fmt(
            QCoreApplication.translate(
                "WizardText",
                "PyTorch %1 was built against NumPy 1.x: keep numpy < 2 (pip install 'numpy<2').",
            ),
            image.framework_version,
        ),
        "compat.no_framework": fmt(
            QCoreApplication.translate(
                "WizardText",
                "No PyTorch preinstalled: install a build that supports the %1 (%2) with pip.",
            ),
            gpu.name,
            gpu.sm,
        ),
        "compat.ok": fmt(
            QCoreApplication.translate("WizardText", "%1 supports the %2."), image.label, gpu.name
        ),
    }
    return texts.get(note.code, note.message)


def finding_text(finding: Finding) -> str:
    """An assessment finding (``assess.*``) as a translated sentence."""
    p = finding.params
    if finding.code == "assess.no_gpu":
        return QCoreApplication.translate(
            "WizardText",
            "No NVIDIA GPU was found on the instance: it may run in a GPU-less mode, or the "
            "GPU is not attached.",
        )
    if finding.code == "assess.gpu_differs":
        return fmt(
            QCoreApplication.translate("WizardText", "You chose %1, but the instance has %2."),
            p["chosen"],
            p["found"],
        )
    if finding.code == "assess.torch_no_cuda":
        return fmt(
            QCoreApplication.translate(
                "WizardText",
                "PyTorch %1 cannot use the GPU (torch.cuda.is_available() is False): a "
                "CPU-only build, or a driver older than the build's CUDA.",
            ),
            p["version"],
        )
    if finding.code == "assess.torch_missing_kernels":
        return fmt(
            QCoreApplication.translate(
                "WizardText",
                "PyTorch %1 has kernels for %2 but the GPU is %3: CUDA calls will fail with "
                "'no kernel image is available'. Install a build that includes %3.",
            ),
            p["version"],
            p["arch_list"],
            p["sm"],
        )
    if finding.code == "assess.torch_ptx_only":
        return fmt(
            QCoreApplication.translate(
                "WizardText",
                "PyTorch %1 has no %2 kernels and runs through PTX compiled by the driver: "
                "the first start can take minutes.",
            ),
            p["version"],
            p["sm"],
        )
    if finding.code == "assess.torch_not_found":
        return QCoreApplication.translate(
            "WizardText",
            "The chosen image comes with PyTorch, but the login shell's Python cannot import "
            "it (another conda environment may be active).",
        )
    if finding.code == "assess.disk_nearly_full":
        return fmt(
            QCoreApplication.translate(
                "WizardText", "The disk holding %1 is %2 % full (%3 GiB free)."
            ),
            p["path"],
            p["used_pct"],
            p["free_gib"],
        )
    return finding.message


def progress_text(step: str) -> str:
    """A progress line of ``check_instance`` (English) in the UI's language."""
    if step.startswith("Connecting to "):
        return fmt(
            QCoreApplication.translate("WizardText", "Connecting to %1 and logging in…"),
            step.removeprefix("Connecting to ").split()[0],
        )
    if step.startswith("Reading"):
        return QCoreApplication.translate(
            "WizardText", "Logged in: reading the GPU, Python, PyTorch and disk…"
        )
    return step
