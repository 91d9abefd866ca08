"""Programs gpudesk runs on the instance and opens locally: Jupyter and TensorBoard.

Lives here: ``remote_apps`` (finding and starting a detached server on 127.0.0.1 over SSH),
``jupyter``, ``tensorboard``, ``jupyterlink`` (the tray's tunnel to them) and ``redirect``
(the local page and one-time address that hand the token to the browser without a file).

May import: base modules, ``store``, ``ssh``, ``keys``, ``editor``, ``catalog`` and
``tunnels``.
"""
