"""The engine of gpudesk: pure Python, strictly typed, and never importing Qt.

Rooms, lowest first; a room imports only the rooms below it (``pyproject.toml`` holds the
import-linter contracts that ``make test`` checks):

* base modules here: ``errors`` (GpuDeskError with code, message, hint), ``models`` (frozen
  dataclasses shared by every room), ``paths`` (app dirs, ``GPUDESK_HOME``), ``resources``
  (bundled data files) and ``redact`` (masking secrets in text);
* ``store/``: atomic files, settings, saved instances, secrets (keyring only);
* ``ssh/``: a pasted command, login with host-key trust, remote commands, the probe;
* ``keys/``: key pairs, their permissions, installing them on the instance;
* ``editor/`` and ``catalog/``: ssh config and VS Code; platforms, GPUs, images;
* ``tunnels/``, ``apps/``, ``monitor/``: forwards that stay up, Jupyter and TensorBoard,
  GPU samples and the idle rule;
* ``desktop/``: tray state and menu as data, notifications, wake-up, autostart;
* ``wizard``: the set-up flow as typed data.

The faces (``gpudesk.ui``, ``gpudesk.commands``, ``gpudesk.app``, ``gpudesk.cli``) sit on
top and are never imported from here.
"""
