"""A coloured box with an icon, a bold headline and a body: errors, warnings, results."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLayout, QVBoxLayout, QWidget

from gpudesk.ui.widgets.text import icon, scale_font

#: Background and border colours per level (light, readable on both light and dark text).
_COLOURS = {
    "ok": ("#dafbe1", "#1a7f37"),
    "info": ("#ddf4ff", "#0969da"),
    "warning": ("#fff8c5", "#bf8700"),
    "error": ("#ffebe9", "#cf222e"),
}


class Notice(QFrame):
    """A message for the user: ``level`` is ``ok``, ``info``, ``warning`` or ``error``.

    The body may hold several paragraphs; ``details`` (e.g. the original English message)
    is shown smaller and grey.
    """

    def __init__(
        self,
        level: str,
        headline: str,
        body: str = "",
        details: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.level = level if level in _COLOURS else "info"
        background, border = _COLOURS[self.level]
        self.setObjectName("notice")
        # A property, not the object name, selects the style: callers rename notices.
        self.setProperty("notice", self.level)
        self.setStyleSheet(
            f"QFrame[notice] {{ background: {background}; border: 1px solid {border};"
            f" border-left: 4px solid {border}; border-radius: 4px; }}"
            " QFrame[notice] QLabel { background: transparent; color: #1f2328; border: none; }"
        )
        image = QLabel()
        image.setPixmap(icon(self.level).pixmap(18, 18))
        image.setAlignment(Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(2)
        # Messages may quote the instance (not trusted): plain text, never rich text.
        self.headline_label = QLabel(headline)
        self.headline_label.setTextFormat(Qt.TextFormat.PlainText)
        self.headline_label.setWordWrap(True)
        scale_font(self.headline_label, bold=True)
        self.headline_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.addWidget(self.headline_label)
        self.body_label = QLabel(body)
        self.body_label.setTextFormat(Qt.TextFormat.PlainText)
        self.body_label.setWordWrap(True)
        self.body_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body_label.setVisible(bool(body))
        text.addWidget(self.body_label)
        self.details_label = QLabel(details)
        self.details_label.setTextFormat(Qt.TextFormat.PlainText)
        self.details_label.setWordWrap(True)
        self.details_label.setStyleSheet("color: #57606a;")
        scale_font(self.details_label, 0.9)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label.setVisible(bool(details))
        text.addWidget(self.details_label)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 8, 10, 8)
        row.addWidget(image)
        row.addLayout(text, 1)

    def text(self) -> str:
        """Everything the notice says (for tests and accessibility)."""
        parts = [self.headline_label.text(), self.body_label.text(), self.details_label.text()]
        return "\n".join(part for part in parts if part)


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every item of ``layout`` (used to refill lists of notices)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
