"""A secret store whose keyring opens on a worker thread, so starting gpudesk never waits on it.

Opening the keyring may block for a long time: a fresh GNOME Keyring asks for its password
before it answers, and a busy D-Bus is slow. :class:`OpeningSecretStore` starts
:func:`~gpudesk.core.store.secrets.open_secret_store` on its own thread at once and is usable
immediately: :attr:`opened` is a future of the outcome (the GUI awaits it, e.g. to show the
"no keyring" notice), reading and writing secrets wait for it (they already run off the GUI
thread), and the two properties a window asks while building (:attr:`persistent`,
:attr:`backend_name`) answer at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future

from gpudesk.core.store.secrets import SecretStore, open_secret_store

log = logging.getLogger(__name__)

#: The outcome of opening: the store, and None or a warning for the user.
Opened = tuple[SecretStore, str | None]


class OpeningSecretStore:
    """A :class:`SecretStore` that becomes the keyring (or the memory fallback) once open.

    Args:
        opener: Opens the real store (default :func:`open_secret_store`); called once, on a
            worker thread, right away.
    """

    def __init__(self, opener: Callable[[], Opened] = open_secret_store) -> None:
        self.opened: Future[Opened] = Future()
        self._opener = opener
        threading.Thread(target=self._open, name="gpudesk-keyring-open", daemon=True).start()

    def __repr__(self) -> str:
        return f"OpeningSecretStore({self.backend_name!r})"

    def _open(self) -> None:
        try:
            self.opened.set_result(self._opener())
        except BaseException as error:  # reported to whoever uses the store
            log.warning("opening the keyring failed: %r", error)
            self.opened.set_exception(error)

    def wait(self, timeout: float | None = None) -> Opened:
        """The opened store and warning (blocking until open; off the GUI thread only)."""
        return self.opened.result(timeout)

    @property
    def persistent(self) -> bool:
        """Whether secrets survive a restart; True while still opening (the usual outcome).

        Never blocks: the wizard asks while building its pages. If the keyring turns out to be
        missing, secrets set meanwhile go to the memory store and the user is warned; if it
        could not be opened at all, False.
        """
        if not self.opened.done():
            return True
        if self.opened.exception() is not None:
            return False
        return self.opened.result()[0].persistent

    @property
    def backend_name(self) -> str:
        """Where secrets go; ``"opening"`` meanwhile, ``"unavailable"`` if opening failed."""
        if not self.opened.done():
            return "opening"
        if self.opened.exception() is not None:
            return "unavailable"
        return self.opened.result()[0].backend_name

    def get(self, name: str) -> str | None:
        """Return the secret called ``name`` (waits until the keyring is open)."""
        return self.wait()[0].get(name)

    def set(self, name: str, value: str) -> None:
        """Store ``value`` as ``name`` (waits until the keyring is open)."""
        self.wait()[0].set(name, value)

    def delete(self, name: str) -> None:
        """Forget ``name`` (waits until the keyring is open)."""
        self.wait()[0].delete(name)
