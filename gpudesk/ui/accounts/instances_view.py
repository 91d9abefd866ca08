"""The instances of the connected AutoDL account: status, GPU, ¥/h, a power button, balance.

Everything shown comes from the platform's API, loaded off the GUI thread; the platform's
text (names, statuses) is shown as plain text. The balance carries a warning below a
threshold. A power button asks the platform to power the instance on or off and reloads. Powering
on an instance saved in gpudesk also follows it to wherever it lands: the alias is re-pointed
there, a new host key asked in the trust dialog (:class:`.power_follower.PowerOnFollower`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.providers.accounts import AccountBook, open_provider
from gpudesk.core.providers.model import RUNNING, SETTLED_OFF, ProviderInstance
from gpudesk.core.providers.poweron import power_on_when_free
from gpudesk.core.ssh.hostkeys import PresentedKey
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.store.secrets import open_secret_store
from gpudesk.ui.accounts.power_follower import PowerOnFollower
from gpudesk.ui.bridges import BackgroundTask, run_in_background
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.dialogs.hostkey import HostKeyDialog
from gpudesk.ui.widgets.platform_status import platform_status_text
from gpudesk.ui.widgets.text import esc, fmt

# Below this many yuan the balance is shown with a warning (the settings can pass another).
DEFAULT_LOW_BALANCE_YUAN = 10.0
PROVIDER = "autodl"


@dataclass(frozen=True)
class AccountOverview:
    """What the view shows: the instances (with saved aliases) and the balance."""

    instances: tuple[tuple[ProviderInstance, str | None], ...]
    balance: float | None


def load_overview(book: AccountBook | None = None) -> AccountOverview:
    """Read the account's instances and balance (blocking: run it off the GUI thread)."""
    book = book or AccountBook()
    secrets, _warning = open_secret_store()
    provider = open_provider(PROVIDER, secrets, book)
    store = InstanceStore()
    rows = []
    for instance in provider.list_instances():
        saved = book.linked_instance(instance.provider, instance.id, store)
        rows.append((instance, saved.alias if saved else None))
    return AccountOverview(tuple(rows), provider.balance().available)


def switch_power(instance_id: str, on: bool, book: AccountBook | None = None) -> None:
    """Ask the platform to power the instance on or off (blocking)."""
    secrets, _warning = open_secret_store()
    provider = open_provider(PROVIDER, secrets, book)
    if on:
        power_on_when_free(provider, instance_id)
    else:
        provider.power_off(instance_id)


