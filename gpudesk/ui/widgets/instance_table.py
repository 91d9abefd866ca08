"""The saved instances as a table model: alias, platform, GPU, state, and the live columns.

The model holds a copy of the instances (the window reloads it from the store); the state
column says "Not connected" until the window reports something better with
:meth:`InstanceTableModel.set_state`. The live columns (GPU use, memory, time up, the
session's cost) are texts the window sets with :meth:`InstanceTableModel.set_live`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from gpudesk.core.catalog.platforms import Catalog
from gpudesk.core.desktop.traymenu import InstanceSection
from gpudesk.core.store.instances import Instance
from gpudesk.ui.i18n import localized
from gpudesk.ui.tray_texts import TrayTexts
from gpudesk.ui.widgets.text import fmt

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = 8


class InstanceTableModel(QAbstractTableModel):
    """Rows of saved instances for a ``QTableView``."""

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog
        self.instances: list[Instance] = []
        self.states: dict[str, str] = {}
        self.live: dict[str, tuple[str, str, str, str]] = {}
        self.guards: dict[str, str] = {}

    def headers(self) -> list[str]:
        """Column titles."""
        return [
            QCoreApplication.translate("InstanceTable", "Name"),
            QCoreApplication.translate("InstanceTable", "Platform"),
            QCoreApplication.translate("InstanceTable", "GPU"),
            QCoreApplication.translate("InstanceTable", "State"),
            QCoreApplication.translate("InstanceTable", "GPU use"),
            QCoreApplication.translate("InstanceTable", "Memory"),
            QCoreApplication.translate("InstanceTable", "Up for"),
            QCoreApplication.translate("InstanceTable", "Cost (estimate)"),
        ]

    def set_instances(self, instances: list[Instance]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self.instances = list(instances)
        self.endResetModel()

    def set_state(self, alias: str, state: str) -> None:
        """Show ``state`` (translated text) in the state column of ``alias``."""
        self.states[alias] = state
        for row, instance in enumerate(self.instances):
            if instance.alias == alias:
                index = self.index(row, 3)
                self.dataChanged.emit(index, index)

    def set_guard(self, alias: str, note: str) -> None:
        """Add ``note`` (the cost guard's state, translated; "" for none) to the state column."""
        if self.guards.get(alias, "") == note:
            return
        self.guards[alias] = note
        self.set_state(alias, self.states.get(alias, self._not_connected()))

    def set_live(self, alias: str, values: tuple[str, str, str, str]) -> None:
        """Show GPU use, memory, time up and cost (translated texts) for ``alias``."""
        if self.live.get(alias) == values:
            return
        self.live[alias] = values
        row = self.row_of(alias)
        if row >= 0:
            self.dataChanged.emit(self.index(row, 4), self.index(row, COLUMNS - 1))

    def row_of(self, alias: str) -> int:
        """The row of ``alias``, or -1."""
        return next((r for r, i in enumerate(self.instances) if i.alias == alias), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Number of instances."""
        return 0 if parent.isValid() else len(self.instances)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Alias, platform, GPU, state and the four live columns."""
        return 0 if parent.isValid() else COLUMNS

    def _platform_name(self, platform_id: str | None) -> str:
        if platform_id is None:
            return QCoreApplication.translate("InstanceTable", "other")
        if platform_id in self.catalog.ids:
            platform = self.catalog.by_id(platform_id)
            return localized(platform.name, platform.name_zh)
        return platform_id

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text and tooltips."""
        if not index.isValid() or not 0 <= index.row() < len(self.instances):
            return None
        instance = self.instances[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{instance.target.user}@{instance.target.address}"
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            return instance.alias
        if column == 1:
            return self._platform_name(instance.platform_id)
        if column == 2:
            return instance.gpu_model or "?"
        if column >= 4:
            return self.live.get(instance.alias, ("", "", "", ""))[column - 4]
        state = self.states.get(instance.alias, self._not_connected())
        guard = self.guards.get(instance.alias, "")
        return f"{state} · {guard}" if guard else state

    @staticmethod
    def _not_connected() -> str:
        return QCoreApplication.translate("InstanceTable", "Not connected")

    def headerData(  # noqa: N802 (Qt's name)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            headers = self.headers()
            return headers[section] if 0 <= section < len(headers) else None
        return None


def live_texts(section: InstanceSection | None, texts: TrayTexts) -> tuple[str, str, str, str]:
    """GPU use, memory, time up and cost of one instance, as the tray words them."""
    reading = section.reading if section is not None else None
    if section is None or reading is None or not reading.running:
        return ("", "", "", "")
    use = memory = ""
    if reading.gpus:
        used, total = reading.memory_mib or (0, 0)
        use = fmt(QCoreApplication.translate("InstanceTable", "%1 %"), reading.max_util)
        memory = fmt(
            QCoreApplication.translate("InstanceTable", "%1/%2 GiB"),
            f"{used / 1024:.1f}",
            f"{total / 1024:.1f}",
        )
    elif reading.error:
        use = QCoreApplication.translate("InstanceTable", "unknown")
    up = texts.duration(section.up_for_s) if section.up_for_s is not None else ""
    cost = texts.money(reading.cost) if reading.cost is not None else ""
    return (use, memory, up, cost)
