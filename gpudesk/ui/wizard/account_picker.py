"""The Connect step's "from my AutoDL account" list: pick a Pro instance, nothing pasted.

The account's Pro instances (status, GPU, ¥/h) are read off the GUI thread; the platform's
text is shown as plain table text. "Use this instance" reads the login (endpoint and
password) from the API, again off the GUI thread, and hands it to the Connect page, which
checks it as it checks a pasted command. The API controls Pro instances only.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.providers.model import ProviderInstance
from gpudesk.core.store.secrets import SecretStore
from gpudesk.core.wizard.account import account_instances, account_login
from gpudesk.ui.asyncwork import TaskHolder, run_blocking
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.widgets.platform_status import platform_status_text
from gpudesk.ui.widgets.text import fmt


class AccountInstancePicker(QGroupBox):
    """The account's Pro instances; the chosen one's login read from the API.

    Signals:
        login_read: ``(target, password or "", "autodl:ID")``.
        failed: A message to show (the list or the login could not be read).
        busy_changed: Reading started or ended.
    """

    login_read = Signal(object, str, str)
    failed = Signal(object)
    busy_changed = Signal()

    def __init__(self, secrets: SecretStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountPicker")
        self.setTitle(self.tr("From my AutoDL account"))
        self._secrets = secrets
        self._task = TaskHolder()
        self.instances: list[ProviderInstance] = []
        self._wanted: str | None = None
        note = QLabel(
            self.tr(
                "AutoDL's official API controls Pro instances only. Choose a running one and "
                "press Use this instance: gpudesk reads its login and password from AutoDL. "
                "For any other instance, paste its command below."
            )
        )
        note.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("accountInstances")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Status"), self.tr("GPU"), self.tr("¥/h")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(150)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.reload_button = QPushButton(self.tr("Reload"))
        self.reload_button.setObjectName("reloadAccountButton")
        self.reload_button.clicked.connect(self.load)
        self.use_button = QPushButton(self.tr("Use this instance"))
        self.use_button.setObjectName("useAccountInstanceButton")
        self.use_button.clicked.connect(self.on_use_button_clicked)
        self.state_label = QLabel()
        self.state_label.setObjectName("pickerState")
        self.state_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.state_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._update_buttons()

    def is_busy(self) -> bool:
        """True while the list or a login is being read."""
        return self._task.running

    def selected(self) -> ProviderInstance | None:
        """The chosen instance."""
        rows = {index.row() for index in self.table.selectedIndexes()}
        return self.instances[rows.pop()] if len(rows) == 1 else None

    def refresh(self, use: str | None) -> None:
        """Read the list when it was never read, or to use the instance ``use`` (``autodl:ID``)."""
        if use or not self.instances:
            self.load(use=use)

    def load(self, use: str | None = None) -> None:
        """Read the account's instances; with ``use`` (``autodl:ID``), then read its login."""
        self._wanted = use if isinstance(use, str) else None
        if self._task.running:
            return

        async def read() -> None:
            try:
                found = await run_blocking(lambda: account_instances(self._secrets))
            except Exception as error:  # shown on the page
                self._done(error)
                return
            self._task.release()
            self._fill(found)
            self._done(None)
            wanted = next((i for i in found if i.ref == self._wanted), None)
            if wanted is not None:
                self.table.selectRow(found.index(wanted))
                self.on_use_button_clicked()

        self._start(read(), self.tr("Reading your AutoDL instances…"))

    def _fill(self, found: list[ProviderInstance]) -> None:
        self.instances = found
        self.table.setRowCount(len(found))
        for row, instance in enumerate(found):
            price = instance.price_per_hour
            cells = [
                instance.name or instance.id,
                platform_status_text(instance.status),
                (f"{instance.gpu_count} × " if instance.gpu_count > 1 else "")
                + (instance.gpu or "?"),
                f"¥{price:.2f}" if price is not None else "–",
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(instance.id)
                self.table.setItem(row, column, item)
        if not found:
            self.state_label.setText(self.tr("No Pro instance in this account yet."))

    def on_use_button_clicked(self) -> None:
        """Read the chosen instance's login from the API."""
        chosen = self.selected()
        if chosen is None or self._task.running:
            return
        ref = chosen.ref

        async def read() -> None:
            try:
                target, password = await run_blocking(lambda: account_login(ref, self._secrets))
            except Exception as error:  # shown on the page
                self._done(error)
                return
            self._done(None)
            self.state_label.setText(fmt(self.tr("Login read from AutoDL for %1."), chosen.id))
            self.login_read.emit(target, password or "", ref)

        self._start(read(), self.tr("Reading the login from AutoDL…"))

    def cancel(self) -> None:
        """Stop waiting."""
        if self._task.cancel():
            self._done(None)

    def _start(self, coroutine: Coroutine[Any, Any, None], text: str) -> None:
        self._task.start(coroutine)
        self.state_label.setText(text)
        self._update_buttons()
        self.busy_changed.emit()

    def _done(self, error: BaseException | None) -> None:
        self._task.release()
        self.state_label.clear()
        if error is not None:
            message, hint, _details = describe_error(error)
            self.state_label.setText(message)
            self.failed.emit((message, hint))
        self._update_buttons()
        self.busy_changed.emit()

    def _update_buttons(self) -> None:
        busy = self._task.running
        self.use_button.setEnabled(not busy and self.selected() is not None)
        self.reload_button.setEnabled(not busy)
