"""The last step: name the instance and save it (it then appears in the main window's list).

Saving runs off the GUI thread (the keyring may block on an unlock prompt): the password
goes to the keyring first, only when "remember" is ticked, under the new instance's id;
then the instance is added to ``instances.json`` and the host key trusted for its address
is copied to the instance's own pin (``host_key_alias``).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.catalog.images import default_images
from gpudesk.core.errors import GpuDeskError, InputError
from gpudesk.core.ssh.check import CheckResult
from gpudesk.core.store.instances import Instance, new_host_key_alias, suggest_alias, validate_alias
from gpudesk.core.store.secrets import secret_name
from gpudesk.ui.bridges import BackgroundTask, run_in_background
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.i18n import localized
from gpudesk.ui.widgets.notice import Notice, clear_layout
from gpudesk.ui.widgets.scroll import scroll_area
from gpudesk.ui.widgets.text import colon, fmt, scale_font
from gpudesk.ui.wizard.check_view import finding_notice, findings_for
from gpudesk.ui.wizard.page import WizardContext, WizardPage

log = logging.getLogger(__name__)


class SummaryPage(WizardPage):
    """Recap, an alias, and Finish saves the instance."""

    step_id = "summary"

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._task: BackgroundTask | None = None
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
        self.alias_feedback = QLabel()
        self.alias_feedback.setObjectName("aliasFeedback")
        self.alias_feedback.setStyleSheet("color: #cf222e;")
        self.remember_box = QCheckBox()
        self.remember_box.setObjectName("summaryRememberBox")
        self.remember_box.toggled.connect(self.on_remember_box_toggled)
        self.recap = QFormLayout()
        form = QFormLayout()
        form.addRow(self.tr("Name:"), self.alias_edit)
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
        result = self.context.data.get("check_result")
        return result if isinstance(result, CheckResult) else None

    def _platform_id(self) -> str | None:
        result = self._result()
        chosen = self.context.data.get("platform_id")
        if result is not None and result.target.platform_id:
            return result.target.platform_id
        return chosen if isinstance(chosen, str) else None

    def _gpu_model(self) -> str | None:
        result = self._result()
        if result is not None and result.report.gpus:
            return result.report.gpus[0].name
        chosen = self.context.data.get("gpu_model")
        return chosen if isinstance(chosen, str) else None

    def _row(self, label: str, text: str) -> None:
        value = QLabel(text)
        value.setWordWrap(True)
        self.recap.addRow(colon(label), value)

    def on_enter(self) -> None:
        """Suggest a free alias and show what will be saved."""
        data = self.context.data
        result = self._result()
        chosen_alias = data.get("alias")
        from_editor = isinstance(chosen_alias, str) and bool(chosen_alias) and "editor" in data
        if from_editor:
            # The editor step wrote ssh config under this name: keep the two in step.
            self.alias_edit.setText(str(chosen_alias))
        elif not self.alias_edit.text():
            existing = [i.alias for i in self.context.services.instances.list()]
            self.alias_edit.setText(suggest_alias(self._platform_id(), self._gpu_model(), existing))
        self.alias_edit.setReadOnly(from_editor)
        self.alias_edit.setToolTip(
            self.tr("Chosen in the Editor step; go Back to change it.") if from_editor else ""
        )
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
        image = next((i for i in default_images() if i.id == data.get("image_id")), None)
        if image is not None:
            self._row(self.tr("Image"), image.label)
        price = data.get("price_per_hour")
        if isinstance(price, (int, float)) and price > 0:
            self._row(self.tr("Price"), fmt(self.tr("¥%1 per hour"), f"{price:.2f}"))
        has_password = bool(data.get("password"))
        self.remember_box.setVisible(has_password)
        self.remember_box.setText(
            self.tr("Remember the password in the system keyring")
            if self.context.services.secrets.persistent
            else self.tr("Remember the password until gpudesk quits (no system keyring found)")
        )
        self.remember_box.setChecked(bool(data.get("store_in_keyring")))
        clear_layout(self.flags)
        findings = findings_for(result, data) if result is not None else []
        for finding in findings:
            self.flags.addWidget(finding_notice(finding))
        self.flags_title.setVisible(bool(findings))
        self._validate()

    def _validate(self) -> str | None:
        """The problem with the alias as typed, shown under it; None when it is fine."""
        alias = self.alias_edit.text().strip()
        problem: str | None = None
        try:
            validate_alias(alias)
        except InputError:
            problem = self.tr(
                "Use 1-64 letters, digits, '.', '_' or '-', not starting with '-' or '.'."
            )
        else:
            if self.context.services.instances.get(alias) is not None:
                problem = self.tr("An instance with this name exists already.")
        self.alias_feedback.setText(problem or "")
        self.alias_feedback.setVisible(problem is not None)
        return problem

    def is_valid(self) -> bool:
        """A usable alias and a checked instance."""
        return self._result() is not None and self._validate() is None

    def is_busy(self) -> bool:
        """Busy while saving."""
        return self._task is not None

    def apply(self) -> None:
        """Record the alias."""
        self.context.data["alias"] = self.alias_edit.text().strip()

    def submit(self) -> bool:
        """Save in the background; ``completed`` follows on success."""
        result = self._result()
        if result is None or self._task is not None or self._validate() is not None:
            return False
        instance = self._instance(result)
        password = self.context.data.get("password")
        remember = self.remember_box.isChecked() and isinstance(password, str) and password
        pin_name = self.context.data.get("pin_name") or result.host_key.pin_name
        services = self.context.services

        def save(_task: BackgroundTask) -> Instance:
            name = secret_name("password", instance.host_key_alias)
            if remember:
                services.secrets.set(name, str(password))
            try:
                saved = services.instances.add(instance)
            except GpuDeskError:
                if remember:
                    services.secrets.delete(name)
                raise
            services.host_keys.copy(str(pin_name), instance.host_key_alias)
            return saved

        clear_layout(self.messages)
        self._task = run_in_background(save)
        self._task.succeeded.connect(self.on_save_task_succeeded)
        self._task.failed.connect(self.on_save_task_failed)
        self.changed.emit()
        return True

    def _instance(self, result: CheckResult) -> Instance:
        data: dict[str, Any] = self.context.data
        catalog = self.context.services.catalog
        platform_id = self._platform_id()
        platform = catalog.by_id(platform_id) if platform_id in catalog.ids else None
        image_id = data.get("image_id")
        image = next((i for i in default_images() if i.id == image_id), None)
        price = data.get("price_per_hour")
        # The editor step (when it ran) already wrote ssh config with this pin name and folder.
        host_key_alias = data.get("host_key_alias")
        workdir = data.get("workdir")
        key_path = data.get("key_path")
        return Instance(
            alias=self.alias_edit.text().strip(),
            target=result.target,
            platform_id=platform.id if platform else None,
            host_key_alias=host_key_alias
            if isinstance(host_key_alias, str) and host_key_alias
            else new_host_key_alias(),
            key_path=key_path if isinstance(key_path, str) and key_path else None,
            gpu_model=self._gpu_model(),
            image_id=(image.image_id or image.id) if image else None,
            price_per_hour=float(price) if isinstance(price, (int, float)) and price > 0 else None,
            workdir=workdir
            if isinstance(workdir, str) and workdir
            else (platform.workdir if platform else None),
        )

    def on_save_task_succeeded(self, saved: Instance) -> None:
        """Saved: let the wizard finish."""
        self._task = None
        self.context.data["alias"] = saved.alias
        log.info("instance %s saved", saved.alias)
        self.completed.emit()

    def on_save_task_failed(self, error: BaseException) -> None:
        """Show why, and stay."""
        self._task = None
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
        self.context.data["store_in_keyring"] = checked

    def cancel(self) -> None:
        """Saving is quick and must not be left half done: nothing to stop."""
