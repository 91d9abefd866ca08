"""VS Code detection, settings.json (JSONC kept intact), opening a folder, and sftp.json.

VS Code cannot run here: a stand-in ``code`` script records its argv instead.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gpudesk.core.editor import vscode as editors
from gpudesk.core.editor.jsonc import JsoncError, loads, set_value
from gpudesk.core.editor.sftpjson import (
    DEFAULT_IGNORE,
    SftpTarget,
    key_path_value,
    plan_sftp_json,
    sftp_json_path,
    write_sftp_json,
)
from gpudesk.core.editor.vscode import (
    CURSOR,
    REMOTE_SSH_EXTENSION,
    VSCODE,
    VSCODE_DOWNLOAD_URL,
    Editor,
    candidate_commands,
    find_editor,
    find_editors,
    folder_uri,
    open_remote_folder,
    plan_remote_platform,
    remote_ssh_installed,
    set_remote_platform,
    settings_path,
)
from gpudesk.core.errors import FileWriteError, GpuDeskError, InputError

KEY = ["remote.SSH.remotePlatform", "gpu-a"]

# --- JSONC ---------------------------------------------------------------------------------

USER_SETTINGS = """{
    // Font
    "editor.fontSize": 14, /* big */
    "files.exclude": {
        "**/.git": true,
    },
    "remote.SSH.remotePlatform": {
        "old-box": "linux", // my other server
    },
    "workbench.colorTheme": "Default Dark+", // trailing comma next
}
"""


def test_jsonc_keeps_comments_trailing_commas_and_layout() -> None:
    out = set_value(USER_SETTINGS, KEY, "linux")
    assert out == USER_SETTINGS.replace(
        '        "old-box": "linux", // my other server\n',
        '        "old-box": "linux", // my other server\n        "gpu-a": "linux"\n',
    )
    assert set_value(out, KEY, "linux") == out
    assert loads(out)["remote.SSH.remotePlatform"] == {"old-box": "linux", "gpu-a": "linux"}


def test_jsonc_adds_the_key_after_the_last_member_and_its_comment() -> None:
    text = '{\n\t"a": 1 // one\n}'
    assert set_value(text, KEY, "linux") == (
        '{\n\t"a": 1, // one\n\t"remote.SSH.remotePlatform": {\n\t\t"gpu-a": "linux"\n\t}\n}'
    )


def test_jsonc_updates_a_wrong_value_in_place() -> None:
    text = '{ "remote.SSH.remotePlatform": { "gpu-a": "windows" } } // end\n'
    assert set_value(text, KEY, "linux") == (
        '{ "remote.SSH.remotePlatform": { "gpu-a": "linux" } } // end\n'
    )


@pytest.mark.parametrize("text", ["", "\n", "// nothing yet\n", "{}", "{\n}\n", "{ /* x */ }"])
def test_jsonc_empty_documents(text: str) -> None:
    out = set_value(text, KEY, "linux")
    assert loads(out) == {"remote.SSH.remotePlatform": {"gpu-a": "linux"}}
    assert set_value(out, KEY, "linux") == out
    assert ("// nothing yet" in out) == ("// nothing yet" in text)


@pytest.mark.parametrize(
    "text", ['{"a": 1', "[1, 2]", '{"a" 1}', "{/* open", '{"a": tru}', '{"a": 1} x', "{a: 1}"]
)
def test_jsonc_errors_name_the_place(text: str) -> None:
    with pytest.raises(JsoncError) as caught:
        set_value(text, KEY, "linux")
    assert caught.value.line >= 1 and caught.value.column >= 1


_values = st.one_of(st.integers(-5, 5), st.booleans(), st.none(), st.text('abc "\\/é', max_size=5))


@settings(max_examples=150, deadline=None)
@given(
    document=st.dictionaries(
        st.text("abcdefgh.", min_size=1, max_size=6),
        st.one_of(_values, st.dictionaries(st.text("xyz", min_size=1, max_size=3), _values)),
        max_size=6,
    ),
    indent=st.sampled_from([2, 4, "\t"]),
    comments=st.booleans(),
    trailing=st.booleans(),
    crlf=st.booleans(),
)
def test_jsonc_property_value_set_and_everything_else_kept(
    document: dict[str, object], indent: int | str, comments: bool, trailing: bool, crlf: bool
) -> None:
    text = json.dumps(document, indent=indent)
    if comments:
        text = text.replace(",\n", ", // note\n").replace("{\n", "{\n/* head */\n", 1)
    if trailing and document:
        text = text[: text.rstrip().rfind("\n")] + ",\n}"
    if crlf:
        text = text.replace("\n", "\r\n")
    out = set_value(text, KEY, "linux", newline="\r\n" if crlf else "\n")
    expected = dict(document)
    old = expected.get(KEY[0])
    expected[KEY[0]] = {**(old if isinstance(old, dict) else {}), KEY[1]: "linux"}
    assert loads(out) == expected
    assert set_value(out, KEY, "linux") == out
    assert out.count("// note") == text.count("// note")
    assert out.count("/* head */") == text.count("/* head */")
    if crlf:
        assert "\n" not in out.replace("\r\n", "")


# --- settings.json on disk -----------------------------------------------------------------


def test_settings_written_with_backup_and_crlf_and_bom_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    original = b'\xef\xbb\xbf{\r\n  // keep me\r\n  "a": 1,\r\n}\r\n'
    path.write_bytes(original)
    change = plan_remote_platform(path, "gpu-a")
    assert path.read_bytes() == original  # planning writes nothing
    assert change.apply()
    data = path.read_bytes()
    assert data == change.after
    assert data.startswith(b'\xef\xbb\xbf{\r\n  // keep me\r\n  "a": 1,\r\n  "remote.SSH')
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert (tmp_path / "settings.json.gpudesk-bak").read_bytes() == original
    mtime = path.stat().st_mtime_ns
    assert not set_remote_platform(path, "gpu-a")
    assert path.stat().st_mtime_ns == mtime


def test_unparseable_settings_are_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    original = b'{\n  "a": 1\n  "b": 2\n}\n'
    path.write_bytes(original)
    with pytest.raises(FileWriteError) as caught:
        set_remote_platform(path, "gpu-a")
    assert caught.value.code == "vscode.settings_unparseable"
    assert "line 3" in caught.value.message and "untouched" in caught.value.message
    assert '"remote.SSH.remotePlatform": {"gpu-a": "linux"}' in caught.value.hint
    assert path.read_bytes() == original
    assert not (tmp_path / "settings.json.gpudesk-bak").exists()


def test_missing_settings_file_and_folder_are_created(tmp_path: Path) -> None:
    path = tmp_path / "Code" / "User" / "settings.json"
    assert set_remote_platform(path, "gpu-a")
    assert json.loads(path.read_text()) == {"remote.SSH.remotePlatform": {"gpu-a": "linux"}}


def test_symlinked_settings_are_refused(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("{}\n")
    link = tmp_path / "settings.json"
    link.symlink_to(real)
    with pytest.raises(FileWriteError) as caught:
        set_remote_platform(link, "gpu-a")
    assert caught.value.code == "file.symlink"
    assert real.read_text() == "{}\n"


# --- detection -----------------------------------------------------------------------------


def test_settings_paths_per_os(tmp_path: Path) -> None:
    env = {
        "HOME": "/home/ann",
        "XDG_CONFIG_HOME": "/xdg",
        "APPDATA": r"C:\Users\ann\AppData\Roaming",
    }
    assert settings_path(VSCODE, system="linux", env=env) == Path("/xdg/Code/User/settings.json")
    assert settings_path(CURSOR, system="linux", env={"HOME": "/home/ann"}) == Path(
        "/home/ann/.config/Cursor/User/settings.json"
    )
    assert settings_path(VSCODE, system="darwin", env=env) == Path(
        "/home/ann/Library/Application Support/Code/User/settings.json"
    )
    windows = settings_path(VSCODE, system="win32", env=env)
    assert str(windows).startswith(r"C:\Users\ann\AppData\Roaming")
    flatpak = settings_path(
        VSCODE,
        system="linux",
        env=env,
        command="/var/lib/flatpak/exports/bin/com.visualstudio.code",
    )
    assert flatpak == Path(
        "/home/ann/.var/app/com.visualstudio.code/config/Code/User/settings.json"
    )


def test_windows_install_places_are_code_cmd() -> None:
    env = {"LOCALAPPDATA": r"C:\Users\ann\AppData\Local", "ProgramFiles": r"C:\Program Files"}
    assert candidate_commands(VSCODE, system="win32", env=env) == [
        r"C:\Users\ann\AppData\Local\Programs\Microsoft VS Code\bin\code.cmd",
        r"C:\Program Files\Microsoft VS Code\bin\code.cmd",
    ]
    assert candidate_commands(CURSOR, system="win32", env=env)[0] == (
        r"C:\Users\ann\AppData\Local\Programs\cursor\resources\app\bin\cursor.cmd"
    )
    mac = candidate_commands(VSCODE, system="darwin", env={"HOME": "/Users/ann"})
    assert mac[0] == "/Applications/Visual Studio Code.app/Contents/Resources/app/bin/code"


def test_find_editors_uses_path_then_install_places(tmp_path: Path) -> None:
    found = find_editors(
        system="linux",
        env={"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "cfg")},
        which=lambda name: f"/fake/bin/{name}" if name == "cursor" else None,
    )
    cursor = [e for e in found if e.kind is CURSOR]
    assert cursor and cursor[0].command == Path("/fake/bin/cursor")
    assert cursor[0].settings_path == tmp_path / "cfg" / "Cursor" / "User" / "settings.json"


def test_not_installed_says_where_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(editors, "find_editors", lambda: [])
    with pytest.raises(GpuDeskError) as caught:
        find_editor()
    assert caught.value.code == "vscode.not_installed"
    assert VSCODE_DOWNLOAD_URL in caught.value.hint and REMOTE_SSH_EXTENSION in caught.value.hint


def test_remote_ssh_extension_detection(tmp_path: Path) -> None:
    editor = Editor(VSCODE, Path("/bin/true"), tmp_path / "settings.json")
    folder = tmp_path / ".vscode" / "extensions"
    folder.mkdir(parents=True)
    (folder / "ms-vscode-remote.remote-ssh-edit-0.86.0").mkdir()
    assert remote_ssh_installed(editor, home=tmp_path) is False
    (folder / "ms-vscode-remote.remote-ssh-0.110.1").mkdir()
    assert remote_ssh_installed(editor, home=tmp_path) is True


# --- opening a folder ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["relative", "/root/my dir", '/root/"x', "/root/a&b", "/root/a|b", "/r/<x>", "/r/^x",
     "/r/%PATH%", "/r/!x!", "/r/\nx", "/r/é"],
)  # fmt: skip
def test_remote_paths_with_cmd_or_uri_characters_are_refused(path: str) -> None:
    with pytest.raises(InputError) as caught:
        folder_uri("gpu-a", path)
    assert caught.value.code == "vscode.bad_path"


def test_folder_uri() -> None:
    assert folder_uri("gpu-a", "/root/autodl-tmp") == (
        "vscode-remote://ssh-remote+gpu-a/root/autodl-tmp"
    )
    with pytest.raises(InputError):
        folder_uri("gpu&calc", "/root")


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell script stands in for code")
def test_open_runs_the_launcher_with_an_argument_list(tmp_path: Path) -> None:
    """VS Code cannot run here: a stand-in ``code`` records its argv, one per line."""
    record = tmp_path / "argv.txt"
    script = tmp_path / "code"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}"\n')
    script.chmod(0o755)
    editor = Editor(VSCODE, script, tmp_path / "settings.json")
    argv = open_remote_folder(editor, "gpu-a", "/root/autodl-tmp")
    assert argv == [str(script), "--folder-uri", "vscode-remote://ssh-remote+gpu-a/root/autodl-tmp"]
    assert record.read_text().splitlines() == argv[1:]

    script.write_text('#!/bin/sh\necho "extension missing" >&2\nexit 3\n')
    with pytest.raises(GpuDeskError) as caught:
        open_remote_folder(editor, "gpu-a", "/root")
    assert caught.value.code == "vscode.launch_failed"
    assert "extension missing" in caught.value.message


# --- sftp.json -----------------------------------------------------------------------------


def target(tmp_path: Path, **changes: object) -> SftpTarget:
    values: dict[str, object] = {
        "alias": "gpu-a",
        "host": "connect.nmb1.seetacloud.com",
        "port": 10309,
        "user": "root",
        "private_key": str(tmp_path / "keys" / "id_gpu"),
        "remote_path": "/root/autodl-tmp",
    }
    values.update(changes)
    return SftpTarget(**values)  # type: ignore[arg-type]


def test_new_sftp_json_is_strict_json_with_every_field(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    change = plan_sftp_json(project, target(tmp_path))
    assert not sftp_json_path(project).exists()
    assert change.apply()
    written = sftp_json_path(project).read_bytes()
    assert written == change.after
    assert json.loads(written) == {
        "name": "gpu-a",
        "host": "connect.nmb1.seetacloud.com",
        "protocol": "sftp",
        "port": 10309,
        "username": "root",
        "privateKeyPath": str(tmp_path / "keys" / "id_gpu"),
        "remotePath": "/root/autodl-tmp",
        "uploadOnSave": True,
        "ignore": list(DEFAULT_IGNORE),
    }
    for entry in (".vscode", ".git", "__pycache__", ".venv"):
        assert entry in DEFAULT_IGNORE
    assert not write_sftp_json(project, target(tmp_path))  # twice == once


def test_sftp_same_alias_is_updated_keeping_the_users_keys(tmp_path: Path) -> None:
    path = sftp_json_path(tmp_path)
    path.parent.mkdir()
    user = {
        "name": "gpu-a",
        "host": "old.host",
        "port": 1,
        "username": "root",
        "remotePath": "/root/autodl-tmp",
        "ignore": ["data"],
        "watcher": {"files": "*.py"},
    }
    path.write_text(json.dumps(user))
    assert write_sftp_json(tmp_path, target(tmp_path, port=2222))
    merged = json.loads(path.read_text())
    assert merged["host"] == "connect.nmb1.seetacloud.com" and merged["port"] == 2222
    assert merged["ignore"] == ["data"] and merged["watcher"] == {"files": "*.py"}
    assert json.loads((tmp_path / ".vscode" / "sftp.json.gpudesk-bak").read_text()) == user


def test_sftp_other_server_stays_active_and_the_instance_becomes_a_profile(
    tmp_path: Path,
) -> None:
    path = sftp_json_path(tmp_path)
    path.parent.mkdir()
    user = {"name": "lab", "host": "lab.example", "username": "me", "remotePath": "/srv/x"}
    path.write_text(json.dumps(user, indent=2))
    write_sftp_json(tmp_path, target(tmp_path))
    merged = json.loads(path.read_text())
    assert {k: merged[k] for k in user} == user
    profile = merged["profiles"]["gpu-a"]
    assert profile["host"] == "connect.nmb1.seetacloud.com" and profile["protocol"] == "sftp"
    assert "name" not in profile
    # Existing profiles are kept; the instance's profile is updated in place.
    merged["profiles"]["other"] = {"host": "o.example"}
    path.write_text(json.dumps(merged))
    write_sftp_json(tmp_path, target(tmp_path, port=4000))
    again = json.loads(path.read_text())
    assert again["profiles"]["other"] == {"host": "o.example"}
    assert again["profiles"]["gpu-a"]["port"] == 4000


def test_sftp_list_form_is_updated_or_appended(tmp_path: Path) -> None:
    path = sftp_json_path(tmp_path)
    path.parent.mkdir()
    path.write_text(json.dumps([{"name": "lab", "host": "lab.example", "context": "lab"}]))
    write_sftp_json(tmp_path, target(tmp_path))
    items = json.loads(path.read_text())
    assert [i["name"] for i in items] == ["lab", "gpu-a"]
    write_sftp_json(tmp_path, target(tmp_path, port=5))
    assert [i.get("port") for i in json.loads(path.read_text())] == [None, 5]


def test_sftp_with_comments_is_left_untouched(tmp_path: Path) -> None:
    path = sftp_json_path(tmp_path)
    path.parent.mkdir()
    original = b'{\n  // no comments allowed\n  "host": "x"\n}\n'
    path.write_bytes(original)
    with pytest.raises(FileWriteError) as caught:
        plan_sftp_json(tmp_path, target(tmp_path))
    assert caught.value.code == "sftp.unparseable"
    assert path.read_bytes() == original


def test_sftp_values_are_validated(tmp_path: Path) -> None:
    for bad in ({"host": "a b"}, {"remote_path": "~/x"}, {"alias": "a*"}, {"port": 0}):
        with pytest.raises(InputError):
            plan_sftp_json(tmp_path, target(tmp_path, **bad))
    with pytest.raises(InputError):
        plan_sftp_json(tmp_path / "missing", target(tmp_path))


def test_key_path_uses_forward_slashes_on_windows() -> None:
    assert key_path_value(r"C:\Users\ann\.ssh\id_gpu", windows=True) == "C:/Users/ann/.ssh/id_gpu"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_new_vscode_folder_is_created(tmp_path: Path) -> None:
    write_sftp_json(tmp_path, target(tmp_path))
    assert stat.S_ISDIR((tmp_path / ".vscode").stat().st_mode)
