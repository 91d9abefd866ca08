"""The cost guard: a small POSIX-sh program installed on the instance that powers it off.

It runs there, detached from any SSH session, so an idle GPU is stopped even while the laptop
sleeps. Lives here: ``rules`` (the rules and their validation, the platform's power-off
command), ``remote_scripts`` (the fixed shell texts sent over SSH), ``status`` (reading the
guard's state back, bounded and validated: the instance is not trusted), ``control``
(install or replace, status, postpone, cancel over a connection) and ``countdown`` (what the
tray shows while a power-off is announced). The guard script itself is
``resources/guard/gpudesk-guard.sh``.

May import: base modules, ``store``, ``ssh``, ``keys``, ``editor``, ``catalog``, ``tunnels``
and ``monitor`` (the idle rule is the monitor's: one rule, two places).
"""
