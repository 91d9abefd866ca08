"""The app-owned known_hosts: trust on first use, pinned per instance.

gpudesk never writes the user's ``~/.ssh/known_hosts`` and never lets paramiko save host
keys (``save_host_keys`` rewrites the file and drops what it does not understand). It keeps
its own file in OpenSSH's format, one line per pin::

    <pin name> <key type> <base64 key>

The pin name is an OpenSSH ``HostKeyAlias``, so the same file serves ``ssh`` through the
managed ssh config entries. Rented ip:port pairs are reused by other customers' instances,
hence one pin per instance rather than per address.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from gpudesk.core import paths
from gpudesk.core.errors import InputError
from gpudesk.core.models import HostKeyPin, SshTarget
from gpudesk.core.store.atomicfile import locked, write_file_atomically

_PIN_NAME = re.compile(r"^[A-Za-z0-9._:\[\]@-]{1,200}$")

#: Key types OpenSSH writes into known_hosts, mapped to the host-key algorithms that use them.
KEY_TYPE_ALGORITHMS: dict[str, tuple[str, ...]] = {
    "ssh-ed25519": ("ssh-ed25519",),
    "ecdsa-sha2-nistp256": ("ecdsa-sha2-nistp256",),
    "ecdsa-sha2-nistp384": ("ecdsa-sha2-nistp384",),
    "ecdsa-sha2-nistp521": ("ecdsa-sha2-nistp521",),
    "ssh-rsa": ("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"),
}


class Verdict(Enum):
    """What the presented key means for a pin."""

    MATCH = "match"
    UNKNOWN = "unknown"
    CHANGED = "changed"


@dataclass(frozen=True)
class PresentedKey:
    """A host key as the server presented it."""

    key_type: str
    key_base64: str

    @property
    def fingerprint(self) -> str:
        """``SHA256:...`` exactly as ``ssh-keygen -lf`` prints it."""
        return fingerprint_sha256(self.key_base64)


def fingerprint_sha256(key_base64: str) -> str:
    """Return the OpenSSH SHA256 fingerprint of a base64 public key blob."""
    digest = hashlib.sha256(base64.b64decode(key_base64)).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def pin_name_for_address(target: SshTarget) -> str:
    """The pin name used before an instance is saved: OpenSSH's ``[host]:port`` form.

    A saved instance has its own pin name, ``Instance.host_key_alias``; copy the address's
    pin to it with :meth:`HostKeyStore.copy` when the instance is created.
    """
    if target.port == 22 and ":" not in target.host:
        return target.host
    return f"[{target.host}]:{target.port}"


def validate_pin_name(name: str) -> str:
    """Return ``name`` if it can stand as a known_hosts host field, else raise InputError."""
    if not _PIN_NAME.match(name):
        raise InputError(
            "hostkeys.bad_name",
            f"{name!r} cannot be used as a host key name.",
            "Use letters, digits, dots, dashes and colons only.",
        )
    return name


def default_known_hosts_path() -> Path:
    """Where the app-owned known_hosts lives."""
    return paths.config_dir() / "known_hosts"


class HostKeyStore:
    """Read and change the app-owned known_hosts file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else default_known_hosts_path()

    def pins(self) -> list[HostKeyPin]:
        """Every pin in the file, in file order (unparseable lines are skipped)."""
        return [pin for pin in (_parse_line(line) for line in self._lines()) if pin]

    def lookup(self, name: str) -> HostKeyPin | None:
        """The pin for ``name``, or None."""
        for pin in self.pins():
            if pin.name == name:
                return pin
        return None

    def verify(self, name: str, key: PresentedKey) -> tuple[Verdict, HostKeyPin | None]:
        """Compare a presented key with the pin for ``name``."""
        pin = self.lookup(name)
        if pin is None:
            return Verdict.UNKNOWN, None
        if pin.key_type == key.key_type and pin.key_base64 == key.key_base64:
            return Verdict.MATCH, pin
        return Verdict.CHANGED, pin

    def pin(self, name: str, key: PresentedKey) -> HostKeyPin:
        """Pin ``key`` for ``name``, replacing any earlier pin of that name."""
        validate_pin_name(name)
        new_pin = HostKeyPin(name, key.key_type, key.key_base64, key.fingerprint)
        self._rewrite(name, new_pin)
        return new_pin

    def forget(self, name: str) -> bool:
        """Remove the pin for ``name``; True if there was one."""
        if self.lookup(name) is None:
            return False
        self._rewrite(name, None)
        return True

    def copy(self, source: str, destination: str) -> HostKeyPin | None:
        """Pin under ``destination`` the key pinned under ``source`` (None if none)."""
        pin = self.lookup(source)
        if pin is None:
            return None
        return self.pin(destination, PresentedKey(pin.key_type, pin.key_base64))

    def _lines(self) -> list[str]:
        try:
            return self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []

    def _rewrite(self, name: str, replacement: HostKeyPin | None) -> None:
        paths.ensure_private_dir(self.path.parent)
        with locked(self.path):
            kept = [line for line in self._lines() if _line_name(line) != name]
            if replacement is not None:
                kept.append(f"{replacement.name} {replacement.key_type} {replacement.key_base64}")
            data = "".join(line + "\n" for line in kept).encode("utf-8")
            write_file_atomically(self.path, data, mode=0o600)  # reuses this thread's lock


def _line_name(line: str) -> str | None:
    fields = line.split()
    if not fields or fields[0].startswith("#"):
        return None
    return fields[0]


def _parse_line(line: str) -> HostKeyPin | None:
    fields = line.split()
    if len(fields) < 3 or fields[0].startswith(("#", "@", "|")):
        return None
    name, key_type, key_b64 = fields[0], fields[1], fields[2]
    try:
        fingerprint = fingerprint_sha256(key_b64)
    except ValueError:
        return None
    return HostKeyPin(name, key_type, key_b64, fingerprint)
