"""The tray's Jupyter helpers that need no instance: the redirect page and free ports.

The whole "Open Jupyter" flow runs against the real sshd in ``tests/ui/test_tray.py``.
"""

from __future__ import annotations

import os
import socket
import time

from gpudesk.core.jupyterlink import (
    free_local_port,
    remove_stale_redirect_pages,
    write_redirect_page,
)


def test_redirect_page_is_private_and_escaped() -> None:
    page = write_redirect_page('http://127.0.0.1:8888/lab?token=abc&x="y"')
    assert oct(page.stat().st_mode & 0o777) == "0o600"
    text = page.read_text("utf-8")
    assert "token=abc&amp;x=&quot;y&quot;" in text and '"y"' not in text


def test_stale_pages_are_removed_fresh_ones_kept() -> None:
    old, fresh = write_redirect_page("http://a/"), write_redirect_page("http://b/")
    past = time.time() - 3600
    os.utime(old, (past, past))
    assert remove_stale_redirect_pages(60) == 1
    assert not old.exists() and fresh.exists()


def test_free_local_port_skips_busy_ones() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        port = busy.getsockname()[1]
        chosen = free_local_port(port, tries=3)
        assert chosen != port and (chosen == 0 or port < chosen < port + 3)
