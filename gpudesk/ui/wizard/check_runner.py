"""Run ``check_instance`` off the GUI thread, asking the GUI about a new host key midway.

``check_instance`` calls its host-key callback on the worker thread, in the middle of the
SSH handshake, before any password is sent. :class:`CheckRunner` turns that call into a
``host_key_asked`` signal on the GUI thread and makes the worker wait (bounded, and woken
by Cancel) for :meth:`CheckRunner.answer_host_key`. Progress, the result and errors come
back as signals too; after Cancel, late results are dropped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from gpudesk.core.keys.keypairs import load_private_key
from gpudesk.core.keys.keysetup import load_login_key
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.check import CheckResult, check_instance
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.ssh.remote import Credentials
from gpudesk.core.store.secrets import SecretStore
from gpudesk.ui.bridges import BackgroundTask, run_in_background

log = logging.getLogger(__name__)

#: How long the worker waits for the user to answer the host-key question.
HOST_KEY_ANSWER_TIMEOUT_S = 600.0


class _Question:
    """One pending host-key question (answered once, from the GUI thread)."""

    def __init__(self) -> None:
        self.answered = threading.Event()
        self.trusted = False

    def answer(self, trusted: bool) -> None:
        self.trusted = trusted
        self.answered.set()


class CheckRunner(QObject):
    """Start and cancel one instance check at a time; every signal arrives on the GUI thread."""

    progressed = Signal(str)
    host_key_asked = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()
    _asked_from_worker = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task: BackgroundTask | None = None
        self._question: _Question | None = None
        self._asked_from_worker.connect(self.host_key_asked)

    @property
    def running(self) -> bool:
        """True while a check is under way."""
        return self._task is not None

    def start(
        self,
        target: SshTarget,
        password: str,
        *,
        pin_name: str,
        directories: Sequence[str],
        host_keys: HostKeyStore,
        key: Path | None = None,
        secrets: SecretStore | None = None,
    ) -> None:
        """Check ``target`` in the background.

        A key from ``-i`` wins, then ``key`` (a saved instance's; its passphrase from
        ``secrets``), then the password.
        """
        if self._task is not None:
            return

        def work(running: BackgroundTask) -> CheckResult:
            def confirm(key: PresentedKey) -> bool:
                question = _Question()
                self._question = question
                self._asked_from_worker.emit(key)
                waited = 0.0
                while not question.answered.wait(0.1):
                    waited += 0.1
                    if running.cancelled.is_set() or waited > HOST_KEY_ANSWER_TIMEOUT_S:
                        return False
                return question.trusted

            if target.identity_file:
                path = Path(target.identity_file).expanduser()
                credentials = Credentials(key=load_private_key(path))
            elif key is not None:
                credentials = Credentials(key=load_login_key(key, secrets))
            else:
                credentials = Credentials(password=password or None)
            return check_instance(
                target,
                credentials,
                pin_name=pin_name,
                directories=directories,
                host_keys=host_keys,
                confirm_new_host_key=confirm,
                progress=running.progressed.emit,
            )

        task = run_in_background(work)
        self._task = task
        task.progressed.connect(self.progressed)
        task.succeeded.connect(self.on_task_succeeded)
        task.failed.connect(self.on_task_failed)
        log.info("checking %s", target.address)

    def answer_host_key(self, trusted: bool) -> None:
        """The user's answer to ``host_key_asked``."""
        question, self._question = self._question, None
        if question is not None:
            question.answer(trusted)

    def cancel(self) -> None:
        """Stop waiting: the worker's late result is dropped; a pending question says no."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        self.answer_host_key(False)
        log.info("check cancelled")
        self.finished.emit()

    def _done(self, task: BackgroundTask | None) -> bool:
        if task is None or task is not self._task:
            return False
        self._task = None
        self._question = None
        return True

    def on_task_succeeded(self, result: object) -> None:
        """Pass the result on (unless cancelled meanwhile)."""
        if self._done(self._sender_task()):
            self.succeeded.emit(result)
            self.finished.emit()

    def on_task_failed(self, error: object) -> None:
        """Pass the error on (unless cancelled meanwhile)."""
        if self._done(self._sender_task()):
            self.failed.emit(error)
            self.finished.emit()

    def _sender_task(self) -> BackgroundTask | None:
        sender = self.sender()
        return sender if isinstance(sender, BackgroundTask) else self._task
