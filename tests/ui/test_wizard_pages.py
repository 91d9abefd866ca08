"""Wizard pages that say what is true: an instance already rented, stale messages, names.

Against the REAL test sshd where the point is about the instance (a key that already logs
in, a host key already pinned). VS Code cannot run here: ``find_editors`` finds none.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from gpudesk.core.editor import editorsetup
from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.editor.sshentry import HostEntry
from gpudesk.core.keys.keypairs import generate_key
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.store.instances import Instance, InstanceStore
from gpudesk.core.wizard import StepId
from gpudesk.ui.main_window import MainWindow
from gpudesk.ui.widgets.notice import Notice
from gpudesk.ui.wizard.connect_page import ConnectPage
from gpudesk.ui.wizard.editor_page import EditorPage
from gpudesk.ui.wizard.key_page import KeyPage
from gpudesk.ui.wizard.platform_page import PlatformPage
from gpudesk.ui.wizard.summary_page import SummaryPage
from tests.testbed.fixtures import FakeNvidiaSmi
from tests.testbed.sshd import SshdServer, TestUser
from tests.ui import driver
from tests.ui.driver import TIMEOUT_MS, click, next_step, page

pytestmark = pytest.mark.sshd
ALIAS = "rented-4090"


@pytest.fixture(name="clean_home")
def clean_home_fixture(test_user: TestUser) -> Iterator[TestUser]:
    """The test user without ~/.ssh before and after."""
    test_user.remove(".ssh")
    yield test_user
    test_user.remove(".ssh")


@pytest.fixture(name="rented")
def rented_fixture(
    sshd: SshdServer, clean_home: TestUser, monkeypatch: pytest.MonkeyPatch
) -> Instance:
    """An instance saved earlier: its key installed, its host key pinned, its alias written."""
    monkeypatch.setattr(editorsetup, "find_editors", lambda: [])
    key = generate_key("ed25519", name="gpudesk_rented")
    clean_home.authorize_key(key.public_path.read_text())
    instance = Instance(
        alias=ALIAS,
        target=SshTarget(user=clean_home.name, host="127.0.0.1", port=sshd.port),
        platform_id=None,
        host_key_alias="gpudesk-0123456789ab",
        key_path=str(key.private_path),
        workdir=str(clean_home.home),
    )
    HostKeyStore().pin(instance.host_key_alias, PresentedKey(*sshd.host_key_line().split()))
    InstanceStore().add(instance)
    SshConfig().write(HostEntry.from_instance(instance))
    return instance


def test_adding_an_instance_already_rented_needs_no_password_and_writes_nothing(
    qtbot: QtBot,
    window: MainWindow,
    sshd: SshdServer,
    rented: Instance,
    fake_nvidia_smi: FakeNvidiaSmi,
) -> None:
    wizard = driver.open_wizard(qtbot, window)
    click(qtbot, page(wizard, PlatformPage).have_instance_button)
    assert driver.at(wizard, StepId.CONNECT)
    connect = page(wizard, ConnectPage)
    qtbot.keyClicks(connect.command_edit, f"ssh -p {sshd.port} {rented.target.user}@127.0.0.1")
    assert ALIAS in connect.parsed_label.text()  # recognised as the saved instance
    click(qtbot, connect.check_button)  # no password typed
    driver.wait_for_check(qtbot, connect)
    assert connect.host_key_dialog is None  # its host key is pinned already: nothing asked
    assert connect.result is not None, [n.text() for n in connect.findChildren(Notice)]
    next_step(qtbot, wizard)

    key = page(wizard, KeyPage)
    assert key.findChild(Notice, "keyWorksAlready") is not None
    assert key.is_valid() and key.install_button.isHidden() and key.password_edit.isHidden()
    next_step(qtbot, wizard)

    editor = page(wizard, EditorPage)
    qtbot.waitUntil(lambda: not editor.is_planning(), timeout=TIMEOUT_MS)
    assert editor.alias_edit.text() == ALIAS
    assert editor.alias_feedback.text() == ""  # the same name is not refused...
    assert editor.preview() == []  # ...and nothing needs writing
    assert "Nothing to write" in editor.preview_text.toPlainText()
    next_step(qtbot, wizard)

    summary = page(wizard, SummaryPage)
    assert summary.alias_fact.text() == ALIAS and summary.alias_edit.isHidden()
    assert summary.is_valid()
    with qtbot.waitSignal(wizard.finished, timeout=TIMEOUT_MS):
        next_step(qtbot, wizard)
    saved = InstanceStore().list()
    assert [i.alias for i in saved] == [ALIAS]
    assert saved[0].host_key_alias == rented.host_key_alias
    assert saved[0].key_path == rented.key_path
    assert wizard.flow.undeclared == []


def test_an_error_goes_when_the_command_or_password_changes(
    qtbot: QtBot, window: MainWindow, sshd: SshdServer, test_user: TestUser
) -> None:
    wizard = driver.open_wizard(qtbot, window)
    wizard.start_with_instance()
    connect = driver.paste_login(
        qtbot, wizard, f"ssh -p {sshd.port} {test_user.name}@127.0.0.1", "wrong", remember=False
    )
    click(qtbot, connect.check_button)
    driver.trust_host_key(qtbot, connect)
    driver.wait_for_check(qtbot, connect)
    assert connect.findChild(Notice, "checkError") is not None
    qtbot.keyClicks(connect.password_edit, "x")
    assert connect.findChild(Notice, "checkError") is None
    click(qtbot, connect.check_button)
    driver.wait_for_check(qtbot, connect)
    assert connect.findChild(Notice, "checkError") is not None
    qtbot.keyClicks(connect.command_edit, "0")  # another port: the error was about the old one
    assert connect.findChild(Notice, "checkError") is None


def test_the_save_page_shows_a_name_chosen_earlier_as_fact(qtbot: QtBot, tmp_path: Path) -> None:
    """No editable-looking field that ignores typing: the Editor step's name is plain text."""
    from gpudesk.core.wizard import EditorChoice, WizardData
    from gpudesk.ui.services import Services
    from gpudesk.ui.wizard.page import WizardContext

    data = WizardData(alias="my-gpu", editor=EditorChoice())
    summary = SummaryPage(WizardContext(Services.create(), data))
    qtbot.addWidget(summary)
    summary.on_enter()
    summary.show()
    assert summary.alias_edit.isHidden()
    assert summary.alias_fact.isVisible() and summary.alias_fact.text() == "my-gpu"
    data.editor = EditorChoice(skipped=True)
    summary.on_enter()
    assert summary.alias_edit.isVisible() and not summary.alias_edit.isReadOnly()


