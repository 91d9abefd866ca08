"""Step 4, connect: paste the console's ssh command and password, trust the key, check.

The guides' "配置ssh连接" (configure the SSH connection) without a terminal: the pasted
command is parsed as typed; the check (``gpudesk.core.ssh.check.check_instance``) runs off
the GUI thread with visible progress and a Cancel button; a first-contact host key is shown
in a dialog with its SHA256 fingerprint; the result comes with the mismatch flags of
``gpudesk.core.catalog.assessment``. An instance saved earlier at the same login is
recognised: its pinned host key and its key are used, so no password is needed. The
password stays in memory (``password`` is sensitive); it is stored in the keyring only if
"remember" is ticked, when the instance is saved.

With an AutoDL account (``use_account``) the page lists its Pro instances (``account_picker``):
picking one (or entering after the image step created one) reads and checks its login.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.errors import GpuDeskError, HostKeyChangedError
from gpudesk.core.models import Platform, SshTarget
from gpudesk.core.setup.instancesave import saved_instance_at
from gpudesk.core.ssh.check import CheckResult
from gpudesk.core.ssh.hostkeys import PresentedKey, pin_name_for_address
from gpudesk.core.ssh.sshcommand import parse_ssh_command
from gpudesk.core.store.instances import Instance
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.dialogs.hostkey import HostKeyDialog
from gpudesk.ui.i18n import localized
from gpudesk.ui.widgets.notice import Notice, clear_layout
from gpudesk.ui.widgets.platform_card import open_url
from gpudesk.ui.widgets.progress_row import ProgressRow
from gpudesk.ui.widgets.scroll import scroll_area
from gpudesk.ui.widgets.text import fmt
from gpudesk.ui.wizard.account_picker import AccountInstancePicker
from gpudesk.ui.wizard.check_runner import CheckRunner
from gpudesk.ui.wizard.check_view import CheckResultView, findings_for
from gpudesk.ui.wizard.page import WizardContext, WizardPage
from gpudesk.ui.wizard.texts import progress_text

EXAMPLE_COMMAND = "ssh -p 10309 root@connect.nmb1.seetacloud.com"


def probe_directories(platform: Platform | None) -> list[str]:
    """The platform's work and persistent directories, then the home directory."""
    found = [platform.workdir, *platform.persistent_dirs] if platform is not None else []
    return list(dict.fromkeys([*found, "~"]))


