"""The last step: name the instance and save it (it then appears in the main window's list).

Saving is awaited on the Qt loop (qasync) while it runs on a worker thread (the keyring may
block on an unlock prompt), through the core function ``gpudesk setup`` uses too
(:func:`gpudesk.core.setup.instancesave.save_checked_instance`): the password goes to the
keyring only when "remember" is ticked, the instance is added to ``instances.json`` (or, for
an instance already saved at this login, updated in place) and the host key trusted during
the check is pinned under the instance's own name.

When the Editor step named the instance, the name is shown as a fact (go Back to change
it); otherwise the name field is where it is chosen.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.catalog.images import default_images
from gpudesk.core.setup.instancesave import (
    SavedInstance,
    save_checked_instance,
    saved_instance_at,
)
from gpudesk.core.ssh.check import CheckResult
from gpudesk.core.store.instances import Instance, suggest_alias
from gpudesk.core.wizard.account import link_saved_instance
from gpudesk.ui.asyncwork import TaskHolder, run_blocking
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.i18n import localized
from gpudesk.ui.widgets.notice import Notice, clear_layout
from gpudesk.ui.widgets.scroll import scroll_area
from gpudesk.ui.widgets.text import colon, fmt, scale_font
from gpudesk.ui.wizard.check_view import finding_notice, findings_for
from gpudesk.ui.wizard.page import WizardContext, WizardPage
from gpudesk.ui.wizard.texts import alias_problem

log = logging.getLogger(__name__)


class SummaryPage(WizardPage):
    """Recap, an alias, and Finish saves the instance."""

    step_id = "summary"

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._saving = TaskHolder()
        self._saved: list[Instance] = []  # read on entering: typing reads no file
        intro = QLabel(
            self.tr(
                "Give the instance a short name: you will use it in gpudesk and, later, as "
                "'ssh NAME' and in your editor. Finish saves it to your list."
            )
        )
        intro.setWordWrap(True)
        self.alias_edit = QLineEdit()
        self.alias_edit.setObjectName("aliasEdit")
        self.alias_edit.setMaxLength(64)
        self.alias_edit.setMaximumWidth(360)
        self.alias_edit.textChanged.connect(self.on_alias_edit_text_changed)
        self.alias_fact = QLabel()
        self.alias_fact.setObjectName("aliasFact")
        self.alias_fact.setTextFormat(Qt.TextFormat.PlainText)
        self.alias_fact.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scale_font(self.alias_fact, bold=True)
        self.alias_note = QLabel(self.tr("(named in the Editor step; go Back to change it)"))
        self.alias_note.setObjectName("aliasNote")
        self.alias_note.setStyleSheet("color: #57606a;")
        self.alias_feedback = QLabel()
        self.alias_feedback.setObjectName("aliasFeedback")
        self.alias_feedback.setStyleSheet("color: #cf222e;")
        self.remember_box = QCheckBox()
        self.remember_box.setObjectName("summaryRememberBox")
        self.remember_box.toggled.connect(self.on_remember_box_toggled)
        self.recap = QFormLayout()
        name_row = QHBoxLayout()
        for widget in (self.alias_edit, self.alias_fact, self.alias_note):
            name_row.addWidget(widget)
        name_row.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Name:"), name_row)
        form.addRow("", self.alias_feedback)
        self.messages = QVBoxLayout()
        self.flags = QVBoxLayout()
        self.flags_title = QLabel(self.tr("What the check found:"))
        scale_font(self.flags_title, bold=True)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 8, 0)
        body_layout.addLayout(self.recap)
        body_layout.addWidget(self.remember_box)
        body_layout.addWidget(self.flags_title)
        body_layout.addLayout(self.flags)
        body_layout.addLayout(self.messages)
        body_layout.addStretch(1)
        scroll = scroll_area(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(scroll, 1)

    def title(self) -> str:
        """The heading."""
        return self.tr("Save the instance")

    def _result(self) -> CheckResult | None:
        return self.context.data.check_result

    def _platform_id(self) -> str | None:
        result = self._result()
        if result is not None and result.target.platform_id:
            return result.target.platform_id
        return self.context.data.platform_id

    def _gpu_model(self) -> str | None:
        result = self._result()
        if result is not None and result.report.gpus:
            return result.report.gpus[0].name
        return self.context.data.gpu_model

    def _row(self, label: str, text: str) -> None:
        value = QLabel(text)
        value.setWordWrap(True)
        self.recap.addRow(colon(label), value)

    def on_enter(self) -> None:
        """Suggest a free alias and show what will be saved."""
        self._saved = self.context.services.instances.list()
        data = self.context.data
        result = self._result()
        from_editor = bool(data.alias) and data.editor is not None and not data.editor.skipped
        if from_editor:
            # The editor step wrote ssh config under this name: keep the two in step.
            self.alias_edit.setText(str(data.alias))
        elif not self.alias_edit.text():
            known = self._known_instance()
            existing = [i.alias for i in self._saved]
            suggested = suggest_alias(self._platform_id(), self._gpu_model(), existing)
            self.alias_edit.setText(known.alias if known is not None else suggested)
        self.alias_edit.setVisible(not from_editor)
        self.alias_fact.setText(self.alias_edit.text())
        self.alias_fact.setVisible(from_editor)
        self.alias_note.setVisible(from_editor)
        while self.recap.rowCount():
            self.recap.removeRow(0)
        catalog = self.context.services.catalog
        platform_id = self._platform_id()
        if platform_id in catalog.ids:
            platform = catalog.by_id(str(platform_id))
            self._row(self.tr("Platform"), localized(platform.name, platform.name_zh))
        if result is not None:
            target = result.target
            self._row(self.tr("Login"), f"{target.user}@{target.address}")
            self._row(self.tr("Host key"), result.host_key.key.fingerprint)
        self._row(self.tr("GPU"), self._gpu_model() or self.tr("none found"))
        image = next((i for i in default_images() if i.id == data.image_id), None)
        if image is not None:
            self._row(self.tr("Image"), image.label)
        price = data.price_per_hour
        if price is not None and price > 0:
            self._row(self.tr("Price"), fmt(self.tr("¥%1 per hour"), f"{price:.2f}"))
        has_password = bool(data.password)
        self.remember_box.setVisible(has_password)
        self.remember_box.setText(
            self.tr("Remember the password in the system keyring")
            if self.context.services.secrets.persistent
            else self.tr("Remember the password until gpudesk quits (no system keyring found)")
        )
        self.remember_box.setChecked(data.store_in_keyring)
        clear_layout(self.flags)
        findings = findings_for(result, data) if result is not None else []
        for finding in findings:
            self.flags.addWidget(finding_notice(finding))
        self.flags_title.setVisible(bool(findings))
        self._validate()

    def _validate(self) -> str | None:
        """The problem with the alias as typed, shown under it; None when it is fine."""
        alias = self.alias_edit.text().strip()
        problem = alias_problem(alias, self._saved, self._known_instance())
        self.alias_feedback.setText(problem or "")
        self.alias_feedback.setVisible(problem is not None)
        return problem

    def _known_instance(self) -> Instance | None:
        """The saved instance at the checked login: saving again updates it, not a new one."""
        result = self._result()
        if result is None:
            return None
        return saved_instance_at(self._saved, result.target)

    def is_valid(self) -> bool:
        """A usable alias and a checked instance."""
        return self._result() is not None and self._validate() is None

    def is_busy(self) -> bool:
        """Busy while saving."""
        return self._saving.running

    def apply(self) -> None:
        """Record the alias."""
        self.context.data.alias = self.alias_edit.text().strip()

    def submit(self) -> bool:
        """Save in the background; ``completed`` follows on success."""
        result = self._result()
        if result is None or self._saving.running or self._validate() is not None:
            return False
        instance = self._instance(result)
        password = self.context.data.password if self.remember_box.isChecked() else None
        pin_name = self.context.data.pin_name or result.host_key.pin_name
        services = self.context.services
        account_ref = self.context.data.account_ref

        def save_and_link() -> SavedInstance:
            saved = save_checked_instance(
                instance,
                checked_pin=pin_name,
                store=services.instances,
                host_keys=services.host_keys,
                secrets=services.secrets,
                password=password,
            )
            if account_ref:  # power-on/off from the account then know this instance
                alias = saved.instance.alias
                link_saved_instance(account_ref, alias, saved.instance.host_key_alias)
            return saved

        async def save() -> None:
            try:
                saved = await run_blocking(save_and_link)
            except Exception as error:  # shown on the page
                self._saving.release()
                self.on_save_task_failed(error)
            else:
                self._saving.release()
                self.on_save_task_succeeded(saved)

        clear_layout(self.messages)
        self._saving.start(save())
        self.changed.emit()
        return True

    def _instance(self, result: CheckResult) -> Instance:
        data = self.context.data
        catalog = self.context.services.catalog
        platform_id = self._platform_id()
        platform = catalog.by_id(platform_id) if platform_id in catalog.ids else None
        image = next((i for i in default_images() if i.id == data.image_id), None)
        price = data.price_per_hour
        known = self._known_instance()
        # The editor step (when it ran) already wrote ssh config with this pin name and folder.
        host_key_alias = data.host_key_alias or (known.host_key_alias if known else "")
        return Instance(
            alias=self.alias_edit.text().strip(),
            target=result.target,
            platform_id=platform.id if platform else None,
            host_key_alias=host_key_alias,
            key_path=data.key_path,
            gpu_model=self._gpu_model(),
            image_id=(image.image_id or image.id) if image else None,
            price_per_hour=float(price) if price is not None and price > 0 else None,
            workdir=data.workdir or (platform.workdir if platform else None),
        )

    def on_save_task_succeeded(self, saved: SavedInstance) -> None:
        """Saved: let the wizard finish."""
        self.context.data.alias = saved.instance.alias
        log.info("instance %s saved", saved.instance.alias)
        self.completed.emit()

    def on_save_task_failed(self, error: BaseException) -> None:
        """Show why, and stay."""
        message, hint, details = describe_error(error)
        notice = Notice("error", message, hint, details)
        notice.setObjectName("saveError")
        self.messages.addWidget(notice)
        self._validate()
        self.changed.emit()

    def on_alias_edit_text_changed(self, _text: str) -> None:
        """Re-check the alias."""
        self._validate()
        self.changed.emit()

    def on_remember_box_toggled(self, checked: bool) -> None:
        """Record the choice."""
        self.context.data.store_in_keyring = checked

    def cancel(self) -> None:
        """Saving is quick and must not be left half done: nothing to stop."""
