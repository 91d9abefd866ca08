"""A checked instance, readably: GPU, driver, CUDA, Python, PyTorch, disk, and the flags.

Used by the Connect page (right after the check) and the summary page (as a recap).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from gpudesk.core.catalog.assessment import Finding, assess
from gpudesk.core.catalog.images import default_images
from gpudesk.core.ssh.check import CheckResult
from gpudesk.ui.widgets.notice import Notice, clear_layout
from gpudesk.ui.widgets.text import colon, fmt
from gpudesk.ui.wizard.texts import finding_text, level_of

_GIB = 2**30


def image_has_torch(image_id: Any) -> bool:
    """True when the chosen image (by id) comes with PyTorch."""
    image = next((i for i in default_images() if i.id == image_id), None)
    return image is not None and image.framework is not None


def findings_for(result: CheckResult, data: dict[str, Any]) -> list[Finding]:
    """The mismatch flags of ``result`` against the wizard's choices in ``data``."""
    chosen = data.get("gpu_model") if not data.get("have_instance") else None
    return assess(
        result,
        chosen if isinstance(chosen, str) else None,
        image_has_torch=image_has_torch(data.get("image_id")),
    )


def finding_notice(finding: Finding) -> Notice:
    """A notice showing one finding (translated; English original as tooltip)."""
    notice = Notice(level_of(finding.severity), finding_text(finding))
    notice.setObjectName(f"flag_{finding.code.removeprefix('assess.')}")
    notice.setToolTip(finding.message)
    return notice


class CheckResultView(QWidget):
    """Facts of one :class:`~gpudesk.core.ssh.check.CheckResult` and its mismatch flags."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkResult")
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setHorizontalSpacing(14)
        self.flags = QVBoxLayout()
        self.flags.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.flags)
        layout.addLayout(self.form)

    def clear(self) -> None:
        """Show nothing."""
        clear_layout(self.flags)
        while self.form.rowCount():
            self.form.removeRow(0)

    def _row(self, label: str, text: str, name: str) -> None:
        value = QLabel(text)
        value.setObjectName(name)
        value.setTextFormat(Qt.TextFormat.PlainText)  # instance text: never rich text
        # No word wrap: values carry their own line breaks, and wrapped labels in a form
        # inside a scroll area get too little height (the last line was cut off).
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(colon(label), value)

    def _note(self, note: str) -> str:
        known = {
            "PyTorch is not installed in the login shell's Python.": self.tr(
                "PyTorch is not installed in the login shell's Python."
            ),
            "PyTorch could not be queried.": self.tr("PyTorch could not be queried."),
            "nvidia-smi was not found: no NVIDIA GPU, or a CPU-only (无卡) mode.": self.tr(
                "nvidia-smi was not found: no NVIDIA GPU, or a GPU-less (无卡) mode."
            ),
        }
        return known.get(note, note)

    def show_result(self, result: CheckResult, findings: list[Finding]) -> None:
        """Fill in the facts of ``result`` and a notice per finding."""
        self.clear()
        report = result.report
        if findings:
            for finding in findings:
                self.flags.addWidget(finding_notice(finding))
        else:
            ok = Notice("ok", self.tr("No problems found: the instance matches your choices."))
            ok.setObjectName("flag_ok")
            self.flags.addWidget(ok)
        target = result.target
        key = result.host_key
        trust = self.tr("newly trusted") if key.newly_pinned else self.tr("matches the trusted key")
        self._row(self.tr("Logged in"), f"{target.user}@{target.address}", "loggedIn")
        self._row(self.tr("Host key"), f"{key.key.fingerprint} ({trust})", "hostKey")
        self._row(self.tr("Machine"), f"{report.hostname} · {report.os_name}", "machine")
        gpus = [
            fmt(
                self.tr("%1 · %2 GiB · %3 % busy"),
                gpu.name,
                f"{gpu.memory_total_mib / 1024:.0f}",
                gpu.utilization_pct,
            )
            for gpu in report.gpus
        ]
        self._row(self.tr("GPU"), "\n".join(gpus) or self.tr("none found"), "gpus")
        self._row(
            self.tr("Driver / CUDA"),
            fmt(
                self.tr("driver %1, CUDA %2"),
                report.driver_version or "?",
                report.cuda_version or "?",
            ),
            "driver",
        )
        self._row(self.tr("Python"), report.python_version or self.tr("not found"), "python")
        if report.torch is not None:
            cuda = (
                self.tr("sees the GPU") if report.torch.cuda_available else self.tr("no GPU access")
            )
            torch_text = fmt(
                self.tr("%1 (built for CUDA %2), %3"),
                report.torch.version,
                report.torch.cuda_version or "-",
                cuda,
            )
        else:
            torch_text = self.tr("not found")
        self._row(self.tr("PyTorch"), torch_text, "torch")
        disks = [
            fmt(
                self.tr("%1: %2 GiB free of %3 GiB"),
                disk.path,
                f"{disk.free_bytes / _GIB:.1f}",
                f"{disk.total_bytes / _GIB:.1f}",
            )
            for disk in report.disks
        ]
        self._row(self.tr("Disk"), "\n".join(disks) or self.tr("not measured"), "disks")
        if report.notes:
            self._row(
                self.tr("Notes"), "\n".join(self._note(note) for note in report.notes), "notes"
            )

    def text(self) -> str:
        """Everything shown, as plain text (tests, copy)."""
        parts = []
        for index in range(self.flags.count()):
            item = self.flags.itemAt(index)
            widget = item.widget() if item is not None else None
            if isinstance(widget, Notice):
                parts.append(widget.text())
        for row in range(self.form.rowCount()):
            label = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            label_widget = label.widget() if label is not None else None
            field_widget = field.widget() if field is not None else None
            if isinstance(label_widget, QLabel) and isinstance(field_widget, QLabel):
                parts.append(f"{label_widget.text()} {field_widget.text()}")
        return "\n".join(parts)
