"""Start at login: the XDG desktop file, the macOS LaunchAgent, the Windows Run key (fake)."""

from __future__ import annotations

import plistlib
import shlex
from pathlib import Path
from typing import Any

import pytest

from gpudesk.core.desktop.autostart import (
    RUN_KEY,
    VALUE_NAME,
    LaunchAgentAutostart,
    WindowsRunKey,
    XdgAutostart,
    apply_autostart,
    autostart_for,
    desktop_entry,
    launch_command,
)
from gpudesk.core.errors import FileWriteError

COMMAND = ["/opt/gpu desk/python", "-m", "gpudesk", "--gui"]


class FakeKey:
    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def __enter__(self) -> FakeKey:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class FakeWinreg:
    """The parts of ``winreg`` the backend uses, over a dict."""

    HKEY_CURRENT_USER = 0x80000001
    KEY_QUERY_VALUE = 1
    KEY_SET_VALUE = 2
    REG_SZ = 1

    def __init__(self, *, read_only: bool = False) -> None:
        self.keys: dict[tuple[int, str], dict[str, Any]] = {}
        self.read_only = read_only

    def CreateKeyEx(self, root: int, sub: str, reserved: int, access: int) -> FakeKey:  # noqa: N802
        if self.read_only and access == self.KEY_SET_VALUE:
            raise PermissionError(5, "Access is denied")
        return FakeKey(self.keys.setdefault((root, sub), {}))

    def QueryValueEx(self, key: FakeKey, name: str) -> tuple[Any, int]:  # noqa: N802
        if name not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return key.values[name]

    def SetValueEx(self, key: FakeKey, name: str, reserved: int, kind: int, value: str) -> None:  # noqa: N802
        key.values[name] = (value, kind)

    def DeleteValue(self, key: FakeKey, name: str) -> None:  # noqa: N802
        if name not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del key.values[name]


def test_off_by_default_everywhere(isolated_user_dirs: Path) -> None:
    assert not XdgAutostart().is_enabled()
    assert not LaunchAgentAutostart().is_enabled()
    assert not WindowsRunKey(FakeWinreg()).is_enabled()
    assert apply_autostart(False, backend=XdgAutostart()) is False


def test_xdg_desktop_file_follows_xdg_config_home(isolated_user_dirs: Path) -> None:
    backend = XdgAutostart()
    assert backend.path == isolated_user_dirs / ".config" / "autostart" / "gpudesk.desktop"
    assert apply_autostart(True, backend=backend, command=COMMAND) is True
    text = backend.path.read_text()
    assert text.startswith("[Desktop Entry]\n") and "Type=Application\n" in text
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert shlex.split(exec_line.removeprefix("Exec=")) == COMMAND
    assert oct(backend.path.stat().st_mode & 0o777) == "0o644"
    assert apply_autostart(True, backend=backend, command=COMMAND) is False
    assert apply_autostart(False, backend=backend) is True
    assert not backend.path.exists()


def test_desktop_entry_escapes_percent_and_quotes() -> None:
    exec_line = desktop_entry(['/a b/"x"$', "100%"]).splitlines()[4]
    assert exec_line == 'Exec="/a b/\\\\"x\\\\"\\\\$" 100%%'


def test_launch_agent_plist(isolated_user_dirs: Path) -> None:
    backend = LaunchAgentAutostart()
    assert backend.path == (
        isolated_user_dirs / "Library" / "LaunchAgents" / "io.github.gpudesk.plist"
    )
    backend.enable(COMMAND)
    document = plistlib.loads(backend.path.read_bytes())
    assert document == {
        "Label": "io.github.gpudesk",
        "ProgramArguments": COMMAND,
        "RunAtLoad": True,
        "ProcessType": "Interactive",
    }
    assert backend.is_enabled()
    backend.disable()
    backend.disable()
    assert not backend.is_enabled()


def test_windows_run_key_with_a_fake_registry() -> None:
    registry = FakeWinreg()
    backend = WindowsRunKey(registry)
    command = [r"C:\Program Files\gpudesk\gpudesk.exe"]
    assert apply_autostart(True, backend=backend, command=command) is True
    values = registry.keys[(FakeWinreg.HKEY_CURRENT_USER, RUN_KEY)]
    assert values[VALUE_NAME] == (r'"C:\Program Files\gpudesk\gpudesk.exe"', FakeWinreg.REG_SZ)
    assert backend.is_enabled()
    assert apply_autostart(False, backend=backend) is True
    assert VALUE_NAME not in values
    backend.disable()  # no value: no error


def test_windows_errors_are_file_write_errors() -> None:
    backend = WindowsRunKey(FakeWinreg(read_only=True))
    with pytest.raises(FileWriteError) as caught:
        backend.enable(["gpudesk.exe"])
    assert caught.value.code == "autostart.failed"


def test_backend_choice_and_launch_command() -> None:
    assert isinstance(autostart_for("linux"), XdgAutostart)
    assert isinstance(autostart_for("darwin"), LaunchAgentAutostart)
    command = launch_command()
    assert command[1:] == ["-m", "gpudesk", "--gui"]
