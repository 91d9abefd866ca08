"""The image step's "create on my AutoDL account" box: image, CUDA floor, data centre, name.

Shown when the connected AutoDL account drives the wizard. The image list is AutoDL's
documented public base images, shown by what they hold (choosing one sets the CUDA floor it
needs), then the account's private images (read off the GUI thread); the field also takes any
image id the user copies from AutoDL. AutoDL documents no PyTorch 2.1 image, and the box says
so rather than offer one. Creating
runs off the GUI thread: the create call (retried with a visible countdown while AutoDL says
暂无库存 and the wait lasts), then the status until ``running``; the line under the buttons
names each step. Release (delete) is not offered in the wizard.
"""

from __future__ import annotations

import asyncio
import math
import threading

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.providers.model import CreateRequest
from gpudesk.core.providers.poweron import PowerEvent
from gpudesk.core.store.secrets import SecretStore
from gpudesk.core.wizard.account import CUDA_FLOORS, account_images, create_and_wait
from gpudesk.core.wizard.createimages import CreateImage, create_images, documented_images
from gpudesk.ui.asyncwork import TaskHolder, run_blocking
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.widgets.progress_row import ProgressRow
from gpudesk.ui.widgets.text import fmt

#: Default CUDA floor: 11.8, what current PyTorch builds need.
DEFAULT_CUDA = 118
MAX_WAIT_MINUTES = 240


