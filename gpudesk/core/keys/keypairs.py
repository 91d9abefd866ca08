"""SSH key pairs: find the user's, make new ones, load them for login, name them by fingerprint.

New keys are made with ``cryptography`` (paramiko cannot write Ed25519 keys) in OpenSSH's own
format, which ``ssh-keygen -y`` and OpenSSH accept: Ed25519 by default, RSA 4096 for old
servers. The private file is created with mode 0600 from its first byte and never over an
existing file; the ``.pub`` beside it ends with the comment ``gpudesk@<machine>``. A
passphrase is kept in the keyring under ``secret_name("passphrase", <fingerprint>)``, never in
a file. Fingerprints are ``SHA256:...`` exactly as ``ssh-keygen -lf`` prints them.

Loading tells apart what paramiko lumps together as "invalid key": a wrong passphrase, a
missing one, a public key chosen instead of the private one, and a file that cannot be read.
"""

from __future__ import annotations

import io
import os
import platform
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import paramiko
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from gpudesk.core import paths
from gpudesk.core.errors import InputError
from gpudesk.core.keys.keyfiles import (
    MAX_KEY_FILE_BYTES,
    PublicKey,
    blob_public_key,
    decrypt_private_key,
    invalid,
    is_encrypted,
    openssh_header,
    public_key_of_private,
    read_key_file,
    read_public_key,
)
from gpudesk.core.keys.keyperms import (
    create_private_file,
    ensure_ssh_dir,
    key_file_exists,
    open_new_file,
)
from gpudesk.core.store.secrets import SecretStore, secret_name

__all__ = [
    "KEY_TYPES",
    "GeneratedKey",
    "KeyInfo",
    "NewKeyType",
    "PublicKey",
    "default_comment",
    "find_keys",
    "generate_key",
    "inspect_private_key",
    "load_private_key",
    "load_private_key_for_login",
    "public_key_of",
    "read_public_key",
]

NewKeyType = Literal["ed25519", "rsa"]
#: Key types gpudesk offers and installs (OpenSSH names).
KEY_TYPES = ("ssh-ed25519", "ssh-rsa", *(f"ecdsa-sha2-nistp{n}" for n in (256, 384, 521)))
RSA_BITS = 4096
_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$")
#: Files in ~/.ssh that are never keys (and never names for a new key).
_NOT_KEYS = frozenset(
    ("config", "known_hosts", "known_hosts.old", "authorized_keys", "authorized_keys2", "rc")
)


@dataclass(frozen=True)
class KeyInfo:
    """A private key file found on disk, described without decrypting it.

    Attributes:
        path: The private key file.
        public_path: The ``.pub`` beside it, if there is one.
        key_type: OpenSSH key type (``"ssh-ed25519"``), or None when it cannot be told.
        fingerprint: ``SHA256:...``, or None when neither the file nor a ``.pub`` shows it.
        encrypted: True when a passphrase protects it.
        comment: The comment from the ``.pub`` file ("" when none).
    """

    path: Path
    public_path: Path | None
    key_type: str | None
    fingerprint: str | None
    encrypted: bool
    comment: str = ""


@dataclass(frozen=True)
class GeneratedKey:
    """A key pair :func:`generate_key` wrote.

    Attributes:
        private_path: The private key (mode 0600).
        public_path: The ``.pub`` file.
        public_key: The public half (type, base64, comment).
        passphrase_saved: True when a passphrase was stored in the secret store.
    """

    private_path: Path
    public_path: Path
    public_key: PublicKey
    passphrase_saved: bool

    @property
    def fingerprint(self) -> str:
        """``SHA256:...`` of the new key."""
        return self.public_key.fingerprint


def default_comment() -> str:
    """``gpudesk@<machine>``, the comment new keys carry (whitespace removed)."""
    machine = re.sub(r"[^A-Za-z0-9._-]", "", platform.node()) or "localhost"
    return f"gpudesk@{machine}"


def public_key_of(key: paramiko.PKey, comment: str = "") -> PublicKey:
    """The public half of a loaded key."""
    return PublicKey(key.get_name(), key.get_base64(), comment)


