"""The Windows side of the core's platform code, under the Windows Python in Wine.

Credential Manager secrets (keyring's ``WinVaultKeyring``), the ``%APPDATA%`` /
``%LOCALAPPDATA%`` app folders the uninstaller removes, and the start-at-login value in
``HKCU\\...\\Run`` read back with Windows' own ``reg query``. The Credential Manager and the
registry are Wine's, in the lane's throw-away prefix.
"""

from __future__ import annotations

import ntpath
import os
import subprocess
from pathlib import Path

import pytest

from gpudesk.core import paths
from gpudesk.core.desktop.autostart import (
    RUN_KEY,
    VALUE_NAME,
    WindowsRunKey,
    apply_autostart,
    autostart_for,
    launch_command,
)
from gpudesk.core.errors import InputError
from gpudesk.core.store.secrets import (
    MAX_SECRET_CHARS,
    KeyringSecretStore,
    open_secret_store,
    secret_name,
)

REG = ntpath.join(os.environ.get("SYSTEMROOT", r"C:\windows"), "System32", "reg.exe")


def reg_query(value: str) -> subprocess.CompletedProcess[str]:
    """``reg query HKCU\\<Run key> /v VALUE`` (Windows' own tool, not Python's winreg)."""
    return subprocess.run(
        [REG, "query", f"HKCU\\{RUN_KEY}", "/v", value],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


# --- Credential Manager -----------------------------------------------------------------------


def test_the_secret_store_is_the_windows_credential_manager() -> None:
    store, warning = open_secret_store()
    assert warning is None
    assert store.persistent
    assert store.backend_name == "keyring.backends.Windows.WinVaultKeyring"


def test_a_password_survives_a_new_store_and_is_deleted() -> None:
    name = secret_name("password", "win-lane-instance")
    password = "pä55 wörd with spaces, quotes ' \" and 中文"
    KeyringSecretStore().set(name, password)
    assert KeyringSecretStore().get(name) == password  # a new store reads Windows' copy
    KeyringSecretStore().delete(name)
    assert KeyringSecretStore().get(name) is None


def test_the_longest_secret_fits_and_one_more_character_is_a_clean_error() -> None:
    store = KeyringSecretStore()
    name = secret_name("jupyter-token", "win-lane-long")
    longest = "t" * MAX_SECRET_CHARS  # Credential Manager holds 2560 bytes (UTF-16) at most
    store.set(name, longest)
    assert store.get(name) == longest
    with pytest.raises(InputError) as raised:
        store.set(name, longest + "t")
    assert raised.value.code == "secrets.too_long"
    assert store.get(name) == longest
    store.delete(name)


# --- app folders ------------------------------------------------------------------------------


def test_app_folders_are_where_the_uninstaller_looks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GPUDESK_HOME")
    appdata = Path(os.environ["APPDATA"])
    local = Path(os.environ["LOCALAPPDATA"])
    # packaging/windows/gpudesk.nsi, "Remove my data": $APPDATA\gpudesk, $LOCALAPPDATA\gpudesk.
    assert paths.config_dir() == appdata / "gpudesk"
    assert paths.state_dir() == local / "gpudesk"
    assert paths.log_dir() == local / "gpudesk" / "Logs"


def test_ssh_dir_follows_the_user_profile(windows_home: Path) -> None:
    assert paths.ssh_dir() == windows_home / ".ssh"
    assert "O'Brien Li" in str(paths.ssh_dir())


# --- start at login ---------------------------------------------------------------------------


def test_start_at_login_value_is_written_read_back_and_removed(windows_home: Path) -> None:
    program = windows_home / "Programs" / "gpudesk" / "gpudesk.exe"
    backend = autostart_for()
    assert isinstance(backend, WindowsRunKey)
    try:
        assert apply_autostart(True, backend=backend, command=[str(program), "--minimized"])
        shown = reg_query(VALUE_NAME)
        assert shown.returncode == 0, shown.stderr
        line = next(ln for ln in shown.stdout.splitlines() if VALUE_NAME in ln)
        assert line.split(None, 2)[1] == "REG_SZ"
        # One command line: the path with a space and an apostrophe is quoted.
        assert line.split(None, 2)[2].strip() == f'"{program}" --minimized'
        assert backend.is_enabled()
        assert apply_autostart(False, backend=backend)
        assert reg_query(VALUE_NAME).returncode != 0
        assert not apply_autostart(False, backend=backend)
    finally:
        backend.disable()


def test_launch_command_from_source_prefers_the_windowless_python() -> None:
    command = launch_command()
    assert command[1:] == ["-m", "gpudesk", "--gui"]
    assert Path(command[0]).name.lower() == "pythonw.exe"  # no console window at login
