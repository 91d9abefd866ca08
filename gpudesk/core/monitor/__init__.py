"""Watching the GPU: samples over the existing connection, the idle rule, the cost.

Lives here: ``gpumonitor`` (parsing ``nvidia-smi`` samples, the idle rule, the cost meter,
one instance's sampling loop) and ``hub`` (one monitor per instance whose tunnels run).

May import: base modules, ``store``, ``ssh``, ``keys``, ``editor``, ``catalog`` and
``tunnels``.
"""
