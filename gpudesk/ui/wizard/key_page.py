"""Step 5, SSH key: pick or create a key, install it on the instance, prove key login works.

Replaces the ``ssh-keygen`` / ``ssh-copy-id`` steps of the usual guides for people who never
ran them. The existing keys of ``~/.ssh`` are offered with their fingerprints; a new key
(Ed25519, or RSA 4096 for old servers) may get a passphrase, which goes to the keyring.
Installing is awaited on the Qt loop (qasync, :mod:`gpudesk.ui.asyncwork`) while it runs on a
worker thread, through
the core function ``gpudesk install-key`` uses too (``gpudesk.core.keys.keysetup``): log in
with the password from the Connect step, append the key, then log in with the key alone.
Only then is the step done: the chooser gives way to the result, and the page offers to
forget the password or to use another key.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.keys.keypairs import KeyInfo, find_keys
from gpudesk.core.keys.keysetup import InstalledKey, KeyRequest, make_and_install_key
from gpudesk.core.models import SshTarget
from gpudesk.core.store.secrets import secret_name
from gpudesk.ui.asyncwork import TaskHolder, progress_on_gui, run_blocking
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.widgets.notice import Notice, clear_layout
from gpudesk.ui.widgets.progress_row import ProgressRow
from gpudesk.ui.widgets.text import fmt
from gpudesk.ui.wizard.page import WizardContext, WizardPage


class KeyPage(WizardPage):
    """Choose or create a key and switch the instance to key login."""

    step_id = "key"

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._install = TaskHolder()
        self._forget = TaskHolder()
        self.installed: InstalledKey | None = None
        self.working_key: Path | None = None  # logged in at the check: nothing to install
        self._installed_for: SshTarget | None = None
        intro = QLabel(
            self.tr(
                "Log in with a key instead of the password: gpudesk adds your public key to "
                "the instance and checks that a login with the key alone works."
            )
        )
        intro.setWordWrap(True)
        self.form = self._build_chooser()
        actions = self._build_actions()
        self.messages = QVBoxLayout()
        self.forget_button = QPushButton(self.tr("Forget the password: log in with the key only"))
        self.forget_button.setObjectName("forgetPasswordButton")
        self.forget_button.clicked.connect(self.on_forget_button_clicked)
        self.other_key_button = QPushButton(self.tr("Use another key…"))
        self.other_key_button.setObjectName("otherKeyButton")
        self.other_key_button.clicked.connect(self.on_other_key_button_clicked)
        self.skip_box = QCheckBox(self.tr("Skip this step and keep logging in with the password"))
        self.skip_box.setObjectName("skipBox")
        self.skip_box.toggled.connect(self.on_input_changed)
        after = QHBoxLayout()
        after.addWidget(self.forget_button)
        after.addWidget(self.other_key_button)
        after.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addLayout(actions)
        layout.addLayout(self.messages)
        layout.addLayout(after)
        layout.addStretch(1)
        layout.addWidget(self.skip_box)
        self._refresh_keys()
        self._update()

    def _build_chooser(self) -> QFormLayout:
        """Existing key or a new one (type, file name, passphrase), and the password."""
        self.existing_radio = QRadioButton(self.tr("Use a key I already have"))
        self.existing_radio.setObjectName("existingRadio")
        self.new_radio = QRadioButton(self.tr("Create a new key"))
        self.new_radio.setObjectName("newRadio")
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.existing_radio)
        self.mode_group.addButton(self.new_radio)
        self.key_combo = QComboBox()
        self.key_combo.setObjectName("keyCombo")
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("typeCombo")
        self.type_combo.addItem(self.tr("Ed25519 (recommended)"), "ed25519")
        self.type_combo.addItem(self.tr("RSA 4096 (for old servers)"), "rsa")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("nameEdit")
        self.name_edit.setPlaceholderText(self.tr("gpudesk_ed25519 (in ~/.ssh)"))
        self.passphrase_edit = self._secret_edit("passphraseEdit")
        self.passphrase_label = QLabel(self.tr("Passphrase:"))
        self.repeat_edit = self._secret_edit("repeatEdit")
        self.repeat_label = QLabel(self.tr("Passphrase again:"))
        self.password_edit = self._secret_edit("passwordEdit")
        self.password_label = QLabel(self.tr("Instance password:"))
        form = QFormLayout()
        form.addRow(self.existing_radio, self.key_combo)
        form.addRow(self.new_radio)
        form.addRow(self.tr("Type:"), self.type_combo)
        form.addRow(self.tr("File name:"), self.name_edit)
        form.addRow(self.passphrase_label, self.passphrase_edit)
        form.addRow(self.repeat_label, self.repeat_edit)
        form.addRow(self.password_label, self.password_edit)
        for signal in (
            self.existing_radio.toggled,
            self.key_combo.currentIndexChanged,
            self.type_combo.currentIndexChanged,
        ):
            signal.connect(self.on_input_changed)
        return form

    def _secret_edit(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def _build_actions(self) -> ProgressRow:
        """Install, Cancel, and the progress of an install under way."""
        self.install_button = QPushButton(self.tr("Install the key on the instance"))
        self.install_button.setObjectName("installButton")
        self.install_button.clicked.connect(self.on_install_button_clicked)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancelInstallButton")
        self.cancel_button.clicked.connect(self.on_cancel_button_clicked)
        actions = ProgressRow(self.install_button, self.cancel_button)
        self.progress_bar = actions.progress_bar
        self.progress_label = actions.progress_label
        return actions

    def title(self) -> str:
        """The heading."""
        return self.tr("Log in with an SSH key")

    # --- state ------------------------------------------------------------------------------

    def _target(self) -> SshTarget | None:
        return self.context.data.target

    def _selected_key(self) -> KeyInfo | None:
        info = self.key_combo.currentData()
        return info if isinstance(info, KeyInfo) else None

    def _refresh_keys(self) -> None:
        current = self._selected_key()
        self.key_combo.clear()
        for info in find_keys():
            label = f"{info.path.name}  {info.key_type or '?'}  {info.fingerprint or ''}"
            if info.encrypted:
                label += "  " + self.tr("(passphrase)")
            self.key_combo.addItem(label, info)
            if current is not None and info.path == current.path:
                self.key_combo.setCurrentIndex(self.key_combo.count() - 1)
        has_keys = self.key_combo.count() > 0
        self.existing_radio.setEnabled(has_keys)
        if not has_keys:
            self.new_radio.setChecked(True)
        elif self.mode_group.checkedButton() is None:
            self.existing_radio.setChecked(True)

    def _update(self) -> None:
        running = self._install.running
        done = self.is_valid() and not self.skip_box.isChecked()
        creating = self.new_radio.isChecked()
        selected = self._selected_key()
        needs_passphrase = not done and (creating or (selected is not None and selected.encrypted))
        self.key_combo.setEnabled(not creating and not running)
        # After success the chooser is history: the result says which key logs in.
        self.form.setRowVisible(self.existing_radio, not done)
        self.form.setRowVisible(self.new_radio, not done)
        for widget in (self.type_combo, self.name_edit, self.repeat_edit):
            self.form.setRowVisible(widget, creating and not done)
        self.passphrase_label.setText(
            self.tr("Passphrase (optional):") if creating else self.tr("Key passphrase:")
        )
        self.passphrase_edit.setPlaceholderText(
            self.tr("leave empty for a key without one")
            if creating
            else self.tr("leave empty if it is saved in the keyring")
        )
        self.form.setRowVisible(self.passphrase_edit, needs_passphrase)
        has_password = bool(self.context.data.password)
        self.form.setRowVisible(self.password_edit, not has_password and not done)
        ready = self._target() is not None and (creating or selected is not None)
        self.install_button.setVisible(not done)
        self.install_button.setEnabled(ready and not running and not self.skip_box.isChecked())
        self.cancel_button.setVisible(running)
        self.progress_bar.setVisible(running)
        self.forget_button.setVisible(done and has_password)
        self.other_key_button.setVisible(done)
        if not running:
            self.progress_label.clear()

    def _show(self, notice: Notice | None) -> None:
        clear_layout(self.messages)
        if notice is not None:
            self.messages.addWidget(notice)

    # --- page contract ----------------------------------------------------------------------

    def on_enter(self) -> None:
        """Reload the keys of ~/.ssh and forget a result for another instance."""
        if self._installed_for is not None and self._installed_for != self._target():
            self.installed = None
            self._installed_for = None
            self._show(None)
        data = self.context.data
        self.working_key = None
        if self.installed is None and data.key_path and data.check_result is not None:
            self.working_key = Path(data.key_path)
            notice = Notice(
                "ok",
                self.tr("The saved key logs in already: nothing to install."),
                fmt(self.tr("Key: %1"), data.key_path),
            )
            notice.setObjectName("keyWorksAlready")
            self._show(notice)
        self._refresh_keys()
        self._update()

    def is_valid(self) -> bool:
        """Next needs a key that logged in to this instance, or the skip box ticked."""
        if self.skip_box.isChecked() or self.working_key is not None:
            return True
        return self.installed is not None and self._installed_for == self._target()

    def is_busy(self) -> bool:
        """Busy while installing."""
        return self._install.running

    def apply(self) -> None:
        """Record the key that logs in (nothing when skipped)."""
        if self.installed is not None and not self.skip_box.isChecked():
            self.context.data.key_path = str(self.installed.path)
        elif self.working_key is not None and not self.skip_box.isChecked():
            self.context.data.key_path = str(self.working_key)
        else:
            self.context.data.key_path = None

    def cancel(self) -> None:
        """Stop waiting for the install (its late result is dropped)."""
        if self._install.cancel():
            self._update()
            self.changed.emit()

    # --- installing -------------------------------------------------------------------------

    def _passphrase_problem(self) -> str | None:
        if self.new_radio.isChecked() and self.passphrase_edit.text() != self.repeat_edit.text():
            return self.tr("The two passphrases differ.")
        if self._password() == "":
            return self.tr("Enter the instance's password: it is needed once to add the key.")
        return None

    def _password(self) -> str:
        return self.context.data.password or self.password_edit.text()

    def on_install_button_clicked(self) -> None:
        """Create the key if asked, then install and verify it in the background."""
        target = self._target()
        problem = self._passphrase_problem()
        if problem is not None:
            self._show(Notice("error", problem))
            return
        if target is None or self._install.running:
            return
        services = self.context.services
        creating = self.new_radio.isChecked()
        selected = self._selected_key()
        if not creating and selected is None:
            return
        request = KeyRequest(
            path=None if creating else selected.path if selected is not None else None,
            new_type="rsa" if self.type_combo.currentData() == "rsa" else "ed25519",
            new_name=self.name_edit.text().strip() or None,
            passphrase=self.passphrase_edit.text() or None,
        )
        password = self._password()
        pin_name = self.context.data.pin_name or ""

        async def install() -> None:
            progress = progress_on_gui(self.on_task_progressed)
            try:
                installed = await run_blocking(
                    lambda: make_and_install_key(
                        target,
                        password,
                        request,
                        secrets=services.secrets,
                        remember=services.secrets.persistent,
                        pin_name=pin_name,
                        host_keys=services.host_keys,
                        progress=progress,
                    )
                )
            except Exception as error:  # every error is shown on the page
                self._install.release()
                self.on_task_failed(error)
            else:
                self._install.release()
                self.on_task_succeeded(installed)

        self.installed = None
        self._show(None)
        self._install.start(install())
        self._update()
        self.progress_label.setText(self.tr("Starting…"))
        self.changed.emit()

    def on_task_progressed(self, step: str) -> None:
        """Show the step under way in the UI's language."""
        texts = {
            "Creating the key": self.tr("Creating the key…"),
            "Adding the key to ~/.ssh/authorized_keys": self.tr(
                "Adding the key to ~/.ssh/authorized_keys…"
            ),
            "Logging in with the key alone": self.tr("Logging in with the key alone…"),
        }
        if step.startswith("Connecting to "):
            address = step.removeprefix("Connecting to ").split()[0]
            text = fmt(self.tr("Logging in to %1 with the password…"), address)
        else:
            text = texts.get(step, step)
        self.progress_label.setText(text)

    def on_task_succeeded(self, installed: InstalledKey) -> None:
        """Show the fingerprint and what changed; the step is done."""
        self.installed = installed
        self._installed_for = self._target()
        self.passphrase_edit.clear()
        self.repeat_edit.clear()
        result = installed.result
        body = fmt(self.tr("Key: %1\nFingerprint: %2"), installed.path, result.fingerprint)
        if not result.added:
            body += "\n" + self.tr("The key was already installed; nothing was changed.")
        notice = Notice("ok", self.tr("Key login works."), body, "\n".join(result.warnings))
        notice.setObjectName("installResult")
        self._show(notice)
        self._refresh_keys()
        self._update()
        self.changed.emit()

    def on_task_failed(self, error: BaseException) -> None:
        """Show what went wrong and what to do."""
        message, hint, details = describe_error(error)
        notice = Notice("error", message, hint, details)
        notice.setObjectName("installError")
        self._show(notice)
        self._refresh_keys()
        self._update()
        self.changed.emit()

    def on_cancel_button_clicked(self) -> None:
        """Stop waiting for the install."""
        self.cancel()

    def on_forget_button_clicked(self) -> None:
        """Drop the password from memory, from "remember", and from the keyring."""
        data = self.context.data
        data.password = None
        data.store_in_keyring = False
        # Saved passwords live under the instance id (its host_key_alias) once it has one.
        instance_id = data.host_key_alias or data.pin_name
        secrets = self.context.services.secrets
        if isinstance(instance_id, str) and instance_id:
            name = secret_name("password", instance_id)
            self._forget.start(run_blocking(lambda: secrets.delete(name)))
        notice = Notice("info", self.tr("The password was forgotten; the key logs in."))
        notice.setObjectName("forgotNotice")
        self.messages.addWidget(notice)
        self._update()

    def on_other_key_button_clicked(self) -> None:
        """Choose again: the working key is forgotten for this step until one is installed."""
        self.installed = None
        self.working_key = None
        self._installed_for = None
        self._show(None)
        self._update()
        self.changed.emit()

    def on_input_changed(self, *_args: object) -> None:
        """Inputs changed: update what is shown and what Next allows."""
        self._update()
        self.changed.emit()
