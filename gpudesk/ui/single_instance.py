"""One gpudesk per user: a second launch hands over to the running one and exits.

The first gpudesk listens on a :class:`QLocalServer` (a Unix socket / Windows named pipe,
accessible to this user only). A later launch connects, sends ``activate``, waits for
``ok`` and exits; the running one emits :attr:`SingleInstance.activation_requested` and
brings its window forward. A socket left behind by a crashed gpudesk is noticed (nobody
answers) and replaced (Qt binds the new socket beside it and renames it over the old one).

The server name is per user and per gpudesk home (``GPUDESK_HOME`` gives tests and
portable copies their own); ``GPUDESK_INSTANCE_NAME`` overrides it.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

from gpudesk.core import paths

log = logging.getLogger(__name__)

NAME_ENV = "GPUDESK_INSTANCE_NAME"
_ACTIVATE = b"activate\n"
_OK = b"ok\n"


def server_name() -> str:
    """``gpudesk-<user>-<hash of the config dir>`` (or ``$GPUDESK_INSTANCE_NAME``)."""
    override = os.environ.get(NAME_ENV)
    if override:
        return override
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "user"
    digest = hashlib.sha256(str(paths.config_dir()).encode("utf-8")).hexdigest()[:10]
    safe_user = "".join(c for c in user if c.isalnum())[:32] or "user"
    return f"gpudesk-{safe_user}-{digest}"


class SingleInstance(QObject):
    """The hand-over between two launches.

    Use: ``if guard.hand_over(): sys.exit(0)`` then ``guard.listen()``, before building the
    window.
    """

    activation_requested = Signal()

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self.server: QLocalServer | None = None
        self._clients: list[QLocalSocket] = []

    def hand_over(self, timeout_ms: int = 2000) -> bool:
        """Ask a running gpudesk to come forward; True if one answered (then exit)."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(_ACTIVATE)
        socket.waitForBytesWritten(timeout_ms)
        answered = False
        while socket.waitForReadyRead(timeout_ms):
            if bytes(socket.readAll().data()).startswith(_OK[:2]):
                answered = True
                break
        socket.disconnectFromServer()
        log.info("a running gpudesk %s", "took over" if answered else "did not answer")
        return answered

    def listen(self) -> bool:
        """Become the running gpudesk; False if that was impossible (then run anyway)."""
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            if server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
                if self.hand_over(500):
                    log.warning("another gpudesk started at the same moment")
                    return False
                log.info("replacing a single-instance socket left behind by a crash")
                QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                log.warning("single-instance server not started: %s", server.errorString())
                return False
        server.newConnection.connect(self.on_server_new_connection)
        self.server = server
        log.info("single-instance server listening on %s", server.fullServerName())
        return True

    def on_server_new_connection(self) -> None:
        """A later launch connected: read its request."""
        if self.server is None:
            return
        while self.server.hasPendingConnections():
            client = self.server.nextPendingConnection()
            self._clients.append(client)
            client.readyRead.connect(lambda c=client: self._read(c))
            client.disconnected.connect(lambda c=client: self._forget(c))

    def _read(self, client: QLocalSocket) -> None:
        if not client.canReadLine():
            return
        line = bytes(client.readLine().data())
        if line == _ACTIVATE:
            client.write(_OK)
            client.flush()
            log.info("a second launch asked for the window")
            self.activation_requested.emit()
        client.disconnectFromServer()

    def _forget(self, client: QLocalSocket) -> None:
        if client in self._clients:
            self._clients.remove(client)
        client.deleteLater()

    def close(self) -> None:
        """Stop listening (the socket file is removed)."""
        if self.server is not None:
            self.server.close()
            self.server = None
