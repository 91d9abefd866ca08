"""The saved instances as the desk last read them, refreshed off the caller's thread.

The tray menu opens often; re-reading ``instances.json`` (and looking for each alias in the
ssh config) on every opening made the GUI thread wait on the disk. :class:`InstanceCache`
answers from memory at once and re-reads on a worker thread (:meth:`refresh_soon`, one
re-read at a time, or :meth:`refresh_if_changed` from the desk's clock when the file's time
stamp moved); when the instances changed, ``on_changed`` is called with the new list.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.errors import GpuDeskError
from gpudesk.core.store.instances import Instance, InstanceStore

log = logging.getLogger(__name__)


class InstanceCache:
    """The saved instances and which of them have an ssh alias; thread-safe.

    Args:
        store: Where the instances are saved.
        on_changed: Called with the new instances after a re-read found a change (on the
            thread that re-read).
        ssh_config: Where gpudesk's ssh aliases live (tests may pass their own).
    """

    def __init__(
        self,
        store: InstanceStore,
        on_changed: Callable[[list[Instance]], None] = lambda _instances: None,
        ssh_config: SshConfig | None = None,
    ) -> None:
        self.store = store
        self.on_changed = on_changed
        self._ssh_config = ssh_config
        self._lock = threading.Lock()
        self._instances: list[Instance] = []
        self._with_alias: frozenset[str] = frozenset()
        self._refreshing = False
        self._seen: tuple[int, int] | None = None  # (mtime_ns, size) of the file last read

    @property
    def instances(self) -> list[Instance]:
        """The instances as last read (never touches the disk)."""
        with self._lock:
            return list(self._instances)

    def get(self, alias: str) -> Instance | None:
        """The cached instance called ``alias``, or None."""
        with self._lock:
            return next((i for i in self._instances if i.alias == alias), None)

    def has_ssh_alias(self, alias: str) -> bool:
        """Whether gpudesk wrote ``alias`` into the ssh config (as of the last read)."""
        with self._lock:
            return alias in self._with_alias

    def refresh(self) -> list[Instance]:
        """Re-read the file now (blocking: call it off the GUI thread); return the instances.

        A damaged file is logged and the last good list kept.
        """
        seen = self._stamp()
        try:
            instances = self.store.list()
        except GpuDeskError as error:
            log.warning("cannot read the saved instances: %s", error.message)
            return self.instances
        config = self._ssh_config or SshConfig()
        with_alias = frozenset(i.alias for i in instances if config.entry_path(i.alias).exists())
        with self._lock:
            changed = instances != self._instances or with_alias != self._with_alias
            self._instances, self._with_alias, self._seen = instances, with_alias, seen
        if changed:
            self.on_changed(list(instances))
        return instances

    def refresh_if_changed(self) -> None:
        """Re-read on a worker thread if the file changed since the last read (one ``stat``).

        Another process (``gpudesk setup``) or the wizard may have saved an instance.
        """
        stamp = self._stamp()
        with self._lock:
            unchanged = stamp == self._seen
        if not unchanged:
            self.refresh_soon()

    def _stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.store.path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def refresh_soon(self) -> None:
        """Re-read on a worker thread unless a re-read is already under way."""
        with self._lock:
            if self._refreshing:
                return
            self._refreshing = True
        threading.Thread(target=self._refresh_once, name="gpudesk-instances", daemon=True).start()

    def _refresh_once(self) -> None:
        try:
            self.refresh()
        finally:
            with self._lock:
                self._refreshing = False
