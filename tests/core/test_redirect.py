"""The Jupyter token reaches the browser through a one-time local address, never a file.

Real parts: the 127.0.0.1 server this process runs, real files in the temporary state dir, a
real child process killed with SIGKILL (the crash the page must survive without the token).
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import textwrap
import urllib.parse
from pathlib import Path

from gpudesk.core.apps.redirect import (
    one_time_address,
    redirect_directory,
    remove_stale_redirect_pages,
    write_redirect_page,
)
from tests.clihelpers import files_containing

TOKEN = "f00dfeedfacecafe0123456789abcdef0123456789abcd"
URL = f"http://127.0.0.1:8888/lab?token={TOKEN}"


def get(address: str) -> http.client.HTTPResponse:
    """One GET without following redirects."""
    parts = urllib.parse.urlsplit(address)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    connection.request("GET", parts.path)
    return connection.getresponse()


def test_the_one_time_address_redirects_once_then_never_again() -> None:
    address = one_time_address(URL)
    assert TOKEN not in address
    first = get(address)
    assert first.status == 302 and first.getheader("Location") == URL
    assert first.getheader("Cache-Control") == "no-store"
    try:
        second = get(address).status
    except OSError:
        second = None  # the server already stopped: just as good
    assert second in (404, None)


def test_a_wrong_path_learns_nothing() -> None:
    address = one_time_address(URL)
    wrong = get(address.rsplit("/", 1)[0] + "/guess")
    assert wrong.status == 404 and TOKEN not in wrong.read().decode()
    assert get(address).status == 302  # the real one still works once


def test_a_crash_leaves_no_token_on_disk(isolated_user_dirs: Path, tmp_path: Path) -> None:
    """A gpudesk killed while the page exists: the token is in no file, the page is cleared."""
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        from gpudesk.core.apps.redirect import write_redirect_page
        page = write_redirect_page({URL!r})
        print(page, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    child = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
        check=False,
    )
    assert child.returncode == -signal.SIGKILL
    page = Path(child.stdout.strip())
    assert page.parent == redirect_directory() and page.exists()
    assert files_containing(tmp_path, TOKEN) == []
    os.utime(page, (0, 0))
    assert remove_stale_redirect_pages() == 1
    assert not page.exists()


def test_pages_name_a_fresh_address_each_time() -> None:
    one, two = write_redirect_page(URL), write_redirect_page(URL)
    assert one.read_text() != two.read_text()
