"""The wizard's frame: a step bar, the current page, and Back / Next / Cancel.

The frame drives :class:`gpudesk.core.wizard.WizardFlow` (which step comes next, history,
saved progress) and shows the page registered for each step (``registry.PAGES``). Buttons
follow the page: Next needs ``is_valid()``, and both Back and Next wait while
``is_busy()``. Progress is saved on every step (off the GUI thread: :mod:`.progress_writer`)
and when the window closes, and cleared when the wizard is finished or cancelled.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.errors import GpuDeskError
from gpudesk.core.wizard import StepId, WizardFlow, clear_progress, load_progress
from gpudesk.ui.services import Services
from gpudesk.ui.widgets.text import esc, scale_font
from gpudesk.ui.wizard import registry
from gpudesk.ui.wizard.page import WizardContext, WizardPage
from gpudesk.ui.wizard.platform_page import PlatformPage
from gpudesk.ui.wizard.progress_writer import ProgressWriter
from gpudesk.ui.wizard.texts import step_name

log = logging.getLogger(__name__)


class WizardWidget(QWidget):
    """The set-up wizard; ``finished`` carries the saved alias ("" when none was saved)."""

    finished = Signal(str)
    cancelled = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wizard")
        self.context = WizardContext(services)
        self.flow = WizardFlow(services.catalog, available=registry.PAGES, data=self.context.data)
        self.pages: dict[StepId, WizardPage] = {}
        self.progress_writer = ProgressWriter()
        self.step_bar = QLabel()
        self.step_bar.setObjectName("stepBar")
        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        self.title_label.setStyleSheet("margin: 4px 0 6px 0;")
        scale_font(self.title_label, 1.45, bold=True)
        self.stack = QStackedWidget()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("wizardCancel")
        self.back_button = QPushButton(self.tr("< Back"))
        self.back_button.setObjectName("wizardBack")
        self.next_button = QPushButton(self.tr("Next >"))
        self.next_button.setObjectName("wizardNext")
        self.next_button.setDefault(True)
        self.cancel_button.clicked.connect(self.on_cancel_button_clicked)
        self.back_button.clicked.connect(self.on_back_button_clicked)
        self.next_button.clicked.connect(self.on_next_button_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_bar)
        layout.addWidget(self.title_label)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)

    # --- starting ---------------------------------------------------------------------------

    def start(self, *, resume: bool = True) -> bool:
        """Show the wizard from the saved progress (if ``resume`` and any), else from the start.

        Returns:
            True when saved progress was resumed.
        """
        self._drop_pages()
        self.progress_writer.flush()
        resumed = load_progress(self.flow) if resume else False
        if not resumed:
            self.flow.reset()
        self._show()
        return resumed

    def start_with_instance(self) -> None:
        """Start at Connect: "I already have an instance"."""
        self._drop_pages()
        self.flow.reset()
        self.flow.jump_to_connect()
        self._show()

    def _drop_pages(self) -> None:
        for page in self.pages.values():
            page.cancel()
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages = {}

    # --- pages ------------------------------------------------------------------------------

    def current_page(self) -> WizardPage | None:
        """The page shown now."""
        return self.pages.get(self.flow.current)

    def _page(self, step: StepId) -> WizardPage:
        page = self.pages.get(step)
        if page is None:
            page_type = registry.page_class(step.value)
            if page_type is None:  # the flow skips unregistered steps; this is a bug
                raise RuntimeError(f"no page registered for step {step.value}")
            page = page_type(self.context)
            page.changed.connect(self.on_page_changed)
            page.completed.connect(self.on_page_completed)
            if isinstance(page, PlatformPage):
                page.have_instance_requested.connect(self.on_page_have_instance_requested)
                page.account_instance_requested.connect(self.on_page_have_instance_requested)
            self.pages[step] = page
            self.stack.addWidget(page)
        return page

    def _show(self) -> None:
        page = self._page(self.flow.current)
        self.stack.setCurrentWidget(page)
        page.on_enter()
        self.title_label.setText(page.title())
        self._update_step_bar()
        self._update_buttons()
        self.save_progress(apply_page=False, wait=False)

    def _update_step_bar(self) -> None:
        parts = []
        planned = self.flow.planned_steps()
        for number, step in enumerate(planned, start=1):
            text = esc(f"{number}. {step_name(step)}")
            if step is self.flow.current:
                parts.append(f"<b style='color:#0969da'>{text}</b>")
            elif step in self.flow.history:
                parts.append(f"<span style='color:#1a7f37'>{text}</span>")
            else:
                parts.append(f"<span style='color:#8c959f'>{text}</span>")
        self.step_bar.setText("&nbsp;&nbsp;›&nbsp;&nbsp;".join(parts))

    def _update_buttons(self) -> None:
        page = self.current_page()
        busy = page is not None and page.is_busy()
        valid = page is not None and page.is_valid()
        self.back_button.setEnabled(self.flow.can_go_back() and not busy)
        self.next_button.setEnabled(valid and not busy)
        self.next_button.setText(self.tr("Finish") if self.flow.is_last() else self.tr("Next >"))
        self.title_label.setText(page.title() if page is not None else "")

    # --- progress ---------------------------------------------------------------------------

    def save_progress(self, *, apply_page: bool = True, wait: bool = True) -> None:
        """Save where the user is (choices of the current page too, when it is complete);
        without ``wait`` the file is written on the writer's thread."""
        page = self.current_page()
        if apply_page and page is not None and page.is_valid() and not page.is_busy():
            page.apply()
        progress = self.flow.to_progress()
        if wait:
            self.progress_writer.write_now(progress)
        else:
            self.progress_writer.write_soon(progress)

    def _end(self) -> None:
        for page in self.pages.values():
            page.cancel()
        try:
            self.progress_writer.flush()  # a step's late write must not bring it back
            clear_progress()
        except GpuDeskError as error:
            log.warning("could not clear the wizard's progress: %s", error.code)
        self.context.data.password = None

    # --- slots ------------------------------------------------------------------------------

    def on_page_changed(self) -> None:
        """A page's validity or busy state may have changed."""
        self._update_buttons()

    def on_next_button_clicked(self) -> None:
        """Apply the page; go on now, or when the page's background work completes."""
        page = self.current_page()
        if page is None or not page.is_valid() or page.is_busy():
            return
        page.apply()
        if page.submit():
            self._update_buttons()
            return
        self._advance()

    def on_page_completed(self) -> None:
        """The current page's background work is done: go on."""
        if self.sender() is self.current_page():
            self._advance()

    def _advance(self) -> None:
        if self.flow.is_last():
            alias = self.context.data.alias or ""
            self.flow.note_writes()
            self._end()
            self.finished.emit(alias)
            return
        try:
            self.flow.go_next()
        except GpuDeskError as error:
            log.warning("wizard cannot go on: %s", error.message)
            return
        self._show()

    def on_back_button_clicked(self) -> None:
        """Return to the previous step, keeping this page's choices."""
        page = self.current_page()
        if page is None or page.is_busy() or not self.flow.can_go_back():
            return
        if page.is_valid():
            page.apply()
        self.flow.go_back()
        self._show()

    def on_cancel_button_clicked(self) -> None:
        """Leave the wizard and forget its progress."""
        self._end()
        self.flow.reset()
        self._drop_pages()
        self.cancelled.emit()

    def on_page_have_instance_requested(self) -> None:
        """The platform page's shortcut: straight to Connect."""
        self.flow.jump_to_connect()
        self._show()
