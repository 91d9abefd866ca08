"""Files: push a folder or file to an instance, pull one back — incremental, resumable, safe.

* :mod:`.model`: what a transfer is (:class:`TransferRequest`), what a side's file looks like
  (:class:`FileEntry`), progress snapshots and the final :class:`TransferReport`.
* :mod:`.ignore`: exclusions in ``.gitignore`` syntax (``pathspec``), ``.gpudeskignore``.
* :mod:`.trees`: walking the local and the remote tree (symlinks never followed out of it).
* :mod:`.record`: what was last transferred, per instance and folder pair (state dir).
* :mod:`.plan`: what to send, skip, delete, and which files are conflicts.
* :mod:`.findlisting`: the remote tree listed by one ``find -printf``, every field checked.
* :mod:`.remotecmd`: bounded helper commands on the instance (hashes, free space).
* :mod:`.pipeline`: many SFTP requests in flight per channel, several files at once.
* :mod:`.streamplan`, :mod:`.tarformat`, :mod:`.streampush`, :mod:`.streampull`: small files
  as tar streams (a staging folder and moves on the instance; checked members and part files
  locally).
* :mod:`.destedits`, :mod:`.resume`: folders made and deleted; part files continued.
* :mod:`.runner`: :func:`run_transfer`, the one entry point the CLI and the GUI use.

Everything runs over ONE authenticated SSH connection (SFTP and exec channels on its
transport).
No Qt here.

May import: base modules, ``store``, ``ssh``, ``keys``, ``editor``, ``catalog`` and
``tunnels``.
"""