def generate_key(
    key_type: NewKeyType = "ed25519",
    *,
    name: str | None = None,
    directory: Path | None = None,
    passphrase: str | None = None,
    comment: str | None = None,
    secrets: SecretStore | None = None,
) -> GeneratedKey:
    """Make a new key pair in OpenSSH format; never overwrite an existing file.

    Args:
        key_type: ``"ed25519"`` (default) or ``"rsa"`` (4096 bits, for old servers).
        name: File name of the private key; by default ``gpudesk_<type>`` (or the first free
            ``gpudesk_<type>_N``). A given name that exists is an error.
        directory: Where to write; ``~/.ssh`` by default (created 0700).
        passphrase: Encrypt the private key with it (bcrypt KDF, as ``ssh-keygen``).
        comment: The ``.pub`` comment; ``gpudesk@<machine>`` by default.
        secrets: Where the passphrase is kept (by fingerprint); None keeps it nowhere.

    Returns:
        The paths, the public key and whether the passphrase was saved.

    Raises:
        InputError: Bad type or name, the file exists, or the passphrase is empty.
        FileWriteError: The folder or files could not be written.
        SecretStoreError: The keyring refused the passphrase (nothing was written then).
    """
    if key_type not in ("ed25519", "rsa"):
        raise InputError(
            "keys.bad_type", f"Unknown key type {key_type!r}.", "Choose ed25519 or rsa."
        )
    if passphrase is not None and not passphrase:
        raise InputError(
            "keys.empty_passphrase",
            "The passphrase is empty.",
            "Leave the passphrase out to make a key without one.",
        )
    folder = directory if directory is not None else paths.ssh_dir()
    ensure_ssh_dir(folder)
    private_path = _new_key_path(folder, key_type, name)
    public_path = private_path.with_name(private_path.name + ".pub")
    if public_path.exists() or public_path.is_symlink():
        raise key_file_exists(public_path)

    private: ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey
    if key_type == "ed25519":
        private = ed25519.Ed25519PrivateKey.generate()
    else:
        private = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
        if passphrase
        else serialization.NoEncryption()
    )
    private_bytes = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, encryption
    )
    public = public_key_of_private(private, default_comment() if comment is None else comment)

    saved = False
    if passphrase and secrets is not None:
        secrets.set(secret_name("passphrase", public.fingerprint), passphrase)
        saved = True
    try:
        create_private_file(private_path, private_bytes)
        _create_public_file(public_path, (public.line + "\n").encode("utf-8"))
    except BaseException:
        if saved and secrets is not None:
            secrets.delete(secret_name("passphrase", public.fingerprint))
        raise
    return GeneratedKey(private_path, public_path, public, saved)


def _new_key_path(folder: Path, key_type: str, name: str | None) -> Path:
    if name is not None:
        if not _NAME_RE.match(name) or name.endswith(".pub") or name in _NOT_KEYS:
            raise InputError(
                "keys.bad_name",
                f"{name!r} cannot be used as a key file name.",
                "Use letters, digits, dots, dashes and underscores, e.g. gpudesk_autodl.",
            )
        path = folder / name
        if path.exists() or path.is_symlink():
            raise key_file_exists(path)
        return path
    base = f"gpudesk_{key_type}"
    for counter in range(1, 1000):
        candidate = folder / (base if counter == 1 else f"{base}_{counter}")
        taken = (
            candidate.exists()
            or candidate.is_symlink()
            or candidate.with_name(candidate.name + ".pub").exists()
        )
        if not taken:
            return candidate
    raise InputError(
        "keys.no_free_name",
        f"No free key file name in {folder}.",
        "Give the key a name of your own.",
    )


