"""Read SSH key files and tell them apart before anything is decrypted.

paramiko answers a wrong passphrase, a public key picked by mistake and a damaged file alike
with "invalid key". This module reads the file itself and says which it is: a public key
(``ssh-ed25519 AAAA...``), a PuTTY file, an OpenSSH-format private key (whose header holds
the public key in clear, so the type and fingerprint are known even when it is encrypted) or
a PEM private key; then decrypts it with ``cryptography``, where a wrong passphrase is a
checksum failure and nothing else.

:mod:`gpudesk.core.keys.keypairs` builds on this; use that module's API.
"""

from __future__ import annotations

import base64
import re
import struct
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from gpudesk.core.errors import InputError
from gpudesk.core.ssh.hostkeys import fingerprint_sha256

__all__ = [
    "MAX_KEY_FILE_BYTES",
    "PrivateKeyObject",
    "PublicKey",
    "decrypt_private_key",
    "openssh_header",
    "public_key_of_private",
    "read_key_file",
    "read_public_key",
]

MAX_KEY_FILE_BYTES = 64 * 1024
_OPENSSH_MAGIC = b"openssh-key-v1\0"
_KEY_TYPE_RE = re.compile(r"^[a-z0-9][a-z0-9@.-]{2,80}$")
_BASE64_RE = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")

PrivateKeyObject = ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class PublicKey:
    """One public key as it appears in a ``.pub`` file or an ``authorized_keys`` line.

    Raises:
        InputError: The type or base64 field is malformed, or the comment spans lines.
    """

    key_type: str
    key_base64: str
    comment: str = ""

    def __post_init__(self) -> None:
        if not _KEY_TYPE_RE.match(self.key_type) or not _BASE64_RE.match(self.key_base64):
            raise InputError(
                "keys.bad_public_key",
                "That is not an OpenSSH public key.",
                "Choose the .pub file next to the private key, or make a new key.",
            )
        if any(c in self.comment for c in "\r\n\0"):
            raise InputError(
                "keys.bad_comment",
                "A key comment must fit on one line.",
                "Remove the line breaks from the comment.",
            )

    @property
    def line(self) -> str:
        """``type base64 comment`` (no newline), as in a ``.pub`` file."""
        return f"{self.key_type} {self.key_base64} {self.comment}".rstrip()

    @property
    def fingerprint(self) -> str:
        """``SHA256:...`` as ``ssh-keygen -lf`` prints it."""
        return fingerprint_sha256(self.key_base64)


def read_public_key(path: Path) -> PublicKey:
    """Read the first key of an OpenSSH ``.pub`` file.

    Raises:
        InputError: Unreadable, or not an OpenSSH public key.
    """
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise unreadable(path, exc) from exc
    parts = text.strip().split(maxsplit=2)
    if len(parts) < 2:
        raise InputError(
            "keys.bad_public_key",
            f"{path} is not an OpenSSH public key.",
            "Choose the .pub file next to the private key, or make a new key.",
        )
    return PublicKey(parts[0], parts[1], parts[2].strip() if len(parts) > 2 else "")


def public_key_of_private(key: PrivateKeyObject, comment: str = "") -> PublicKey:
    """The public half of a decrypted ``cryptography`` private key."""
    line = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    key_type, key_base64 = line.decode("ascii").split()[:2]
    return PublicKey(key_type, key_base64, comment)


def read_key_file(path: Path) -> bytes:
    """Read a private key file, refusing what is plainly not one.

    Raises:
        InputError: ``key.unreadable``, ``key.public_given`` (a ``.pub`` or a public key
            line), ``key.putty`` (a ``.ppk``) or ``key.not_private``.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_KEY_FILE_BYTES + 1)
    except OSError as exc:
        raise unreadable(path, exc) from exc
    stripped = data.lstrip()
    if stripped.startswith((b"ssh-", b"ecdsa-", b"sk-")) or b"PUBLIC KEY" in data[:200]:
        twin = path.with_suffix("") if path.suffix == ".pub" else None
        hint = (
            f"Choose {twin} instead (the same name without .pub)."
            if twin is not None and twin.exists()
            else "Choose the file without .pub: the private half of the key pair."
        )
        raise InputError(
            "key.public_given",
            f"{path} is a PUBLIC key; logging in needs the private key.",
            hint,
        )
    if stripped.startswith(b"PuTTY-User-Key-File"):
        raise InputError(
            "key.putty",
            f"{path} is a PuTTY key (.ppk).",
            "Export it in PuTTYgen (Conversions > Export OpenSSH key) and choose that file.",
        )
    if len(data) > MAX_KEY_FILE_BYTES or b"PRIVATE KEY-----" not in data:
        raise InputError(
            "key.not_private",
            f"{path} is not a private key.",
            "Choose the private key file, e.g. ~/.ssh/id_ed25519.",
        )
    return data


def openssh_header(data: bytes) -> tuple[bool, bytes] | None:
    """``(encrypted, public key blob)`` of an OpenSSH-format key; None for other formats.

    See https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.key: the cipher
    name and the public key come before the encrypted part.
    """
    label = b"OPENSSH " + b"PRIVATE KEY-----"
    begin, end = b"-----BEGIN " + label, b"-----END " + label
    start, stop = data.find(begin), data.find(end)
    if start < 0 or stop < start:
        return None
    try:
        raw = base64.b64decode(b"".join(data[start + len(begin) : stop].split()))
        if not raw.startswith(_OPENSSH_MAGIC):
            return None
        cipher, offset = _ssh_string(raw, len(_OPENSSH_MAGIC))
        _kdf, offset = _ssh_string(raw, offset)
        _kdf_options, offset = _ssh_string(raw, offset)
        blob, _ = _ssh_string(raw, offset + 4)  # after the uint32 count of keys
    except (ValueError, struct.error):
        return None
    return cipher != b"none", blob


def blob_public_key(blob: bytes) -> PublicKey | None:
    """The public key an SSH wire-format blob encodes, or None when it is malformed."""
    try:
        kind, _ = _ssh_string(blob, 0)
        return PublicKey(kind.decode("ascii"), base64.b64encode(blob).decode("ascii"))
    except (ValueError, struct.error, UnicodeDecodeError, InputError):
        return None


def is_encrypted(data: bytes) -> bool:
    """True when the key in ``data`` needs a passphrase (OpenSSH or PEM format)."""
    header = openssh_header(data)
    if header is not None:
        return header[0]
    # PKCS#8 "BEGIN ENCRYPTED PRIVATE KEY" and legacy "Proc-Type: 4,ENCRYPTED" headers.
    return b"ENCRYPTED" in data.split(b"-----END", 1)[0]


def decrypt_private_key(path: Path, data: bytes, passphrase: str | None) -> PrivateKeyObject:
    """Decode (and decrypt) a private key read by :func:`read_key_file`.

    A passphrase given for a key without one is ignored.

    Raises:
        InputError: ``key.passphrase_required``, ``key.wrong_passphrase`` or ``key.invalid``.
    """
    header = openssh_header(data)
    encrypted = is_encrypted(data)
    password = passphrase.encode("utf-8") if (passphrase and encrypted) else None
    if encrypted and password is None:
        raise InputError(
            "key.passphrase_required",
            f"The key {path} is protected by a passphrase.",
            "Enter the key's passphrase.",
        )
    loaded: object
    try:
        if header is not None:
            loaded = serialization.load_ssh_private_key(data, password)
        else:
            loaded = serialization.load_pem_private_key(data, password)
    except ValueError as exc:
        if encrypted:
            raise InputError(
                "key.wrong_passphrase",
                f"Wrong passphrase for the key {path}.",
                "Type the passphrase again; it is the one chosen when the key was made.",
            ) from exc
        raise invalid(path, str(exc)) from exc
    except (TypeError, UnsupportedAlgorithm) as exc:
        raise invalid(path, str(exc)) from exc
    if not isinstance(
        loaded, (ed25519.Ed25519PrivateKey, rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)
    ):
        raise invalid(path, f"{type(loaded).__name__} keys are not supported")
    return loaded


def _ssh_string(raw: bytes, offset: int) -> tuple[bytes, int]:
    (length,) = struct.unpack_from(">I", raw, offset)
    start = offset + 4
    if start + length > len(raw):
        raise ValueError("truncated")
    return raw[start : start + length], start + length


def unreadable(path: Path, exc: OSError) -> InputError:
    """The error for a key file that cannot be read."""
    return InputError(
        "key.unreadable",
        f"The key file {path} cannot be read: {exc.strerror or exc}.",
        "Choose the private key file (not the .pub file) and check that you may read it.",
    )


def invalid(path: Path, detail: str) -> InputError:
    """The error for a file that looks like a key but cannot be decoded."""
    return InputError(
        "key.invalid",
        f"{path} could not be read as a private key: {detail}",
        "Choose an OpenSSH or PEM private key (ed25519, rsa or ecdsa).",
    )
