"""Watching the GPU: samples over the existing connection, the idle rule, the cost.

Lives here: ``gpumonitor`` (parsing ``nvidia-smi`` samples, the idle rule, the cost meter,
one instance's sampling loop), ``hub`` (one monitor per instance whose tunnels run) and
``session`` (``gpudesk monitor``'s own login, reconnected with the tunnels' backoff).

May import: base modules, ``store``, ``ssh``, ``keys``, ``editor``, ``catalog`` and
``tunnels``.
"""
