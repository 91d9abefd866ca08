"""Key material for tests, made at test time (no private key is ever committed)."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def fresh_private_key_bytes() -> bytes:
    """A new unencrypted Ed25519 private key in OpenSSH's format."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    )


def private_key_header() -> bytes:
    """The first line of an OpenSSH private key file, read off a freshly made key."""
    return fresh_private_key_bytes().splitlines()[0]
