"""Start gpudesk when the user logs in (off by default; ``Settings.start_at_login``).

One small backend per OS, each writing only its own entry:

* Windows: the value ``gpudesk`` under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``
  (:class:`WindowsRunKey`; the ``winreg`` module is injected, so a fake registry tests it).
* Linux and other XDG desktops: ``$XDG_CONFIG_HOME/autostart/gpudesk.desktop``
  (default ``~/.config``), per the XDG Autostart specification.
* macOS: ``~/Library/LaunchAgents/io.github.gpudesk.plist`` with ``RunAtLoad``.

Files are written with :mod:`gpudesk.core.store.atomicfile`. :func:`launch_command` is what
starts this very gpudesk (the frozen executable, or this Python with ``-m gpudesk``).
"""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from gpudesk.core.errors import FileWriteError
from gpudesk.core.paths import ensure_private_dir, home_dir
from gpudesk.core.store.atomicfile import write_file_atomically

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
VALUE_NAME = "gpudesk"
LAUNCH_AGENT_LABEL = "io.github.gpudesk"
DESKTOP_FILE = "gpudesk.desktop"


class Autostart(Protocol):
    """Start-at-login for one OS."""

    def is_enabled(self) -> bool:
        """True when gpudesk's entry is present."""

    def enable(self, command: Sequence[str]) -> None:
        """Write the entry so that ``command`` runs at login."""

    def disable(self) -> None:
        """Remove the entry (no error when there is none)."""


def launch_command() -> list[str]:
    """The argv that starts this gpudesk's window (frozen app or ``python -m gpudesk``)."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    python = Path(sys.executable)
    if sys.platform == "win32":
        windowless = python.with_name("pythonw.exe")
        if windowless.exists():
            python = windowless  # no console window at login
    return [str(python), "-m", "gpudesk", "--gui"]


# --- Linux / XDG ------------------------------------------------------------------------------


def _desktop_quote(arg: str) -> str:
    """Quote one argument for a desktop entry's ``Exec`` key (XDG Desktop Entry spec)."""
    arg = arg.replace("%", "%%")
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


def desktop_entry(command: Sequence[str]) -> str:
    """The ``gpudesk.desktop`` text that runs ``command`` at login."""
    exec_line = " ".join(_desktop_quote(a) for a in command).replace("\\", "\\\\")
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=gpudesk\n"
        "Comment=Keeps your cloud GPU tunnels up and warns about idle GPUs\n"
        f"Exec={exec_line}\n"
        "Icon=gpudesk\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


class XdgAutostart:
    """``$XDG_CONFIG_HOME/autostart/gpudesk.desktop``."""

    def __init__(self, config_home: Path | None = None) -> None:
        base = config_home or Path(os.environ.get("XDG_CONFIG_HOME") or home_dir() / ".config")
        self.path = base / "autostart" / DESKTOP_FILE

    def is_enabled(self) -> bool:
        """True when the desktop file exists."""
        return self.path.is_file()

    def enable(self, command: Sequence[str]) -> None:
        """Write the desktop file (mode 0644, as desktop files are)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomically(
            self.path, desktop_entry(command).encode("utf-8"), mode=0o644, backup=False
        )

    def disable(self) -> None:
        """Delete the desktop file."""
        _unlink(self.path)


# --- macOS ------------------------------------------------------------------------------------


def launch_agent(command: Sequence[str]) -> bytes:
    """The LaunchAgent plist that runs ``command`` at login."""
    document: dict[str, Any] = {
        "Label": LAUNCH_AGENT_LABEL,
        "ProgramArguments": list(command),
        "RunAtLoad": True,
        "ProcessType": "Interactive",
    }
    return plistlib.dumps(document)


class LaunchAgentAutostart:
    """``~/Library/LaunchAgents/io.github.gpudesk.plist``."""

    def __init__(self, home: Path | None = None) -> None:
        self.path = (
            (home or home_dir()) / "Library" / "LaunchAgents" / (LAUNCH_AGENT_LABEL + ".plist")
        )

    def is_enabled(self) -> bool:
        """True when the plist exists."""
        return self.path.is_file()

    def enable(self, command: Sequence[str]) -> None:
        """Write the plist (mode 0644; launchd ignores group/world-writable agents)."""
        ensure_private_dir(self.path.parent)
        write_file_atomically(self.path, launch_agent(command), mode=0o644, backup=False)

    def disable(self) -> None:
        """Delete the plist."""
        _unlink(self.path)


# --- Windows ----------------------------------------------------------------------------------


class WindowsRunKey:
    """The ``gpudesk`` value of the current user's ``Run`` key.

    Args:
        registry: The ``winreg`` module (or a fake with the same functions and constants).
    """

    def __init__(self, registry: Any = None) -> None:
        if registry is None:
            import winreg as registry  # type: ignore[import-not-found,no-redef,unused-ignore]
        self.reg = registry

    def _open(self, access: int) -> Any:
        return self.reg.CreateKeyEx(self.reg.HKEY_CURRENT_USER, RUN_KEY, 0, access)

    def is_enabled(self) -> bool:
        """True when the value exists."""
        try:
            with self._open(self.reg.KEY_QUERY_VALUE) as key:
                self.reg.QueryValueEx(key, VALUE_NAME)
        except OSError:
            return False
        return True

    def enable(self, command: Sequence[str]) -> None:
        """Set the value to ``command`` as one command line (``subprocess.list2cmdline``)."""
        try:
            with self._open(self.reg.KEY_SET_VALUE) as key:
                self.reg.SetValueEx(
                    key, VALUE_NAME, 0, self.reg.REG_SZ, subprocess.list2cmdline(list(command))
                )
        except OSError as exc:
            raise _failed(f"HKCU\\{RUN_KEY}", exc) from exc

    def disable(self) -> None:
        """Delete the value."""
        try:
            with self._open(self.reg.KEY_SET_VALUE) as key:
                self.reg.DeleteValue(key, VALUE_NAME)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise _failed(f"HKCU\\{RUN_KEY}", exc) from exc


# --- choosing ---------------------------------------------------------------------------------


def autostart_for(platform: str = sys.platform) -> Autostart:
    """The backend of ``platform`` (``sys.platform`` style)."""
    if platform == "win32":
        return WindowsRunKey()
    if platform == "darwin":
        return LaunchAgentAutostart()
    return XdgAutostart()


def apply_autostart(
    enabled: bool, *, backend: Autostart | None = None, command: Sequence[str] | None = None
) -> bool:
    """Make start-at-login match ``enabled``; return True when the entry appeared or went.

    Enabling always rewrites the entry, so a moved or updated gpudesk is started from its
    new place (the write is skipped when the bytes are the same).

    Raises:
        FileWriteError: The entry could not be written or removed.
    """
    chosen = backend or autostart_for()
    if not enabled:
        if not chosen.is_enabled():
            return False
        chosen.disable()
        return True
    was = chosen.is_enabled()
    chosen.enable(command or launch_command())
    return not was


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _failed(str(path), exc) from exc


def _failed(where: str, exc: OSError) -> FileWriteError:
    return FileWriteError(
        "autostart.failed",
        f"gpudesk could not change its start-at-login entry {where}: {exc.strerror or exc}.",
        "Check the permissions there, or turn the setting off and on again.",
    )
