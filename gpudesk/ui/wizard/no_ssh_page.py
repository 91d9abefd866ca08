"""The end of the road for a platform without SSH: what it offers instead, honestly.

Colab, Kaggle, 九天·毕昇 and OpenI run notebooks in the browser. gpudesk cannot log in to
them, install keys, set up VS Code Remote-SSH or keep tunnels; this page says so, shows what
the platform does offer (its web tools, quota and limits), links to it, and names the
platforms that do give an SSH login (Back returns to the choice).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from gpudesk.core.models import Platform
from gpudesk.ui.i18n import localized
from gpudesk.ui.widgets.notice import Notice, clear_layout
from gpudesk.ui.widgets.platform_card import open_url
from gpudesk.ui.widgets.scroll import scroll_area
from gpudesk.ui.widgets.text import colon, esc, fmt, join_list
from gpudesk.ui.wizard.page import WizardContext, WizardPage
from gpudesk.ui.wizard.texts import web_tool_name


class NoSshPage(WizardPage):
    """What a web-notebook platform offers, and what gpudesk cannot do there."""

    step_id = "no_ssh"

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.platform: Platform | None = None
        self.notice_host = QVBoxLayout()
        self.facts = QLabel()
        self.facts.setObjectName("noSshFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton()
        self.open_button.setObjectName("openPlatformButton")
        self.open_button.clicked.connect(self.on_open_button_clicked)
        self.alternatives = QLabel()
        self.alternatives.setObjectName("alternatives")
        self.alternatives.setWordWrap(True)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 8, 0)
        body_layout.addLayout(self.notice_host)
        body_layout.addWidget(self.facts)
        body_layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        body_layout.addWidget(self.alternatives)
        body_layout.addStretch(1)
        scroll = scroll_area(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def title(self) -> str:
        """The heading names the platform."""
        if self.platform is None:
            return self.tr("No SSH on this platform")
        return fmt(
            self.tr("%1 works in the browser"),
            localized(self.platform.name, self.platform.name_zh),
        )

    def on_enter(self) -> None:
        """Describe the chosen platform."""
        catalog = self.context.services.catalog
        platform_id = self.context.data.platform_id
        if not isinstance(platform_id, str) or platform_id not in catalog.ids:
            return
        platform = catalog.by_id(platform_id)
        self.platform = platform
        name = localized(platform.name, platform.name_zh)
        clear_layout(self.notice_host)
        notice = Notice(
            "info",
            fmt(self.tr("%1 has no SSH login: it runs notebooks in your browser."), name),
            self.tr(
                "So gpudesk cannot log in to it, install an SSH key, set up VS Code "
                "Remote-SSH or keep tunnels open there. Use it in the browser; it is a good "
                "place to write and debug code for free."
            ),
        )
        notice.setObjectName("noSshNotice")
        self.notice_host.addWidget(notice)
        tools = join_list(web_tool_name(tool) for tool in platform.web_tools)
        rows = [
            (self.tr("It offers"), tools),
            (self.tr("Free quota"), localized(platform.free_quota, platform.free_quota_zh)),
            (self.tr("Limits"), localized(platform.limits, platform.limits_zh)),
            (self.tr("Good for"), localized(platform.typical_use, platform.typical_use_zh)),
            (self.tr("Work folder"), platform.workdir),
        ]
        notes = localized("\n".join(platform.notes), "\n".join(platform.notes_zh))
        html = "".join(
            f"<p><b>{esc(colon(label))}</b> {esc(text)}</p>" for label, text in rows if text
        )
        if notes:
            items = "".join(f"<li>{esc(line)}</li>" for line in notes.splitlines())
            heading = self.tr("Good to know")
            html += f"<p><b>{esc(colon(heading))}</b></p><ul>{items}</ul>"
        self.facts.setText(html)
        self.open_button.setText(fmt(self.tr("Open %1 in the browser"), name))
        with_ssh = join_list(localized(p.name, p.name_zh) for p in catalog.with_ssh())
        self.alternatives.setText(
            fmt(
                self.tr(
                    "Want a machine you can log in to with SSH? Go Back and choose one of: %1."
                ),
                with_ssh,
            )
        )

    def on_open_button_clicked(self) -> None:
        """Open the platform in the system browser."""
        if self.platform is not None:
            open_url(self.platform.console_url)
