"""The buttons of one instance in the dashboard: open it, copy its commands, edit it.

:class:`InstanceActions` is a row of buttons; each emits :attr:`InstanceActions.triggered`
with its action id (:class:`Action`) so the window decides what it does. Work with the
instance (Open in VS Code, Open Jupyter, Open TensorBoard, Open a terminal, Copy ssh command,
Copy Jupyter URL for VS Code) comes first (the copies in a "Copy" menu), changing it
(Re-point, Rename, Remove) in an "Edit" menu. An instance linked to a platform account also
has a "Power" menu (Power on, Power off).
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QToolButton, QWidget


class Action(str, Enum):
    """What a button of the instance asks for."""

    EDITOR = "editor"
    JUPYTER = "jupyter"
    TENSORBOARD = "tensorboard"
    TERMINAL = "terminal"
    COPY_SSH = "copy_ssh"
    JUPYTER_URL = "jupyter_url"
    REPOINT = "repoint"
    RENAME = "rename"
    REMOVE = "remove"
    POWER_ON = "power_on"
    POWER_OFF = "power_off"


class InstanceActions(QWidget):
    """A row of buttons; ``triggered(action)`` with an :class:`Action` value."""

    triggered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("instanceActions")
        self.buttons: dict[Action, QPushButton] = {}
        labels = {
            Action.EDITOR: self.tr("Open in VS Code"),
            Action.JUPYTER: self.tr("Open Jupyter"),
            Action.TENSORBOARD: self.tr("Open TensorBoard"),
            Action.TERMINAL: self.tr("Open a terminal"),
        }
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for action, label in labels.items():
            button = QPushButton(label)
            button.setObjectName(f"action_{action.value}")
            button.clicked.connect(lambda _checked=False, a=action: self.triggered.emit(a.value))
            self.buttons[action] = button
            layout.addWidget(button)
        self.buttons[Action.TERMINAL].setToolTip(self.tr("The system terminal, logged in with ssh"))
        self.menu_actions: dict[Action, QAction] = {}
        self.copy_button = self._menu_button(
            "copyMenu",
            self.tr("Copy"),
            {
                Action.COPY_SSH: self.tr("Copy ssh command"),
                Action.JUPYTER_URL: self.tr("Copy Jupyter URL for VS Code"),
            },
        )
        self.menu_actions[Action.JUPYTER_URL].setToolTip(
            self.tr(
                "For VS Code: Select Kernel > Existing Jupyter Server, then paste. "
                "The URL holds the server's token: keep it to yourself."
            )
        )
        self.edit_button = self._menu_button(
            "editInstance",
            self.tr("Edit"),
            {
                Action.REPOINT: self.tr("Re-point (new login command)…"),
                Action.RENAME: self.tr("Rename…"),
                Action.REMOVE: self.tr("Remove…"),
            },
        )
        self.power_button = self._menu_button(
            "powerMenu",
            self.tr("Power"),
            {Action.POWER_ON: self.tr("Power on"), Action.POWER_OFF: self.tr("Power off…")},
        )
        self.power_button.setToolTip(self.tr("Through the platform account the instance is in"))
        self.power_button.hide()
        layout.addWidget(self.copy_button)
        layout.addWidget(self.power_button)
        layout.addStretch(1)
        layout.addWidget(self.edit_button)

    def _menu_button(self, name: str, text: str, items: dict[Action, str]) -> QToolButton:
        button = QToolButton()
        button.setObjectName(name)
        button.setText(text)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        menu.setToolTipsVisible(True)
        for action, label in items.items():
            item = menu.addAction(label)
            item.setObjectName(f"action_{action.value}")
            item.triggered.connect(lambda _checked=False, a=action: self.triggered.emit(a.value))
            self.menu_actions[action] = item
        button.setMenu(menu)
        return button

    def set_power_available(self, available: bool) -> None:
        """Show the Power menu (the instance is linked to a connected platform account)."""
        self.power_button.setVisible(available)

    def trigger(self, action: Action) -> None:
        """Press the button or menu entry of ``action`` (as a click would)."""
        if action in self.buttons:
            self.buttons[action].click()
        else:
            self.menu_actions[action].trigger()
