"""Step 1, the platform: the catalog as cards, a side-by-side comparison, sign-up links.

The guides' first chapter (choosing a platform) as a page. Choosing a card records
``platform_id``; a platform without SSH leads to the ``no_ssh`` page. "I already have an
instance" skips to Connect (``have_instance_requested``; the wizard asks the core flow to jump).

Beside it, "connect my AutoDL account" (the token dialog of ``gpudesk.ui.accounts``): with the
account connected the user can pick one of its Pro instances (``account_instance_requested``:
Connect then lists them, nothing is pasted) or, with AutoDL chosen, let the GPU and image steps
create a Pro instance (``use_account``). The official API controls Pro instances only.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.wizard.account import AUTODL, account_connected
from gpudesk.ui.accounts.connect_dialog import ConnectAccountDialog
from gpudesk.ui.catalog_view import CatalogView
from gpudesk.ui.widgets.platform_card import PlatformCard
from gpudesk.ui.widgets.scroll import scroll_area
from gpudesk.ui.wizard.page import WizardContext, WizardPage

_COLUMNS = 2


class PlatformPage(WizardPage):
    """Choose where to rent: cards per platform, a comparison table, a shortcut."""

    step_id = "platform"
    have_instance_requested = Signal()
    account_instance_requested = Signal()

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        catalog = context.services.catalog
        intro = QLabel(
            self.tr(
                "Where will you rent your GPU? Paid platforms give you an SSH login, so gpudesk "
                "can connect, check and set up the machine for you. Free platforms run "
                "notebooks in the browser only."
            )
        )
        intro.setWordWrap(True)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.cards: dict[str, PlatformCard] = {}
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 4, 0)
        grid.setSpacing(10)
        for index, platform in enumerate(catalog.platforms):
            card = PlatformCard(platform, catalog.extras_for(platform.id))
            card.chosen.connect(self.on_card_chosen)
            self.group.addButton(card.radio)
            self.cards[platform.id] = card
            grid.addWidget(card, index // _COLUMNS, index % _COLUMNS)
        for column in range(_COLUMNS):
            grid.setColumnStretch(column, 1)
        scroll = scroll_area(grid_host, "cardsScroll")
        self.comparison = CatalogView(catalog)
        self.comparison.platform_selected.connect(self.on_comparison_platform_selected)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("platformTabs")
        self.tabs.addTab(scroll, self.tr("Platforms"))
        self.tabs.addTab(self.comparison, self.tr("Compare side by side"))
        self.have_instance_button = QPushButton(self.tr("I already have an instance…"))
        self.have_instance_button.setObjectName("haveInstanceButton")
        self.have_instance_button.setToolTip(
            self.tr("Skip the choices and paste the ssh command of a machine you already rent.")
        )
        self.have_instance_button.clicked.connect(self.on_have_instance_button_clicked)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(self.tr("Already renting? Go straight to connecting:")), 0)
        bottom.addWidget(self.have_instance_button)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        layout.addLayout(self._build_account_row())
        self.account_dialog: ConnectAccountDialog | None = None
        self._show_account()

    def _build_account_row(self) -> QVBoxLayout:
        """Connect the AutoDL account; pick one of its Pro instances, or create one."""
        self.account_button = QPushButton(self.tr("Connect my AutoDL account…"))
        self.account_button.setObjectName("connectAccountButton")
        self.account_button.clicked.connect(self.on_account_button_clicked)
        self.pick_button = QPushButton(self.tr("Pick one of my AutoDL Pro instances…"))
        self.pick_button.setObjectName("pickAccountInstanceButton")
        self.pick_button.clicked.connect(self.on_pick_button_clicked)
        self.account_label = QLabel()
        self.account_label.setObjectName("accountState")
        self.account_label.setWordWrap(True)
        self.create_box = QCheckBox(
            self.tr("Create the instance with my AutoDL account (AutoDL chosen above)")
        )
        self.create_box.setObjectName("createWithAccountBox")
        self.create_box.toggled.connect(self.changed)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(self.tr("Or let gpudesk use your AutoDL account:")), 0)
        buttons.addWidget(self.account_button)
        buttons.addWidget(self.pick_button)
        buttons.addStretch(1)
        rows = QVBoxLayout()
        rows.addLayout(buttons)
        rows.addWidget(self.account_label)
        rows.addWidget(self.create_box)
        return rows

    def _show_account(self) -> None:
        connected = account_connected()
        self.account_button.setVisible(not connected)
        self.pick_button.setEnabled(connected)
        self.create_box.setEnabled(connected and self.selected() == AUTODL)
        if not self.create_box.isEnabled():
            self.create_box.setChecked(False)
        self.account_label.setText(
            self.tr(
                "AutoDL account connected. Its official API controls Pro instances only: "
                "ordinary instances are set up by pasting their command."
            )
            if connected
            else self.tr(
                "With your AutoDL developer token gpudesk lists your Pro instances, or creates "
                "one, and reads the login itself: nothing to paste."
            )
        )

    def title(self) -> str:
        """The heading."""
        return self.tr("Choose a GPU platform")

    def selected(self) -> str | None:
        """The chosen platform's id, if any."""
        for platform_id, card in self.cards.items():
            if card.radio.isChecked():
                return platform_id
        return None

    def choose(self, platform_id: str) -> None:
        """Select a platform (as a click on its card would)."""
        card = self.cards.get(platform_id)
        if card is not None:
            card.radio.setChecked(True)

    def on_enter(self) -> None:
        """Show the earlier choice."""
        platform_id = self.context.data.platform_id
        if isinstance(platform_id, str):
            self.choose(platform_id)
        self._show_account()
        if self.create_box.isEnabled():
            self.create_box.setChecked(self.context.data.use_account)

    def is_valid(self) -> bool:
        """A platform must be chosen."""
        return self.selected() is not None

    def apply(self) -> None:
        """Record the platform; the normal path clears the "already have one" shortcut."""
        self.context.data.platform_id = self.selected()
        self.context.data.have_instance = False
        self.context.data.use_account = self.create_box.isChecked() and self.create_box.isEnabled()

    def on_card_chosen(self, platform_id: str) -> None:
        """Keep the comparison table in step with the cards."""
        self.comparison.select(platform_id)
        self._show_account()
        self.changed.emit()

    def on_comparison_platform_selected(self, platform_id: str) -> None:
        """A row chosen in the comparison chooses the card too."""
        if self.selected() != platform_id:
            self.choose(platform_id)

    def on_have_instance_button_clicked(self) -> None:
        """Ask the wizard to skip to Connect (the chosen platform, if any, is kept)."""
        platform_id = self.selected()
        if platform_id is not None:
            self.context.data.platform_id = platform_id
        self.context.data.use_account = False
        self.have_instance_requested.emit()

    def on_account_button_clicked(self) -> None:
        """Ask for the developer token (checked with AutoDL, kept in the keyring)."""
        dialog = ConnectAccountDialog(parent=self)
        dialog.account_connected.connect(self.on_account_dialog_account_connected)
        dialog.finished.connect(dialog.deleteLater)
        self.account_dialog = dialog
        dialog.open()

    def on_account_dialog_account_connected(self, _provider: str) -> None:
        """The account is there now: offer its instances and creating one."""
        self.account_dialog = None
        self._show_account()
        self.changed.emit()

    def on_pick_button_clicked(self) -> None:
        """Ask the wizard to skip to Connect, which lists the account's Pro instances."""
        self.context.data.platform_id = AUTODL
        self.context.data.use_account = True
        self.account_instance_requested.emit()
