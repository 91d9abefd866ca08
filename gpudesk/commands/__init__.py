"""The `gpudesk` subcommands: one module each, each with ``register(subparsers)``.

Every command is a thin face over ``gpudesk.core``: parse arguments, call the core, print
text or JSON, and return an exit code from :class:`gpudesk.core.errors.ExitCode`.
"""

from __future__ import annotations

#: Modules under ``gpudesk.commands`` whose ``register`` adds a subcommand, in help order.
COMMAND_MODULES: tuple[str, ...] = (
    "parse",
    "check",
    "hostkey",
    "keys",
    "installkey",
    "setup",
    "sshconfig",
    "open",
    "tunnel",
    "jupyter",
    "monitor",
    "account",
    "instances",
    "power",
    "create",
    "guard",
    "transfer",
)

#: Subcommands whose module is known without importing every command (``gpudesk push`` then
#: loads only what it needs); a subcommand not listed here loads them all.
MODULE_OF_COMMAND: dict[str, str] = {"push": "transfer", "pull": "transfer"}