class AccountCreateBox(QGroupBox):
    """Choose what to create, then create it and wait for it.

    Signals:
        created: ``autodl:ID`` once the instance runs.
        failed: After an error was shown (the page stays).
        busy_changed: Creation started or ended.
    """

    created = Signal(str)
    failed = Signal()
    busy_changed = Signal()

    def __init__(self, secrets: SecretStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("createBox")
        self.setTitle(self.tr("Create on my AutoDL account (Pro instance)"))
        self._secrets = secrets
        self._loading = TaskHolder()
        self._creating = TaskHolder()
        self._stop = threading.Event()
        self.created_ref: str | None = None
        self.image_combo = QComboBox()
        self.image_combo.setObjectName("accountImage")
        self.image_combo.setEditable(True)
        image_edit = self.image_combo.lineEdit()
        if image_edit is not None:
            image_edit.setPlaceholderText(self.tr("an image id from AutoDL"))
        self.image_combo.currentTextChanged.connect(self.busy_changed)
        self.image_combo.activated.connect(self.on_image_combo_activated)
        self._images: list[CreateImage] = []
        self._images_read = False
        self._list_images(documented_images())
        self.image_note = QLabel(
            self.tr(
                "AutoDL's documentation lists no PyTorch 2.1 image: for 2.1 or newer choose "
                "one of your private images, or paste the id of an image from AutoDL's console."
            )
        )
        self.image_note.setObjectName("imageNote")
        self.image_note.setWordWrap(True)
        self.image_note.setStyleSheet("color: #57606a;")
        self.cuda_combo = QComboBox()
        self.cuda_combo.setObjectName("cudaFloor")
        for floor in CUDA_FLOORS:
            self.cuda_combo.addItem(fmt(self.tr("CUDA %1 or newer"), f"{floor / 10:.1f}"), floor)
        self.cuda_combo.setCurrentIndex(max(0, self.cuda_combo.findData(DEFAULT_CUDA)))
        self._floor_for_image()
        self.center_edit = QLineEdit()
        self.center_edit.setObjectName("dataCenter")
        self.center_edit.setPlaceholderText(self.tr("any (or AutoDL's data centre id)"))
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("instanceName")
        self.name_edit.setMaxLength(60)
        self.wait_spin = QSpinBox()
        self.wait_spin.setObjectName("waitForGpu")
        self.wait_spin.setRange(0, MAX_WAIT_MINUTES)
        self.wait_spin.setValue(10)
        self.wait_spin.setSuffix(self.tr(" min"))
        self.wait_spin.setSpecialValueText(self.tr("do not wait"))
        self.scope_label = QLabel(
            self.tr(
                "AutoDL's official API controls Pro instances only. The instance is billed "
                "from the moment it runs; gpudesk never deletes it (release it in AutoDL's "
                "console when you no longer need it)."
            )
        )
        self.scope_label.setWordWrap(True)
        self.scope_label.setStyleSheet("color: #57606a;")
        self.stop_button = QPushButton(self.tr("Stop waiting"))
        self.stop_button.setObjectName("stopCreateButton")
        self.stop_button.clicked.connect(self.cancel)
        self.error_label = QLabel()
        self.error_label.setObjectName("createError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet("color: #cf222e;")
        hidden = QPushButton()
        hidden.setVisible(False)
        self.row = ProgressRow(hidden, self.stop_button)
        self.progress_label = self.row.progress_label
        self.progress_label.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout(self)
        image_field = QWidget()
        image_rows = QVBoxLayout(image_field)
        image_rows.setContentsMargins(0, 0, 0, 0)
        image_rows.addWidget(self.image_combo)
        image_rows.addWidget(self.image_note)
        form.addRow(self.tr("Image:"), image_field)
        form.addRow(self.tr("CUDA floor:"), self.cuda_combo)
        form.addRow(self.tr("Data centre:"), self.center_edit)
        form.addRow(self.tr("Name on AutoDL:"), self.name_edit)
        form.addRow(self.tr("Wait for a free GPU:"), self.wait_spin)
        form.addRow(self.scope_label)
        form.addRow(self.row)
        form.addRow(self.error_label)
        self._show_busy()

    # --- choices ----------------------------------------------------------------------------

    def image_uuid(self) -> str:
        """The chosen image's id (a listed private image, or what the user typed)."""
        text = self.image_combo.currentText().strip()
        index = self.image_combo.findText(text)
        data = self.image_combo.itemData(index) if index >= 0 else None
        return str(data) if isinstance(data, str) else text

    def show_choices(
        self, image: str | None, cuda: int | None, center: str | None, name: str | None
    ) -> None:
        """Show earlier choices (Back, or resumed progress); None leaves a field as it is."""
        if image:
            index = self.image_combo.findData(image)
            if index >= 0:
                self.image_combo.setCurrentIndex(index)
            else:
                self.image_combo.setEditText(image)
        index = self.cuda_combo.findData(cuda)
        if index >= 0:
            self.cuda_combo.setCurrentIndex(index)
        if center is not None:
            self.center_edit.setText(center)
        if name is not None:
            self.name_edit.setText(name)

    def cuda_from(self) -> int:
        """The CUDA floor as the API writes it (118 = 11.8)."""
        return int(self.cuda_combo.currentData())

    def request(self, gpu_spec: str, gpu_count: int) -> CreateRequest:
        """The create call these choices make."""
        center = self.center_edit.text().strip()
        return CreateRequest(
            gpu_spec=gpu_spec,
            image=self.image_uuid(),
            cuda_from=self.cuda_from(),
            gpu_count=gpu_count,
            name=self.name_edit.text().strip(),
            data_centers=(center,) if center else (),
        )

    def is_complete(self) -> bool:
        """An image id is given (printable, no spaces)."""
        image = self.image_uuid()
        return bool(image) and image.isprintable() and " " not in image and len(image) < 100

    def is_busy(self) -> bool:
        """True while creating or waiting for the instance."""
        return self._creating.running

    # --- loading the images -----------------------------------------------------------------

    def _list_images(self, images: list[CreateImage]) -> None:
        """Offer ``images``: public ones by what they hold (the id is the value, not the label)."""
        typed = self.image_combo.currentText()
        self.image_combo.blockSignals(True)
        self.image_combo.clear()
        for image in images:
            if image.public:
                label = fmt(self.tr("%1 (AutoDL public image)"), " · ".join(image.contents))
            elif image.name:
                label = f"{image.name} ({image.image_uuid})"
            else:
                label = image.image_uuid
            self.image_combo.addItem(label, image.image_uuid)
        self._images = images
        if typed:
            self.image_combo.setEditText(typed)
        self.image_combo.blockSignals(False)

    def _floor_for_image(self) -> None:
        """The chosen public image's CUDA floor (an 11.8 build needs a driver for >= 11.8)."""
        uuid = self.image_uuid()
        image = next((i for i in self._images if i.image_uuid == uuid), None)
        if image is not None and image.cuda_from is not None:
            index = self.cuda_combo.findData(image.cuda_from)
            if index >= 0:
                self.cuda_combo.setCurrentIndex(index)

    def on_image_combo_activated(self, _index: int) -> None:
        """An image was picked from the list: set the CUDA floor it needs."""
        self._floor_for_image()

    def load_images(self) -> None:
        """Read the account's private images off the GUI thread (once)."""
        if self._loading.running or self._images_read:
            return

        async def load() -> None:
            try:
                images = await run_blocking(lambda: account_images(self._secrets))
            except Exception as error:  # shown on the page
                self._loading.release()
                self._show_error(error)
                return
            self._loading.release()
            self._images_read = True
            self._list_images(create_images(images))
            self.busy_changed.emit()

        self._loading.start(load())

    # --- creating ---------------------------------------------------------------------------

    def start(self, request: CreateRequest) -> None:
        """Create the instance off the GUI thread; ``created`` or ``failed`` follows."""
        if self._creating.running:
            return
        loop = asyncio.get_running_loop()
        wait_s = self.wait_spin.value() * 60.0 or None
        self._stop = stop = threading.Event()

        def on_event(event: PowerEvent) -> None:
            loop.call_soon_threadsafe(self._show_event, event)

        def on_created(ref: str) -> None:
            loop.call_soon_threadsafe(self._show_created, ref)

        async def create() -> None:
            try:
                ref = await run_blocking(
                    lambda: create_and_wait(
                        request,
                        self._secrets,
                        wait_for_gpu_s=wait_s,
                        on_event=on_event,
                        on_created=on_created,
                        stop=stop,
                    )
                )
            except Exception as error:  # shown on the page
                self._creating.release()
                self._show_busy()
                self._show_error(error)
                self.failed.emit()
                return
            self._creating.release()
            self.created_ref = ref
            self._show_busy()
            self.progress_label.setText(self.tr("The instance runs: reading its login…"))
            self.created.emit(ref)

        self.error_label.clear()
        self._creating.start(create())
        self._show_busy()
        self.progress_label.setText(self.tr("Asking AutoDL to create the instance…"))

    def cancel(self) -> None:
        """Stop waiting (an instance AutoDL already created stays in the account)."""
        self._loading.cancel()
        self._stop.set()  # the worker stops retrying: nothing is created after this
        if self._creating.cancel():
            self._show_busy()
            self.progress_label.setText(
                self.tr("Stopped waiting. An instance already created stays in your account.")
            )
            self.failed.emit()

    def _show_busy(self) -> None:
        busy = self._creating.running
        self.stop_button.setVisible(busy)
        self.row.progress_bar.setVisible(busy)
        for widget in (self.image_combo, self.cuda_combo, self.center_edit, self.name_edit):
            widget.setEnabled(not busy)
        self.wait_spin.setEnabled(not busy)
        self.busy_changed.emit()

    def _show_created(self, ref: str) -> None:
        self.created_ref = ref
        self.progress_label.setText(
            fmt(self.tr("Created %1: waiting for it to start…"), ref.partition(":")[2])
        )

    def _show_event(self, event: PowerEvent) -> None:
        if not self._creating.running:
            return
        if event.kind in ("no_stock", "countdown"):
            left = math.ceil((event.remaining_s or 0.0) / 60.0)
            self.progress_label.setText(
                fmt(
                    self.tr(
                        "No GPU of this spec is free (暂无库存). Trying again in %1 s "
                        "(attempt %2; giving up in %3 min)."
                    ),
                    math.ceil(event.retry_in_s or 0.0),
                    event.attempt + 1,
                    left,
                )
            )
        elif event.kind == "status" and event.status:
            self.progress_label.setText(fmt(self.tr("The instance is %1…"), event.status[:40]))

    def _show_error(self, error: BaseException) -> None:
        message, hint, _details = describe_error(error)
        self.error_label.setText(f"{message} {hint}".strip())
