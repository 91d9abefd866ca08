"""Helpers shared by the tests that run ``gpudesk`` as a user would and look for leaked secrets."""

from __future__ import annotations

import html
import http.client
import os
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

from tests.testbed.sshd import SshdServer


def run_gpudesk(
    *args: str, stdin: str = "", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m gpudesk ARGS`` in this test's environment (its temporary HOME)."""
    return subprocess.run(
        [sys.executable, "-m", "gpudesk", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=os.environ.copy(),
    )


def ssh_command_for(server: SshdServer) -> str:
    """The ``ssh -p PORT USER@127.0.0.1`` line a console would show for the test sshd."""
    return f"ssh -p {server.port} {server.user.name}@127.0.0.1"


def files_containing(root: Path, needle: str | bytes) -> list[Path]:
    """Every readable file under ``root`` whose bytes contain ``needle``."""
    wanted = needle.encode() if isinstance(needle, str) else needle
    found = []
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = Path(dirpath) / name
            try:
                if wanted in path.read_bytes():
                    found.append(path)
            except OSError:
                continue
    return found


def follow_redirect_page(page_text: str) -> str:
    """The URL a gpudesk redirect page sends the browser to (its one-time address, asked once).

    The page itself holds only a one-time 127.0.0.1 address; the answer's ``Location`` is
    the real URL (with Jupyter's token).
    """
    found = re.search(r'content="0;url=([^"]+)"', page_text)
    assert found is not None, page_text
    parts = urllib.parse.urlsplit(html.unescape(found.group(1)))
    assert parts.hostname == "127.0.0.1", parts
    connection = http.client.HTTPConnection("127.0.0.1", parts.port, timeout=10)
    connection.request("GET", parts.path)
    answer = connection.getresponse()
    assert answer.status == 302, answer.status
    return str(answer.getheader("Location"))
