"""The main window: saved instances on the left, the platform catalog on the right."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gpudesk.ui.catalog_view import CatalogView
from gpudesk.ui.services import Services


class MainWindow(QMainWindow):
    """The window a user sees first."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("gpudesk: your cloud GPUs"))
        self.instance_list = QListWidget()
        self.instance_list.setObjectName("instanceList")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(QLabel(self.tr("Your instances")))
        left_layout.addWidget(self.instance_list)
        self.catalog_view = CatalogView(services.catalog)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(QLabel(self.tr("GPU platforms")))
        right_layout.addWidget(self.catalog_view)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        self.setCentralWidget(splitter)
        self.refresh_instances()
        if services.secrets_warning:
            self.statusBar().showMessage(services.secrets_warning)
        self.resize(1100, 680)
        self._restore_geometry()

    def refresh_instances(self) -> None:
        """Reload the instance list from the store."""
        self.instance_list.clear()
        for instance in self.services.instances.list():
            self.instance_list.addItem(f"{instance.alias}  ({instance.target.address})")

    def _restore_geometry(self) -> None:
        value = QSettings().value("main_window/geometry")
        if isinstance(value, QByteArray):
            self.restoreGeometry(value)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Remember the window geometry (UI state only) before closing."""
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        super().closeEvent(event)
