"""Every subcommand against hostile arguments: exit 2, a message, never a traceback.

The table :data:`HOSTILE_ARGUMENTS` has a row for EVERY registered subcommand (a test checks
it, so a new subcommand must join it). Each case runs ``python -m gpudesk`` as a user would,
in the temporary HOME. A saved instance ``box`` exists and points at a closed port, so a
command that skipped its validation and tried to connect ends with 6, not 2, and fails here.
Nothing here needs a network or a GPU.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gpudesk.cli import build_parser
from gpudesk.core.errors import ExitCode
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import default_known_hosts_path
from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
from gpudesk.core.store.secrets import open_secret_store, secret_name
from tests.clihelpers import run_gpudesk

BAD_CMD = "ssh -p \u00b2 root@example.com"

#: subcommand -> argument lists that must each end in exit 2 with a message on stderr.
HOSTILE_ARGUMENTS: dict[str, list[tuple[str, ...]]] = {
    "parse": [(BAD_CMD,), ("ssh -p 99999 root@example.com",), ("ssh root@h\nProxyCommand x",)],
    "check": [(BAD_CMD, "--password-stdin"), ("ssh -p 0 root@h", "--password-stdin")],
    "host-keys": [("--bogus",)],
    "forget-host-key": [("a\nb",), ("",)],
    "key": [
        ("generate", "--name", "../escape"),
        ("generate", "--name", "bad\x1bname"),
        ("repair", "NOT_A_KEY"),
        ("frobnicate",),
    ],
    "install-key": [(BAD_CMD, "--identity", "/nonexistent/key", "--password-stdin")],
    "setup": [(BAD_CMD, "--alias", "box2", "--password-stdin")],
    "ssh-config": [("remove", "../../etc/passwd"), ("remove", "bad alias")],
    "open": [("box", "--path", "relative/dir"), ("../box",)],
    "tunnel": [
        ("box", "\u00b2:8888"),
        ("box", "8888:\u0664\u0664"),
        ("box", "8888:99999"),
        ("box", "-1:22"),
        ("box", "nonsense"),
    ],
    "jupyter": [("box", "--port", "99999"), ("box", "--port", "\u00b2"), ("box", "--workdir", "x")],
    "tensorboard": [("box", "--port", "-5"), ("box", "--logdir", "relative")],
    "monitor": [
        ("box", "--interval", value)
        for value in ("inf", "-inf", "nan", "0.01", "0", "-3", "1e400", "\u00b2")
    ]
    + [("box", "--idle-minutes", value) for value in ("nan", "inf", "0", "1e400")]
    + [("box", "--price-per-hour", value) for value in ("nan", "inf", "-1", "1e400")]
    + [("box", "--idle-threshold", value) for value in ("nan", "inf", "0", "101")],
    "account": [("add", "nosuch", "--token-stdin"), ("remove", "bad\nname"), ("add", "autodl")],
    "instances": [("--bogus",)],
    "balance": [("--bogus",)],
    "power-on": [
        ("autodl:",),
        ("autodl:x", "--wait-for-gpu", "nan"),
        ("autodl:x", "--wait-for-gpu", "-1"),
        ("autodl:x", "--wait-for-gpu", "1e400"),
    ],
    "power-off": [("nosuch:ID",), ("autodl:bad id",), ("../box",)],
    "create": [
        ("autodl", "--gpu", "", "--image", "x", "--cuda", "abc"),
        ("autodl", "--gpu", "h800", "--gpus", "9", "--image", "x", "--cuda", "118"),
        ("autodl", "--gpu", "h800", "--gpus", "nan", "--image", "x", "--cuda", "118"),
        ("vastai", "--gpu", "h800", "--image", "x", "--cuda", "118"),
    ],
    "release": [("autodl:pro-1",), ("autodl:",)],
    "guard": [
        ("box", "--idle-minutes", "nan"),
        ("box", "--idle-minutes", "-1"),
        ("box", "--idle-threshold", "101"),
        ("box", "--max-hours", "inf"),
        ("box", "--at", "25:99"),
        ("box", "--grace-minutes", "nan"),
        ("box", "--interval", "0"),
        ("box", "--postpone", "nan"),
        ("box", "--after-pid", "-5"),
    ],
    "push": [
        ("box", "/nonexistent/path"),
        ("box", "NOT_A_KEY", "bad\npath"),
        ("nosuch", "NOT_A_KEY"),
    ],
    "pull": [("box", ""), ("box", "x\x1b[2Jy"), ("nosuch", "x")],
}


def registered_subcommands() -> set[str]:
    """The names of every subcommand the CLI registers."""
    parser = build_parser()
    names: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            names |= set(action.choices)
    return names


def cases() -> list[tuple[str, ...]]:
    return [(name, *args) for name, table in HOSTILE_ARGUMENTS.items() for args in table]


@pytest.fixture(name="saved_box")
def saved_box_fixture(tmp_path: Path) -> Path:
    """A saved instance ``box`` on a closed port (password saved), and a file not a key."""
    instance = InstanceStore().add(
        Instance(
            alias="box",
            target=SshTarget("root", "127.0.0.1", 1),
            platform_id=None,
            host_key_alias=new_host_key_alias(),
        )
    )
    store, _warning = open_secret_store()
    store.set(secret_name("password", instance.instance_id), "not-the-point")
    not_a_key = tmp_path / "notes.txt"
    not_a_key.write_text("shopping list\n")
    not_a_key.chmod(0o666)
    return not_a_key


def test_every_subcommand_is_in_the_table() -> None:
    missing = registered_subcommands() - set(HOSTILE_ARGUMENTS)
    assert not missing, f"add hostile arguments for {sorted(missing)} to HOSTILE_ARGUMENTS"


@pytest.mark.parametrize("argv", cases(), ids=lambda argv: " ".join(argv)[:60])
def test_hostile_arguments_exit_2_with_a_message(argv: tuple[str, ...], saved_box: Path) -> None:
    argv = tuple(str(saved_box) if arg == "NOT_A_KEY" else arg for arg in argv)
    before = saved_box.stat().st_mode
    result = run_gpudesk(*argv, stdin="", timeout=60)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == ExitCode.BAD_INPUT, (result.returncode, result.stderr)
    assert result.stderr.strip(), "no message"
    assert result.stdout == ""
    assert saved_box.stat().st_mode == before, "a refused command changed a file"


def test_a_closed_pipe_is_not_a_traceback() -> None:
    """``gpudesk host-keys --json | head -c 1``: the reader goes away after one byte.

    3000 pins make the output far larger than a pipe's buffer, so the write must fail.
    """
    path = default_known_hosts_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    path.write_text("".join(f"gpudesk-{n:012x} ssh-ed25519 {key}\n" for n in range(3000)))
    process = subprocess.Popen(
        [sys.executable, "-m", "gpudesk", "host-keys", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.read(1)
    process.stdout.close()  # the reader goes away, like `| head -c 1`
    errors = process.stderr.read().decode(errors="replace")
    process.wait(timeout=60)
    assert first in (b"{", b"[")
    assert "Traceback" not in errors and "BrokenPipe" not in errors, errors


def test_key_list_with_a_non_utf8_file_name_under_a_strict_utf8_stdout(
    isolated_user_dirs: Path,
) -> None:
    from tests.testbed.sshd import generate_openssh_key

    ssh_dir = isolated_user_dirs / ".ssh"
    ssh_dir.mkdir(mode=0o700)
    generate_openssh_key(ssh_dir / "id_ok")
    raw_name = os.fsencode(ssh_dir) + b"/id_caf\xe9"
    os.rename(ssh_dir / "id_ok", raw_name)
    os.rename(ssh_dir / "id_ok.pub", raw_name + b".pub")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8"}
    for extra in ((), ("--json",)):
        result = subprocess.run(
            [sys.executable, "-m", "gpudesk", "key", "list", *extra],
            capture_output=True,
            timeout=60,
            env=env,
            check=False,
        )
        stderr = result.stderr.decode(errors="replace")
        assert "Traceback" not in stderr, stderr
        assert result.returncode == ExitCode.OK, stderr
        assert b"id_caf" in result.stdout
