"""Run ``check_instance`` off the GUI thread, asking the GUI about a new host key midway.

The check is awaited on the Qt loop (qasync, :mod:`gpudesk.ui.asyncwork`) while it runs on a
worker thread. ``check_instance`` calls its host-key callback on that worker, in the middle of
the SSH handshake, before any password is sent: the callback hands the question to the GUI
loop (``asyncio.run_coroutine_threadsafe``), where :class:`CheckRunner` emits
``host_key_asked`` and awaits :meth:`CheckRunner.answer_host_key`; the worker waits for that
answer (bounded; Cancel answers "no"). Progress, the result and errors come back as signals;
after Cancel, late results are dropped.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from gpudesk.core.keys.keypairs import load_private_key
from gpudesk.core.keys.keysetup import load_login_key
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.check import check_instance
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.ssh.remote import Credentials
from gpudesk.core.store.secrets import SecretStore
from gpudesk.ui.asyncwork import TaskHolder, progress_on_gui, run_blocking

log = logging.getLogger(__name__)

#: How long the worker waits for the user to answer the host-key question.
HOST_KEY_ANSWER_TIMEOUT_S = 600.0


class CheckRunner(QObject):
    """Start and cancel one instance check at a time; every signal arrives on the GUI thread."""

    progressed = Signal(str)
    host_key_asked = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._check = TaskHolder()
        self._question: asyncio.Future[bool] | None = None

    @property
    def running(self) -> bool:
        """True while a check is under way."""
        return self._check.running

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
        if self._check.running:
            return

        def credentials() -> Credentials:
            if target.identity_file:
                return Credentials(key=load_private_key(Path(target.identity_file).expanduser()))
            if key is not None:
                return Credentials(key=load_login_key(key, secrets))
            return Credentials(password=password or None)

        async def check() -> None:
            loop = asyncio.get_running_loop()
            progress = progress_on_gui(self.progressed.emit)

            def confirm(presented: PresentedKey) -> bool:  # on the worker thread
                asked = asyncio.run_coroutine_threadsafe(self._ask(presented), loop)
                try:
                    return asked.result(timeout=HOST_KEY_ANSWER_TIMEOUT_S)
                except (concurrent.futures.CancelledError, TimeoutError):
                    asked.cancel()
                    return False

            try:
                result = await run_blocking(
                    lambda: check_instance(
                        target,
                        credentials(),
                        pin_name=pin_name,
                        directories=directories,
                        host_keys=host_keys,
                        confirm_new_host_key=confirm,
                        progress=progress,
                    )
                )
            except Exception as error:  # every error is shown by the page
                self._check.release()
                self.failed.emit(error)
            else:
                self._check.release()
                self.succeeded.emit(result)
            self.finished.emit()

        self._check.start(check())
        log.info("checking %s", target.address)

    async def _ask(self, key: PresentedKey) -> bool:
        """Emit ``host_key_asked`` and wait for :meth:`answer_host_key` (on the GUI loop)."""
        question: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._question = question
        self.host_key_asked.emit(key)
        try:
            return await question
        finally:
            if self._question is question:
                self._question = None

    def answer_host_key(self, trusted: bool) -> None:
        """The user's answer to ``host_key_asked``."""
        question, self._question = self._question, None
        if question is not None and not question.done():
            question.set_result(trusted)

    def cancel(self) -> None:
        """Stop waiting: the worker's late result is dropped; a pending question says no."""
        if not self._check.cancel():
            return
        self.answer_host_key(False)
        log.info("check cancelled")
        self.finished.emit()
