"""Every window and dialog of the dashboard, rendered in Chinese, has no English sentence.

The views are built and shown in zh_CN (the real .ts compiled by lrelease); every text a
user can see (labels, buttons, tabs, table cells and headers, menus, titles, tooltips,
placeholders) is collected, data that is not ours to translate (aliases, addresses, paths,
product names such as VS Code or Jupyter) is taken out, and three English words in a row
fail the test with the text that holds them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from gpudesk.core.editor.instance_removal import plan_instance_removal
from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.editor.sshentry import HostEntry
from gpudesk.core.errors import GpuDeskError, InputError, RemoteCommandError, UnreachableError
from gpudesk.core.providers.model import ProviderInstance
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.store.secrets import secret_name
from gpudesk.core.tunnels import TunnelSpec, TunnelState, TunnelStatus
from gpudesk.ui.accounts.instances_view import AccountInstancesView, AccountOverview
from gpudesk.ui.dialogs.about import AboutDialog
from gpudesk.ui.dialogs.errors import describe_error
from gpudesk.ui.dialogs.hostkey import HostKeyDialog
from gpudesk.ui.dialogs.instance_edit import RemoveDialog, RenameDialog
from gpudesk.ui.dialogs.quit_question import quit_question
from gpudesk.ui.dialogs.repoint_dialog import RepointDialog
from gpudesk.ui.dialogs.settings_dialog import SettingsDialog
from gpudesk.ui.guard.guard_service import GuardService
from gpudesk.ui.services import Services
from gpudesk.ui.widgets.tunnel_texts import TunnelTexts
from tests.ui.dashboard_rig import Dashboard, open_dashboard
from tests.ui.test_i18n import chinese  # noqa: F401 (fixture)
from tests.ui.test_main_window import add_instance

#: Not ours to translate: names of products, formats and protocols, and the user's data.
NOT_OURS = re.compile(
    r"https?://\S+|file://\S+|[\w.-]+@[\w.:\[\]-]+|(?:~|/)[\w./~-]*|SHA256:\S+|ssh-ed25519|"
    r"NVIDIA GeForce RTX \d+|VS Code|Visual Studio Code|Remote - SSH|Jupyter|TensorBoard|"
    r"autodl-4090|gpudesk|\bssh\b|GPU|GiB|SFTP|JSON|Windows|Linux|macOS|AutoDL|Pro|API|"
    r"Google Colab|Kaggle|OpenI|FunHPC|deepln|PyTorch|CUDA|"
    r"[\w-]+\.(?:conf|json|py)\b",
    re.IGNORECASE,
)
ENGLISH = re.compile(r"\b[A-Za-z]{2,}\b(?:[\s,:;()-]+\b[A-Za-z]{2,}\b){2,}")


def visible_texts(root: QWidget) -> Iterator[str]:
    """Every text of ``root`` and its children a user can see or hover."""
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        yield widget.windowTitle() if widget.isWindow() else ""
        yield widget.toolTip()
        if isinstance(widget, QLabel):
            yield html.unescape(re.sub(r"<[^>]+>", " ", widget.text()))
        elif isinstance(widget, QAbstractButton):
            yield widget.text()
        elif isinstance(widget, QLineEdit):
            yield widget.placeholderText()
        elif isinstance(widget, QGroupBox):
            yield widget.title()
        elif isinstance(widget, QTabWidget):
            yield from (widget.tabText(i) for i in range(widget.count()))
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            list_model = isinstance(model, QAbstractListModel)  # its columnCount is private
            for column in range(1 if list_model else model.columnCount()):
                yield str(model.headerData(column, Qt.Orientation.Horizontal) or "")
                for row in range(model.rowCount(QModelIndex())):
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        yield str(model.data(model.index(row, column), role) or "")
    for action in root.findChildren(QAction):
        yield action.text().replace("&", "")
        yield action.toolTip()


def english_sentences(root: QWidget) -> list[str]:
    found = []
    for text in visible_texts(root):
        if ENGLISH.search(NOT_OURS.sub(" ", text or "")):
            found.append(text)
    return sorted(set(found))


@pytest.fixture
def board(qtbot: QtBot, services: Services) -> Iterator[Dashboard]:
    instance = add_instance("autodl-4090")
    SshConfig().write(HostEntry.from_instance(instance))
    key = PresentedKey(
        "ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIKX8v0q3fWd1mZ7yTqz8e9wz1bS6Qy4n8cJ2bX3lR9aP"
    )
    HostKeyStore().pin(instance.host_key_alias, key)
    services.secrets.set(secret_name("password", instance.instance_id), "not-shown")
    dashboard = open_dashboard(qtbot, services)
    controller = dashboard.controller
    controller.supervisor.add(
        instance.alias, controller.connector(instance), TunnelSpec(8888, 8888), start=False
    )
    dashboard.window.refresh_instances(select=instance.alias)
    yield dashboard
    dashboard.controller.shutdown_now()


def invented_account() -> AccountOverview:
    """Two account instances (one linked to a saved alias) and a low balance; no network."""

    def instance(id_: str, status: str, gpu: str, price: float) -> ProviderInstance:
        return ProviderInstance(
            provider="autodl", id=id_, name=id_, status=status, gpu=gpu, gpu_count=1,
            price_per_hour=price, region="", started_at=None, stopped_at=None,
        )  # fmt: skip

    running = instance("pro-1", "running", "RTX 4090", 1.98)
    off = instance("pro-2", "shutdown", "H800", 8.88)
    return AccountOverview(((running, "autodl-4090"), (off, None)), 5.0)


@pytest.fixture
def no_guard_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard's status read is replaced (the board's instance is an invented address)."""
    monkeypatch.setattr(GuardService, "refresh", lambda _self: None)


