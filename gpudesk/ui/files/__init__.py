"""The Files view of one instance: push by dropping files, pull picked remote paths.

* :mod:`.files_view`: :class:`FilesView`, the self-contained widget a dashboard hosts.
* :mod:`.transfer_task`: one push or pull on a worker thread, reported through Qt signals.
* :mod:`.remote_listing`: the remote folder's entries, listed off the GUI thread.
* :mod:`.amounts`: bytes, rates and times as short translated text.

The view needs a login callable (``() -> Connection``); the app can pass the tunnels' shared
connection with ``owns_connection=False`` so no second login happens.
"""

from gpudesk.ui.files.files_view import FilesView

__all__ = ["FilesView"]
