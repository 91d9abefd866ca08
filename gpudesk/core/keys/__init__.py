"""SSH key pairs: make, load, protect (POSIX modes and Windows ACLs) and install them.

Lives here: ``keypairs`` (find, generate, load, fingerprint), ``keyfiles`` (reading and
repairing key files), ``keyperms`` (permissions: chmod or icacls) and ``keyinstall`` (what
``ssh-copy-id`` does, done right, and the proof of a key-only login).

May import: base modules, ``store`` and ``ssh``.
"""