@pytest.mark.usefixtures("chinese", "no_guard_calls")
def test_the_dashboard_and_its_dialogs_have_no_english_sentence(
    qtbot: QtBot, board: Dashboard, services: Services
) -> None:
    window = board.window
    instance = window.selected_instance()
    assert instance is not None
    assert window.windowTitle() == "你的云 GPU"
    views: list[QWidget] = [window]
    for index in range(window.details.tabs.count()):  # tunnels, cost guard, files
        window.details.tabs.setCurrentIndex(index)
        views.append(window.details.tabs.widget(index))
    window.home_tabs.setCurrentWidget(window.platforms_page)
    views.append(window.platforms_page)
    window.home_tabs.setCurrentWidget(window.account_tab)  # no account: the invitation
    views.append(window.account_tab)
    account = AccountInstancesView()
    account.show_overview(invented_account())
    account.show()
    views.append(account)
    plan = plan_instance_removal(
        instance.alias,
        store=services.instances,
        secrets=services.secrets,
        host_keys=services.host_keys,
        ssh_config=SshConfig(),
    )
    dialogs: list[QDialog] = [
        SettingsDialog(services.settings, window),
        RenameDialog(instance, window),
        RemoveDialog(plan, services.secrets, services.host_keys, window),
        RepointDialog(instance, services, window),
        AboutDialog(services.catalog, window),
        HostKeyDialog("127.0.0.1:2222", PresentedKey("ssh-ed25519", "AAAA"), window),
        quit_question(window, {instance.alias}, restore=True),
    ]
    for dialog in dialogs:
        dialog.show()
        views.append(dialog)
    problems = {type(view).__name__: english_sentences(view) for view in views}
    assert {name: found for name, found in problems.items() if found} == {}
    for dialog in dialogs:
        dialog.close()
    account.close()


@pytest.mark.usefixtures("chinese")
def test_tunnel_reasons_and_errors_are_chinese() -> None:
    texts = TunnelTexts()
    cases = [
        texts.reason(TunnelState.UP, "connected to root@1.2.3.4:22"),
        texts.reason(TunnelState.STOPPED, "switched off"),
        texts.reason(TunnelState.RECONNECTING, "connection lost: keepalive; reconnecting in 7.8 s"),
        texts.reason(
            TunnelState.RECONNECTING,
            "Could not log in: refused; next try in 7.8 s",
            RemoteCommandError("tunnel.connect_failed", "Could not log in: refused.", "x"),
        ),
        describe_error(InputError("tensorboard.missing", "TensorBoard is not installed.", "pip"))[
            0
        ],
        describe_error(RemoteCommandError("webapp.start_failed", "tensorboard: boom", "log"))[1],
    ]
    for text in cases:
        assert not ENGLISH.search(NOT_OURS.sub(" ", text)), text
    assert "7.8" in cases[2] and "7.8" in cases[3]
    box = QMessageBox()
    assert not box.isVisible()


def test_an_instance_that_does_not_answer_reads_as_powered_off() -> None:
    def status(state: TunnelState, error: GpuDeskError | None) -> TunnelStatus:
        return TunnelStatus("a#1", "a", TunnelSpec(0, 8888), state, "", 0.0, error=error)

    texts = TunnelTexts()
    refused = UnreachableError("ssh.connect_refused", "refused", "start it")
    assert texts.instance_state([status(TunnelState.RECONNECTING, refused)]) == (
        "Not answering (powered off?)"
    )
    dropped = RemoteCommandError("ssh.channel_failed", "x", "y")
    assert texts.instance_state([status(TunnelState.RECONNECTING, dropped)]) == "Reconnecting"
    assert texts.instance_state([status(TunnelState.UP, None)]) == "1 tunnel up"
    assert texts.instance_state([]) == "Not connected"