def _create_public_file(path: Path, data: bytes) -> None:
    fd = open_new_file(path, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


# --- reading keys ------------------------------------------------------------------------


def inspect_private_key(path: Path) -> KeyInfo:
    """Describe a private key file without its passphrase.

    OpenSSH-format files carry the public key in clear, so type and fingerprint are known
    even when encrypted; for an encrypted PEM file they come from the ``.pub`` beside it.

    Raises:
        InputError: Unreadable, a public key, or not a private key at all.
    """
    data = read_key_file(path)
    public_path = path.with_name(path.name + ".pub")
    beside: PublicKey | None = None
    if public_path.is_file():
        try:
            beside = read_public_key(public_path)
        except InputError:
            beside = None
    encrypted = is_encrypted(data)
    header = openssh_header(data)
    public: PublicKey | None = None
    if header is not None:
        public = blob_public_key(header[1])
    elif not encrypted:
        try:
            public = public_key_of_private(decrypt_private_key(path, data, None))
        except InputError:
            public = None
    elif beside is not None:
        public = beside
    same = beside is not None and public is not None and beside.fingerprint == public.fingerprint
    return KeyInfo(
        path=path,
        public_path=public_path if beside is not None else None,
        key_type=public.key_type if public is not None else None,
        fingerprint=public.fingerprint if public is not None else None,
        encrypted=encrypted,
        comment=beside.comment if beside is not None and same else "",
    )


def find_keys(directory: Path | None = None) -> list[KeyInfo]:
    """The private keys (ed25519, rsa, ecdsa; encrypted or not) in ``~/.ssh``, by name.

    Files that are not private keys, cannot be read, or hold other key types (DSA, FIDO
    ``sk-`` keys, PuTTY files) are left out.
    """
    folder = directory if directory is not None else paths.ssh_dir()
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    found: list[KeyInfo] = []
    for entry in entries:
        if entry.name.endswith((".pub", ".lock", ".gpudesk-bak")) or entry.name in _NOT_KEYS:
            continue
        try:
            if not entry.is_file() or entry.stat().st_size > MAX_KEY_FILE_BYTES:
                continue
            info = inspect_private_key(entry)
        except (OSError, InputError):
            continue
        if info.key_type in KEY_TYPES:
            found.append(info)
    return found


def load_private_key(path: Path, passphrase: str | None = None) -> paramiko.PKey:
    """Load an OpenSSH or PEM private key (ed25519, rsa, ecdsa) for login.

    Args:
        path: The private key file (not the ``.pub``).
        passphrase: Its passphrase when it has one (ignored for a key without one).

    Raises:
        InputError: ``key.unreadable``, ``key.public_given``, ``key.not_private``,
            ``key.passphrase_required``, ``key.wrong_passphrase`` or ``key.invalid``.
    """
    loaded = decrypt_private_key(path, read_key_file(path), passphrase)
    # Hand paramiko the key re-encoded in memory without encryption: one KDF run, and
    # paramiko's own loader never sees a passphrase it would misreport as "invalid key".
    plain = loaded.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    ).decode("ascii")
    key_class: type[paramiko.PKey]
    if isinstance(loaded, ed25519.Ed25519PrivateKey):
        key_class = paramiko.Ed25519Key
    elif isinstance(loaded, rsa.RSAPrivateKey):
        key_class = paramiko.RSAKey
    elif isinstance(loaded, ec.EllipticCurvePrivateKey):
        key_class = paramiko.ECDSAKey
    else:  # pragma: no cover - decrypt_private_key admits only the three
        raise invalid(path, f"{type(loaded).__name__} keys are not supported")
    try:
        key: paramiko.PKey = key_class.from_private_key(io.StringIO(plain))
    except (paramiko.SSHException, ValueError) as exc:
        raise invalid(path, str(exc)) from exc
    return key


def load_private_key_for_login(
    path: Path,
    secrets: SecretStore | None,
    passphrase: str | None = None,
    *,
    remember: bool = False,
) -> paramiko.PKey:
    """Load a key, taking a missing passphrase from the secret store (by fingerprint).

    Args:
        path: The private key file.
        secrets: Where passphrases are kept; None uses only ``passphrase``.
        passphrase: A passphrase the user just typed (tried before the stored one).
        remember: Store ``passphrase`` when it worked.

    Raises:
        InputError: See :func:`load_private_key`; ``key.wrong_passphrase`` names the keyring
            when the stored passphrase no longer fits.
        SecretStoreError: The keyring failed.
    """
    info = inspect_private_key(path)
    if not info.encrypted:
        return load_private_key(path)
    if passphrase:
        key = load_private_key(path, passphrase)
        if remember and secrets is not None:
            fingerprint = public_key_of(key).fingerprint
            secrets.set(secret_name("passphrase", fingerprint), passphrase)
        return key
    stored = None
    if secrets is not None and info.fingerprint:
        stored = secrets.get(secret_name("passphrase", info.fingerprint))
    if stored is None:
        return load_private_key(path)  # raises key.passphrase_required
    try:
        return load_private_key(path, stored)
    except InputError as exc:
        if exc.code != "key.wrong_passphrase":
            raise
        raise InputError(
            "key.wrong_passphrase",
            f"Wrong passphrase for the key {path}: the one saved in the keyring does not fit.",
            "Type the passphrase; it replaces the saved one.",
        ) from exc
