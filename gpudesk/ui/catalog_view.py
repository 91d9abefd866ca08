"""The platform catalog as a table: what each platform offers, its limits, a sign-up link."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.catalog import Catalog
from gpudesk.ui.i18n import localized


def _tr(text: str) -> str:
    return QCoreApplication.translate("CatalogView", text)


class CatalogView(QWidget):
    """A read-only table of the platforms with an "Open website" button per row."""

    platform_selected = Signal(str)

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("catalogTable")
        self.table.setHorizontalHeaderLabels(
            [_tr("Platform"), _tr("Access"), _tr("Free quota"), _tr("Limits"), _tr("Website")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self._fill()
        self.table.itemSelectionChanged.connect(self.on_table_selection_changed)

    def _fill(self) -> None:
        platforms = self.catalog.platforms
        self.table.setRowCount(len(platforms))
        for row, platform in enumerate(platforms):
            name = localized(platform.name, platform.name_zh)
            access = _tr("SSH") if platform.has_ssh else _tr("Web notebook only")
            cells = [
                name,
                access,
                localized(platform.free_quota, platform.free_quota_zh),
                localized(platform.limits, platform.limits_zh),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
            button = QPushButton(_tr("Open website"), self.table)
            button.clicked.connect(lambda _=False, url=platform.url: self.open_url(url))
            self.table.setCellWidget(row, 4, button)
        self.table.resizeRowsToContents()

    def open_url(self, url: str) -> None:
        """Open a platform page in the system browser."""
        QDesktopServices.openUrl(QUrl(url))

    def on_table_selection_changed(self) -> None:
        """Emit the selected platform's id."""
        rows = {index.row() for index in self.table.selectedIndexes()}
        if len(rows) == 1:
            self.platform_selected.emit(self.catalog.platforms[rows.pop()].id)
