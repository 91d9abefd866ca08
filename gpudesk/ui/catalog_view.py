"""The platforms side by side: price, SSH, VS Code, Jupyter, session limit, GPUs.

A read-only table over the catalog's ``comparison`` rows (one row per platform). Selecting
a row emits ``platform_selected`` with the platform's id.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.catalog.platforms import Catalog, Comparison
from gpudesk.ui.i18n import localized


class CatalogView(QWidget):
    """The comparison table of every platform in the catalog."""

    platform_selected = Signal(str)

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.table = QTableWidget(0, 7, self)
        self.table.setObjectName("catalogTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Platform"),
                self.tr("Price"),
                self.tr("SSH"),
                self.tr("VS Code"),
                self.tr("Jupyter"),
                self.tr("Session limit"),
                self.tr("GPUs"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 5, 6):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self._fill()
        header.sectionResized.connect(self.on_header_section_resized)
        self.table.itemSelectionChanged.connect(self.on_table_item_selection_changed)

    def _yes_no(self, value: bool) -> str:
        return self.tr("Yes") if value else self.tr("No")

    def _vscode(self, comparison: Comparison) -> str:
        if comparison.vscode == "remote_ssh":
            return self.tr("Remote-SSH")
        if comparison.vscode == "web":
            return self.tr("In the browser")
        return self.tr("No")

    def _price(self, comparison: Comparison) -> str:
        level = {
            "free": self.tr("Free"),
            "freemium": self.tr("Free tier"),
            "paid": self.tr("Paid"),
        }.get(comparison.price_level, self.tr("Unknown"))
        return localized(comparison.price_note, comparison.price_note_zh) or level

    def _fill(self) -> None:
        platforms = self.catalog.platforms
        self.table.setRowCount(len(platforms))
        for row, platform in enumerate(platforms):
            comparison = self.catalog.extras_for(platform.id).comparison
            cells = [
                localized(platform.name, platform.name_zh),
                self._price(comparison),
                self._yes_no(comparison.ssh),
                self._vscode(comparison),
                self._yes_no(comparison.jupyter),
                localized(comparison.max_session, comparison.max_session_zh),
                localized(comparison.gpus, comparison.gpus_zh),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        """Rows measured while hidden (in a background tab) are re-fitted when shown."""
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def on_header_section_resized(self, _index: int, _old: int, _new: int) -> None:
        """Re-fit the row heights when a column's width (and so the wrapping) changes."""
        self.table.resizeRowsToContents()

    def select(self, platform_id: str) -> None:
        """Select the row of ``platform_id`` (no signal when it is already selected)."""
        if platform_id in self.catalog.ids:
            self.table.selectRow(self.catalog.ids.index(platform_id))

    def on_table_item_selection_changed(self) -> None:
        """Emit the selected platform's id."""
        rows = {index.row() for index in self.table.selectedIndexes()}
        if len(rows) == 1:
            self.platform_selected.emit(self.catalog.platforms[rows.pop()].id)
