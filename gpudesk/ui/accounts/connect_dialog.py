"""The "connect my AutoDL account" dialog: paste the developer token, gpudesk checks it.

The token is checked with AutoDL's balance call off the GUI thread and stored in the system
keyring only when AutoDL accepted it; a rejected token stores nothing and says so. The
field never shows the token (password echo) and it is cleared when the dialog closes.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.providers.accounts import AccountBook, connect_account
from gpudesk.core.providers.model import Balance
from gpudesk.core.store.secrets import open_secret_store
from gpudesk.ui.bridges import BackgroundTask, run_in_background
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.widgets.text import esc, fmt


class ConnectAccountDialog(QDialog):
    """Ask for the AutoDL developer token, check it, keep it in the keyring.

    Signals:
        account_connected: The provider id (``"autodl"``) once the token is stored.
    """

    account_connected = Signal(str)

    def __init__(self, book: AccountBook | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._book = book
        self._task: BackgroundTask | None = None
        self.setObjectName("connectAccountDialog")
        self.setWindowTitle(self.tr("Connect my AutoDL account"))
        intro = QLabel(
            self.tr(
                "Paste your AutoDL developer token (console: Account → Settings → Developer "
                "token). gpudesk checks it with AutoDL, then keeps it only in your system "
                "keyring."
            )
        )
        intro.setWordWrap(True)
        scope = QLabel(
            self.tr(
                "AutoDL's official API controls Pro instances only; ordinary instances stay "
                "on the pasted-command path."
            )
        )
        scope.setWordWrap(True)
        scope.setObjectName("scopeNote")
        self.token_edit = QLineEdit()
        self.token_edit.setObjectName("tokenEdit")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(self.tr("Developer token"))
        self.status_label = QLabel()
        self.status_label.setObjectName("statusLabel")
        self.status_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = QPushButton(self.tr("Check and connect"))
        self.connect_button.setObjectName("connectButton")
        self.connect_button.setDefault(True)
        buttons.addButton(self.connect_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.connect_button.clicked.connect(self.check_token)
        self.token_edit.textChanged.connect(self._update_button)
        layout = QVBoxLayout(self)
        for widget in (intro, scope, self.token_edit, self.status_label, buttons):
            layout.addWidget(widget)
        self._update_button()

    def check_token(self) -> None:
        """Check the typed token off the GUI thread."""
        token = self.token_edit.text().strip()
        if not token or self._task is not None:
            return
        book = self._book
        self._set_busy(True)
        self.status_label.setText(self.tr("Checking the token with AutoDL…"))

        def work(_task: BackgroundTask) -> Balance | None:
            secrets, _warning = open_secret_store()
            return connect_account("autodl", token, secrets, book=book)

        self._task = run_in_background(work)
        self._task.succeeded.connect(self._on_connected)
        self._task.failed.connect(self._on_failed)

    def done(self, result: int) -> None:
        """Close, forgetting the typed token and any check still under way."""
        if self._task is not None:
            self._task.cancel()
        self.token_edit.clear()
        super().done(result)

    def _on_connected(self, balance: object) -> None:
        self._task = None
        self._set_busy(False)
        if isinstance(balance, Balance):
            self.status_label.setText(
                fmt(self.tr("Connected. Balance: ¥%1"), f"{balance.available:.2f}")
            )
        self.account_connected.emit("autodl")
        self.accept()

    def _on_failed(self, error: object) -> None:
        self._task = None
        self._set_busy(False)
        message, hint, _details = describe_error(
            error if isinstance(error, BaseException) else RuntimeError()
        )
        self.status_label.setText(f"<b>{esc(message)}</b><br>{esc(hint)}")

    def _set_busy(self, busy: bool) -> None:
        self.token_edit.setEnabled(not busy)
        self.connect_button.setEnabled(not busy and bool(self.token_edit.text().strip()))

    def _update_button(self) -> None:
        self.connect_button.setEnabled(bool(self.token_edit.text().strip()) and not self._task)
