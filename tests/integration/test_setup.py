"""`gpudesk setup` against a REAL OpenSSH sshd, judged by the real ``ssh`` client.

After set-up, ``ssh -F <config> -o BatchMode=yes <alias> true`` must log in (OpenSSH reads
~/.ssh/config from the passwd home, not from the test's $HOME, hence ``-F``). Running set-up
again must change no file at all (bytes and mtimes compared).

VS Code cannot run here: a stand-in ``code`` script on PATH records its argv instead, which is
also how ``gpudesk setup`` finds "VS Code" and writes its settings.json.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from gpudesk.core.store.instances import InstanceStore
from tests.clihelpers import run_gpudesk, ssh_command_for
from tests.testbed.fixtures import SshdFactory
from tests.testbed.sshd import SshdServer, TestUser, run_command

pytestmark = pytest.mark.sshd
ALIAS = "gpu-test"


@pytest.fixture(name="clean_home")
def clean_home_fixture(test_user: TestUser) -> Iterator[TestUser]:
    """The test user without ~/.ssh before and after (no key of another test lets us in)."""
    test_user.remove(".ssh")
    yield test_user
    test_user.remove(".ssh")


@pytest.fixture(name="fake_code")
def fake_code_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in ``code`` on PATH that records its arguments (one per line) in argv.txt."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "code-argv.txt"
    script = bin_dir / "code"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}"\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return record


def setup(server: SshdServer, *extra: str, password: bool = True) -> dict[str, object]:
    command = f"ssh -p {server.port} {server.user.name}@127.0.0.1"
    flags = ["--password-stdin"] if password else []
    done = run_gpudesk(
        "setup", command, "--alias", ALIAS, "--accept-new-host-key", "--json", *flags, *extra,
        stdin=server.user.password + "\n" if password else "",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    report: dict[str, object] = json.loads(done.stdout)
    assert report["ok"] is True
    return report


def statuses(report: dict[str, object]) -> dict[str, str]:
    steps = report["steps"]
    assert isinstance(steps, list)
    return {step["step"]: step["status"] for step in steps}


def real_ssh(alias: str = ALIAS) -> subprocess.CompletedProcess[str]:
    config = Path(os.environ["HOME"]) / ".ssh" / "config"
    argv = [shutil.which("ssh") or "ssh", "-F", str(config), "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=10", alias, "echo alias-ok"]  # fmt: skip
    return run_command(argv, check=False, timeout=30)


def snapshot(*roots: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under ``roots`` (gpudesk's own log aside): bytes, mtime and mode."""
    found = {}
    logs = Path(os.environ["GPUDESK_HOME"]) / "logs"
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink() and logs not in path.parents:
                st = path.stat()
                found[str(path)] = (path.read_bytes(), st.st_mtime_ns, st.st_mode)
    return found


