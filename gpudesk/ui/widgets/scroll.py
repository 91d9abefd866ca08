"""A frameless, resizable scroll area: how every wizard page lets long content scroll."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


def scroll_area(body: QWidget, name: str = "") -> QScrollArea:
    """Wrap ``body`` so it scrolls when the window is smaller than the content."""
    scroll = QScrollArea()
    if name:
        scroll.setObjectName(name)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(body)
    return scroll
