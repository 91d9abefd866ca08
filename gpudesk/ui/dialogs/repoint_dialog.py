"""Re-point a saved instance: paste the new login command; same alias, key and tunnels.

AutoDL and others change host or port when an instance is powered on again. The user pastes
the command the console shows now (and the password when it changed and the key is not on
the new machine yet; otherwise the saved one is used);
:func:`~gpudesk.core.editor.repoint.repoint_instance` logs in there on the thread pool and
only then changes what gpudesk saved. The new machine's host key is asked as
FIRST CONTACT in the usual host-key dialog, from the worker through a bounded wait (like the
wizard's check). ``repointed`` carries the :class:`RepointResult`; the window then lets the
instance's tunnels follow.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.editor.repoint import RepointResult, repoint_instance
from gpudesk.core.errors import GpuDeskError
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import PresentedKey
from gpudesk.core.ssh.sshcommand import parse_ssh_command
from gpudesk.core.store.instances import Instance
from gpudesk.core.store.secrets import secret_name
from gpudesk.ui.bridges import BackgroundTask, run_in_background
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.dialogs.hostkey import HostKeyDialog
from gpudesk.ui.services import Services
from gpudesk.ui.widgets.text import fmt

#: How long the worker waits for the host-key answer (s).
ANSWER_TIMEOUT_S = 600.0


class RepointDialog(QDialog):
    """Paste the new command, log in there, move the instance."""

    repointed = Signal(object)  # RepointResult
    _asked = Signal(object)  # PresentedKey, from the worker

    def __init__(self, instance: Instance, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("repointDialog")
        self.setWindowTitle(fmt(self.tr("Re-point %1"), instance.alias))
        self.instance = instance
        self.services = services
        self.target: SshTarget | None = None
        self.result_value: RepointResult | None = None
        self.task: BackgroundTask | None = None
        self.host_key_dialog: HostKeyDialog | None = None
        self._answer = threading.Event()
        self._trusted = False
        self._asked.connect(self.on_worker_asked)
        intro = QLabel(
            fmt(
                self.tr(
                    "Powered on again, the instance may have a new address. Paste the login "
                    "command the console shows now: %1 keeps its name, key and tunnels."
                ),
                instance.alias,
            )
        )
        intro.setWordWrap(True)
        self.command_edit = QLineEdit()
        self.command_edit.setObjectName("repointCommand")
        self.command_edit.setPlaceholderText(instance.target.ssh_command())
        self.command_edit.textChanged.connect(self.on_command_edit_text_changed)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("repointPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("only if the key is not on it yet"))
        self.parsed_label = QLabel()
        self.parsed_label.setObjectName("repointParsed")
        self.parsed_label.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("repointStatus")
        self.status_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Login command:"), self.command_edit)
        form.addRow(self.tr("Password:"), self.password_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Re-point"))
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.parsed_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def on_command_edit_text_changed(self, text: str) -> None:
        """Parse the pasted command as it changes."""
        self.status_label.clear()
        try:
            self.target = parse_ssh_command(text, self.services.catalog.platforms)
        except GpuDeskError as error:
            self.target = None
            self.parsed_label.setText(describe_error(error)[0] if text.strip() else "")
        else:
            where = f"{self.target.user}@{self.target.address}"
            self.parsed_label.setText(fmt(self.tr("New address: %1"), where))
        self.ok_button.setEnabled(self.target is not None and self.task is None)

    def start(self) -> None:
        """Log in at the new address in the background."""
        target = self.target
        if target is None or self.task is not None:
            return
        password = self.password_edit.text() or None
        alias, services = self.instance.alias, self.services

        def confirm(key: PresentedKey) -> bool:
            self._answer.clear()
            self._asked.emit(key)
            answered = self._answer.wait(ANSWER_TIMEOUT_S)
            return answered and self._trusted

        instance_id = self.instance.instance_id

        def work(_task: BackgroundTask) -> RepointResult:
            saved = services.secrets.get(secret_name("password", instance_id))
            return repoint_instance(
                alias,
                target,
                password=password or saved,
                confirm_new_host_key=confirm,
                secrets=services.secrets,
                host_keys=services.host_keys,
            )

        self.task = run_in_background(work)
        self.task.succeeded.connect(self.on_task_succeeded)
        self.task.failed.connect(self.on_task_failed)
        self.ok_button.setEnabled(False)
        self.status_label.setText(fmt(self.tr("Logging in to %1…"), target.address))

    def on_worker_asked(self, key: PresentedKey) -> None:
        """First contact with the new machine: show its host key and ask."""
        address = self.target.address if self.target else ""
        dialog = HostKeyDialog(address, key, self)
        dialog.finished.connect(lambda result: self.answer_host_key(bool(result)))
        self.host_key_dialog = dialog
        dialog.open()

    def answer_host_key(self, trusted: bool) -> None:
        """The user's answer to the host-key question."""
        self._trusted = trusted
        self._answer.set()

    def on_task_succeeded(self, result: object) -> None:
        """Done: hand the result over and close."""
        self.task = None
        if isinstance(result, RepointResult):
            self.result_value = result
            self.repointed.emit(result)
        self.accept()

    def on_task_failed(self, error: object) -> None:
        """Say why, and let the user correct the command or the password."""
        self.task = None
        message, hint, _details = describe_error(
            error if isinstance(error, BaseException) else RuntimeError(str(error))
        )
        self.status_label.setText(f"{message} {hint}".strip())
        self.ok_button.setEnabled(self.target is not None)

    def reject(self) -> None:
        """Cancel: a pending host-key question is answered no."""
        self.answer_host_key(False)
        super().reject()
