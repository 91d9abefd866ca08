"""Step 6, Editor: ``ssh ALIAS`` in any terminal, VS Code Remote-SSH, and sftp.json.

The user names the instance (an alias such as ``autodl-4090``, suggested), picks the folder
to work in on the instance, and chooses what gpudesk sets up: the ssh alias (an ``Include``
line at the top of ``~/.ssh/config`` plus gpudesk's own host file), VS Code's
``remote.SSH.remotePlatform``, a ``.vscode/sftp.json`` in a local folder, and opening the
folder in VS Code. Before anything is written the page shows every file that would change
with exactly the text it would get (:mod:`gpudesk.core.editor.editorsetup`); Next writes those
bytes and nothing else, off the GUI thread.

Planning reads ``~/.ssh/config``, VS Code's settings, sftp.json and ``instances.json``: it
runs off the GUI thread, :data:`PLAN_DELAY_MS` after the last keystroke (a newer plan drops
an older one's result). Until the plan for the current inputs is in, Next waits.

The instance itself is saved by the Summary step; this page hands it the alias, the work
folder and the pin name (``host_key_alias``) the ssh entry already uses.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.editor.editorsetup import EditorPlan, default_workdir, plan_editor_setup
from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.editor.vscode import REMOTE_SSH_EXTENSION, VSCODE_DOWNLOAD_URL, open_remote_folder
from gpudesk.core.models import SshTarget
from gpudesk.core.setup.instancesave import saved_instance_at
from gpudesk.core.store.instances import Instance, new_host_key_alias, suggest_alias
from gpudesk.core.wizard import EditorChoice
from gpudesk.ui.bridges import BackgroundTask, run_in_background
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.widgets.notice import Notice, clear_layout
from gpudesk.ui.widgets.scroll import scroll_area
from gpudesk.ui.widgets.text import fmt
from gpudesk.ui.wizard.check_view import workdir_note
from gpudesk.ui.wizard.file_preview import FilePreview
from gpudesk.ui.wizard.page import WizardContext, WizardPage
from gpudesk.ui.wizard.texts import alias_problem

#: How long after the last keystroke the preview is planned again.
PLAN_DELAY_MS = 300


class EditorPage(WizardPage):
    """Alias, work folder, what to set up, and a preview of every file before writing."""

    step_id = "editor"

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._task: BackgroundTask | None = None
        self._planning: BackgroundTask | None = None
        self._plan: EditorPlan | None = None
        self._sftp_missing = False
        self._host_key_alias = ""
        self._saved: list[Instance] = []
        self._known: Instance | None = None
        self._plan_timer = QTimer(self)
        self._plan_timer.setSingleShot(True)
        self._plan_timer.setInterval(PLAN_DELAY_MS)
        self._plan_timer.timeout.connect(self.refresh)
        options = self._build_options()
        self.file_preview = FilePreview(self)
        self.preview_files = self.file_preview.files
        self.preview_text = self.file_preview.text
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll_area(options, "editorOptionsScroll"), 3)
        layout.addWidget(QLabel(self.tr("What will be written:")))
        layout.addWidget(self.preview_files)
        layout.addWidget(self.preview_text, 2)
        for edit in (self.alias_edit, self.workdir_edit, self.sftp_edit):
            edit.textChanged.connect(self.on_input_changed)
        for box in (self.ssh_box, self.vscode_box, self.open_box, self.sftp_box, self.skip_box):
            box.toggled.connect(self.on_input_changed)

    def _build_options(self) -> QWidget:
        """Name, folder, what to set up, the sftp folder, skip, and the messages."""
        intro = QLabel(
            self.tr(
                "Give the instance a short name. Afterwards 'ssh NAME' works in any terminal "
                "and VS Code opens the instance's folder with one click. Nothing is written "
                "before you press Next: the preview below shows every file that will change."
            )
        )
        intro.setWordWrap(True)
        self.alias_edit = QLineEdit()
        self.alias_edit.setObjectName("editorAliasEdit")
        self.alias_edit.setMaxLength(64)
        self.alias_feedback = QLabel()
        self.alias_feedback.setObjectName("editorAliasFeedback")
        self.alias_feedback.setStyleSheet("color: #cf222e;")
        self.workdir_edit = QLineEdit()
        self.workdir_edit.setObjectName("editorWorkdirEdit")
        self.workdir_note = QLabel()
        self.workdir_note.setObjectName("workdirNote")
        self.workdir_note.setWordWrap(True)
        self.workdir_note.setStyleSheet("color: #57606a;")
        self.ssh_box = QCheckBox(self.tr("Add the alias to my ssh config (~/.ssh/config)"))
        self.ssh_box.setObjectName("sshConfigBox")
        self.vscode_box = QCheckBox(self.tr("Set up VS Code Remote-SSH for this instance"))
        self.vscode_box.setObjectName("vscodeBox")
        self.open_box = QCheckBox(self.tr("Open the folder in VS Code when done"))
        self.open_box.setObjectName("openBox")
        self.sftp_box = QCheckBox(self.tr("Create .vscode/sftp.json in a local folder"))
        self.sftp_box.setObjectName("sftpBox")
        for box in (self.ssh_box, self.vscode_box):
            box.setChecked(True)
        self.skip_box = QCheckBox(self.tr("Skip this step: write nothing now"))
        self.skip_box.setObjectName("editorSkipBox")
        self.form = form = QFormLayout()
        form.addRow(self.tr("Name:"), self.alias_edit)
        form.addRow("", self.alias_feedback)
        form.addRow(self.tr("Folder on the instance:"), self.workdir_edit)
        form.addRow("", self.workdir_note)
        self.messages = QVBoxLayout()
        options = QWidget()
        options_layout = QVBoxLayout(options)
        options_layout.setContentsMargins(0, 0, 8, 0)
        options_layout.addWidget(intro)
        options_layout.addLayout(form)
        for widget in (self.ssh_box, self.vscode_box, self.open_box, self.sftp_box):
            options_layout.addWidget(widget)
        options_layout.addLayout(self._build_sftp_row())
        options_layout.addWidget(self.skip_box)
        options_layout.addLayout(self.messages)
        options_layout.addStretch(1)
        return options

    def _build_sftp_row(self) -> QHBoxLayout:
        self.sftp_edit = QLineEdit()
        self.sftp_edit.setObjectName("sftpFolderEdit")
        self.sftp_edit.setPlaceholderText(self.tr("Your local project folder"))
        browse = QPushButton(self.tr("Choose…"))
        browse.setObjectName("sftpBrowseButton")
        browse.clicked.connect(self.on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.sftp_edit, 1)
        row.addWidget(browse)
        return row

    def title(self) -> str:
        """The heading."""
        return self.tr("Terminal and editor")

    # --- what earlier steps produced ---------------------------------------------------

    def _target(self) -> SshTarget | None:
        data = self.context.data
        if data.target is not None:
            return data.target
        return data.check_result.target if data.check_result is not None else None

    def _platform_id(self) -> str | None:
        target = self._target()
        if target is not None and target.platform_id:
            return target.platform_id
        return self.context.data.platform_id

    def _gpu_model(self) -> str | None:
        result = self.context.data.check_result
        if result is not None and result.report.gpus:
            return result.report.gpus[0].name
        return self.context.data.gpu_model

    def _instance(self) -> Instance | None:
        target = self._target()
        if target is None:
            return None
        return Instance(
            alias=self.alias_edit.text().strip(),
            target=target,
            platform_id=self._platform_id(),
            host_key_alias=self._host_key_alias,
            key_path=self.context.data.key_path or (self._known.key_path if self._known else None),
            workdir=self.workdir_edit.text().strip() or None,
        )

    def on_enter(self) -> None:
        """Suggest an alias and a folder, then show the preview."""
        data = self.context.data
        # Read once per visit: typing must not read instances.json on the GUI thread.
        self._saved = self.context.services.instances.list()
        target = self._target()
        self._known = saved_instance_at(self._saved, target) if target is not None else None
        known = self._known
        self._host_key_alias = (
            data.host_key_alias or (known.host_key_alias if known else "") or new_host_key_alias()
        )
        if not self.alias_edit.text():
            alias = data.alias or (known.alias if known else None)
            if not alias:
                taken = [i.alias for i in self._saved]
                taken += [e.alias for e in SshConfig().entries()]
                alias = suggest_alias(self._platform_id(), self._gpu_model(), taken)
            self.alias_edit.setText(alias)
        if not self.workdir_edit.text():
            instance = self._instance()
            workdir = data.workdir or (known.workdir if known else None)
            if workdir:
                self.workdir_edit.setText(workdir)
            elif instance is not None:
                self.workdir_edit.setText(default_workdir(instance))
        self.refresh()

    def refresh(self) -> None:
        """Plan again from the inputs (off the GUI thread); the preview follows when it is in."""
        self._plan_timer.stop()
        self._drop_planning()
        clear_layout(self.messages)
        self._plan = None
        skipped = self.skip_box.isChecked()
        for widget in (self.ssh_box, self.open_box, self.sftp_box, self.sftp_edit):
            widget.setEnabled(not skipped)
        self.vscode_box.setEnabled(not skipped and self.ssh_box.isChecked())  # needs the alias
        if skipped:
            self._sftp_missing = False
            self._show_preview()
            self.changed.emit()
            return
        instance = self._instance()
        problem = alias_problem(self.alias_edit.text().strip(), self._saved, self._known)
        self.alias_feedback.setText(problem or "")
        self.form.setRowVisible(self.alias_feedback, problem is not None)
        self._show_workdir_note()
        folder_text = self.sftp_edit.text().strip()
        self._sftp_missing = self.sftp_box.isChecked() and not folder_text
        if self._sftp_missing:
            self.messages.addWidget(
                Notice("info", self.tr("Choose the local folder for sftp.json."))
            )
        if instance is None or problem is not None:
            self._show_preview()
            self.changed.emit()
            return
        folder = Path(folder_text).expanduser().absolute() if folder_text else None
        ssh_config = self.ssh_box.isChecked()
        vscode = self.vscode_box.isEnabled() and self.vscode_box.isChecked()
        sftp_folder = folder if self.sftp_box.isChecked() else None

        def plan(_task: BackgroundTask) -> EditorPlan:
            return plan_editor_setup(
                instance,
                workdir=instance.workdir,
                ssh_config=ssh_config,
                vscode=vscode,
                sftp_folder=sftp_folder,
            )

        self.file_preview.show_message(self.tr("Working out what would change…"))
        self._planning = run_in_background(plan)
        self._planning.succeeded.connect(self.on_plan_succeeded)
        self._planning.failed.connect(self.on_plan_failed)
        self.changed.emit()

    def _drop_planning(self) -> None:
        planning, self._planning = self._planning, None
        if planning is not None:
            planning.cancel()  # its late result is dropped

    def is_planning(self) -> bool:
        """True until the plan for the current inputs is in (tests wait for this)."""
        return self._plan_timer.isActive() or self._planning is not None

    def on_plan_succeeded(self, plan: EditorPlan) -> None:
        """The plan for the current inputs: show its problems and the preview."""
        if self.sender() is not self._planning:
            return
        self._planning = None
        self._plan = plan
        for part, error in plan.problems.items():
            message, hint, details = describe_error(error)
            level = "warning" if part == "vscode" else "error"
            self.messages.addWidget(Notice(level, message, hint, details))
        vscode = self.vscode_box.isEnabled() and self.vscode_box.isChecked()
        if vscode and not plan.editors:
            self._add_vscode_missing_notice()
        self._show_preview()
        self.open_box.setEnabled(vscode and bool(plan.editors))
        self.changed.emit()

    def on_plan_failed(self, error: BaseException) -> None:
        """Planning itself failed (an unreadable file): say why; Next stays off."""
        if self.sender() is not self._planning:
            return
        self._planning = None
        message, hint, details = describe_error(error)
        self.messages.addWidget(Notice("error", message, hint, details))
        self._show_preview()
        self.changed.emit()

    def _show_workdir_note(self) -> None:
        """Say whether the check saw the folder on the instance (it probes the usual ones)."""
        text = workdir_note(self.context.data.check_result, self.workdir_edit.text())
        self.workdir_note.setText(text)
        self.form.setRowVisible(self.workdir_note, bool(text))

    def _add_vscode_missing_notice(self) -> None:
        notice = Notice(
            "info",
            self.tr("VS Code was not found on this computer."),
            fmt(
                self.tr("Install it from %1 and add the Remote - SSH extension (%2)."),
                VSCODE_DOWNLOAD_URL,
                REMOTE_SSH_EXTENSION,
            ),
        )
        notice.setObjectName("vscodeMissing")
        self.messages.addWidget(notice)
        button = QPushButton(self.tr("Download VS Code"))
        button.setObjectName("downloadVscodeButton")
        button.clicked.connect(self.on_download_clicked)
        self.messages.addWidget(button)

    def _show_preview(self) -> None:
        changes = self._plan.preview() if self._plan is not None else []
        labels = [str(p) if text else fmt(self.tr("%1 (removed)"), p) for p, text in changes]
        if self.skip_box.isChecked():
            empty = self.tr("Skipped: nothing will be written.")
        else:
            empty = self.tr("Nothing to write: everything is in place.")
        self.file_preview.show_changes(changes, labels, empty)

    def preview(self) -> list[tuple[Path, str]]:
        """``(path, exact new text)`` of every file Next would write (for tests and views)."""
        return self.file_preview.changes()

    # --- the wizard's hooks ------------------------------------------------------------

    def is_valid(self) -> bool:
        """Skipped, or a usable alias and folder and nothing in the way of the chosen parts."""
        if self.skip_box.isChecked():
            return True
        return self._plan is not None and not self._plan.blocked and not self._sftp_missing

    def is_busy(self) -> bool:
        """Busy while writing files or starting VS Code."""
        return self._task is not None

    def apply(self) -> None:
        """Hand the alias, folder and pin name to the Summary step."""
        data = self.context.data
        data.alias = self.alias_edit.text().strip()
        data.host_key_alias = self._host_key_alias
        data.workdir = self._plan.workdir if self._plan is not None else None
        data.editor = EditorChoice(
            skipped=self.skip_box.isChecked(),
            ssh_config=self.ssh_box.isChecked(),
            vscode=self.vscode_box.isChecked(),
            sftp_folder=self.sftp_edit.text().strip() if self.sftp_box.isChecked() else None,
        )

    def submit(self) -> bool:
        """Write exactly the previewed files (and open VS Code) off the GUI thread."""
        plan = self._plan
        busy = self._task is not None
        if self.skip_box.isChecked() or not self.is_valid() or plan is None or busy:
            return False
        open_editor = self.open_box.isEnabled() and self.open_box.isChecked() and plan.editors
        if not plan.preview() and not open_editor:
            return False
        alias, hka = self.alias_edit.text().strip(), self._host_key_alias
        pin = self.context.data.pin_name
        result = self.context.data.check_result
        if not pin and result is not None:
            pin = result.host_key.pin_name
        host_keys = self.context.services.host_keys

        def write(_task: BackgroundTask) -> list[Path]:
            if plan.ssh_config and isinstance(pin, str) and pin != hka:
                host_keys.copy(pin, hka)  # ssh checks the host key under HostKeyAlias
            changed = plan.apply()
            if open_editor:
                open_remote_folder(plan.editors[0], alias, plan.workdir, wait=10.0)
            return changed

        clear_layout(self.messages)
        self._task = run_in_background(write)
        self._task.succeeded.connect(self.on_write_succeeded)
        self._task.failed.connect(self.on_write_failed)
        self.changed.emit()
        return True

    def on_write_succeeded(self, _changed: list[Path]) -> None:
        """Written: the wizard goes on."""
        self._task = None
        self.completed.emit()

    def on_write_failed(self, error: BaseException) -> None:
        """Show why and plan again (a file may have changed meanwhile)."""
        self._task = None
        self.refresh()
        message, hint, details = describe_error(error)
        notice = Notice("error", message, hint, details)
        notice.setObjectName("writeError")
        self.messages.addWidget(notice)
        self.changed.emit()

    def cancel(self) -> None:
        """Writing is quick and must not stop half way: nothing to cancel."""

    def on_input_changed(self, *_args: object) -> None:
        """Any input changed: plan again once the typing pauses (Next waits meanwhile)."""
        if self._task is None:
            self._drop_planning()
            self._plan = None
            self._plan_timer.start()
            self.changed.emit()

    def on_browse_clicked(self) -> None:
        """Pick the local folder for sftp.json."""
        folder = QFileDialog.getExistingDirectory(self, self.tr("Your local project folder"))
        if folder:
            self.sftp_edit.setText(folder)
            self.sftp_box.setChecked(True)

    def on_download_clicked(self) -> None:
        """Open VS Code's download page in the browser."""
        QDesktopServices.openUrl(QUrl(VSCODE_DOWNLOAD_URL))
