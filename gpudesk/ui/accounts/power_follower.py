"""Power on a saved instance from the GUI and follow it to wherever it lands.

The worker powers the instance on, waits for ``running``, then re-points the saved alias at
the endpoint the API now reports (:func:`gpudesk.core.providers.follow.follow_instance`).
A new host key there is asked on the GUI thread (``host_key_asked``; answer with
:meth:`PowerOnFollower.answer_host_key`) while the worker waits, bounded; declining leaves
the alias as it was. Progress, the result and errors come back as signals; a power-on that
reached a running instance is also told app-wide on :func:`power_on_news` (the tray says
"instance is up").
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from gpudesk.core.providers.accounts import AccountBook, open_provider
from gpudesk.core.providers.follow import follow_instance
from gpudesk.core.providers.poweron import PowerEvent, power_on_when_free, wait_until_running
from gpudesk.core.ssh.hostkeys import PresentedKey
from gpudesk.core.store.secrets import open_secret_store
from gpudesk.ui.bridges import BackgroundTask, run_in_background

#: How long the worker waits for the user to answer the host-key question.
ANSWER_TIMEOUT_S = 600.0


class PowerOnNews(QObject):
    """App-wide news of power-ons started from the GUI (``app.py`` hands it to the tray)."""

    instance_up = Signal(str)  # the alias of an instance that is running again


_NEWS: PowerOnNews | None = None


def power_on_news() -> PowerOnNews:
    """The one :class:`PowerOnNews` of this process (made on first use, on the GUI thread)."""
    global _NEWS
    if _NEWS is None:
        _NEWS = PowerOnNews()
    return _NEWS


class PowerOnFollower(QObject):
    """One power-on-and-follow at a time; every signal arrives on the GUI thread."""

    progressed = Signal(str)
    host_key_asked = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    _asked_from_worker = Signal(object)

    def __init__(self, provider_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._provider_id = provider_id
        self._task: BackgroundTask | None = None
        self._answered = threading.Event()
        self._trusted = False
        self._alias = ""
        self._asked_from_worker.connect(self.host_key_asked)

    @property
    def running(self) -> bool:
        """True while a power-on is under way."""
        return self._task is not None

    def start(self, instance_id: str, alias: str, book: AccountBook | None = None) -> None:
        """Power ``instance_id`` on and re-point ``alias`` at its new endpoint."""
        if self._task is not None:
            return
        provider_id = self._provider_id
        self._alias = alias

        def work(task: BackgroundTask) -> object:
            def report(event: PowerEvent) -> None:
                if event.kind != "countdown":
                    task.progressed.emit(event.detail)

            def confirm(key: PresentedKey) -> bool:
                self._answered.clear()
                self._trusted = False
                self._asked_from_worker.emit(key)
                waited = 0.0
                while not self._answered.wait(0.1):
                    waited += 0.1
                    if task.cancelled.is_set() or waited > ANSWER_TIMEOUT_S:
                        return False
                return self._trusted

            secrets, _warning = open_secret_store()
            accounts = book or AccountBook()
            provider = open_provider(provider_id, secrets, accounts)
            power_on_when_free(provider, instance_id, on_event=report)
            wait_until_running(provider, instance_id, on_event=report)
            followed = follow_instance(
                provider,
                instance_id,
                alias,
                confirm_new_host_key=confirm,
                secrets=secrets,
                platform_id=provider_id,
            )
            if followed.repointed is not None:
                saved = followed.repointed.instance
                accounts.link(provider_id, instance_id, saved.alias, saved.host_key_alias)
            return followed

        task = run_in_background(work)
        self._task = task
        task.progressed.connect(self.progressed)
        task.succeeded.connect(self._on_succeeded)
        task.failed.connect(self._on_failed)

    def answer_host_key(self, trusted: bool) -> None:
        """The user's answer to ``host_key_asked``."""
        self._trusted = trusted
        self._answered.set()

    def cancel(self) -> None:
        """Stop waiting; a pending question is answered no."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.answer_host_key(False)

    def _on_succeeded(self, result: object) -> None:
        self._task = None
        self.succeeded.emit(result)
        if self._alias:
            power_on_news().instance_up.emit(self._alias)

    def _on_failed(self, error: object) -> None:
        self._task = None
        self.failed.emit(error)
