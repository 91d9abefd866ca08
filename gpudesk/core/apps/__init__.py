"""Programs gpudesk runs on the instance and opens locally: Jupyter and TensorBoard.

Lives here: ``remote_apps`` (finding and starting a detached server on 127.0.0.1 over SSH),
``jupyter``, ``tensorboard`` and ``jupyterlink`` (the tunnel and the local redirect page that
carries the token).

May import: base modules, ``store``, ``ssh``, ``keys``, ``editor``, ``catalog`` and
``tunnels``.
"""
