"""About / Help: what gpudesk is, where its log is, and each platform's documentation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from gpudesk import __version__
from gpudesk.core import paths
from gpudesk.core.catalog.platforms import Catalog
from gpudesk.ui.i18n import localized
from gpudesk.ui.widgets.text import esc, fmt


class AboutDialog(QDialog):
    """Version, a short help text and links to the platforms' own documentation."""

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About gpudesk"))
        head = QLabel(f"<h2>gpudesk {esc(__version__)}</h2>")
        intro = QLabel(
            self.tr(
                "gpudesk helps you rent a cloud GPU and work on it: choose a platform and a GPU, "
                "pick an image, paste the ssh command the console shows, and gpudesk checks "
                "the instance and remembers it."
            )
        )
        intro.setWordWrap(True)
        ssh_text, web_text = self.tr("SSH"), self.tr("web notebook")
        links = "".join(
            f'<li><a href="{esc(p.docs_url)}">{esc(localized(p.name, p.name_zh))}</a>'
            f" &mdash; {esc(ssh_text if p.has_ssh else web_text)}</li>"
            for p in catalog.platforms
        )
        title = self.tr("Platform documentation")
        docs = QLabel(f"<b>{esc(title)}</b><ul>{links}</ul>")
        docs.setObjectName("docsLinks")
        docs.setTextFormat(Qt.TextFormat.RichText)
        docs.setOpenExternalLinks(True)
        log_label = QLabel(fmt(self.tr("Log files: %1"), paths.log_dir()))
        log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        log_label.setWordWrap(True)
        log_label.setStyleSheet("color: #57606a;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(intro)
        layout.addWidget(docs)
        layout.addWidget(log_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
