"""An action button with Cancel, a busy bar and a line saying what is happening.

The wizard's long steps (checking an instance, installing a key) share this row, so the user
always sees progress and a way out while gpudesk waits on the network.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton


class ProgressRow(QHBoxLayout):
    """``[action] [Cancel] [busy bar] what is happening``; show the busy parts while running."""

    def __init__(self, action: QPushButton, cancel: QPushButton) -> None:
        super().__init__()
        self.action_button = action
        self.cancel_button = cancel
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 0)  # busy: the length of the wait is unknown
        self.progress_bar.setMaximumWidth(120)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progressLabel")
        self.addWidget(action)
        self.addWidget(cancel)
        self.addWidget(self.progress_bar)
        self.addWidget(self.progress_label, 1)