def test_the_estimator_calls_a_nearly_full_card_tight_and_says_what_several_cards_take(
    qtbot: QtBot,
) -> None:
    """7 B in fp16 needs about 15.6 GiB: a 16 GiB T4 is "tight", not simply "fits"."""
    from gpudesk.core.wizard import WizardData
    from gpudesk.ui.services import Services
    from gpudesk.ui.wizard.gpu_page import GpuPage
    from gpudesk.ui.wizard.page import WizardContext

    gpus = GpuPage(WizardContext(Services.create(), WizardData()))
    qtbot.addWidget(gpus)
    gpus.show()
    gpus.size_spin.setValue(1.0)
    gpus.task_combo.setCurrentIndex(gpus.task_combo.findData("inference_int4"))
    assert gpus.several_label.isHidden()  # every card holds it
    gpus.size_spin.setValue(7.0)
    gpus.task_combo.setCurrentIndex(gpus.task_combo.findData("inference_fp16"))
    fit = {o.gpu.name: gpus.table.item(r, 5).text() for r, o in enumerate(gpus.table.offers)}
    assert "15.6 GiB" in gpus.estimate_label.text()
    assert fit["Tesla T4"] == "Tight"
    assert fit["RTX 4090"] == "Fits"
    gpus.task_combo.setCurrentIndex(gpus.task_combo.findData("lora_fp16"))
    assert "Needs 2 cards" in {gpus.table.item(r, 5).text() for r in range(gpus.table.rowCount())}
    assert gpus.several_label.isVisible()
    assert "DeepSpeed" in gpus.several_label.text()


def test_advice_about_numpy_is_not_shown_as_a_success(qtbot: QtBot) -> None:
    """PyTorch 2.1 wants numpy < 2: advice (info), next to the real "supports" tick."""
    from gpudesk.core.wizard import WizardData
    from gpudesk.ui.services import Services
    from gpudesk.ui.wizard.image_page import ImagePage
    from gpudesk.ui.wizard.page import WizardContext

    data = WizardData(platform_id="autodl", gpu_model="RTX 4090")
    images = ImagePage(WizardContext(Services.create(), data))
    qtbot.addWidget(images)
    images.on_enter()
    images.choose("pytorch-2.1-cu121")
    numpy = images.findChild(Notice, "compat_numpy2")
    supported = images.findChild(Notice, "compat_ok")
    assert numpy is not None and numpy.level == "info"
    assert supported is not None and supported.level == "ok"


def test_each_wait_of_the_check_names_its_step() -> None:
    """The check's progress lines say what is under way: logging in, then reading the GPU."""
    from gpudesk.ui.wizard.texts import progress_text

    assert progress_text("Connecting to 10.0.0.1:22") == "Connecting to 10.0.0.1:22 and logging in…"
    reading = progress_text("Reading GPU, Python, PyTorch and disk information")
    assert "reading the GPU" in reading
