"""`gpudesk push` / `gpudesk pull` as a user runs them, against a REAL sshd and a saved instance."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.store.secrets import open_secret_store, secret_name
from tests.clihelpers import run_gpudesk
from tests.integration import transfer_helpers
from tests.integration.transfer_helpers import BIG, MIB, make_tree, tree_hashes
from tests.testbed.sshd import SshdServer, TestUser

pytestmark = pytest.mark.sshd
remote_dir = transfer_helpers.remote_dir


def save_instance(server: SshdServer, workdir: Path | None, port: int | None = None) -> str:
    """Save ``box`` for the test user (password in the test keyring, host key pinned)."""
    user = server.user
    instance = InstanceStore().add(
        Instance(
            alias="box",
            target=SshTarget(user.name, "127.0.0.1", port or server.port),
            platform_id=None,
            host_key_alias=new_host_key_alias(),
            workdir=str(workdir) if workdir else None,
        )
    )
    key_type, key_b64 = server.host_key_line().split()[:2]
    HostKeyStore().pin(instance.host_key_alias, PresentedKey(key_type, key_b64))
    store, _ = open_secret_store()
    store.set(secret_name("password", instance.instance_id), user.password)
    return instance.alias


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def test_push_pull_json_and_exit_codes(
    sshd: SshdServer, remote_dir: Path, tmp_path: Path, test_user: TestUser
) -> None:
    alias = save_instance(sshd, remote_dir)
    src = make_tree(tmp_path / "proj", big_mib=2)
    first = run_gpudesk("push", alias, str(src), "--json")
    assert first.returncode == 0, first.stderr
    lines = json_lines(first.stdout)
    assert lines[-1]["event"] == "done" and lines[-1]["files_sent"] == 6
    assert lines[-1]["conflicts"] == [] and lines[-1]["files_skipped"] == 0
    files = [line for line in lines if line["event"] == "file"]
    assert sorted(str(f["path"]) for f in files) == sorted(
        p for p in tree_hashes(src) if not p.startswith(".git/") and "__pycache__" not in p
    )
    again = json_lines(run_gpudesk("push", alias, str(src), "--json").stdout)[-1]
    assert (again["files_sent"], again["bytes_sent"], again["files_skipped"]) == (0, 0, 6)
    # A relative REMOTE is inside the work folder; text mode prints a summary.
    text = run_gpudesk("push", alias, str(src / "README.md"), "docs")
    assert text.returncode == 0 and "sent 1 files" in text.stdout
    assert (remote_dir / "docs/README.md").read_bytes() == b"# project\n"
    # A far-side change: exit 8, listed, not overwritten.
    test_user.write_file("xfer/proj/README.md", b"theirs\n", mode=0o644)
    (src / "README.md").write_bytes(b"mine\n")
    conflict = run_gpudesk("push", alias, str(src), "--json")
    assert conflict.returncode == 8
    assert json_lines(conflict.stdout)[-1]["conflicts"] == ["README.md"]
    assert (remote_dir / "proj/README.md").read_bytes() == b"theirs\n"
    # Pull the folder back (relative REMOTE) into a local folder.
    back = tmp_path / "back"
    pulled = run_gpudesk("pull", alias, "proj", str(back), "--json")
    assert pulled.returncode == 0, pulled.stderr
    assert (back / "proj/README.md").read_bytes() == b"theirs\n"
    assert (back / "proj" / BIG).read_bytes() == (src / BIG).read_bytes()


def test_bad_input_and_unreachable(sshd: SshdServer, tmp_path: Path) -> None:
    alias = save_instance(sshd, None)
    missing = run_gpudesk("push", alias, str(tmp_path / "nothing"), "--json")
    assert missing.returncode == 2 and missing.stdout == ""
    assert "does not exist" in missing.stderr and "hint:" in missing.stderr
    assert run_gpudesk("push", "no-such-box", str(tmp_path)).returncode == 2
    InstanceStore().remove(alias)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    alias = save_instance(sshd, None, port=closed_port)
    gone = run_gpudesk("pull", alias, "x", str(tmp_path))
    assert gone.returncode == 6 and gone.stdout == ""


def test_sigint_stops_cleanly_and_the_next_run_resumes(
    sshd: SshdServer, remote_dir: Path, tmp_path: Path
) -> None:
    alias = save_instance(sshd, remote_dir)
    src = make_tree(tmp_path / "proj", big_mib=64)
    part = remote_dir / "proj/weights/.model 大.bin.gpudesk-part"
    process = subprocess.Popen(
        [sys.executable, "-m", "gpudesk", "push", alias, str(src), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    interrupted = transfer_helpers.when_part_grows(
        part, 8 * MIB, lambda: process.send_signal(signal.SIGINT)
    )
    out, err = process.communicate(timeout=120)
    interrupted.join()
    assert process.returncode == 130, err
    assert "run the same command again" in err
    assert not (remote_dir / "proj" / BIG).exists()
    assert json_lines(out)[-1]["cancelled"] is True
    rerun = run_gpudesk("push", alias, str(src), "--json")
    assert rerun.returncode == 0, rerun.stderr
    lines = json_lines(rerun.stdout)
    big = next(line for line in lines if line.get("path") == BIG)
    assert int(big["resumed_from"]) >= 8 * MIB  # type: ignore[call-overload]
    assert int(big["bytes_sent"]) < 64 * MIB  # type: ignore[call-overload]
    assert (remote_dir / "proj" / BIG).read_bytes() == (src / BIG).read_bytes()
