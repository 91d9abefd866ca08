"""Step 2, the GPU: a table of common rental GPUs and a "what fits my work" estimator.

The estimator takes the model size (billions of parameters) and the task, shows the
estimated memory with its formula (``gpudesk.core.catalog.gpus.estimate_memory``) and marks in the
table which GPUs hold it. The chosen GPU (``gpu_model``, a table name) feeds the image check
and the instance; the hourly price the user sees (``price_per_hour``) is optional.

With the AutoDL account driving the wizard (``use_account``) the page also asks for what the
create call takes: the GPU spec as AutoDL names it (``gpu_spec``, only documented values) and
the GPU count (``gpu_count``); the table stays as the estimator's guide.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.catalog.gpus import (
    OVERHEAD,
    GpuFit,
    Task,
    default_gpus,
    estimate_memory,
    fitting_gpus,
)
from gpudesk.core.wizard.account import GPU_SPECS, MAX_GPUS
from gpudesk.ui.widgets.text import fmt, scale_font
from gpudesk.ui.wizard.page import WizardContext, WizardPage
from gpudesk.ui.wizard.texts import bytes_explained, task_name

_FITS = QColor("#dafbe1")
_SPLIT = QColor("#fff8c5")
#: A single card whose memory the estimate fills beyond this fraction is "tight".
TIGHT_FRACTION = 0.9


class GpuPage(WizardPage):
    """Estimate the memory a model needs and choose a GPU from the table."""

    step_id = "gpu"

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.gpus = default_gpus()
        intro = QLabel(
            self.tr(
                "Choose the GPU you will rent. Not sure? Enter your model's size and what you "
                "want to do with it: gpudesk estimates the GPU memory and marks the cards "
                "that fit."
            )
        )
        intro.setWordWrap(True)
        estimator = self._build_estimator()
        self._build_table()
        self.several_label = QLabel()
        self.several_label.setObjectName("severalGpus")
        self.several_label.setWordWrap(True)
        self.several_label.setStyleSheet("color: #57606a;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addWidget(estimator)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.several_label)
        layout.addLayout(self._build_choice_form())
        layout.addWidget(self._build_account_box())
        self.size_spin.valueChanged.connect(self.on_size_spin_value_changed)
        self.task_combo.currentIndexChanged.connect(self.on_task_combo_current_index_changed)
        self.table.itemSelectionChanged.connect(self.on_table_item_selection_changed)
        self._estimate()
        self._show_choice()

    def _build_estimator(self) -> QGroupBox:
        """Model size and task in; the memory estimate and its formula out."""
        self.size_spin = QDoubleSpinBox()
        self.size_spin.setObjectName("modelSize")
        self.size_spin.setRange(0.1, 2000.0)
        self.size_spin.setDecimals(1)
        self.size_spin.setValue(7.0)
        self.size_spin.setSuffix(self.tr(" B parameters"))
        self.task_combo = QComboBox()
        self.task_combo.setObjectName("task")
        for task in Task:
            self.task_combo.addItem(task_name(task), task.value)
        self.estimate_label = QLabel()
        self.estimate_label.setObjectName("estimate")
        scale_font(self.estimate_label, bold=True)
        self.formula_label = QLabel()
        self.formula_label.setObjectName("formula")
        self.formula_label.setWordWrap(True)
        self.formula_label.setStyleSheet("color: #57606a;")
        self.formula_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        inputs = QHBoxLayout()
        inputs.addWidget(QLabel(self.tr("Model size:")))
        inputs.addWidget(self.size_spin)
        inputs.addSpacing(12)
        inputs.addWidget(QLabel(self.tr("Task:")))
        inputs.addWidget(self.task_combo, 1)
        estimator = QGroupBox(self.tr("What fits my work?"))
        box = QVBoxLayout(estimator)
        box.addLayout(inputs)
        box.addWidget(self.estimate_label)
        box.addWidget(self.formula_label)
        return estimator

    def _build_table(self) -> None:
        """One row per rental GPU: memory, architecture, capability, speed and the fit."""
        self.table = QTableWidget(len(self.gpus), 6)
        self.table.setObjectName("gpuTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("GPU"),
                self.tr("Memory"),
                self.tr("Architecture"),
                self.tr("Compute capability"),
                self.tr("Speed (T4 = 1)"),
                self.tr("Fits?"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.cells: list[list[QTableWidgetItem]] = []
        for row, gpu in enumerate(self.gpus):
            cells = [
                gpu.name,
                f"{gpu.vram_gib:g} GiB",
                gpu.architecture,
                f"{gpu.compute_capability} ({gpu.sm})",
                f"{gpu.relative_speed:.2f}",
                "",
            ]
            items = [QTableWidgetItem(text) for text in cells]
            for column, item in enumerate(items):
                if gpu.note:
                    item.setToolTip(gpu.note)
                self.table.setItem(row, column, item)
            self.cells.append(items)

    def _build_choice_form(self) -> QFormLayout:
        """The chosen GPU and the hourly price the console shows."""
        self.price_spin = QDoubleSpinBox()
        self.price_spin.setObjectName("price")
        self.price_spin.setRange(0.0, 10000.0)
        self.price_spin.setDecimals(2)
        self.price_spin.setPrefix("¥ ")
        self.price_spin.setSpecialValueText(self.tr("not entered"))
        self.price_spin.setMinimumWidth(140)
        self.chosen_label = QLabel()
        self.chosen_label.setObjectName("chosenGpu")
        price_row = QHBoxLayout()
        price_row.addWidget(self.price_spin)
        price_row.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Chosen GPU:"), self.chosen_label)
        form.addRow(self.tr("Price per hour (optional, as the console shows):"), price_row)
        return form

    def _build_account_box(self) -> QGroupBox:
        """What AutoDL's create call needs: its GPU spec name and the count."""
        self.spec_combo = QComboBox()
        self.spec_combo.setObjectName("gpuSpec")
        for spec in GPU_SPECS:
            self.spec_combo.addItem(spec, spec)
        self.count_spin = QSpinBox()
        self.count_spin.setObjectName("gpuCount")
        self.count_spin.setRange(1, MAX_GPUS)
        note = QLabel(
            self.tr(
                "AutoDL's API names GPUs by spec; only the specs its documentation shows are "
                "listed. Stock and prices are not published by the API: the instance's price "
                "shows once it exists."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #57606a;")
        self.account_box = QGroupBox(self.tr("Create on my AutoDL account (Pro instance)"))
        self.account_box.setObjectName("gpuAccountBox")
        form = QFormLayout(self.account_box)
        form.addRow(self.tr("GPU spec:"), self.spec_combo)
        form.addRow(self.tr("Number of GPUs:"), self.count_spin)
        form.addRow(note)
        self.account_box.setVisible(False)
        return self.account_box

    def title(self) -> str:
        """The heading."""
        return self.tr("Choose a GPU")

    def _creating(self) -> bool:
        return self.context.data.use_account

    def _task(self) -> Task:
        return Task(self.task_combo.currentData())

    def _estimate(self) -> None:
        task = self._task()
        estimate = estimate_memory(self.size_spin.value(), task)
        self.estimate_label.setText(
            fmt(
                self.tr("Needs about %1 GB of GPU memory (%2 GiB)."),
                f"{estimate.total_gb:.1f}",
                f"{estimate.total_gib:.1f}",
            )
        )
        self.formula_label.setText(
            fmt(
                self.tr(
                    "Formula: %1 B parameters × %2 bytes (%3) × %4 (KV cache, activations, "
                    "CUDA context) = %5 GB. Long contexts or big batches need more."
                ),
                f"{estimate.params_billion:g}",
                f"{estimate.bytes_per_param:g}",
                bytes_explained(task),
                f"{OVERHEAD:g}",
                f"{estimate.total_gb:.1f}",
            )
        )
        fits: dict[str, GpuFit] = {fit.gpu.name: fit for fit in fitting_gpus(estimate)}
        counts: set[int] = set()
        for row, gpu in enumerate(self.gpus):
            fit = fits.get(gpu.name)
            hint = fit.hint if fit is not None else ""
            if fit is None:
                text, colour = self.tr("Too small"), None
            elif fit.fits_single and estimate.total_gib > TIGHT_FRACTION * gpu.vram_gib:
                text, colour = self.tr("Tight"), _SPLIT
                hint = self.tr(
                    "Less than a tenth of the card stays free: the usable memory is a little "
                    "below the nominal size, and a longer context or bigger batch will not fit."
                )
            elif fit.fits_single:
                text, colour = self.tr("Fits"), _FITS
            else:
                text, colour = fmt(self.tr("Needs %1 cards"), fit.count), _SPLIT
                counts.add(fit.count)
            self.cells[row][5].setText(text)
            self.cells[row][5].setToolTip(hint)
            for cell in self.cells[row]:
                cell.setBackground(colour if colour is not None else QColor(0, 0, 0, 0))

        self.several_label.setVisible(bool(counts))
        self.several_label.setText(
            fmt(
                self.tr(
                    '"Needs %1 cards" means renting one instance with that many GPUs and '
                    "splitting the model across them (tensor or pipeline parallelism, FSDP, "
                    "DeepSpeed): more set-up, and the split adds memory of its own, so the "
                    "count is a lower bound. A bigger card or a smaller task is simpler."
                ),
                "N" if len(counts) != 1 else str(min(counts)),
            )
            if counts
            else ""
        )

    def selected(self) -> str | None:
        """The chosen GPU's table name."""
        rows = {index.row() for index in self.table.selectedIndexes()}
        return self.gpus[rows.pop()].name if len(rows) == 1 else None

    def choose(self, name: str) -> None:
        """Select the GPU called ``name`` in the table."""
        for row, gpu in enumerate(self.gpus):
            if gpu.name == name:
                self.table.selectRow(row)
                self.table.scrollToItem(
                    self.cells[row][0], QAbstractItemView.ScrollHint.PositionAtCenter
                )

    def _show_choice(self) -> None:
        name = self.selected()
        self.chosen_label.setText(name or self.tr("none yet: click a row in the table"))

    def on_enter(self) -> None:
        """Show the earlier inputs and choice."""
        data = self.context.data
        if data.model_size_b is not None:
            self.size_spin.setValue(float(data.model_size_b))
        index = self.task_combo.findData(data.task)
        if index >= 0:
            self.task_combo.setCurrentIndex(index)
        if data.gpu_model is not None:
            self.choose(data.gpu_model)
        self.price_spin.setValue(float(data.price_per_hour or 0.0))
        self.account_box.setVisible(self._creating())
        index = self.spec_combo.findData(data.gpu_spec)
        if index >= 0:
            self.spec_combo.setCurrentIndex(index)
        self.count_spin.setValue(data.gpu_count or 1)

    def is_valid(self) -> bool:
        """A GPU must be chosen (creating: the spec list always has one)."""
        return self._creating() or self.selected() is not None

    def apply(self) -> None:
        """Record the GPU, the estimator's inputs and the price (None when not entered)."""
        data = self.context.data
        creating = self._creating()
        spec = str(self.spec_combo.currentData()) if creating else None
        data.gpu_model = self.selected() or spec
        data.model_size_b = self.size_spin.value()
        data.task = self._task().value
        price = self.price_spin.value()
        data.price_per_hour = price if price > 0 else None
        data.gpu_spec = spec
        data.gpu_count = self.count_spin.value() if creating else None

    def on_size_spin_value_changed(self, _value: float) -> None:
        """Re-estimate."""
        self._estimate()

    def on_task_combo_current_index_changed(self, _index: int) -> None:
        """Re-estimate."""
        self._estimate()

    def on_table_item_selection_changed(self) -> None:
        """Show the choice and let the wizard re-check Next."""
        self._show_choice()
        self.changed.emit()
