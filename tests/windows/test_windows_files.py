"""Key files, ``icacls``/``whoami`` and ``~\\.ssh\\config`` under the Windows Python in Wine.

The argument lists the core builds for ``icacls`` and ``whoami`` are run with Windows' own
tools (Wine's). What Wine cannot show: its ``icacls`` accepts the lists but does not enforce
access control lists, and its ``whoami`` ignores ``/user`` (it prints the name, no SID), so the
user's SID comes from the process token here and the SID lookup's failure is checked to be a
clean error. The user folder is ``...\\O'Brien Li`` (a space and an apostrophe).
"""

from __future__ import annotations

import ctypes
import dataclasses
import subprocess
from ctypes import wintypes
from pathlib import Path

import pytest

from gpudesk.core import paths
from gpudesk.core.editor.sshconfig import INCLUDE_MARKER, SshConfig
from gpudesk.core.editor.sshentry import HostEntry
from gpudesk.core.errors import InputError
from gpudesk.core.keys.keypairs import generate_key
from gpudesk.core.keys.keyperms import (
    FileKind,
    create_private_file,
    current_user_sid,
    icacls_argv,
    repair_permissions,
    whoami_argv,
)
from tests.keymaterial import fresh_private_key_bytes, private_key_header

PACKAGING = Path(__file__).resolve().parents[2] / "packaging" / "windows"


def token_user_sid() -> str:
    """The SID of the user running this process, from its access token (what whoami prints)."""
    advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    advapi32.OpenProcessToken.argtypes = [wintypes.HANDLE, wintypes.DWORD, ctypes.c_void_p]
    advapi32.GetTokenInformation.argtypes = [
        wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p, wintypes.DWORD, ctypes.c_void_p
    ]  # fmt: skip
    advapi32.ConvertSidToStringSidW.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    token = wintypes.HANDLE()
    assert advapi32.OpenProcessToken(kernel32.GetCurrentProcess(), 0x0008, ctypes.byref(token))
    size = wintypes.DWORD()
    advapi32.GetTokenInformation(token, 1, None, 0, ctypes.byref(size))  # 1: TokenUser
    buffer = ctypes.create_string_buffer(size.value)
    assert advapi32.GetTokenInformation(token, 1, buffer, size, ctypes.byref(size))
    text = wintypes.LPWSTR()
    sid = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_void_p))[0]
    assert advapi32.ConvertSidToStringSidW(ctypes.c_void_p(sid), ctypes.byref(text))
    return str(text.value)


def run(argv: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(argv, capture_output=True, check=False, timeout=60)


# --- whoami and icacls ------------------------------------------------------------------------


def test_the_tools_are_windows_own() -> None:
    assert Path(whoami_argv()[0]).is_file()
    assert Path(icacls_argv(Path("x"), "S-1-5-18")[0]).is_file()


def test_whoami_runs_and_without_a_sid_the_lookup_is_a_clean_error() -> None:
    result = run(whoami_argv())
    assert result.returncode == 0, result.stderr
    try:
        sid = current_user_sid()
    except InputError as exc:  # Wine: whoami ignores /user and prints no SID
        assert exc.code == "keyperms.no_sid"
        assert exc.hint
    else:  # Windows
        assert sid == token_user_sid()


def test_icacls_accepts_the_lists_for_a_key_and_a_config(windows_home: Path) -> None:
    sid = token_user_sid()
    ssh = windows_home / ".ssh"
    ssh.mkdir()
    key = ssh / "gpudesk_ed25519"
    content = fresh_private_key_bytes()
    create_private_file(key, content, user_sid=sid)
    assert key.read_bytes() == content
    config = ssh / "config"
    config.write_text("Host *\n", "utf-8")
    report = repair_permissions(config, FileKind.CONFIG, user_sid=sid)
    assert report.changed
    assert report.actions == (
        f"icacls {config} /reset",
        f"icacls {config} /inheritance:r /grant:r *{sid}:(M) *S-1-5-18:(F) *S-1-5-32-544:(F)",
    )
    for path, kind in ((key, FileKind.PRIVATE_KEY), (config, FileKind.CONFIG)):
        result = run(icacls_argv(path, sid, kind))
        assert result.returncode == 0, result.stdout + result.stderr


def test_a_new_key_pair_in_the_user_folder(
    windows_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = token_user_sid()
    monkeypatch.setattr("gpudesk.core.keys.keyperms.current_user_sid", lambda *_: sid)
    generated = generate_key(passphrase="lane passphrase")
    assert generated.private_path == windows_home / ".ssh" / "gpudesk_ed25519"
    assert generated.private_path.read_bytes().startswith(private_key_header())
    assert generated.public_path.read_text("ascii").startswith("ssh-ed25519 ")


# --- ~\.ssh\config ----------------------------------------------------------------------------


def test_ssh_config_with_windows_paths(windows_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # %APPDATA% inside the awkward user folder too (platformdirs' own override variable).
    monkeypatch.delenv("GPUDESK_HOME")
    monkeypatch.setenv("WIN_PD_OVERRIDE_APPDATA", str(windows_home / "AppData" / "Roaming"))
    config = SshConfig()
    assert config.config_path == windows_home / ".ssh" / "config"
    user_text = "# mine\r\nHost *\r\n    ServerAliveInterval 30\r\n"
    config.config_path.parent.mkdir()
    config.config_path.write_bytes(user_text.encode())
    key = windows_home / ".ssh" / "gpudesk_lane"
    entry = HostEntry(
        alias="lane-gpu",
        host="connect.example.com",
        port=10309,
        user="root",
        identity_file=str(key),
        host_key_alias="gpudesk-lane",
        known_hosts_file=str(paths.config_dir() / "known_hosts"),
    )
    config.write(entry)
    text = config.config_path.read_bytes().decode()
    comment, include = config.include_lines()
    folder = str(windows_home / "AppData" / "Roaming" / "gpudesk").replace("\\", "/")
    assert include == f'Include "{folder}/ssh_config.d/*.conf"'  # the apostrophe: quoted
    assert text == f"{comment}\r\n{include}\r\n{user_text}"  # CRLF kept, lines on top
    assert comment.startswith(INCLUDE_MARKER)
    # What the uninstaller looks for (packaging/windows/gpudesk.nsi) ends this Include line.
    nsi = (PACKAGING / "gpudesk.nsi").read_text("utf-8")
    assert f'!define SSH_INCLUDE_SUFFIX "{include[-29:-1]}"' in nsi
    host_file = (config.directory / "lane-gpu.conf").read_text("utf-8")
    assert f'    IdentityFile "{str(key).replace(chr(92), "/")}"' in host_file
    # Read back as written: forward slashes (OpenSSH for Windows takes both).
    assert config.get("lane-gpu") == dataclasses.replace(
        entry,
        identity_file=str(key).replace("\\", "/"),
        known_hosts_file=entry.known_hosts_file.replace("\\", "/"),
    )
    config.remove("lane-gpu")
    assert config.config_path.read_bytes().decode() == user_text
