"""The host-key trust dialog: first contact with an instance shows its SHA256 fingerprint.

Trust on first use, done visibly: the user sees the address, the key type and the
fingerprint exactly as ``ssh-keygen -lf`` prints it, and decides. Nothing (no password) is
sent to the server before the answer.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.ssh.hostkeys import PresentedKey
from gpudesk.ui.widgets.text import fmt, icon


class HostKeyDialog(QDialog):
    """Ask whether to trust a host key seen for the first time (Accepted = trust)."""

    def __init__(self, address: str, key: PresentedKey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hostKeyDialog")
        self.setWindowTitle(self.tr("Trust this instance?"))
        self.key = key
        image = QLabel()
        image.setPixmap(icon("key").pixmap(32, 32))
        image.setAlignment(Qt.AlignmentFlag.AlignTop)
        intro = QLabel(
            fmt(
                self.tr(
                    "This is the first time gpudesk connects to %1. An SSH server proves who "
                    "it is with its host key; gpudesk will remember this key and refuse to "
                    "send your password if it ever changes."
                ),
                address,
            )
        )
        intro.setWordWrap(True)
        self.fingerprint_label = QLabel(key.fingerprint)
        self.fingerprint_label.setObjectName("fingerprint")
        self.fingerprint_label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint_label.setStyleSheet(
            "padding: 6px; border: 1px solid #d0d7de; border-radius: 4px; background: #f6f8fa;"
            " color: #1f2328;"
        )
        key_type = QLabel(fmt(self.tr("Key type: %1"), key.key_type))
        advice = QLabel(
            self.tr(
                "If your platform's console shows a host key fingerprint, compare it with this "
                "one. Trust the key only if you just created this instance or the "
                "fingerprints match."
            )
        )
        advice.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.trust_button = self.buttons.addButton(
            self.tr("Trust and connect"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.trust_button.setObjectName("trustButton")
        self.reject_button = self.buttons.addButton(
            self.tr("Do not connect"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.reject_button.setObjectName("rejectButton")
        self.reject_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        text = QVBoxLayout()
        text.addWidget(intro)
        text.addWidget(QLabel(self.tr("SHA256 fingerprint of the host key:")))
        text.addWidget(self.fingerprint_label)
        text.addWidget(key_type)
        text.addWidget(advice)
        row = QHBoxLayout()
        row.addWidget(image)
        row.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
