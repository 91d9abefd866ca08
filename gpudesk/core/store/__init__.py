"""Files gpudesk owns or edits: atomic writes with locks and backups, settings, instances, secrets.

Lives here: ``atomicfile`` (temp file + fsync + replace, locks, backups), ``filelock`` (the
sidecar write lock: never through a link, never left behind), ``filechange`` (a
planned edit of a file the user owns, previewed before it is written), ``settings``,
``instances`` (the saved instances, never secrets), ``secrets`` (the keyring, the only
place a password, passphrase or token is kept) and ``openingsecrets`` (the keyring opened on
a worker thread, so that starting the app never waits on it).

May import: the base modules of ``gpudesk.core`` (``errors``, ``models``, ``paths``,
``resources``, ``redact``). Nothing above it.
"""
