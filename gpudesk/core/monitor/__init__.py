"""Watching the GPU: samples over the existing connection, the idle rule, the cost.

Lives here: ``gpumonitor`` (parsing ``nvidia-smi`` samples, the idle rule, the cost meter,
the records ``gpudesk monitor`` prints) and ``hub`` (one sampling thread per instance the
engine watches: its readings, idle alerts and problems).

May import: base modules, ``store``, ``ssh``, ``keys``, ``editor``, ``catalog`` and
``tunnels``.
"""
