"""The ~/.ssh/config Include line and gpudesk's host files, judged by OpenSSH itself.

``ssh -G -F <config> <alias>`` prints the configuration OpenSSH would use (it reads the file
given with -F: OpenSSH takes ~/.ssh/config from the passwd home, not from $HOME). After every
add/update/rename/remove the managed alias must show the right values and every other alias
of the user's config must resolve exactly as before.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gpudesk.core.editor.sshconfig import INCLUDE_MARKER, SshConfig
from gpudesk.core.editor.sshentry import HostEntry, config_path_value, render_entry, split_arguments
from gpudesk.core.errors import FileWriteError, InputError
from gpudesk.core.models import SshTarget
from gpudesk.core.store.filechange import FileChange
from gpudesk.core.store.instances import Instance
from tests.skipping import needs_tool

SSH = shutil.which("ssh")
needs_ssh = needs_tool("ssh", "openssh-client")
USER_ALIASES = ("u-a", "u-b", "work", "db.example", "other-host")
MANAGED = "gpu-managed"


def ssh_g(config: Path, alias: str) -> dict[str, list[str]]:
    """What OpenSSH resolves for ``alias`` with ``config`` (keyword -> values)."""
    assert SSH is not None
    result = subprocess.run(
        [SSH, "-G", "-F", str(config), alias],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=15,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    options: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        key, _, value = line.partition(" ")
        options.setdefault(key, []).append(value)
    return options


def entry(base: Path, alias: str = MANAGED, **changes: object) -> HostEntry:
    values: dict[str, object] = {
        "alias": alias,
        "host": "connect.nmb1.seetacloud.com",
        "port": 10309,
        "user": "root",
        "identity_file": str(base / "keys" / "id_gpu"),
        "host_key_alias": "gpudesk-0123456789ab",
        "known_hosts_file": str(base / "gpudesk" / "known_hosts"),
    }
    values.update(changes)
    return HostEntry(**values)  # type: ignore[arg-type]


@pytest.fixture(name="config")
def config_fixture(tmp_path: Path) -> SshConfig:
    return SshConfig(tmp_path / "home" / ".ssh" / "config", tmp_path / "gpudesk" / "hosts")


def assert_managed(config: SshConfig, e: HostEntry) -> None:
    resolved = ssh_g(config.config_path, e.alias)
    assert resolved["hostname"] == [e.host]
    assert resolved["port"] == [str(e.port)]
    assert resolved["user"] == [e.user]
    assert resolved["identityfile"][0] == e.identity_file
    assert resolved["hostkeyalias"] == [e.host_key_alias]
    assert resolved["userknownhostsfile"] == [e.known_hosts_file]
    assert resolved["stricthostkeychecking"] == ["true"]
    assert resolved["identitiesonly"] == ["yes"]


# --- adding to a missing or simple config ------------------------------------------------


@needs_ssh
def test_add_to_a_missing_config_creates_it_private_with_the_include_on_top(
    config: SshConfig, tmp_path: Path
) -> None:
    e = entry(tmp_path)
    changed = config.write(e)
    assert set(changed) == {config.config_path, config.entry_path(MANAGED)}
    assert stat.S_IMODE(config.config_path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(config.config_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.entry_path(MANAGED).stat().st_mode) == 0o600
    lines = config.config_path.read_text().splitlines()
    assert lines[0].startswith(INCLUDE_MARKER)
    assert lines[1] == f"Include {config.directory}/*.conf"
    assert len(lines) == 2
    assert_managed(config, e)
    assert config.entries() == [e]
    assert config.has_include()


def test_adding_twice_changes_nothing_the_second_time(config: SshConfig, tmp_path: Path) -> None:
    config.config_path.parent.mkdir(parents=True)
    config.config_path.write_bytes(b"Host work\n    HostName 10.0.0.1\n")
    e = entry(tmp_path)
    config.write(e)
    files = [config.config_path, config.entry_path(MANAGED)]
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    listing = sorted(os.listdir(config.directory))
    assert config.plan_write(e) == []
    assert config.write(e) == []
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == before
    assert sorted(os.listdir(config.directory)) == listing


@needs_ssh
def test_user_bytes_crlf_and_missing_final_newline_are_kept(
    config: SshConfig, tmp_path: Path
) -> None:
    original = b"User=bob\r\nHost *\r\n\tPort 2222\r\n\tStrictHostKeyChecking no\r\nHost work"
    config.config_path.parent.mkdir(parents=True)
    config.config_path.write_bytes(original)
    before = {alias: ssh_g(config.config_path, alias) for alias in ("work", "u-a")}
    e = entry(tmp_path)
    config.write(e)
    data = config.config_path.read_bytes()
    head, _, rest = data.partition(b"\r\n")
    include, _, rest = rest.partition(b"\r\n")
    assert head.startswith(INCLUDE_MARKER.encode()) and include.startswith(b"Include ")
    assert rest == original  # user bytes untouched, our lines in the file's CRLF style
    assert_managed(config, e)  # the managed entry beats "Host *" (first value wins)
    assert {alias: ssh_g(config.config_path, alias) for alias in before} == before
    assert ssh_g(config.config_path, "work")["user"] == ["bob"]  # still global after Include


def test_non_utf8_bytes_survive(config: SshConfig, tmp_path: Path) -> None:
    original = b"# caf\xe9 (latin-1)\nHost work\n  HostName 10.0.0.1\n"
    config.config_path.parent.mkdir(parents=True)
    config.config_path.write_bytes(original)
    config.write(entry(tmp_path))
    assert config.config_path.read_bytes().endswith(original)
    config.remove(MANAGED)
    assert config.config_path.read_bytes() == original


# --- refusals ------------------------------------------------------------------------------


def test_a_bom_is_reported_and_nothing_is_written(config: SshConfig, tmp_path: Path) -> None:
    original = b"\xef\xbb\xbfHost work\n  HostName 10.0.0.1\n"
    config.config_path.parent.mkdir(parents=True)
    config.config_path.write_bytes(original)
    with pytest.raises(FileWriteError) as caught:
        config.write(entry(tmp_path))
    assert caught.value.code == "sshconfig.bom"
    assert "without BOM" in caught.value.hint
    assert config.config_path.read_bytes() == original
    assert not config.entry_path(MANAGED).exists()


def test_a_symlinked_config_is_refused_with_the_lines_to_add(
    config: SshConfig, tmp_path: Path
) -> None:
    real = tmp_path / "dotfiles" / "ssh_config"
    real.parent.mkdir()
    real.write_bytes(b"Host work\n  HostName 10.0.0.1\n")
    config.config_path.parent.mkdir(parents=True)
    config.config_path.symlink_to(real)
    with pytest.raises(FileWriteError) as caught:
        config.write(entry(tmp_path))
    assert caught.value.code == "file.symlink"
    comment, include = config.include_lines()
    assert include in caught.value.hint and str(real) in caught.value.hint
    assert real.read_bytes() == b"Host work\n  HostName 10.0.0.1\n"
    assert config.config_path.is_symlink()
    # Once the user adds the lines by hand, the symlinked file needs no write: it works.
    real.write_text(f"{comment}\n{include}\nHost work\n  HostName 10.0.0.1\n")
    assert config.write(entry(tmp_path)) == [config.entry_path(MANAGED)]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_a_read_only_config_is_refused(config: SshConfig, tmp_path: Path) -> None:
    config.config_path.parent.mkdir(parents=True)
    config.config_path.write_bytes(b"Host work\n")
    config.config_path.chmod(0o400)
    with pytest.raises(FileWriteError) as caught:
        config.write(entry(tmp_path))
    assert caught.value.code == "file.read_only"
    assert "Include" in caught.value.hint
    assert config.config_path.read_bytes() == b"Host work\n"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("host", "evil.com\n  ProxyCommand touch /tmp/pwned"),
        ("host", "a b"),
        ("host", "-oProxyCommand=x"),
        ("user", "root\nProxyCommand x"),
        ("user", "ro ot"),
        ("alias", "gpu *"),
        ("alias", "a\nHost *"),
        ("identity_file", "/keys/id%d"),
        ("identity_file", '/keys/id"x'),
        ("identity_file", "/keys/${HOME}"),
        ("identity_file", "relative/key"),
        ("identity_file", "/keys/id\nProxyCommand x"),
        ("known_hosts_file", "/kh\tx\n"),
        ("host_key_alias", "pin name"),
        ("port", 0),
        ("port", 70000),
    ],
)
def test_values_that_could_inject_are_refused(
    config: SshConfig, tmp_path: Path, field: str, value: object
) -> None:
    with pytest.raises(InputError):
        config.write(entry(tmp_path, **{field: value}))
    assert not config.config_path.exists()


def test_an_alias_of_another_instance_or_of_the_user_is_refused(
    config: SshConfig, tmp_path: Path
) -> None:
    config.write(entry(tmp_path))
    with pytest.raises(InputError) as caught:
        config.write(entry(tmp_path, alias=MANAGED.upper(), host_key_alias="gpudesk-ffffffffffff"))
    assert caught.value.code == "sshconfig.alias_taken"
    config.config_path.write_text(config.config_path.read_text() + "Host mine other\n")
    with pytest.raises(InputError) as caught:
        config.write(entry(tmp_path, alias="other", host_key_alias="gpudesk-ffffffffffff"))
    assert caught.value.code == "sshconfig.alias_in_user_config"


# --- update, rename, remove ---------------------------------------------------------------


@needs_ssh
def test_update_rename_and_remove(config: SshConfig, tmp_path: Path) -> None:
    original = b"# my config\nHost work\n    HostName 10.0.0.1\n"
    config.config_path.parent.mkdir(parents=True)
    config.config_path.write_bytes(original)
    config.write(entry(tmp_path))
    moved = entry(tmp_path, host="region-9.seetacloud.com", port=42022)
    assert config.write(moved) == [config.entry_path(MANAGED)]
    assert_managed(config, moved)
    assert config.entry_path(MANAGED).with_suffix(".conf.gpudesk-bak").exists()

    config.rename(MANAGED, "gpu-renamed")
    assert_managed(config, entry(tmp_path, alias="gpu-renamed", host=moved.host, port=42022))
    assert ssh_g(config.config_path, MANAGED)["hostname"] == [MANAGED]  # no longer known
    assert [e.alias for e in config.entries()] == ["gpu-renamed"]

    # Writing the same instance under yet another alias replaces its old entry.
    config.write(entry(tmp_path, alias="third"))
    assert [e.alias for e in config.entries()] == ["third"]

    config.write(entry(tmp_path, alias="second", host_key_alias="gpudesk-bbbbbbbbbbbb"))
    config.remove("third")
    assert config.has_include()  # another entry is left
    config.remove("second")
    assert config.config_path.read_bytes() == original  # Include and comment gone
    assert config.entries() == []
    assert ssh_g(config.config_path, "work")["hostname"] == ["10.0.0.1"]
    with pytest.raises(InputError) as caught:
        config.remove("second")
    assert caught.value.code == "sshconfig.not_found"


def test_an_include_moved_below_a_host_line_goes_back_to_the_top(
    config: SshConfig, tmp_path: Path
) -> None:
    config.write(entry(tmp_path))
    comment, include = config.config_path.read_text().splitlines()
    config.config_path.write_text(f"Host work\n  HostName 10.0.0.1\n{comment}\n{include}\n")
    assert not config.has_include()
    config.write(entry(tmp_path))
    assert config.config_path.read_text() == (
        f"{comment}\n{include}\nHost work\n  HostName 10.0.0.1\n"
    )


def test_the_preview_is_exactly_what_gets_written(config: SshConfig, tmp_path: Path) -> None:
    config.config_path.parent.mkdir(parents=True)
    config.config_path.write_bytes(b"Host work\n")
    e = entry(tmp_path)
    planned = config.plan_write(e)
    assert [c.path for c in planned] == [config.config_path, config.entry_path(MANAGED)]
    assert planned[1].after == render_entry(e).encode()
    for change in planned:
        change.apply()
        assert change.path.read_bytes() == change.after


def test_a_change_made_after_the_preview_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_bytes(b"one\n")
    change = FileChange(target, b"one\n", b"two\n")
    target.write_bytes(b"someone else\n")
    with pytest.raises(FileWriteError) as caught:
        change.apply()
    assert caught.value.code == "file.changed_since_preview"
    assert target.read_bytes() == b"someone else\n"


# --- values --------------------------------------------------------------------------------


@needs_ssh
def test_paths_with_spaces_and_hash_are_quoted_for_openssh(
    config: SshConfig, tmp_path: Path
) -> None:
    e = entry(tmp_path, identity_file=str(tmp_path / "my keys" / "id #1"))
    config.write(e)
    assert_managed(config, e)


def test_windows_paths_get_forward_slashes() -> None:
    assert config_path_value(r"C:\Users\Ann Lee\.ssh\id", windows=True) == (
        '"C:/Users/Ann Lee/.ssh/id"'
    )
    assert config_path_value(r"C:\Users\ann\.ssh\id", windows=True) == "C:/Users/ann/.ssh/id"
    with pytest.raises(InputError):
        config_path_value(r"Users\ann\id", windows=True)


def test_split_arguments_reads_values_like_openssh() -> None:
    assert split_arguments("\"/a b/c\" d\t'e f'") == ["/a b/c", "d", "e f"]
    assert split_arguments("x # comment") == ["x"]
    assert split_arguments("x#y") == ["x#y"]


def test_entry_from_instance_uses_the_key_and_the_pin(tmp_path: Path) -> None:
    instance = Instance(
        alias="autodl-4090",
        target=SshTarget("root", "connect.nmb1.seetacloud.com", 10309, platform_id="autodl"),
        platform_id="autodl",
        host_key_alias="gpudesk-aaaaaaaaaaaa",
        key_path=str(tmp_path / "id_ed25519"),
    )
    e = HostEntry.from_instance(instance, known_hosts=tmp_path / "kh")
    assert (e.alias, e.host, e.port, e.user) == instance_fields(instance)
    assert e.identity_file == str(tmp_path / "id_ed25519")
    assert e.host_key_alias == "gpudesk-aaaaaaaaaaaa"
    assert e.known_hosts_file == str(tmp_path / "kh")


def instance_fields(instance: Instance) -> tuple[str, str, int, str]:
    t = instance.target
    return instance.alias, t.host, t.port, t.user


# --- property test: any user config keeps resolving as before ------------------------------

_comment = st.sampled_from(["# a comment", "#", "   # indented comment", ""])
_global = st.sampled_from(
    ["User=bob", "Port 2200", "ServerAliveInterval\t30", "ForwardAgent = no", "Compression yes"]
)
_option = st.sampled_from(
    [
        "HostName 10.1.2.3",
        "HostName=example.org",
        "Port 2022",
        "User alice",
        "User=carol",
        'IdentityFile "/tmp/some dir/key"',
        "IdentityFile ~/.ssh/id_other",
        "StrictHostKeyChecking no",
        "StrictHostKeyChecking=accept-new",
        "UserKnownHostsFile /dev/null",
        "ServerAliveInterval 5",
        "IdentitiesOnly no",
        "HostKeyAlias some-other-pin",
    ]
)
_header = st.sampled_from(
    [
        "Host *",
        "Host u-a",
        "Host u-a u-b",
        "Host work db.example",
        "Host=other-host",
        "Host *.example !db.example",
        "Host u-*",
        'Host "work"',
        "Match host u-b",
        "Match all",
        "Match originalhost work,u-a",
        "Match user root host other-host",
    ]
)
_include = st.sampled_from(
    ["Include /nonexistent/gpudesk-test/*.conf", "Include ~/.ssh/config.d/*", "Include other"]
)


@st.composite
def user_configs(draw: st.DrawFn) -> bytes:
    lines: list[str] = draw(st.lists(st.one_of(_global, _comment, _include), max_size=3))
    for _ in range(draw(st.integers(0, 5))):
        lines.append(draw(_header))
        for option in draw(st.lists(st.one_of(_option, _comment, _include), max_size=4)):
            indent = draw(st.sampled_from(["", "  ", "    ", "\t", " \t"]))
            lines.append(indent + option if option else option)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines)
    if draw(st.booleans()) and text:
        text += newline
    return text.encode()


@needs_ssh
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(original=user_configs(), port=st.integers(1, 65535), twice=st.booleans())
def test_any_user_config_resolves_as_before_and_the_entry_wins(
    original: bytes, port: int, twice: bool
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        config = SshConfig(base / "ssh" / "config", base / "gpudesk" / "hosts")
        config.config_path.parent.mkdir()
        config.config_path.write_bytes(original)
        before = {alias: ssh_g(config.config_path, alias) for alias in USER_ALIASES}

        e = entry(base, port=port)
        config.write(e)
        once = config.config_path.read_bytes()
        if twice:
            assert config.write(e) == []
            assert config.config_path.read_bytes() == once
        assert once.endswith(original)
        assert_managed(config, e)
        assert {alias: ssh_g(config.config_path, alias) for alias in USER_ALIASES} == before

        moved = entry(base, host="10.9.8.7", port=port % 60000 + 1)
        config.write(moved)
        assert_managed(config, moved)
        assert {alias: ssh_g(config.config_path, alias) for alias in USER_ALIASES} == before

        config.remove(MANAGED)
        assert config.config_path.read_bytes() == original
        assert {alias: ssh_g(config.config_path, alias) for alias in USER_ALIASES} == before


@needs_ssh
def test_an_apostrophe_in_the_user_name_is_quoted_and_openssh_reads_it(tmp_path: Path) -> None:
    """A Windows user named O'Brien: every path gpudesk writes has a ``'`` in it."""
    base = tmp_path / "O'Brien Li"
    config = SshConfig(base / ".ssh" / "config", base / "gpudesk" / "hosts")
    e = entry(base)
    config.write(e)
    comment, include = config.include_lines()
    assert include == f'Include "{base}/gpudesk/hosts/*.conf"'
    assert config.config_path.read_text("utf-8").startswith(f"{comment}\n{include}\n")
    assert config.get(MANAGED) == e
    assert_managed(config, e)
    assert config_path_value("/home/o'brien/key") == '"/home/o\'brien/key"'
