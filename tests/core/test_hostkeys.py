"""The app-owned known_hosts: pins, verdicts, and agreement with OpenSSH's tools."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gpudesk.core.errors import InputError
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import (
    HostKeyStore,
    PresentedKey,
    Verdict,
    pin_name_for_address,
)
from tests.skipping import needs_tool


def _keygen(tmp_path: Path, name: str) -> PresentedKey:
    path = tmp_path / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True, timeout=30
    )
    key_type, key_b64 = path.with_suffix(".pub").read_text().split()[:2]
    return PresentedKey(key_type, key_b64)


needs_keygen = needs_tool("ssh-keygen", "openssh-client")


@needs_keygen
def test_fingerprint_matches_ssh_keygen(tmp_path: Path) -> None:
    key = _keygen(tmp_path, "k1")
    printed = subprocess.run(
        ["ssh-keygen", "-lf", str(tmp_path / "k1.pub")],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.split()[1]
    assert key.fingerprint == printed


@needs_keygen
def test_unknown_then_match_then_changed(tmp_path: Path) -> None:
    store = HostKeyStore(tmp_path / "known_hosts")
    first, second = _keygen(tmp_path, "a"), _keygen(tmp_path, "b")
    assert store.verify("gpudesk.box", first)[0] is Verdict.UNKNOWN
    store.pin("gpudesk.box", first)
    assert store.verify("gpudesk.box", first)[0] is Verdict.MATCH
    verdict, pin = store.verify("gpudesk.box", second)
    assert verdict is Verdict.CHANGED
    assert pin is not None and pin.fingerprint == first.fingerprint
    assert store.forget("gpudesk.box")
    assert store.verify("gpudesk.box", second)[0] is Verdict.UNKNOWN
    assert not store.forget("gpudesk.box")


@needs_keygen
def test_file_is_private_and_readable_by_ssh_keygen(tmp_path: Path) -> None:
    path = tmp_path / "dir" / "known_hosts"
    store = HostKeyStore(path)
    key = _keygen(tmp_path, "a")
    store.pin("[127.0.0.1]:2222", key)
    store.pin("gpudesk.other", _keygen(tmp_path, "b"))
    assert path.stat().st_mode & 0o777 == 0o600
    found = subprocess.run(
        ["ssh-keygen", "-F", "[127.0.0.1]:2222", "-f", str(path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert found.returncode == 0 and key.key_base64 in found.stdout
    # Pinning again replaces, never duplicates.
    store.pin("[127.0.0.1]:2222", key)
    assert path.read_text().count(key.key_base64) == 1


@needs_keygen
def test_copy_pin(tmp_path: Path) -> None:
    store = HostKeyStore(tmp_path / "known_hosts")
    key = _keygen(tmp_path, "a")
    store.pin("[h]:1", key)
    copied = store.copy("[h]:1", "gpudesk.alias")
    assert copied is not None and copied.fingerprint == key.fingerprint
    assert store.copy("missing", "x") is None


def test_pin_names() -> None:
    assert pin_name_for_address(SshTarget("root", "example.com")) == "example.com"
    assert pin_name_for_address(SshTarget("root", "example.com", 10309)) == "[example.com]:10309"
    assert pin_name_for_address(SshTarget("root", "::1", 22)) == "[::1]:22"
    store = HostKeyStore(Path("/nonexistent/known_hosts"))
    assert store.pins() == []
    with pytest.raises(InputError):
        store.pin("bad name\nProxyCommand x", PresentedKey("ssh-ed25519", "AAAA"))
