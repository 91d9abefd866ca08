"""One platform of the catalog as a card: what it offers, its quota and limits, a link."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.catalog.platforms import PlatformExtras
from gpudesk.core.models import Platform
from gpudesk.ui.i18n import localized
from gpudesk.ui.widgets.text import colon, esc, fmt, scale_font

_BADGE = "border-radius: 8px; padding: 1px 8px;"


def open_url(url: str) -> None:
    """Open a web page in the system browser."""
    QDesktopServices.openUrl(QUrl(url))


class PlatformCard(QFrame):
    """A selectable card: a radio button with the name, facts below, a sign-up button."""

    chosen = Signal(str)

    def __init__(
        self, platform: Platform, extras: PlatformExtras, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.platform = platform
        self.setObjectName(f"card_{platform.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.radio = QRadioButton(localized(platform.name, platform.name_zh))
        self.radio.setObjectName(f"radio_{platform.id}")
        scale_font(self.radio, 1.1, bold=True)
        self.radio.toggled.connect(self.on_radio_toggled)
        if platform.has_ssh:
            badge = QLabel(self.tr("SSH"))
            badge.setStyleSheet(f"background: #dafbe1; color: #1a7f37; {_BADGE}")
        else:
            badge = QLabel(self.tr("Web notebook only"))
            badge.setStyleSheet(f"background: #eaeef2; color: #57606a; {_BADGE}")
        top = QHBoxLayout()
        top.addWidget(self.radio)
        top.addStretch(1)
        top.addWidget(badge)
        comparison = extras.comparison
        rows = [
            (self.tr("Price"), localized(comparison.price_note, comparison.price_note_zh)),
            (self.tr("Free quota"), localized(platform.free_quota, platform.free_quota_zh)),
            (self.tr("Limits"), localized(platform.limits, platform.limits_zh)),
            (self.tr("Good for"), localized(platform.typical_use, platform.typical_use_zh)),
        ]
        facts = QLabel(
            "".join(
                f"<p style='margin: 0 0 4px 0;'><b>{esc(colon(label))}</b> {esc(text)}</p>"
                for label, text in rows
                if text
            )
        )
        facts.setObjectName("facts")
        facts.setWordWrap(True)
        facts.setTextFormat(Qt.TextFormat.RichText)
        checked = QLabel(fmt(self.tr("Facts checked on %1"), platform.last_checked))
        checked.setStyleSheet("color: #57606a;")
        scale_font(checked, 0.9)
        self.open_button = QPushButton(self.tr("Sign up / open console"))
        self.open_button.setObjectName(f"open_{platform.id}")
        self.open_button.setToolTip(platform.console_url)
        self.open_button.clicked.connect(self.on_open_button_clicked)
        bottom = QHBoxLayout()
        bottom.addWidget(checked)
        bottom.addStretch(1)
        bottom.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(facts)
        layout.addStretch(1)
        layout.addLayout(bottom)
        self._style(False)

    def _style(self, selected: bool) -> None:
        border = "2px solid #0969da" if selected else "1px solid #d0d7de"
        background = "#f6fbff" if selected else "palette(base)"
        self.setStyleSheet(
            f"QFrame#{self.objectName()} {{ border: {border}; border-radius: 6px;"
            f" background: {background}; }}"
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        """A click anywhere on the card chooses it."""
        self.radio.setChecked(True)
        super().mousePressEvent(event)

    def on_radio_toggled(self, checked: bool) -> None:
        """Highlight the card and report the choice."""
        self._style(checked)
        if checked:
            self.chosen.emit(self.platform.id)

    def on_open_button_clicked(self) -> None:
        """Open the platform's console (sign-up) page in the browser."""
        open_url(self.platform.console_url)
