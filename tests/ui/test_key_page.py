"""The SSH key step of the wizard against a REAL sshd: create or pick a key, install, verify.

The page runs its work off the GUI thread; the tests wait with ``qtbot.waitUntil`` (no
sleeps). Keys are generated at test time.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from gpudesk.core.keys.keypairs import generate_key
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import PresentedKey, pin_name_for_address
from gpudesk.core.store.secrets import secret_name
from gpudesk.core.wizard import WizardData
from gpudesk.ui.services import Services
from gpudesk.ui.widgets.notice import Notice
from gpudesk.ui.wizard.key_page import KeyPage
from gpudesk.ui.wizard.page import WizardContext
from tests.testbed.sshd import SshdServer, TestUser, run_command

pytestmark = pytest.mark.sshd

WAIT_MS = 60_000


@pytest.fixture(name="clean_home")
def clean_home_fixture(test_user: TestUser) -> Iterator[TestUser]:
    """No ~/.ssh for the test user before and after."""
    test_user.home.chmod(0o755)
    test_user.remove(".ssh")
    yield test_user
    test_user.home.chmod(0o755)
    test_user.remove(".ssh")


def make_context(sshd: SshdServer, **extra: Any) -> WizardContext:
    services = Services.create()
    target = SshTarget(user=sshd.user.name, host=sshd.host, port=sshd.port)
    pin_name = pin_name_for_address(target)
    key_type, key_base64 = sshd.host_key_line().split()
    services.host_keys.pin(pin_name, PresentedKey(key_type, key_base64))  # the Connect step did
    data = WizardData(target=target, pin_name=pin_name, password=sshd.user.password)
    for name, value in extra.items():
        setattr(data, name, value)
    return WizardContext(services=services, data=data)


def make_page(qtbot: QtBot, context: WizardContext) -> KeyPage:
    page = KeyPage(context)
    qtbot.addWidget(page)
    page.on_enter()
    page.show()
    return page


def install_and_wait(qtbot: QtBot, page: KeyPage) -> None:
    page.install_button.click()
    assert page.is_busy()
    assert not page.install_button.isEnabled()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT_MS)


def test_create_a_key_with_passphrase_install_it_and_forget_the_password(
    qtbot: QtBot, sshd: SshdServer, clean_home: TestUser
) -> None:
    context = make_context(sshd)
    context.services.secrets.set(secret_name("password", str(context.data.pin_name)), "saved")
    page = make_page(qtbot, context)
    assert page.new_radio.isChecked()  # no keys in ~/.ssh yet
    assert not page.existing_radio.isEnabled()
    assert not page.is_valid()
    assert page.password_edit.isHidden()  # the Connect step's password is used
    page.passphrase_edit.setText("pass phrase")
    page.repeat_edit.setText("pass phrase")

    with qtbot.waitSignal(page.changed, timeout=WAIT_MS):
        install_and_wait(qtbot, page)

    assert page.installed is not None, page.messages.itemAt(0).widget().text()
    assert page.is_valid()
    result = page.installed.result
    notice = page.findChild(type(page.messages.itemAt(0).widget()), "installResult")
    assert notice is not None and result.fingerprint in notice.text()
    key_path = page.installed.path
    assert key_path.name == "gpudesk_ed25519"
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    secrets = context.services.secrets
    assert secrets.get(secret_name("passphrase", result.fingerprint)) == "pass phrase"
    authorized = clean_home.read_file(".ssh/authorized_keys")
    assert result.public_key.key_base64 in authorized
    assert page.passphrase_edit.text() == ""
    # The chooser gives way to the result: no "create a new key" with empty fields.
    for widget in (page.new_radio, page.existing_radio, page.name_edit, page.install_button):
        assert not widget.isVisible()
    assert page.other_key_button.isVisible()

    page.apply()
    assert context.data.key_path == str(key_path)

    assert page.forget_button.isVisible()
    page.forget_button.click()
    assert context.data.password is None
    assert context.data.store_in_keyring is False
    assert not page.forget_button.isVisible()
    assert not page.password_edit.isVisible()  # no empty password field after forgetting
    assert page.findChild(Notice, "forgotNotice") is not None
    name = secret_name("password", str(context.data.pin_name))
    qtbot.waitUntil(lambda: secrets.get(name) is None, timeout=WAIT_MS)


def test_pick_an_existing_key_and_real_openssh_logs_in(
    qtbot: QtBot, sshd: SshdServer, clean_home: TestUser
) -> None:
    key = generate_key(name="id_mine")
    page = make_page(qtbot, make_context(sshd))
    assert page.existing_radio.isChecked()
    assert page.key_combo.count() == 1
    assert key.fingerprint in page.key_combo.currentText()
    assert page.passphrase_edit.isHidden()  # the key has none
    for field in (page.type_combo, page.name_edit):  # no "Type:"/"File name:" without fields
        label = page.form.labelForField(field)
        assert label is not None and not label.isVisible() and not field.isVisible()

    install_and_wait(qtbot, page)

    assert page.installed is not None
    assert page.installed.path == key.private_path
    ssh = run_command(
        sshd.openssh_client_argv("echo ok", identity=key.private_path), check=False, timeout=20
    )
    assert (ssh.returncode, ssh.stdout) == (0, "ok\n"), ssh.stderr


def test_wrong_password_shows_an_error_and_changes_nothing(
    qtbot: QtBot, sshd: SshdServer, clean_home: TestUser
) -> None:
    generate_key()
    page = make_page(qtbot, make_context(sshd, password="definitely wrong"))
    install_and_wait(qtbot, page)
    error = page.findChild(type(page.messages.itemAt(0).widget()), "installError")
    assert error is not None
    assert "password" in error.text()
    assert not page.is_valid()
    assert not clean_home.path(".ssh").exists()
    assert page.install_button.isEnabled()


def test_wrong_passphrase_for_an_existing_key_says_so(
    qtbot: QtBot, sshd: SshdServer, clean_home: TestUser
) -> None:
    generate_key(passphrase="the real one")  # not saved in the keyring
    page = make_page(qtbot, make_context(sshd))
    assert not page.passphrase_edit.isHidden()
    page.passphrase_edit.setText("a wrong one")
    install_and_wait(qtbot, page)
    error = page.findChild(type(page.messages.itemAt(0).widget()), "installError")
    assert error is not None
    assert "Wrong passphrase" in error.text()
    assert not clean_home.path(".ssh").exists()


def test_mismatched_new_passphrases_and_skipping(
    qtbot: QtBot, sshd: SshdServer, clean_home: TestUser
) -> None:
    context = make_context(sshd)
    page = make_page(qtbot, context)
    page.passphrase_edit.setText("one")
    page.repeat_edit.setText("two")
    page.install_button.click()
    assert not page.is_busy()
    assert "differ" in page.messages.itemAt(0).widget().text()
    with qtbot.waitSignal(page.changed):
        page.skip_box.setChecked(True)
    assert page.is_valid()
    assert not page.install_button.isEnabled()
    context.data.key_path = "stale"
    page.apply()
    assert context.data.key_path is None
