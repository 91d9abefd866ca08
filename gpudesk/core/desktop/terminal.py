"""Open the system terminal with ``ssh ALIAS`` running in it.

:func:`terminal_command` picks the argv for this system: ``$TERMINAL`` or a known terminal
on Linux (``x-terminal-emulator`` first: Debian's choice of the user's terminal), Terminal.app
through ``osascript`` on macOS, Windows Terminal or ``cmd`` on Windows. The alias is checked
first (:func:`~gpudesk.core.store.instances.validate_alias`: letters, digits, ``._-``), so it
can pass through ``osascript`` and ``cmd`` without quoting tricks. :func:`open_terminal`
starts it detached, never through a shell.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping

from gpudesk.core.errors import GpuDeskError
from gpudesk.core.store.instances import validate_alias

Which = Callable[[str], "str | None"]

#: Linux terminals, best guess first, with the flag that runs a command.
LINUX_TERMINALS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("x-terminal-emulator", ("-e",)),
    ("gnome-terminal", ("--",)),
    ("konsole", ("-e",)),
    ("xfce4-terminal", ("-x",)),
    ("kitty", ()),
    ("alacritty", ("-e",)),
    ("xterm", ("-e",)),
)


def no_terminal_error() -> GpuDeskError:
    """No terminal program was found."""
    return GpuDeskError(
        "terminal.not_found",
        "No terminal program was found to run ssh in.",
        "Install a terminal (e.g. xterm), or set the TERMINAL environment variable.",
    )


def terminal_command(
    alias: str,
    *,
    platform: str = sys.platform,
    which: Which = shutil.which,
    environ: Mapping[str, str] = os.environ,
) -> list[str]:
    """The argv that opens a terminal running ``ssh ALIAS``.

    Raises:
        InputError: ``alias`` is not a valid alias.
        GpuDeskError: ``terminal.not_found``.
    """
    validate_alias(alias)
    ssh = ["ssh", alias]
    if platform == "darwin":
        return ["osascript", "-e", f'tell application "Terminal" to do script "ssh {alias}"']
    if platform.startswith("win"):
        terminal = which("wt.exe") or which("wt")
        if terminal:
            return [terminal, *ssh]
        return [which("cmd.exe") or "cmd.exe", "/c", "start", "", *ssh]
    chosen = environ.get("TERMINAL", "").strip()
    if chosen and which(chosen):
        return [str(which(chosen)), "-e", *ssh]
    for name, flags in LINUX_TERMINALS:
        found = which(name)
        if found:
            return [found, *flags, *ssh]
    raise no_terminal_error()


def open_terminal(alias: str, *, which: Which = shutil.which) -> list[str]:
    """Start the terminal running ``ssh ALIAS``, detached; return the argv used.

    Raises:
        InputError: Bad alias. GpuDeskError: No terminal, or it could not start.
    """
    argv = terminal_command(alias, which=which)
    try:
        subprocess.Popen(  # noqa: S603 - an argument list, no shell; the alias is validated
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=not sys.platform.startswith("win"),
        )
    except OSError as exc:
        raise GpuDeskError(
            "terminal.failed",
            f"The terminal {argv[0]} could not start: {exc.strerror or exc}.",
            "Open a terminal yourself and type the ssh command (Copy ssh command).",
        ) from exc
    return argv
