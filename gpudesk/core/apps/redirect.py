"""Hand a URL with a secret (Jupyter's token) to the browser without writing the secret down.

A browser is started with a file or a URL on its command line, which every local user can
read in ``ps``, so the token cannot go there. Jupyter itself writes a redirect page holding
the token, and a crash leaves that page behind. Here the page holds no secret: it points at
a one-time address on 127.0.0.1 (a random path) served from memory by this process, which
answers once with a redirect to the real URL and then stops. A crash leaves a page pointing
at a server that no longer exists; :func:`remove_stale_redirect_pages` clears such pages.
The page is 0600 in a 0700 directory, so only the user can read the one-time address.
"""

from __future__ import annotations

import contextlib
import html
import http.server
import logging
import os
import secrets
import tempfile
import threading
import time
from pathlib import Path

from gpudesk.core import paths

log = logging.getLogger(__name__)

#: Seconds a one-time address waits for the browser before it closes unused.
REDIRECT_LIFETIME_S = 120.0
PAGE_PREFIX = "jupyter-"

_REDIRECT_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={url}">
<title>Opening {title}</title></head>
<body><p>Opening <a href="{url}">{title}</a>...</p></body></html>
"""


def redirect_directory() -> Path:
    """Where redirect pages are written (private to the user)."""
    return paths.state_dir() / "open"


class _OneTimeServer(http.server.HTTPServer):
    """Serves ``/<path>`` once with a redirect to ``target``; anything else is 404."""

    def __init__(self, target: str, path: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.target = target
        self.secret_path = path
        self.used = threading.Event()


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _OneTimeServer

    def do_GET(self) -> None:
        server = self.server
        if self.path != server.secret_path or server.used.is_set():
            self.send_error(404)
            return
        server.used.set()
        body = _REDIRECT_PAGE.format(url=html.escape(server.target, quote=True), title="")
        self.send_response(302)
        self.send_header("Location", server.target)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body.encode("utf-8"))

    def log_message(self, format: str, *args: object) -> None:
        """Never log requests: nothing here may reach a log."""


def _serve_once(server: _OneTimeServer, lifetime_s: float) -> None:
    deadline = time.monotonic() + lifetime_s
    server.timeout = 0.5
    with server:
        while not server.used.is_set() and time.monotonic() < deadline:
            server.handle_request()


def one_time_address(url: str, lifetime_s: float = REDIRECT_LIFETIME_S) -> str:
    """A ``http://127.0.0.1:PORT/<random>`` address that redirects once to ``url``."""
    server = _OneTimeServer(url, "/" + secrets.token_urlsafe(24))
    port = server.server_address[1]
    threading.Thread(
        target=_serve_once, args=(server, lifetime_s), name="gpudesk-redirect", daemon=True
    ).start()
    return f"http://127.0.0.1:{port}{server.secret_path}"


def write_redirect_page(
    url: str, title: str = "Jupyter", *, lifetime_s: float = REDIRECT_LIFETIME_S
) -> Path:
    """A private (0600) HTML page sending the browser to ``url`` without containing it.

    The page names a one-time address (:func:`one_time_address`) that this process serves
    for ``lifetime_s`` seconds; delete the page afterwards (a leftover holds no secret).
    """
    directory = paths.ensure_private_dir(redirect_directory())
    fd, name = tempfile.mkstemp(prefix=PAGE_PREFIX, suffix=".html", dir=directory)
    address = html.escape(one_time_address(url, lifetime_s), quote=True)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(_REDIRECT_PAGE.format(url=address, title=html.escape(title)))
    return Path(name)


def remove_stale_redirect_pages(max_age_s: float = 60.0) -> int:
    """Delete redirect pages older than ``max_age_s`` (left by a gpudesk that quit early)."""
    directory = redirect_directory()
    removed = 0
    now = time.time()
    for page in directory.glob(f"{PAGE_PREFIX}*.html") if directory.is_dir() else ():
        with contextlib.suppress(OSError):
            if now - page.lstat().st_mtime > max_age_s:
                page.unlink()
                removed += 1
    if removed:
        log.info("removed %d stale redirect page(s)", removed)
    return removed
