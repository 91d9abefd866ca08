"""Talking to an instance over SSH: parse what users paste, log in, trust host keys, run commands.

Lives here: ``sshcommand`` (a pasted ``ssh ...`` command as a typed target), ``values`` (what
a port, host, user and key path may be), ``hostkeys`` (gpudesk's own pinned known_hosts),
``remote`` (paramiko login with the host key checked first, bounded remote commands),
``probe`` (what the instance has, in one round trip), ``check`` (the service behind
``gpudesk check``) and ``untrusted`` (numbers from the instance validated, its text made
plain: the instance is not trusted).

May import: base modules and ``store``.
"""
