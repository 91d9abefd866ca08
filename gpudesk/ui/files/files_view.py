"""The Files view of one instance: drop to push, pick remote entries to pull, watch, resolve.

Everything that touches the network runs on worker threads (:class:`.TransferTask`,
:class:`.RemoteListing`); this widget only shows what their signals bring. Transfers run one
after another: what is dropped while one runs waits in a queue. With "Delete files the source
no longer has", a dry run lists the deletions first and nothing is deleted unless the user
agrees. Conflicts (files changed on the other side since gpudesk last synced them) are listed
and left alone; "Save my copy beside them" runs the transfer again with the source copies
written next to the changed files.

Embed::

    view = FilesView(connect, instance.instance_id, instance.workdir)
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.ssh.remote import Connection
from gpudesk.core.transfer.model import (
    ConflictPolicy,
    Direction,
    Progress,
    TransferReport,
    TransferRequest,
)
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.files.amounts import eta_text, rate_text, size_text
from gpudesk.ui.files.remote_listing import RemoteEntry, RemoteListing
from gpudesk.ui.files.transfer_task import TransferTask
from gpudesk.ui.widgets.text import fmt

_PATH_ROLE = Qt.ItemDataRole.UserRole


class DropArea(QLabel):
    """A framed area that accepts local files and folders; emits their paths."""

    paths_dropped = Signal(list)

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setAcceptDrops(True)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumHeight(72)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QLabel { border: 2px dashed #8c959f; border-radius: 6px; }")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        """Accept local files only."""
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        """Emit the dropped paths."""
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.paths_dropped.emit(paths)
            event.acceptProposedAction()


class FilesView(QWidget):
    """Push and pull files of one instance, with progress, Cancel and a list of conflicts.

    Args:
        connect: Returns a logged-in connection (called on a worker thread).
        instance_id: The instance's stable id (names its transfer record).
        workdir: The instance's work folder (relative remote paths start there).
        owns_connection: Close each connection after use (False for a shared one).

    Signals:
        transfer_finished(TransferReport): a transfer ended (also when cancelled).
    """

    transfer_finished = Signal(object)

    def __init__(
        self,
        connect: Callable[[], Connection],
        instance_id: str,
        workdir: str | None,
        *,
        owns_connection: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.login = connect
        self.instance_id = instance_id
        self.workdir = workdir
        self.owns_connection = owns_connection
        self.queue: deque[TransferRequest] = deque()
        self.task: TransferTask | None = None
        self.listing: RemoteListing | None = None
        self.last_request: TransferRequest | None = None
        self._build()

    # --- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel(self.tr("Folder on the instance:")))
        self.remote_folder = QLineEdit(self.workdir or "~")
        self.remote_folder.setToolTip(
            self.tr("Absolute, or relative to the instance's work folder.")
        )
        folder_row.addWidget(self.remote_folder, 1)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        folder_row.addWidget(self.refresh_button)
        layout.addLayout(folder_row)

        send = QGroupBox(self.tr("Send to the instance"))
        send_layout = QVBoxLayout(send)
        self.drop_area = DropArea(
            self.tr("Drop files or folders here to send them to the folder above.")
        )
        self.drop_area.paths_dropped.connect(self.push_paths)
        send_layout.addWidget(self.drop_area)
        send_row = QHBoxLayout()
        self.send_files_button = QPushButton(self.tr("Send files…"))
        self.send_files_button.clicked.connect(self._choose_files)
        self.send_folder_button = QPushButton(self.tr("Send a folder…"))
        self.send_folder_button.clicked.connect(self._choose_folder)
        self.checksum_box = QCheckBox(self.tr("Compare content (slower)"))
        self.delete_box = QCheckBox(self.tr("Delete files the source no longer has"))
        for widget in (self.send_files_button, self.send_folder_button):
            send_row.addWidget(widget)
        send_row.addStretch(1)
        send_row.addWidget(self.checksum_box)
        send_row.addWidget(self.delete_box)
        send_layout.addLayout(send_row)
        layout.addWidget(send)

        fetch = QGroupBox(self.tr("Fetch from the instance"))
        fetch_layout = QVBoxLayout(fetch)
        self.remote_list = QListWidget()
        self.remote_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.remote_list.itemDoubleClicked.connect(self._open_entry)
        fetch_layout.addWidget(self.remote_list, 1)
        fetch_row = QHBoxLayout()
        fetch_row.addStretch(1)
        self.fetch_button = QPushButton(self.tr("Fetch selected to…"))
        self.fetch_button.clicked.connect(self._choose_fetch_target)
        fetch_row.addWidget(self.fetch_button)
        fetch_layout.addLayout(fetch_row)
        layout.addWidget(fetch, 1)

        progress_row = QHBoxLayout()
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        progress_row.addWidget(self.progress_bar, 1)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        progress_row.addWidget(self.cancel_button)
        layout.addLayout(progress_row)
        self.progress_label = QLabel()
        layout.addWidget(self.progress_label)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.status_label)

        self.conflicts_box = QGroupBox(self.tr("Changed on the other side — left as they are"))
        conflicts_layout = QVBoxLayout(self.conflicts_box)
        self.conflict_list = QListWidget()
        self.conflict_list.setMaximumHeight(120)  # the remote listing gets the space
        conflicts_layout.addWidget(self.conflict_list)
        conflict_row = QHBoxLayout()
        conflict_row.addStretch(1)
        self.save_beside_button = QPushButton(self.tr("Save my copy beside them"))
        self.save_beside_button.clicked.connect(self.save_conflicts_beside)
        self.dismiss_button = QPushButton(self.tr("Keep theirs"))
        self.dismiss_button.clicked.connect(self._dismiss_conflicts)
        conflict_row.addWidget(self.save_beside_button)
        conflict_row.addWidget(self.dismiss_button)
        conflicts_layout.addLayout(conflict_row)
        self.conflicts_box.setVisible(False)
        layout.addWidget(self.conflicts_box)

    # --- requests -----------------------------------------------------------------------

    def push_paths(self, paths: list[str]) -> None:
        """Queue one push per local path, into the remote folder shown."""
        for path in paths:
            request = TransferRequest(
                Direction.PUSH,
                path,
                self.remote_folder.text().strip(),
                checksum=self.checksum_box.isChecked(),
                delete=self.delete_box.isChecked(),
                dry_run=self.delete_box.isChecked(),  # list deletions first; ask; then run
            )
            self.queue.append(request)
        self._next()

    def pull_paths(self, remote_paths: list[str], local_folder: str) -> None:
        """Queue one pull per remote path (absolute or relative), into ``local_folder``."""
        for remote in remote_paths:
            request = TransferRequest(
                Direction.PULL, local_folder, remote, checksum=self.checksum_box.isChecked()
            )
            self.queue.append(request)
        self._next()

    def cancel(self) -> None:
        """Stop the running transfer (it resumes next time) and drop the queued ones."""
        self.queue.clear()
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(self.tr("Stopping…"))

    def save_conflicts_beside(self) -> None:
        """Run the last transfer again, the source copies of conflicts written beside them."""
        if self.last_request is None:
            return
        again = replace(
            self.last_request, conflict_policy=ConflictPolicy.SAVE_BESIDE, dry_run=False
        )
        self.queue.append(again)
        self._dismiss_conflicts()
        self._next()

    def _dismiss_conflicts(self) -> None:
        self.conflict_list.clear()
        self.conflicts_box.setVisible(False)

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Send files"))
        if paths:
            self.push_paths(paths)

    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Send a folder"))
        if path:
            self.push_paths([path])

    def _choose_fetch_target(self) -> None:
        selected = self.selected_remote_paths()
        if not selected:
            self.status_label.setText(self.tr("Select files or folders in the list first."))
            return
        start = str(Path.home() / "Downloads") if (Path.home() / "Downloads").is_dir() else ""
        folder = QFileDialog.getExistingDirectory(self, self.tr("Fetch into"), start)
        if folder:
            self.pull_paths(selected, folder)

    def selected_remote_paths(self) -> list[str]:
        """The remote paths selected in the listing."""
        return [str(item.data(_PATH_ROLE)) for item in self.remote_list.selectedItems()]

    # --- running ------------------------------------------------------------------------

    def _next(self) -> None:
        if self.task is not None or not self.queue:
            return
        request = self.queue.popleft()
        self.last_request = request
        task = TransferTask(
            self.login,
            request,
            instance_id=self.instance_id,
            workdir=self.workdir,
            owns_connection=self.owns_connection,
        )
        task.progressed.connect(self._on_task_progressed)
        task.succeeded.connect(self._on_task_succeeded)
        task.failed.connect(self._on_task_failed)
        task.finished.connect(self._on_task_finished)
        self.task = task
        self.cancel_button.setEnabled(True)
        self.progress_bar.setValue(0)
        name = os.path.basename(
            (request.local if request.direction is Direction.PUSH else request.remote).rstrip("/")
        )
        verb = self.tr("Sending %1…") if request.direction is Direction.PUSH else None
        self.progress_label.setText(fmt(verb or self.tr("Fetching %1…"), name))
        self.status_label.clear()
        task.start()

    def _on_task_progressed(self, progress: Progress) -> None:
        total = max(progress.bytes_total, 1)
        self.progress_bar.setValue(min(1000, round(1000 * progress.bytes_done / total)))
        parts = [
            fmt(
                self.tr("%1 of %2"),
                size_text(progress.bytes_done),
                size_text(progress.bytes_total),
            ),
            fmt(self.tr("%1 of %2 files"), progress.files_done, progress.files_total),
            rate_text(progress.rate_bps),
            eta_text(progress.eta_s),
        ]
        self.progress_label.setText(" · ".join(part for part in parts if part))

    def _on_task_succeeded(self, report: TransferReport) -> None:
        request = self.last_request
        if report.dry_run and request is not None and request.delete:
            self._confirm_deletions(request, report)
            return
        if report.cancelled:
            text = self.tr("Stopped. Start the same transfer again to resume it.")
        else:
            self.progress_bar.setValue(1000)
            text = fmt(
                self.tr("Done: %1 files sent (%2), %3 already there."),
                report.files_sent,
                size_text(report.bytes_sent),
                report.files_skipped,
            )
        self.status_label.setText(text)
        self.progress_label.clear()
        self._show_conflicts(report)
        self.transfer_finished.emit(report)

    def _confirm_deletions(self, request: TransferRequest, report: TransferReport) -> None:
        real = replace(request, dry_run=False)
        if report.deleted:
            listing = "\n".join(report.deleted[:30])
            more = len(report.deleted) - 30
            if more > 0:
                listing += "\n" + fmt(self.tr("… and %1 more"), more)
            answer = QMessageBox.question(
                self,
                self.tr("Delete files?"),
                fmt(
                    self.tr("These files are not in the source and will be deleted:\n\n%1"),
                    listing,
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                real = replace(real, delete=False)
        self.queue.appendleft(real)

    def _show_conflicts(self, report: TransferReport) -> None:
        self.conflict_list.clear()
        for path in report.conflicts:
            self.conflict_list.addItem(QListWidgetItem(path))
        self.conflicts_box.setVisible(bool(report.conflicts))

    def _on_task_failed(self, error: BaseException) -> None:
        message, hint, details = describe_error(error)
        self.status_label.setText("\n".join(part for part in (message, hint, details) if part))
        self.progress_label.clear()

    def _on_task_finished(self) -> None:
        self.task = None
        self.cancel_button.setEnabled(False)
        self._next()

    # --- the remote listing ---------------------------------------------------------------

    def refresh(self) -> None:
        """List the remote folder in the background."""
        listing = RemoteListing(
            self.login,
            self.remote_folder.text().strip(),
            workdir=self.workdir,
            owns_connection=self.owns_connection,
        )
        listing.listed.connect(self._on_listing_listed)
        listing.failed.connect(self._on_task_failed)
        self.listing = listing
        self.refresh_button.setEnabled(False)
        listing.start()

    def _on_listing_listed(self, folder: str, entries: list[RemoteEntry]) -> None:
        self.refresh_button.setEnabled(True)
        self.remote_folder.setText(folder)
        self.remote_list.clear()
        for entry in entries:
            label = f"{entry.name}/" if entry.is_dir else f"{entry.name}  ({size_text(entry.size)})"
            item = QListWidgetItem(label)
            item.setData(_PATH_ROLE, f"{folder.rstrip('/')}/{entry.name}")
            item.setData(Qt.ItemDataRole.UserRole + 1, entry.is_dir)
            self.remote_list.addItem(item)

    def _open_entry(self, item: QListWidgetItem) -> None:
        if item.data(Qt.ItemDataRole.UserRole + 1):
            self.remote_folder.setText(str(item.data(_PATH_ROLE)))
            self.refresh()
