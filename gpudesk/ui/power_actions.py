"""Power a saved instance on or off from its dashboard row, through its platform account.

A saved instance linked to a connected account (:class:`~gpudesk.core.providers.accounts.Link`)
gets "Power on" and "Power off…" in the dashboard. Power-off asks first, then asks the platform
on a worker thread. Power-on follows the instance where it lands
(:class:`~gpudesk.ui.accounts.power_follower.PowerOnFollower`): the alias is re-pointed, a new
machine's host key is asked in the trust dialog; ``followed`` then carries the saved instance
as it is now so its tunnels can follow.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from gpudesk.core.errors import GpuDeskError
from gpudesk.core.providers.accounts import AccountBook, Link
from gpudesk.core.providers.follow import Followed
from gpudesk.core.ssh.hostkeys import PresentedKey
from gpudesk.core.store.instances import Instance
from gpudesk.ui.accounts.instances_view import switch_power
from gpudesk.ui.accounts.power_follower import PowerOnFollower
from gpudesk.ui.bridges import BackgroundTask, run_in_background
from gpudesk.ui.dialogs.hostkey import HostKeyDialog
from gpudesk.ui.power_off_question import power_off_question
from gpudesk.ui.widgets.text import fmt


def account_link(instance: Instance) -> Link | None:
    """The platform instance ``instance`` is linked to, if any (reads a small local file)."""
    try:
        return AccountBook().link_of(instance)
    except GpuDeskError:
        return None


class PowerActions(QObject):
    """Power-on and power-off of saved instances, reporting through ``say`` and signals.

    Signals:
        followed: (old alias, :class:`Instance`) after a power-on re-pointed the instance.
        failed: The error of a failed call (the window shows message and hint).
    """

    followed = Signal(str, object)
    failed = Signal(object)

    def __init__(self, window: QWidget, say: Callable[[str], None]) -> None:
        super().__init__(window)
        self.window = window
        self.say = say
        self.dialog: QDialog | None = None
        self.tasks: set[BackgroundTask] = set()
        self.followers: dict[str, PowerOnFollower] = {}

    def power_off(self, instance: Instance) -> None:
        """Ask, then power the instance off through its account."""
        link = account_link(instance)
        if link is None:
            return
        box = power_off_question(self.window, instance.alias)
        box.accepted.connect(lambda: self._switch_off(instance.alias, link))
        box.open()
        self.dialog = box

    def _switch_off(self, alias: str, link: Link) -> None:
        self.say(fmt(self.tr("Powering off %1…"), alias))
        task = run_in_background(lambda _task: switch_power(link.instance_id, False))
        self.tasks.add(task)
        task.succeeded.connect(lambda _none: self.say(fmt(self.tr("%1 is powering off."), alias)))
        task.failed.connect(self.failed)
        task.finished.connect(lambda: self.tasks.discard(task))

    def power_on(self, instance: Instance) -> None:
        """Power the instance on and follow it to wherever it lands."""
        link = account_link(instance)
        alias = instance.alias
        if link is None or alias in self.followers:
            return
        follower = PowerOnFollower(link.provider, self)
        self.followers[alias] = follower
        follower.progressed.connect(self.say)
        follower.host_key_asked.connect(lambda key: self._ask_host_key(follower, key))
        follower.succeeded.connect(lambda result: self._powered_on(alias, result))
        follower.failed.connect(lambda error: self._power_on_failed(alias, error))
        self.say(fmt(self.tr("Powering on %1…"), alias))
        follower.start(link.instance_id, alias)

    def _ask_host_key(self, follower: PowerOnFollower, key: object) -> None:
        if not isinstance(key, PresentedKey):
            follower.answer_host_key(False)
            return
        dialog = HostKeyDialog(self.tr("the instance's new machine"), key, self.window)
        dialog.finished.connect(
            lambda result: follower.answer_host_key(result == QDialog.DialogCode.Accepted.value)
        )
        dialog.open()
        self.dialog = dialog

    def _powered_on(self, alias: str, result: object) -> None:
        self.followers.pop(alias, None)
        self.say(fmt(self.tr("%1 is running."), alias))
        if isinstance(result, Followed) and result.repointed is not None:
            self.followed.emit(alias, result.repointed.instance)

    def _power_on_failed(self, alias: str, error: object) -> None:
        self.followers.pop(alias, None)
        self.failed.emit(error)
