"""Shared parts of the transfer tests: a logged-in connection, a sample tree, tree hashes."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.ssh.remote import Connection, Credentials, connect
from gpudesk.core.transfer.model import Direction, TransferRequest
from tests.testbed.sshd import SshdServer, TestUser

PIN = "gpudesk-transfer-test"
MIB = 1024 * 1024
BIG = "weights/model 大.bin"


def login(server: SshdServer) -> Connection:
    """A password login to ``server`` with its host key pinned first."""
    store = HostKeyStore()
    key_type, key_b64 = server.host_key_line().split()[:2]
    store.pin(PIN, PresentedKey(key_type, key_b64))
    target = SshTarget(server.user.name, "127.0.0.1", server.port)
    return connect(
        target, Credentials(password=server.user.password), pin_name=PIN, host_keys=store
    )


@pytest.fixture
def connection(sshd: SshdServer) -> Iterator[Connection]:
    """A connection to the shared sshd, closed after the test."""
    with login(sshd) as made:
        yield made


@pytest.fixture
def remote_dir(test_user: TestUser) -> Iterator[Path]:
    """An empty folder in the test user's home (removed after the test)."""
    path = test_user.make_dir("xfer", mode=0o755)
    yield path
    test_user.remove("xfer")


def make_tree(root: Path, big_mib: int = 64) -> Path:
    """Nested folders, spaces, Chinese names, an empty file, a big file; excluded bits too."""
    files = {
        "README.md": b"# project\n",
        "src/train.py": b"print('train')\n" * 50,
        "src/deep/nested/a b c.txt": b"spaces in the name\n",
        "数据/样本 1.csv": "中文,内容\n".encode() * 100,
        "empty.txt": b"",
        ".git/HEAD": b"ref: refs/heads/main\n",
        "src/__pycache__/train.cpython-311.pyc": b"\0\1",
    }
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    os.chmod(root / "src/train.py", 0o755)  # noqa: S103 - a script keeps its x bit
    big = root / BIG
    big.parent.mkdir(parents=True, exist_ok=True)
    block = os.urandom(MIB)
    with big.open("wb") as handle:
        for n in range(big_mib):
            handle.write(block[n:] + block[:n])
    return root


def tree_hashes(root: Path) -> dict[str, tuple[str, int, int]]:
    """Relative path → (sha256, mode bits, mtime in whole seconds) of every regular file."""
    result = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            info = path.stat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            rel = path.relative_to(root).as_posix()
            result[rel] = (digest, info.st_mode & 0o777, int(info.st_mtime))
    return result


def push(local: Path, remote: Path, **options: object) -> TransferRequest:
    """A push request."""
    return TransferRequest(Direction.PUSH, str(local), str(remote), **options)  # type: ignore[arg-type]


def pull(remote: Path, local: Path, **options: object) -> TransferRequest:
    """A pull request."""
    return TransferRequest(Direction.PULL, str(local), str(remote), **options)  # type: ignore[arg-type]


def when_part_grows(part: Path, at_least: int, action: Callable[[], object]) -> threading.Thread:
    """Call ``action()`` once the far side's part file holds ``at_least`` bytes."""

    def watch() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if part.stat().st_size >= at_least:
                    action()
                    return
            except FileNotFoundError:
                pass
            time.sleep(0.0005)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread
