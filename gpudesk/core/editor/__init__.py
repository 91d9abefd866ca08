"""The user's editors and ssh config: aliases, VS Code settings, sftp.json, JSONC.

Lives here: ``sshconfig`` (ONE ``Include`` line at the top of ``~/.ssh/config`` and gpudesk's
own host files), ``sshentry`` (one Host block), ``vscode`` (finding VS Code and its user
settings), ``editorsetup`` (planning every edit of the editor step), ``editorlaunch``
(opening a folder on the instance), ``sftpjson`` and ``jsonc``.

May import: base modules, ``store``, ``ssh`` and ``keys``; never ``catalog``'s siblings above.
"""
