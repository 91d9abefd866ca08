"""Step 2, the GPU: the chosen platform's GPUs and a "what fits my work" estimator.

The estimator takes the model size (billions of parameters) and the task, shows the
estimated memory with its formula (``gpudesk.core.catalog.gpus.estimate_memory``) and marks in
the table (:class:`~gpudesk.ui.wizard.gpu_table.GpuTable`) which GPUs hold it. The table lists
the GPUs the platform is known to rent (every common GPU when that is not known, or when the
user asks), each with the price gpudesk really knows: the user's own AutoDL instance's, "free"
with the quota, or a link to the platform's price page. The chosen GPU (``gpu_model``, a table
name) feeds the image check and the instance; the hourly price (``price_per_hour``) is optional.

With the AutoDL account driving the wizard (``use_account``) the page also asks for what the
create call takes: the GPU spec as AutoDL names it (``gpu_spec``, only documented values) and
the GPU count (``gpu_count``); the table stays as the estimator's guide.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.catalog.gpus import OVERHEAD, Task, default_gpus, estimate_memory
from gpudesk.core.catalog.rentals import AccountPrice, PlatformGpus, PriceKind, offers_for
from gpudesk.core.wizard.account import (
    AUTODL,
    GPU_SPECS,
    MAX_GPUS,
    account_connected,
    account_prices,
)
from gpudesk.ui.asyncwork import TaskHolder, run_blocking
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.i18n import localized
from gpudesk.ui.widgets.text import fmt, scale_font
from gpudesk.ui.wizard.gpu_table import GpuTable
from gpudesk.ui.wizard.page import WizardContext, WizardPage
from gpudesk.ui.wizard.texts import bytes_explained, task_name

_GREY = "color: #57606a;"


class GpuPage(WizardPage):
    """Estimate the memory a model needs and choose a GPU the platform rents."""

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
        self.table = GpuTable()
        self.platform_label = self._grey_label("platformGpus")
        self.show_all_box = QCheckBox(self.tr("Show every common GPU"))
        self.show_all_box.setObjectName("showAllGpus")
        self.several_label = self._grey_label("severalGpus")
        self.price_label = self._grey_label("priceSource")
        self.price_label.setTextFormat(Qt.TextFormat.RichText)
        self.price_label.setOpenExternalLinks(True)
        self.account_prices_label = self._grey_label("accountPrices")
        self.account_prices_label.setTextFormat(Qt.TextFormat.PlainText)
        self.account_prices_label.setVisible(False)
        about = QHBoxLayout()
        about.addWidget(self.platform_label, 1)
        about.addWidget(self.show_all_box, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addWidget(estimator)
        layout.addLayout(about)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.several_label)
        layout.addWidget(self.price_label)
        layout.addWidget(self.account_prices_label)
        layout.addLayout(self._build_choice_form())
        layout.addWidget(self._build_account_box())
        self._platform_id: str | None = None
        self._prices: list[AccountPrice] = []
        self._prices_read = False
        self._loading = TaskHolder()
        self.size_spin.valueChanged.connect(self.on_size_spin_value_changed)
        self.task_combo.currentIndexChanged.connect(self.on_task_combo_current_index_changed)
        self.table.itemSelectionChanged.connect(self.on_table_item_selection_changed)
        self.show_all_box.toggled.connect(self.on_show_all_box_toggled)
        self._show_offers()
        self._show_choice()

    @staticmethod
    def _grey_label(name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setStyleSheet(_GREY)
        return label

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
        self.price_row = QWidget()
        price_row = QHBoxLayout(self.price_row)
        price_row.setContentsMargins(0, 0, 0, 0)
        price_row.addWidget(self.price_spin)
        price_row.addStretch(1)
        self.price_title = QLabel(self.tr("Price per hour (optional, as the console shows):"))
        form = QFormLayout()
        form.addRow(self.tr("Chosen GPU:"), self.chosen_label)
        form.addRow(self.price_title, self.price_row)
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
        counts = self.table.show_estimate(estimate)
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

    # --- the platform's GPUs and prices ---------------------------------------------------------

    def _platform_gpus(self) -> tuple[str, PlatformGpus, str]:
        """The chosen platform's display name, catalog GPUs and site (empty: none chosen)."""
        catalog = self.context.services.catalog
        if self._platform_id is None or self._platform_id not in catalog.ids:
            return "", PlatformGpus(), ""
        platform = catalog.by_id(self._platform_id)
        name = localized(platform.name, platform.name_zh)
        return name, catalog.extras_for(platform.id).gpus, platform.url

    def _show_offers(self) -> None:
        name, known, site = self._platform_gpus()
        offers = offers_for(known, self.gpus, self._prices, show_all=self.show_all_box.isChecked())
        self.table.show_offers(offers, name)
        self.platform_label.setText(self.table.about_text(known))
        self.platform_label.setVisible(bool(name))
        self.show_all_box.setVisible(known.known)
        link = self.table.price_link(known, site)
        self.price_label.setText(link)
        self.price_label.setVisible(bool(link))
        self._estimate()

    def _read_prices(self) -> None:
        """Read the prices of the user's own AutoDL instances off the GUI thread (once)."""
        if self._platform_id != AUTODL or self._prices_read or self._loading.running:
            return
        secrets = self.context.services.secrets

        def read() -> list[AccountPrice] | None:
            return account_prices(secrets) if account_connected() else None

        async def load() -> None:
            try:
                found = await run_blocking(read)
            except Exception as error:  # shown on the page
                self._loading.release()
                message, _hint, _details = describe_error(error)
                self.account_prices_label.setText(
                    fmt(self.tr("Could not read the prices of your AutoDL instances: %1"), message)
                )
                return
            self._loading.release()
            if self._platform_id != AUTODL:  # the user chose another platform meanwhile
                return
            self._prices_read = True
            self._prices = found or []
            self._show_offers()
            mine = any(offer.price is PriceKind.ACCOUNT for offer in self.table.offers)
            self.account_prices_label.setText(
                self.tr('Prices marked "your instance" come from your AutoDL account.')
                if mine
                else ""
            )
            self.account_prices_label.setVisible(mine)

        self.account_prices_label.setText(self.tr("Reading your AutoDL instances' prices…"))
        self.account_prices_label.setVisible(True)
        self._loading.start(load())

    # --- the choice ---------------------------------------------------------------------------

    def selected(self) -> str | None:
        """The chosen GPU's table name."""
        return self.table.selected_name()

    def choose(self, name: str) -> None:
        """Select the GPU called ``name`` (listing every GPU if the platform's list lacks it)."""
        if self.table.row_of(name) is None and any(gpu.name == name for gpu in self.gpus):
            self.show_all_box.setChecked(True)
        self.table.choose(name)

    def _show_choice(self) -> None:
        name = self.selected()
        self.chosen_label.setText(name or self.tr("none yet: click a row in the table"))

    def on_enter(self) -> None:
        """Show the platform's GPUs, the earlier inputs and choice."""
        data = self.context.data
        if data.platform_id != self._platform_id:
            self._platform_id = data.platform_id
            self._loading.cancel()  # prices read for another platform are not wanted
            self._prices, self._prices_read = [], False
            self.show_all_box.setChecked(False)
            self.account_prices_label.setVisible(False)
            self._show_offers()
        self._read_prices()
        if data.model_size_b is not None:
            self.size_spin.setValue(float(data.model_size_b))
        index = self.task_combo.findData(data.task)
        if index >= 0:
            self.task_combo.setCurrentIndex(index)
        if data.gpu_model is not None:
            self.choose(data.gpu_model)
        self.price_spin.setValue(float(data.price_per_hour or 0.0))
        self.account_box.setVisible(self._creating())
        for widget in (self.price_title, self.price_row):  # nothing is rented without SSH
            widget.setVisible(self._has_ssh())
        index = self.spec_combo.findData(data.gpu_spec)
        if index >= 0:
            self.spec_combo.setCurrentIndex(index)
        self.count_spin.setValue(data.gpu_count or 1)

    def cancel(self) -> None:
        """Stop reading the account's prices."""
        self._loading.cancel()

    def _has_ssh(self) -> bool:
        catalog = self.context.services.catalog
        pid = self._platform_id
        return pid is None or pid not in catalog.ids or catalog.by_id(pid).has_ssh

    def is_valid(self) -> bool:
        """A GPU must be chosen (creating: the spec list always has one; no SSH: optional)."""
        return self._creating() or self.selected() is not None or not self._has_ssh()

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
        """Show the choice (with its AutoDL spec and known price) and let the wizard re-check."""
        offer = self.table.selected_offer()
        if offer is not None and offer.rented is not None and offer.rented.spec:
            index = self.spec_combo.findData(offer.rented.spec)
            if index >= 0:
                self.spec_combo.setCurrentIndex(index)
        price = offer.yuan_per_hour if offer is not None and offer.instance_gpus == 1 else None
        if price is not None and self.price_spin.value() == 0:  # the user's own instance's
            self.price_spin.setValue(price)
        self._show_choice()
        self.changed.emit()

    def on_show_all_box_toggled(self, _checked: bool) -> None:
        """List every common GPU, or only the platform's."""
        self._show_offers()
