"""The contract every wizard page follows (after electrum's wizard: dumb views).

A page reads what earlier steps produced from ``context.data`` (a typed
:class:`gpudesk.core.wizard.WizardData`), lets the user act, and writes its own results back
in :meth:`WizardPage.apply` — only the fields its step declares in ``produces`` (the flow
records every write and a test holds each page to it). The flow itself (order, skips,
back/next history, saved progress) is ``gpudesk.core.wizard``, testable without Qt.

Pages whose Next must wait for work off the GUI thread (saving to the keyring, say)
override :meth:`WizardPage.submit`: the wizard calls :meth:`apply`, then ``submit()``; when
that returns True it waits for ``completed`` (go on) while the page reports ``is_busy()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from gpudesk.core.wizard import WizardData
from gpudesk.ui.services import Services


@dataclass
class WizardContext:
    """What pages share: the app's services and the flow's data (see module docstring)."""

    services: Services
    data: WizardData = field(default_factory=WizardData, repr=False)


class WizardPage(QWidget):
    """Base class of a wizard page.

    Subclasses set ``step_id`` (the core flow's step name) and override the hooks. Emit
    ``changed`` whenever :meth:`is_valid` or :meth:`is_busy` may have changed, so the
    wizard updates its Back/Next buttons.
    """

    step_id: str = ""
    changed = Signal()
    completed = Signal()

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context

    def title(self) -> str:
        """The page's heading (translated)."""
        return ""

    def on_enter(self) -> None:
        """Called each time the page is shown; read ``context.data`` here."""

    def is_valid(self) -> bool:
        """True when Next may be pressed."""
        return True

    def is_busy(self) -> bool:
        """True while the page waits for work off the GUI thread (Next and Back disabled)."""
        return False

    def apply(self) -> None:
        """Write this page's results into ``context.data`` (called on Next)."""

    def submit(self) -> bool:
        """Start work that must end before the wizard moves on; True if started.

        The page then reports ``is_busy()`` and emits ``completed`` when the wizard may
        go on, or ``changed`` (staying on the page, e.g. with an error shown). The default
        starts nothing.
        """
        return False

    def cancel(self) -> None:
        """Stop any work under way (called when the user leaves or closes the wizard)."""