class AccountInstancesView(QWidget):
    """The account's instances with a power button each, and the balance.

    Signals:
        overview_loaded: The :class:`AccountOverview` after each successful load.
    """

    overview_loaded = Signal(object)
    COLUMNS = 7

    def __init__(
        self,
        book: AccountBook | None = None,
        low_balance_yuan: float = DEFAULT_LOW_BALANCE_YUAN,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("accountInstancesView")
        self._book = book
        self._low = low_balance_yuan
        self._task: BackgroundTask | None = None
        self.follower = PowerOnFollower(PROVIDER, self)
        self.follower.progressed.connect(self.status_label_text)
        self.follower.host_key_asked.connect(self.on_follower_host_key_asked)
        self.follower.succeeded.connect(lambda _result: self._follow_done())
        self.follower.failed.connect(self._on_failed)
        self.host_key_dialog: HostKeyDialog | None = None
        self.balance_label = QLabel()
        self.balance_label.setObjectName("balanceLabel")
        self.warning_label = QLabel()
        self.warning_label.setObjectName("lowBalanceWarning")
        self.warning_label.setStyleSheet("color: #9a6700; font-weight: bold;")
        self.warning_label.hide()
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("refreshButton")
        self.refresh_button.clicked.connect(self.reload)
        scope = QLabel(
            self.tr(
                "AutoDL's official API controls Pro instances only; ordinary instances stay "
                "on the pasted-command path."
            )
        )
        scope.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("statusLabel")
        self.status_label.setWordWrap(True)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setObjectName("accountInstances")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Instance"), self.tr("Status"), self.tr("GPU"),
             self.tr("¥/hour"), self.tr("Alias"), self.tr("Power")]
        )  # fmt: skip
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        top = QHBoxLayout()
        top.addWidget(self.balance_label)
        top.addWidget(self.warning_label)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scope)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)

    def reload(self) -> None:
        """Load the instances and balance again (off the GUI thread)."""
        book = self._book
        self._run(lambda _task: load_overview(book), self.tr("Loading the account…"))

    def show_overview(self, overview: AccountOverview) -> None:
        """Fill the table and the balance from ``overview``."""
        self.table.setRowCount(len(overview.instances))
        for row, (instance, alias) in enumerate(overview.instances):
            price = instance.price_per_hour
            cells = [
                instance.name or "-",
                instance.id,
                platform_status_text(instance.status),
                f"{instance.gpu_count}× {instance.gpu}" if instance.gpu else "-",
                f"¥{price:.2f}" if price is not None else "-",
                alias or "",
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)  # plain text: the platform's words are data
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
            self.table.setCellWidget(row, 6, self._power_button(instance, alias))
        if overview.balance is None:
            self.balance_label.setText("")
            self.warning_label.hide()
        else:
            self.balance_label.setText(fmt(self.tr("Balance: ¥%1"), f"{overview.balance:.2f}"))
            low = overview.balance < self._low
            self.warning_label.setText(
                fmt(
                    self.tr("Low balance: below ¥%1. Top up before the instance stops."),
                    f"{self._low:.2f}",
                )
            )
            self.warning_label.setVisible(low)

    def status_label_text(self, text: str) -> None:
        """Show a progress line (the platform's words are plain text)."""
        self.status_label.setText(esc(text))

    def on_follower_host_key_asked(self, key: object) -> None:
        """Ask whether to trust the host key of the machine the instance landed on."""
        if not isinstance(key, PresentedKey):
            self.follower.answer_host_key(False)
            return
        dialog = HostKeyDialog(self.tr("the instance's new machine"), key, self)
        dialog.finished.connect(
            lambda result: self.follower.answer_host_key(
                result == QDialog.DialogCode.Accepted.value
            )
        )
        self.host_key_dialog = dialog
        dialog.open()

    def _follow_done(self) -> None:
        self.host_key_dialog = None
        self.reload()

    def _power_button(self, instance: ProviderInstance, alias: str | None) -> QPushButton:
        on = instance.status in SETTLED_OFF
        button = QPushButton(self.tr("Power on") if on else self.tr("Power off"))
        button.setObjectName(f"power:{instance.id}")
        button.setEnabled(on or instance.status == RUNNING)
        book = self._book
        message = self.tr("Powering on…") if on else self.tr("Powering off…")

        def clicked() -> None:
            if on and alias and not self.follower.running:
                self.status_label.setText(message)
                self.follower.start(instance.id, alias, book)
                return
            self._run(lambda _t: self._after_switch(instance.id, on, book), message)

        button.clicked.connect(clicked)
        return button

    @staticmethod
    def _after_switch(instance_id: str, on: bool, book: AccountBook | None) -> AccountOverview:
        switch_power(instance_id, on, book)
        return load_overview(book)

    def _run(self, work: object, message: str) -> None:
        if self._task is not None or not callable(work):
            return
        self.status_label.setText(message)
        self.refresh_button.setEnabled(False)
        self._task = run_in_background(work)
        self._task.succeeded.connect(self._on_loaded)
        self._task.failed.connect(self._on_failed)

    def _on_loaded(self, overview: object) -> None:
        self._task = None
        self.refresh_button.setEnabled(True)
        self.status_label.setText("")
        if isinstance(overview, AccountOverview):
            self.show_overview(overview)
            self.overview_loaded.emit(overview)

    def _on_failed(self, error: object) -> None:
        self._task = None
        self.refresh_button.setEnabled(True)
        message, hint, _details = describe_error(
            error if isinstance(error, BaseException) else RuntimeError()
        )
        self.status_label.setText(f"<b>{esc(message)}</b><br>{esc(hint)}")
