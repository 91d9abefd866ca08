"""Translated texts of every error code the core raises, one module per area.

Each module has ``texts() -> dict[str, tuple[str, str]]`` (code -> translated message and
hint, built at call time). To add an area, add a module and name it in ``AREA_MODULES``.
``ssh.parse.*`` codes have their own table in :mod:`.pasted_command` (message only: the hint
is always "paste the line again").
"""

from __future__ import annotations

import importlib

from gpudesk.ui.errortexts import pasted_command

#: Modules under ``gpudesk.ui.errortexts`` whose ``texts()`` are merged, in order.
AREA_MODULES: tuple[str, ...] = (
    "connection",
    "hardening",
    "providers",
    "guard",
    "transfer",
    "files",
    "keys",
    "editor",
    "apps",
    "commandline",
    "desktop",
    "wizard_accounts",
)


def known_texts() -> dict[str, tuple[str, str]]:
    """Every translated ``(message, hint)`` by error code, in the current UI language."""
    merged: dict[str, tuple[str, str]] = {}
    for name in AREA_MODULES:
        module = importlib.import_module(f"gpudesk.ui.errortexts.{name}")
        merged.update(module.texts())
    return merged


def pasted_command_texts() -> dict[str, str]:
    """Translated messages of ``ssh.parse.<suffix>`` errors by suffix."""
    return pasted_command.texts()
