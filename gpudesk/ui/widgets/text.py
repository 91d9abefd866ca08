"""Text helpers for translated strings: ``%1``-style arguments and HTML escaping.

PySide6 returns translations as ``str`` (no ``QString.arg``), so :func:`fmt` fills the
``%1 .. %9`` placeholders Qt Linguist understands.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from gpudesk.core.resources import resource_path


def fmt(text: str, *args: object) -> str:
    """Replace ``%1``, ``%2``, ... in a translated string by ``args`` (highest first)."""
    for number in range(len(args), 0, -1):
        text = text.replace(f"%{number}", str(args[number - 1]))
    return text


def esc(text: object) -> str:
    """``text`` escaped for a rich-text label."""
    return html.escape(str(text), quote=False)


def icon(name: str) -> QIcon:
    """An icon from ``resources/icons/<name>.svg``."""
    return QIcon(str(resource_path("icons", f"{name}.svg")))


def scale_font(widget: QWidget, factor: float = 1.0, *, bold: bool = False) -> None:
    """Make ``widget``'s font ``factor`` times the application font (Qt style sheets take no %)."""
    font = QFont(widget.font())
    size = QApplication.font().pointSizeF()
    if size > 0:
        font.setPointSizeF(size * factor)
    font.setBold(bold)
    widget.setFont(font)


def colon(label: str) -> str:
    """``label`` followed by a colon as the UI language writes it (``：`` in Chinese)."""
    return fmt(QCoreApplication.translate("Text", "%1:"), label)


def join_list(items: Iterable[str]) -> str:
    """Items joined as the UI language lists them (``、`` in Chinese)."""
    return QCoreApplication.translate("Text", ", ").join(items)
