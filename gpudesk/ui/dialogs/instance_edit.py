"""Rename and remove a saved instance: small dialogs over the core edits.

:class:`RenameDialog` asks for the new alias (checked as it is typed) and renames through
:func:`~gpudesk.core.editor.rename.rename_instance`. :class:`RemoveDialog` lists what
:func:`~gpudesk.core.editor.instance_removal.plan_instance_removal` found (alias, host file,
pinned key, saved tunnels, secrets) BEFORE anything goes, and removes exactly that on
"Remove". Both run the few small file writes on the GUI thread (like the settings dialog);
the keyring is touched only on "Remove".
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.editor.instance_removal import RemovalPlan, remove_instance
from gpudesk.core.editor.rename import rename_instance
from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.errors import GpuDeskError
from gpudesk.core.ssh.hostkeys import HostKeyStore
from gpudesk.core.store.instances import Instance, InstanceStore, validate_alias
from gpudesk.core.store.secrets import SecretStore
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.widgets.text import esc, fmt, join_list


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("editError")
    label.setWordWrap(True)
    label.setStyleSheet("color: #cf222e;")
    label.hide()
    return label


def _show_error(label: QLabel, error: BaseException) -> None:
    message, hint, _details = describe_error(error)
    label.setText(f"{message} {hint}".strip())
    label.show()


class RenameDialog(QDialog):
    """Give a saved instance another alias; ``renamed`` holds the result after Accepted."""

    def __init__(self, instance: Instance, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("renameDialog")
        self.setWindowTitle(self.tr("Rename instance"))
        self.instance = instance
        self.renamed: Instance | None = None
        intro = QLabel(
            fmt(
                self.tr(
                    "The new name is also the ssh alias (ssh NAME). The host key, the saved "
                    "password and the tunnels of %1 stay with it."
                ),
                instance.alias,
            )
        )
        intro.setWordWrap(True)
        self.alias_edit = QLineEdit(instance.alias)
        self.alias_edit.setObjectName("aliasEdit")
        self.alias_edit.selectAll()
        self.alias_edit.textChanged.connect(self.on_alias_edit_text_changed)
        self.error_label = _error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Rename"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.alias_edit)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.on_alias_edit_text_changed(instance.alias)

    def on_alias_edit_text_changed(self, text: str) -> None:
        """Check the alias as it is typed."""
        try:
            validate_alias(text.strip())
        except GpuDeskError as error:
            _show_error(self.error_label, error)
            self.ok_button.setEnabled(False)
            return
        self.error_label.hide()
        self.ok_button.setEnabled(text.strip() != self.instance.alias)

    def accept(self) -> None:
        """Rename; on failure say why and stay open."""
        try:
            self.renamed = rename_instance(
                self.instance.alias,
                self.alias_edit.text().strip(),
                store=InstanceStore(),
                ssh_config=SshConfig(),
            )
        except GpuDeskError as error:
            _show_error(self.error_label, error)
            return
        super().accept()


class RemoveDialog(QDialog):
    """List what removing an instance takes away; remove it on "Remove"."""

    def __init__(
        self,
        plan: RemovalPlan,
        secrets: SecretStore,
        host_keys: HostKeyStore,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("removeDialog")
        self.setWindowTitle(self.tr("Remove instance"))
        self.plan = plan
        self.secrets = secrets
        self.host_keys = host_keys
        instance = plan.instance
        intro = QLabel(
            fmt(self.tr("gpudesk will forget %1 and remove:"), f"<b>{esc(instance.alias)}</b>")
        )
        intro.setWordWrap(True)
        self.list_label = QLabel(self._listing())
        self.list_label.setObjectName("removalList")
        self.list_label.setTextFormat(Qt.TextFormat.RichText)
        self.list_label.setWordWrap(True)
        self.list_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        kept = QLabel(
            self.tr(
                "Your key files stay. The instance itself keeps running and billing on the "
                "platform: stop or release it in the platform's console."
            )
        )
        kept.setWordWrap(True)
        kept.setStyleSheet("color: #57606a;")
        self.error_label = _error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setObjectName("removeButton")
        self.buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.remove_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list_label)
        layout.addWidget(kept)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def items(self) -> list[str]:
        """What will go, one plain sentence each (also for tests)."""
        plan, target = self.plan, self.plan.instance.target
        items = [fmt(self.tr("the saved instance (%1)"), f"{target.user}@{target.address}")]
        if plan.ssh_entry is not None:
            items.append(fmt(self.tr("its ssh alias (file %1)"), str(plan.ssh_entry)))
        if plan.host_key_pinned:
            items.append(self.tr("its pinned host key"))
        if plan.tunnel_names:
            items.append(fmt(self.tr("its saved tunnels: %1"), join_list(plan.tunnel_names)))
        kinds = {"password": self.tr("login password"), "jupyter-token": self.tr("Jupyter token")}
        if plan.secrets:
            secrets = join_list(kinds[k] for k in plan.secrets)
            items.append(fmt(self.tr("from the keyring: its %1"), secrets))
        return items

    def _listing(self) -> str:
        return "<ul>" + "".join(f"<li>{esc(item)}</li>" for item in self.items()) + "</ul>"

    def accept(self) -> None:
        """Remove what was listed; on failure say why and stay open."""
        try:
            remove_instance(
                self.plan,
                store=InstanceStore(),
                secrets=self.secrets,
                host_keys=self.host_keys,
                ssh_config=SshConfig(),
            )
        except GpuDeskError as error:
            _show_error(self.error_label, error)
            return
        super().accept()
