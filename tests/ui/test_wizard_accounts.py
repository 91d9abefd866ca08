"""The wizard driven by an AutoDL account: pick a Pro instance, or create one; nothing pasted.

The AutoDL API is a stand-in (``tests/standins/autodl_api.py``, built from the documented
shapes: there is no real account here) whose instances answer on REAL test sshd servers, so
the host-key question, the check and the saved alias are the real ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from gpudesk.core.providers.accounts import AccountBook
from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.wizard import STEPS, StepId
from gpudesk.ui.services import Services
from gpudesk.ui.wizard.connect_page import ConnectPage
from gpudesk.ui.wizard.editor_page import EditorPage
from gpudesk.ui.wizard.gpu_page import GpuPage
from gpudesk.ui.wizard.image_page import ImagePage
from gpudesk.ui.wizard.key_page import KeyPage
from gpudesk.ui.wizard.platform_page import PlatformPage
from gpudesk.ui.wizard.wizard_widget import WizardWidget
from tests.integration.alias_login import clean_home_fixture, ssh_through_alias
from tests.standins import autodl_api
from tests.standins.autodl_api import AutoDLStandIn, StandInInstance, StandInServer, login_of
from tests.testbed.fixtures import FakeNvidiaSmi
from tests.testbed.sshd import SshdServer, TestUser
from tests.ui import driver
from tests.ui.driver import TIMEOUT_MS, click, next_step, page

pytestmark = pytest.mark.sshd
__all__ = ["clean_home_fixture"]  # the fixture, imported for pytest
TOKEN = "wizard-account-token-7c2"
SLOW_MS = 60_000


@pytest.fixture(name="standin")
def standin_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[AutoDLStandIn]:
    api = AutoDLStandIn(token=TOKEN, starting_polls=1)
    with StandInServer(api) as server:
        monkeypatch.setenv("GPUDESK_AUTODL_API", server.url)
        yield api


@pytest.fixture(name="wizard")
def wizard_fixture(qtbot: QtBot, services: Services) -> WizardWidget:
    widget = WizardWidget(services)
    qtbot.addWidget(widget)
    widget.resize(1000, 760)
    widget.show()
    widget.start(resume=False)
    return widget


def connect_account(qtbot: QtBot, wizard: WizardWidget) -> PlatformPage:
    """Click "Connect my AutoDL account", paste the token, wait until it is checked and kept."""
    platform = page(wizard, PlatformPage)
    assert not platform.pick_button.isEnabled()
    click(qtbot, platform.account_button)
    dialog = platform.account_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.token_edit, TOKEN)
    with qtbot.waitSignal(dialog.account_connected, timeout=TIMEOUT_MS):
        click(qtbot, dialog.connect_button)
    assert platform.pick_button.isEnabled()
    assert not platform.account_button.isVisible()
    return platform


def trust_and_check(qtbot: QtBot, wizard: WizardWidget, sshd: SshdServer) -> ConnectPage:
    """The login read from the API is checked like a pasted one: host key asked, then check."""
    connect = page(wizard, ConnectPage)
    qtbot.waitUntil(lambda: connect.runner.running, timeout=SLOW_MS)
    assert driver.trust_host_key(qtbot, connect) == sshd.host_key_fingerprint()
    driver.wait_for_check(qtbot, connect)
    assert connect.is_valid(), connect.parsed_label.text()
    assert connect.command_edit.text() == ""  # nothing pasted
    return connect


def finish(qtbot: QtBot, wizard: WizardWidget, alias: str) -> None:
    """From Connect: Next reaches the key step; skip key and editor, save under ``alias``."""
    next_step(qtbot, wizard)
    assert wizard.flow.current is StepId.KEY
    driver.skip_to_summary(qtbot, wizard)
    summary = wizard.current_page()
    summary.alias_edit.setText(alias)  # type: ignore[union-attr]
    with qtbot.waitSignal(wizard.finished, timeout=TIMEOUT_MS) as finished:
        next_step(qtbot, wizard)
    assert finished.args == [alias]
    assert wizard.flow.undeclared == []


def finish_with_a_key(qtbot: QtBot, wizard: WizardWidget, alias: str) -> None:
    """From Connect: install a new key for real, write the ssh entry, save under ``alias``."""
    next_step(qtbot, wizard)
    key = page(wizard, KeyPage)
    assert key.new_radio.isChecked()
    click(qtbot, key.install_button)
    qtbot.waitUntil(lambda: not key.is_busy(), timeout=SLOW_MS)
    assert key.installed is not None
    next_step(qtbot, wizard)
    editor = page(wizard, EditorPage)
    editor.alias_edit.setText(alias)
    qtbot.waitUntil(lambda: wizard.next_button.isEnabled(), timeout=TIMEOUT_MS)
    next_step(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.flow.current is StepId.SUMMARY, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(wizard.finished, timeout=TIMEOUT_MS) as finished:
        next_step(qtbot, wizard)
    assert finished.args == [alias]
    assert wizard.flow.undeclared == []


def declared(step: StepId) -> frozenset[str]:
    return next(s.produces for s in STEPS if s.id is step)


def assert_saved_and_linked(alias: str, sshd: SshdServer, instance_id: str) -> None:
    saved = InstanceStore().require(alias)
    assert (saved.target.host, saved.target.port) == ("127.0.0.1", sshd.port)
    link = AccountBook().link_of(saved)
    assert link is not None and link.ref == f"autodl:{instance_id}"


def test_pick_an_account_instance_and_save_it_with_nothing_pasted(
    qtbot: QtBot,
    wizard: WizardWidget,
    standin: AutoDLStandIn,
    sshd: SshdServer,
    test_user: TestUser,
    fake_nvidia_smi: FakeNvidiaSmi,
) -> None:
    standin.add(StandInInstance(uuid="pro-off001", name="old", status="shutdown"))
    standin.add(
        StandInInstance(uuid="pro-pick01", name="train", status="running", address=login_of(sshd))
    )
    platform = connect_account(qtbot, wizard)
    click(qtbot, platform.pick_button)
    connect = page(wizard, ConnectPage)
    assert connect.picker.isVisible()
    qtbot.waitUntil(lambda: connect.picker.table.rowCount() == 2, timeout=TIMEOUT_MS)
    table = connect.picker.table
    rows = {table.item(r, 0).text(): r for r in range(2)}
    assert table.item(rows["train"], 1).text() == "Running"
    assert table.item(rows["train"], 2).text() == "RTX 4090D"
    assert table.item(rows["train"], 3).text() == "¥1.97"
    # An instance that is off has no login: the page says so and stays.
    table.selectRow(rows["old"])
    click(qtbot, connect.picker.use_button)
    qtbot.waitUntil(lambda: connect.picker.state_label.text() != "", timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not connect.picker.is_busy(), timeout=TIMEOUT_MS)
    assert not connect.runner.running and not connect.is_valid()
    table.selectRow(rows["train"])
    click(qtbot, connect.picker.use_button)
    connect = trust_and_check(qtbot, wizard, sshd)
    assert connect.password_edit.text() == test_user.password  # read from the API
    finish(qtbot, wizard, "picked-4090")
    assert_saved_and_linked("picked-4090", sshd, "pro-pick01")
    assert wizard.flow.writes[StepId.CONNECT] >= {"account_ref", "target", "check_result"}
    assert wizard.flow.writes[StepId.PLATFORM] == declared(StepId.PLATFORM)


def test_create_from_the_gpu_and_image_steps_then_key_step(
    qtbot: QtBot,
    wizard: WizardWidget,
    standin: AutoDLStandIn,
    sshd: SshdServer,
    clean_home: TestUser,
    fake_nvidia_smi: FakeNvidiaSmi,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    standin.create_landing = login_of(sshd)
    refusals = [1]  # the first create is refused for lack of GPUs (暂无库存)

    def create(api: AutoDLStandIn, params: dict[str, Any]) -> dict[str, Any]:
        if refusals:
            refusals.pop()
            return autodl_api._fail("BadRequest", autodl_api.NO_STOCK_MESSAGE)
        return AutoDLStandIn.create(api, params)

    monkeypatch.setitem(autodl_api._ROUTES, ("POST", "/instance/pro/create"), create)
    platform = connect_account(qtbot, wizard)
    assert not platform.create_box.isEnabled()  # AutoDL not chosen yet
    driver.choose_platform(qtbot, wizard, "autodl")
    assert platform.create_box.isEnabled()
    platform.create_box.click()
    next_step(qtbot, wizard)

    gpus = page(wizard, GpuPage)
    assert gpus.account_box.isVisible()
    specs = [gpus.spec_combo.itemData(i) for i in range(gpus.spec_combo.count())]
    assert specs == ["h800", "v-48g", "pro6000-p", "v-32g-p", "v-48g-350w", "5090-p", "4090D"]
    gpus.spec_combo.setCurrentIndex(specs.index("v-48g"))
    gpus.count_spin.setValue(2)
    next_step(qtbot, wizard)

    images = page(wizard, ImagePage)
    box = images.create_box
    assert box.isVisible() and not images.choices_scroll.isVisible()
    qtbot.waitUntil(lambda: box.image_combo.count() == 2, timeout=TIMEOUT_MS)
    # AutoDL's documented public image first, shown by what it holds; then the private one.
    public = "PyTorch 2.0.0 · CUDA 11.8 · Python 3.8 (AutoDL public image)"
    assert box.image_combo.itemText(0) == public
    assert box.image_combo.itemData(0) == "base-image-l2t43iu6uk"
    assert box.image_combo.itemText(1) == "my-torch (image-0123456789)"
    box.image_combo.setCurrentIndex(1)
    box.cuda_combo.setCurrentIndex(box.cuda_combo.findData(121))
    qtbot.keyClicks(box.center_edit, "west-B")
    qtbot.keyClicks(box.name_edit, "train-1")
    next_step(qtbot, wizard)
    assert images.is_busy() and not wizard.next_button.isEnabled()
    qtbot.waitUntil(lambda: "暂无库存" in box.progress_label.text(), timeout=TIMEOUT_MS)
    assert "Trying again in" in box.progress_label.text()
    qtbot.waitUntil(lambda: wizard.flow.current is StepId.CONNECT, timeout=SLOW_MS)
    connect = trust_and_check(qtbot, wizard, sshd)
    creates = [r for r in standin.requests if r.path.endswith("/instance/pro/create")]
    assert len(creates) == 2
    assert creates[-1].authorization == TOKEN
    assert creates[-1].body == {
        "req_gpu_amount": 2,
        "expand_system_disk_by_gb": 0,
        "gpu_spec_uuid": "v-48g",
        "image_uuid": "image-0123456789",
        "cuda_v_from": 121,
        "data_center_list": ["west-B"],
        "instance_name": "train-1",
    }
    (new_id,) = [i for i in standin.instances if i.startswith("pro-")]
    assert connect.picker.selected() is not None
    assert connect.picker.selected().id == new_id  # type: ignore[union-attr]
    # Back to the image step and Next again: the same choices do not create a second one.
    click(qtbot, wizard.back_button)
    next_step(qtbot, wizard)
    assert wizard.flow.current is StepId.CONNECT
    assert len(standin.instances) == 1
    finish_with_a_key(qtbot, wizard, "created-v48")
    assert_saved_and_linked("created-v48", sshd, new_id)
    assert ssh_through_alias("created-v48") == "alias-ok"  # the real ssh, with the key alone
    assert wizard.flow.writes[StepId.IMAGE] == declared(StepId.IMAGE)
    assert wizard.flow.writes[StepId.GPU] == declared(StepId.GPU)
