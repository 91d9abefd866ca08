"""The home's "AutoDL account" tab and the "Connect AutoDL account…" action.

Without a connected account the tab says what connecting gives and offers the button; with
one it shows :class:`~gpudesk.ui.accounts.instances_view.AccountInstancesView` (instances
with status, GPU, ¥/h and power buttons, the balance and its low-balance warning, the note
that the official API controls Pro instances only), loaded off the GUI thread when the tab is
first shown. The warning's threshold is a setting; a new threshold rebuilds the view.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.errors import GpuDeskError
from gpudesk.core.providers.accounts import AccountBook
from gpudesk.core.providers.follow import Followed
from gpudesk.core.store.settings import Settings
from gpudesk.ui.accounts.connect_dialog import ConnectAccountDialog
from gpudesk.ui.accounts.instances_view import PROVIDER, AccountInstancesView


class AccountTab(QWidget):
    """The AutoDL account's instances, or an invitation to connect the account.

    ``account_connected`` is emitted after the user connected an account (the window brings
    the tab forward); ``followed`` (alias, :class:`Instance`) after powering on a saved
    instance here re-pointed it (its tunnels follow).
    """

    account_connected = Signal()
    followed = Signal(str, object)

    def __init__(self, low_balance_yuan: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountTab")
        self.low_balance_yuan = low_balance_yuan
        self.view: AccountInstancesView | None = None
        self.loaded = False
        self.dialog: ConnectAccountDialog | None = None
        self.connect_action = QAction(self.tr("Connect AutoDL account…"), self)
        self.connect_action.setObjectName("connectAccountAction")
        self.connect_action.triggered.connect(self.open_connect_dialog)
        intro = QLabel(
            self.tr(
                "Connect your AutoDL account to see its instances here, with their status, "
                "GPU and price, to power them on and off, and to watch the balance. AutoDL's "
                "official API controls Pro instances only."
            )
        )
        intro.setWordWrap(True)
        intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        intro.setStyleSheet("color: #57606a; padding: 16px;")
        self.connect_button = QPushButton(self.tr("Connect AutoDL account…"))
        self.connect_button.setObjectName("connectAccountButton")
        self.connect_button.clicked.connect(self.open_connect_dialog)
        self.invitation = QWidget()
        invitation_layout = QVBoxLayout(self.invitation)
        invitation_layout.addStretch(1)
        invitation_layout.addWidget(intro)
        invitation_layout.addWidget(self.connect_button, 0, Qt.AlignmentFlag.AlignCenter)
        invitation_layout.addStretch(2)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.invitation)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.show_account()

    @classmethod
    def add_to(cls, tabs: QTabWidget, settings: Settings) -> AccountTab:
        """A new tab at the end of ``tabs``, brought forward when an account gets connected."""
        tab = cls(settings.low_balance_yuan)
        tabs.addTab(tab, QCoreApplication.translate("AccountTab", "AutoDL account"))
        tab.account_connected.connect(lambda: tabs.setCurrentWidget(tab))
        return tab

    def has_account(self) -> bool:
        """Whether an AutoDL account is connected (reads a small local file)."""
        try:
            return AccountBook().account(PROVIDER) is not None
        except GpuDeskError:
            return False

    def show_account(self) -> None:
        """The account's view when one is connected (loaded when shown), else the invitation."""
        if not self.has_account():
            self.stack.setCurrentWidget(self.invitation)
            return
        if self.view is None:
            self.view = AccountInstancesView(low_balance_yuan=self.low_balance_yuan)
            self.view.follower.succeeded.connect(self.on_follower_succeeded)
            self.stack.addWidget(self.view)
        self.stack.setCurrentWidget(self.view)
        self.loaded = False
        if self.isVisible():
            self._load()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        """Load the account the first time the tab is shown."""
        super().showEvent(event)
        if not self.loaded:
            self._load()

    def _load(self) -> None:
        if self.view is not None:
            self.loaded = True
            self.view.reload()

    def apply_settings(self, settings: Settings) -> None:
        """A new low-balance threshold: the view is built again with it."""
        if settings.low_balance_yuan == self.low_balance_yuan:
            return
        self.low_balance_yuan = settings.low_balance_yuan
        if self.view is not None:
            self.stack.removeWidget(self.view)
            self.view.deleteLater()
            self.view = None
        self.show_account()

    def on_follower_succeeded(self, result: object) -> None:
        """A saved instance was powered on and re-pointed where it landed."""
        if isinstance(result, Followed) and result.repointed is not None:
            instance = result.repointed.instance  # re-pointing keeps the alias
            self.followed.emit(instance.alias, instance)

    def open_connect_dialog(self) -> None:
        """Ask for the account's token (checked off the GUI thread, kept in the keyring)."""
        dialog = ConnectAccountDialog(parent=self.window())
        dialog.account_connected.connect(lambda _provider: self.on_account_connected())
        dialog.open()
        self.dialog = dialog

    def on_account_connected(self) -> None:
        """Show the account's instances in this tab (the window brings it forward)."""
        self.show_account()
        self.account_connected.emit()
