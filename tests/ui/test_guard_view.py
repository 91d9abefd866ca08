"""The guard view against a REAL sshd: arm from the form, see the state, postpone, cancel.

The guard really runs on the test server as the test user; its power-off command is the
recording stand-in of ``tests.integration.guard_rig`` and ``nvidia-smi`` the test bed's.
"""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from gpudesk.core.store.instances import InstanceStore
from gpudesk.core.store.secrets import open_secret_store
from gpudesk.core.tunnels import instance_connector
from gpudesk.ui.guard.guard_service import GuardService
from gpudesk.ui.guard.guard_view import GuardView
from tests.integration.guard_rig import ALIAS, GuardRig, rig_fixture
from tests.testbed.fixtures import FakeNvidiaSmi

pytestmark = pytest.mark.sshd
__all__ = ["rig_fixture"]  # the shared fixture, used by name


def make_view(qtbot: QtBot, rig: GuardRig) -> GuardView:
    instance = InstanceStore().require(ALIAS)
    secrets, _warning = open_secret_store()
    service = GuardService(instance_connector(instance, secrets=secrets))
    view = GuardView(
        ALIAS, service, price_per_hour=instance.price_per_hour, power_off_command=rig.power_off
    )
    qtbot.addWidget(view)
    return view


def test_arm_postpone_and_cancel_from_the_view(
    qtbot: QtBot, rig: GuardRig, fake_nvidia_smi: FakeNvidiaSmi
) -> None:
    fake_nvidia_smi.set(gpus=[{"utilization.gpu": 0}])
    view = make_view(qtbot, rig)
    view.show()
    assert not view.cancel_button.isEnabled()
    view.form.idle_minutes.setValue(1)
    view.form.grace.setValue(30)
    budget = view.form.time_mode.findData("budget")
    assert budget >= 0  # the instance has a price: a ¥ budget is offered
    view.form.time_mode.setCurrentIndex(budget)
    view.form.budget.setValue(5)  # ¥5 at ¥2.5/h: 2 hours
    with qtbot.waitSignal(view.service.status_received, timeout=60_000):
        view.arm_button.click()
    assert view.status is not None and view.status.active
    assert view.status.rules["max_hours"] == 2 and len(rig.guard_pids()) == 1
    assert "Armed" in view.state_label.text() and "Powers off in" in view.countdown_label.text()
    assert "GPU0 0 %" in view.sample_label.text() and view.cancel_button.isEnabled()

    with qtbot.waitSignal(view.service.status_received, timeout=60_000):
        view.postpone_button.click()
    assert view.status.powers_off_at is not None

    with qtbot.waitSignal(view.service.status_received, timeout=60_000):
        view.cancel_button.click()
    assert not view.status.active and rig.guard_pids() == []
    assert "No guard is running" in view.state_label.text()
    assert not view.cancel_button.isEnabled() and view.countdown_label.text() == ""


def test_a_bad_rule_is_shown_in_the_view_and_nothing_is_installed(
    qtbot: QtBot, rig: GuardRig
) -> None:
    view = make_view(qtbot, rig)
    view.form.idle_check.setChecked(False)
    view.form.process_mode.setCurrentIndex(view.form.process_mode.findData("pattern"))
    view.form.process_text.setText("no-such-job-anywhere-7f3a")
    with qtbot.waitSignal(view.service.failed, timeout=60_000):
        view.arm_button.click()
    assert "cannot be used" in view.error_label.text()
    qtbot.waitUntil(view.arm_button.isEnabled, timeout=30_000)
    assert rig.guard_pids() == [] and rig.folder_files() == set()
