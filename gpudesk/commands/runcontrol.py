"""Around a long-running command: the secret store, and signals that stop it cleanly.

Kept apart from :mod:`gpudesk.commands.common` so that ``push``/``pull`` can use it without
importing the catalog and key modules they do not need (a quicker start).
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from gpudesk.core.store.secrets import SecretStore, open_secret_store


def open_secrets() -> SecretStore:
    """The secret store; when it only lasts this run (no usable keyring), say so on stderr."""
    secrets, warning = open_secret_store()
    if warning:
        print(f"gpudesk: {warning}", file=sys.stderr)
    return secrets


@contextmanager
def stop_on_signals(stop: threading.Event, *signals: signal.Signals) -> Iterator[None]:
    """While inside, each of ``signals`` sets ``stop`` (a clean exit) instead of ending us.

    Only the main thread may install handlers; called from another thread it changes nothing.
    The previous handlers come back on the way out.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in signals}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
