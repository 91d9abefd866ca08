"""The entries of a remote folder, listed off the GUI thread (bounded; names are input)."""

from __future__ import annotations

import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from gpudesk.core.ssh.remote import Connection
from gpudesk.core.transfer.roots import absolute_remote
from gpudesk.core.transfer.runner import open_sftp
from gpudesk.core.transfer.treelimits import valid_name

#: At most this many entries are shown.
MAX_ENTRIES = 2000


@dataclass(frozen=True)
class RemoteEntry:
    """One name in the listed folder."""

    name: str
    is_dir: bool
    size: int


class RemoteListing(QObject):
    """Lists one remote folder on a worker thread.

    Signals:
        listed(str, list[RemoteEntry]): the absolute folder and its entries, folders first.
        failed(BaseException): the folder could not be listed.
    """

    listed = Signal(str, object)
    failed = Signal(object)

    def __init__(
        self,
        connect: Callable[[], Connection],
        folder: str,
        *,
        workdir: str | None,
        owns_connection: bool = True,
    ) -> None:
        super().__init__()
        self.login, self.folder, self.workdir = connect, folder, workdir
        self.owns_connection = owns_connection

    def start(self) -> None:
        """List in the background."""
        threading.Thread(target=self._run, name="gpudesk-files-list", daemon=True).start()

    def _run(self) -> None:
        try:
            connection = self.login()
            try:
                sftp = open_sftp(connection)
                try:
                    folder = absolute_remote(sftp, self.folder, self.workdir)
                    entries = []
                    for attrs in sftp.listdir_attr(folder)[:MAX_ENTRIES]:
                        name = attrs.filename
                        if not isinstance(name, str) or not valid_name(name):
                            continue
                        is_dir = stat.S_ISDIR(attrs.st_mode or 0)
                        entries.append(RemoteEntry(name, is_dir, int(attrs.st_size or 0)))
                finally:
                    sftp.close()
            finally:
                if self.owns_connection:
                    connection.close()
        except Exception as error:
            self.failed.emit(error)
            return
        entries.sort(key=lambda e: (not e.is_dir, e.name.lower()))
        self.listed.emit(folder, entries)
