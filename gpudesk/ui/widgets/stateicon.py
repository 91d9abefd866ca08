"""The icon of the overall tunnel/GPU state, shared by the tray and the state panel."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from gpudesk.core.desktop.traystate import OverallState
from gpudesk.core.resources import resource_path


def state_icon(state: OverallState) -> QIcon:
    """The icon of ``state`` (``resources/icons/tray-<state>.svg``)."""
    return QIcon(str(resource_path("icons", f"tray-{state.value}.svg")))
