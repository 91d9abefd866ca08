"""The set-up path both faces share: what the wizard's last steps and ``gpudesk setup`` do.

Lives here: ``instancesave`` (save or update a checked instance: the password kept only when
asked, the host key pinned under the instance's own name, a bad work folder refused before
anything is written). The key half of the path lives with the keys (``keys.keysetup``).

May import: base modules, ``store``, ``ssh``, ``keys``, ``catalog`` and ``editor``.
"""