class ConnectPage(WizardPage):
    """Paste, trust, check: the instance answers and shows what it is."""

    step_id = "connect"

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.runner = CheckRunner(self)
        self.runner.progressed.connect(self.on_runner_progressed)
        self.runner.host_key_asked.connect(self.on_runner_host_key_asked)
        self.runner.succeeded.connect(self.on_runner_succeeded)
        self.runner.failed.connect(self.on_runner_failed)
        self.runner.finished.connect(self.on_runner_finished)
        self.host_key_dialog: HostKeyDialog | None = None
        self.target: SshTarget | None = None
        self.result: CheckResult | None = None
        self._checked_with_key: Path | None = None
        self._saved: list[Instance] = []  # read on entering: typing reads no file
        self._account_ref: str | None = None
        self.picker = AccountInstancePicker(context.services.secrets)
        self.picker.login_read.connect(self.on_picker_login_read)
        self.picker.busy_changed.connect(self.changed)
        self.picker.setVisible(False)
        top = self._build_steps()
        form = self._build_login_form()
        actions = self._build_actions()
        self.messages = QVBoxLayout()
        self.messages.setContentsMargins(0, 0, 0, 0)
        self.result_view = CheckResultView()
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 8, 0)
        body_layout.addLayout(self.messages)
        body_layout.addWidget(self.result_view)
        body_layout.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.picker)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addWidget(scroll_area(body), 1)
        self._set_running(False)

    def _build_steps(self) -> QHBoxLayout:
        """What to do in the platform's console, and a button that opens it."""
        self.steps_label = QLabel()
        self.steps_label.setWordWrap(True)
        self.console_button = QPushButton(self.tr("Open the console"))
        self.console_button.clicked.connect(self.on_console_button_clicked)
        top = QHBoxLayout()
        top.addWidget(self.steps_label, 1)
        top.addWidget(self.console_button)
        return top

    def _build_login_form(self) -> QFormLayout:
        """The pasted command (parsed as typed), the password and "remember"."""
        self.command_edit = QLineEdit()
        self.command_edit.setObjectName("commandEdit")
        self.command_edit.setPlaceholderText(fmt(self.tr("e.g. %1"), EXAMPLE_COMMAND))
        self.command_edit.setClearButtonEnabled(True)
        self.command_edit.textChanged.connect(self.on_command_edit_text_changed)
        self.parsed_label = QLabel()
        self.parsed_label.setObjectName("parsedLabel")
        self.parsed_label.setWordWrap(True)
        self.parsed_label.setTextFormat(Qt.TextFormat.PlainText)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("the password shown next to the command"))
        self.password_edit.returnPressed.connect(self.on_check_button_clicked)
        self.password_edit.textEdited.connect(self.on_password_edit_text_edited)
        persistent = self.context.services.secrets.persistent
        self.remember_box = QCheckBox(
            self.tr("Remember the password in the system keyring")
            if persistent
            else self.tr("Remember the password until gpudesk quits (no system keyring found)")
        )
        self.remember_box.setObjectName("rememberBox")
        self.remember_box.toggled.connect(self.on_remember_box_toggled)
        form = QFormLayout()
        form.addRow(self.tr("SSH command:"), self.command_edit)
        form.addRow("", self.parsed_label)
        form.addRow(self.tr("Password:"), self.password_edit)
        form.addRow("", self.remember_box)
        return form

    def _build_actions(self) -> ProgressRow:
        """Check, Cancel, and what the check is doing."""
        self.check_button = QPushButton(self.tr("Check the instance"))
        self.check_button.setObjectName("checkButton")
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.on_check_button_clicked)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancelCheckButton")
        self.cancel_button.clicked.connect(self.on_cancel_button_clicked)
        actions = ProgressRow(self.check_button, self.cancel_button)
        self.progress_bar = actions.progress_bar
        self.progress_label = actions.progress_label
        return actions

    def title(self) -> str:
        """The heading."""
        return self.tr("Connect to your instance")

    # --- helpers ----------------------------------------------------------------------------

    def _platform(self) -> Platform | None:
        catalog = self.context.services.catalog
        for candidate in (
            self.target.platform_id if self.target else None,
            self.context.data.platform_id,
        ):
            if isinstance(candidate, str) and candidate in catalog.ids:
                return catalog.by_id(candidate)
        return None

    def _known_instance(self, target: SshTarget) -> Instance | None:
        """The saved instance at this login (user, host, port), if there is one."""
        return saved_instance_at(self._saved, target)

    def _pin_name(self, target: SshTarget) -> str:
        """A saved instance's own pin (its host key is trusted already), else the address's."""
        known = self._known_instance(target)
        return known.host_key_alias if known is not None else pin_name_for_address(target)

    def _saved_key(self, target: SshTarget) -> Path | None:
        """The key of the instance saved at this login, when its file is still there."""
        known = self._known_instance(target)
        if known is None or not known.key_path or not Path(known.key_path).is_file():
            return None
        return Path(known.key_path)

    def _set_running(self, running: bool) -> None:
        self.check_button.setEnabled(not running and self.target is not None)
        self.check_button.setText(
            self.tr("Check again") if self.is_valid() else self.tr("Check the instance")
        )
        self.cancel_button.setVisible(running)
        self.progress_bar.setVisible(running)
        self.command_edit.setReadOnly(running)
        self.password_edit.setReadOnly(running)
        if not running:
            self.progress_label.clear()

    def _show_message(self, notice: Notice | None) -> None:
        clear_layout(self.messages)
        if notice is not None:
            self.messages.addWidget(notice)

    def _show_steps(self) -> None:
        platform = self._platform()
        name = localized(platform.name, platform.name_zh) if platform else self.tr("your platform")
        self.steps_label.setText(
            fmt(
                self.tr(
                    "1. Create the instance in the %1 console and wait until it runs.\n"
                    "2. Copy its SSH login command and the password shown next to it.\n"
                    "3. Paste both here and press Check: gpudesk logs in and looks around."
                ),
                name,
            )
        )
        self.console_button.setVisible(platform is not None and not self.context.data.use_account)

    def _parse(self, text: str) -> None:
        self.target = None
        if not text.strip():
            self.parsed_label.setText("")
            return
        try:
            target = parse_ssh_command(text, self.context.services.catalog.platforms)
        except GpuDeskError as error:
            message, hint, _details = describe_error(error)
            self.parsed_label.setStyleSheet("color: #cf222e;")
            self.parsed_label.setText(f"{message} {hint}".strip())
            return
        self.target = target
        platform = self._platform()
        where = localized(platform.name, platform.name_zh) if platform else ""
        self.parsed_label.setStyleSheet("color: #1a7f37;")
        text = fmt(self.tr("User %1 on %2, port %3"), target.user, target.host, target.port)
        text += f" · {where}" if where else ""
        known = self._known_instance(target)
        if known is not None and self._saved_key(target) is not None:
            text += "\n" + fmt(
                self.tr("Saved as %1: its key logs in, so no password is needed."), known.alias
            )
        elif known is not None:
            text += "\n" + fmt(self.tr("Saved as %1: checking it again updates it."), known.alias)
        self.parsed_label.setText(text)

    # --- page contract ----------------------------------------------------------------------

    def on_enter(self) -> None:
        """Restore the pasted command (never a password from disk) and any earlier result."""
        self._saved = self.context.services.instances.list()
        data = self.context.data
        if data.command != self.command_edit.text():
            self.command_edit.setText(data.command)
        if data.password and not self.password_edit.text():
            self.password_edit.setText(data.password)
        self.remember_box.setChecked(data.store_in_keyring)
        result = data.check_result
        if result is not None and result.target == self.target:
            self._show_result(result)
        self._show_steps()
        self._set_running(self.runner.running)
        self.picker.setVisible(data.use_account)
        self.steps_label.setVisible(not data.use_account)  # the picker says what to do
        if data.use_account:  # an instance the image step just created is checked at once
            self.picker.refresh(data.account_ref if data.account_ref != self._account_ref else None)

    def is_valid(self) -> bool:
        """Next needs a successful check of the command as it is now."""
        return self.result is not None and self.result.target == self.target

    def is_busy(self) -> bool:
        """Busy while the check runs or the account is read."""
        return self.runner.running or self.picker.is_busy()

    def apply(self) -> None:
        """Record the target, its pin name, the check result and (in memory) the password."""
        data = self.context.data
        data.command = self.command_edit.text()
        data.store_in_keyring = self.remember_box.isChecked()
        if self.password_edit.text():
            data.password = self.password_edit.text()
        if self.target is not None:
            data.target = self.target
            data.pin_name = self._pin_name(self.target)
        if self.result is not None:
            data.check_result = self.result
        if self.result is not None and self._checked_with_key is not None:
            data.key_path = str(self._checked_with_key)  # it logs in: nothing to install
        if data.account_ref != self._account_ref and self.result is not None:
            data.account_ref = self._account_ref

    def cancel(self) -> None:
        """Stop a running check."""
        self.runner.cancel()
        self.picker.cancel()

    def on_picker_login_read(self, target: object, password: str, ref: str) -> None:
        """The login of an account instance: check it as a pasted one (nothing pasted)."""
        if not isinstance(target, SshTarget) or self.runner.running:
            return
        if self.command_edit.text():
            self.command_edit.clear()  # the account's login replaces a pasted command
        self.target, self._account_ref = target, ref
        self.result = None
        self.result_view.clear()
        self.password_edit.setText(password)
        self.parsed_label.setStyleSheet("color: #1a7f37;")
        text = self.tr("User %1 on %2, port %3 · read from AutoDL (%4)")
        instance_id = ref.partition(":")[2]
        self.parsed_label.setText(fmt(text, target.user, target.host, target.port, instance_id))
        self.on_check_button_clicked()

    # --- the check --------------------------------------------------------------------------

    def _show_result(self, result: CheckResult) -> None:
        self.result = result
        self._show_message(None)
        self.result_view.show_result(result, findings_for(result, self.context.data))

    def on_check_button_clicked(self) -> None:
        """Start the check in the background."""
        if self.target is None or self.runner.running:
            return
        self.result = None
        self.context.data.check_result = None
        self.result_view.clear()
        self._show_message(None)
        key = self._saved_key(self.target) if not self.password_edit.text() else None
        self._checked_with_key = key
        self.runner.start(
            self.target,
            self.password_edit.text(),
            pin_name=self._pin_name(self.target),
            directories=probe_directories(self._platform()),
            host_keys=self.context.services.host_keys,
            key=key,
            secrets=self.context.services.secrets,
        )
        self._set_running(True)
        self.progress_label.setText(self.tr("Starting…"))
        self.changed.emit()

    def on_cancel_button_clicked(self) -> None:
        """Stop waiting for the check."""
        self.runner.cancel()

    def on_runner_progressed(self, step: str) -> None:
        """Show what the check is doing."""
        self.progress_label.setText(progress_text(step))

    def on_runner_host_key_asked(self, key: PresentedKey) -> None:
        """First contact: show the fingerprint and let the user decide (non-blocking)."""
        self.progress_label.setText(self.tr("Waiting for you to trust the host key…"))
        address = self.target.address if self.target else "?"
        dialog = HostKeyDialog(address, key, self)
        dialog.finished.connect(self.on_host_key_dialog_finished)
        self.host_key_dialog = dialog
        dialog.open()

    def on_host_key_dialog_finished(self, result: int) -> None:
        """Pass the answer to the waiting check."""
        trusted = result == QDialog.DialogCode.Accepted.value
        self.runner.answer_host_key(trusted)
        if trusted and self.runner.running:
            self.progress_label.setText(self.tr("Host key trusted: logging in…"))
        if self.host_key_dialog is not None:
            self.host_key_dialog.deleteLater()
        self.host_key_dialog = None

    def on_runner_succeeded(self, result: CheckResult) -> None:
        """Show the result and its flags."""
        self._show_result(result)
        self.context.data.check_result = result

    def on_runner_failed(self, error: BaseException) -> None:
        """Show what went wrong and what to do."""
        message, hint, details = describe_error(error)
        if isinstance(error, HostKeyChangedError):
            details = fmt(
                self.tr("Trusted key: %1\nKey now: %2"),
                error.old_fingerprint,
                error.new_fingerprint,
            )
        notice = Notice("error", message, hint, details)
        notice.setObjectName("checkError")
        self._show_message(notice)
        if isinstance(error, HostKeyChangedError) and self.target is not None:
            forget = QPushButton(
                self.tr("It is a new instance at this address: forget the old key")
            )
            forget.setObjectName("forgetKeyButton")
            forget.clicked.connect(self.on_forget_button_clicked)
            self.messages.addWidget(forget)

    def on_forget_button_clicked(self) -> None:
        """Drop the address's old pin, so the next check asks about the new key."""
        if self.target is not None:
            self.context.services.host_keys.forget(pin_name_for_address(self.target))
        self._show_message(
            Notice("info", self.tr("The old key was forgotten. Press Check to trust the new one."))
        )

    def on_runner_finished(self) -> None:
        """Back to idle; close a host-key dialog left open by Cancel."""
        if self.host_key_dialog is not None:
            self.host_key_dialog.reject()
        self._set_running(False)
        self.changed.emit()

    def on_command_edit_text_changed(self, text: str) -> None:
        """Parse as the user types; a new target needs a new check (old messages go)."""
        before = self.target
        self._account_ref = None
        self._parse(text)
        self.context.data.command = text
        if self.target != before and not self.runner.running:
            self._show_message(None)  # e.g. a wrong-password error about the old command
        if self.result is not None and self.result.target != self.target:
            self.result = None
            self.result_view.clear()
        self._set_running(self.runner.running)
        self._show_steps()
        self.changed.emit()

    def on_password_edit_text_edited(self, _text: str) -> None:
        """A new password: an error about the old one is no longer true."""
        if not self.runner.running and self.result is None:
            self._show_message(None)

    def on_remember_box_toggled(self, checked: bool) -> None:
        """Record the choice (the password itself is stored only when the instance is saved)."""
        self.context.data.store_in_keyring = checked

    def on_console_button_clicked(self) -> None:
        """Open the platform's console in the browser."""
        platform = self._platform()
        if platform is not None:
            open_url(platform.console_url)