def test_setup_makes_ssh_alias_work_and_a_second_run_changes_no_file(
    sshd: SshdServer, clean_home: TestUser, tmp_path: Path, fake_code: Path
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    workdir = str(clean_home.home)
    first = setup(sshd, "--workdir", workdir, "--sftp-folder", str(project))
    assert statuses(first) == {
        "check": "ok",
        "key": "changed",
        "install": "changed",
        "instance": "changed",
        "ssh-config": "changed",
        "vscode": "changed",
        "sftp": "changed",
        "verify": "ok",
    }
    done = real_ssh()
    assert done.returncode == 0 and done.stdout.strip() == "alias-ok", done.stderr

    home = Path(os.environ["HOME"])
    settings = json.loads((home / ".config" / "Code" / "User" / "settings.json").read_text())
    assert settings == {"remote.SSH.remotePlatform": {ALIAS: "linux"}}
    sftp = json.loads((project / ".vscode" / "sftp.json").read_text())
    assert (sftp["host"], sftp["port"], sftp["username"]) == (
        "127.0.0.1",
        sshd.port,
        sshd.user.name,
    )
    assert sftp["remotePath"] == workdir
    assert sftp["privateKeyPath"] == str(home / ".ssh" / f"gpudesk_{ALIAS}")

    before = snapshot(tmp_path)
    second = setup(sshd, "--workdir", workdir, "--sftp-folder", str(project), password=False)
    assert statuses(second) == {
        "check": "ok",
        "key": "unchanged",
        "install": "unchanged",
        "instance": "unchanged",
        "ssh-config": "unchanged",
        "vscode": "unchanged",
        "sftp": "unchanged",
        "verify": "ok",
    }
    after = snapshot(tmp_path)
    assert after.keys() == before.keys()
    assert [p for p in before if before[p] != after[p]] == []
    authorized = clean_home.read_file(".ssh/authorized_keys").splitlines()
    assert len(authorized) == 1  # installed once


def test_open_runs_code_with_the_folder_uri(
    sshd: SshdServer, clean_home: TestUser, fake_code: Path
) -> None:
    """The stand-in ``code`` records its argv: VS Code itself cannot run in this test."""
    setup(sshd)
    done = run_gpudesk("open", ALIAS)
    assert done.returncode == 0, done.stderr
    home_dir = f"/home/{sshd.user.name}"  # no --workdir, no platform: the user's home
    assert fake_code.read_text().splitlines() == [
        "--folder-uri",
        f"vscode-remote://ssh-remote+{ALIAS}{home_dir}",
    ]
    done = run_gpudesk("open", ALIAS, "--path", "/srv/data", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["folder"] == "/srv/data"
    assert fake_code.read_text().splitlines()[1] == f"vscode-remote://ssh-remote+{ALIAS}/srv/data"

    refused = run_gpudesk("open", ALIAS, "--path", "/srv/a&calc")
    assert refused.returncode == 2 and "cannot be opened" in refused.stderr
    unknown = run_gpudesk("open", "nope")
    assert unknown.returncode == 2 and "gpudesk setup" in unknown.stderr


def test_open_without_vscode_says_where_to_get_it(
    sshd: SshdServer, clean_home: TestUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup(sshd)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    done = run_gpudesk("open", ALIAS)
    assert done.returncode == 1
    assert "https://code.visualstudio.com" in done.stderr
    assert "ms-vscode-remote.remote-ssh" in done.stderr


def test_ssh_config_list_and_remove(sshd: SshdServer, clean_home: TestUser) -> None:
    setup(sshd)
    command = f"ssh -p {sshd.port} {sshd.user.name}@127.0.0.1"
    text = run_gpudesk("setup", command, "--alias", ALIAS)  # text output, one line per step
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert [line.split()[1] for line in lines][:4] == ["check", "key", "install", "instance"]
    assert "ssh-config unchanged" in " ".join(text.stdout.split())
    listed = json.loads(run_gpudesk("ssh-config", "list", "--json").stdout)
    assert listed["include_at_top"] is True
    assert [(e["alias"], e["port"]) for e in listed["entries"]] == [(ALIAS, sshd.port)]
    config = Path(os.environ["HOME"]) / ".ssh" / "config"
    assert run_gpudesk("ssh-config", "remove", ALIAS).returncode == 0
    assert config.read_text() == ""  # gpudesk created it; its two lines are gone again
    assert real_ssh().returncode != 0
    assert run_gpudesk("ssh-config", "remove", ALIAS).returncode == 2


def test_new_port_after_a_restart_updates_the_alias(
    sshd: SshdServer, sshd_factory: SshdFactory, clean_home: TestUser
) -> None:
    setup(sshd)
    # The same machine (same host key) answers on another port, as after an AutoDL restart.
    moved = sshd_factory(config_overrides={"HostKey": str(sshd.host_key_path)})
    report = setup(moved, password=False)
    assert statuses(report)["instance"] == "changed"
    assert statuses(report)["ssh-config"] == "changed"
    assert statuses(report)["install"] == "unchanged"
    listed = json.loads(run_gpudesk("ssh-config", "list", "--json").stdout)
    assert [e["port"] for e in listed["entries"]] == [moved.port]
    assert real_ssh().returncode == 0


def test_a_bad_workdir_is_refused_before_anything_is_saved(
    sshd: SshdServer, clean_home: TestUser
) -> None:
    """Exit 2 for a folder VS Code cannot open, and no instance, alias or key left behind."""
    done = run_gpudesk(
        "setup", ssh_command_for(sshd), "--alias", ALIAS, "--accept-new-host-key",
        "--password-stdin", "--workdir", "~/work dir", stdin=sshd.user.password + "\n",
    )  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == ""
    assert "work dir" in done.stderr
    assert InstanceStore().get(ALIAS) is None
    assert not (Path(os.environ["HOME"]) / ".ssh" / f"gpudesk_{ALIAS}").exists()
    assert not clean_home.path(".ssh/authorized_keys").exists()
    # The next run without --workdir is not held back by a saved bad folder.
    report = setup(sshd)
    assert statuses(report)["instance"] == "changed"


def test_a_failed_setup_prints_nothing_on_stdout(sshd: SshdServer, clean_home: TestUser) -> None:
    """A wrong password: exit 3, the failed step and the error on stderr, stdout empty."""
    done = run_gpudesk(
        "setup", ssh_command_for(sshd), "--alias", ALIAS, "--accept-new-host-key",
        "--password-stdin", stdin="not-the-password\n",
    )  # fmt: skip
    assert done.returncode == 3, done.stdout + done.stderr
    assert done.stdout == ""
    assert "✗ check" in done.stderr
    assert "hint:" in done.stderr
