"""The key half of the set-up path, shared by the wizard's key page, ``install-key`` and ``setup``.

Three things every face did on its own before: load a key for a login (a passphrase typed
now, else the one kept in the keyring, else ask), pick the comment the key is installed with
(the ``.pub`` file's when it belongs to the key, else ``gpudesk@<machine>``), and install the
key with the password and prove a key-only login. :func:`make_and_install_key` strings them
together for a page that creates or picks a key and installs it in one go.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import paramiko

from gpudesk.core.errors import InputError
from gpudesk.core.keys.keyinstall import InstallResult, Progress, install_key_with_password
from gpudesk.core.keys.keypairs import (
    NewKeyType,
    default_comment,
    generate_key,
    inspect_private_key,
    load_private_key_for_login,
    public_key_of,
)
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore
from gpudesk.core.ssh.remote import ConfirmHostKey
from gpudesk.core.store.secrets import SecretStore

__all__ = [
    "PASSPHRASE_ERRORS",
    "AskPassphrase",
    "InstalledKey",
    "KeyRequest",
    "install_key_file",
    "key_comment",
    "load_login_key",
    "make_and_install_key",
]

log = logging.getLogger(__name__)

#: Error codes that mean "the key needs a (different) passphrase".
PASSPHRASE_ERRORS = frozenset({"key.passphrase_required", "key.wrong_passphrase"})
#: Asks the person for a key's passphrase; None or "" when nobody can answer.
AskPassphrase = Callable[[Path], str | None]


def load_login_key(
    path: Path,
    secrets: SecretStore | None,
    *,
    passphrase: str | None = None,
    remember: bool = False,
    ask: AskPassphrase | None = None,
) -> paramiko.PKey:
    """Load a private key to log in with: typed passphrase, kept passphrase, then ``ask``.

    Args:
        path: The private key file.
        secrets: Where passphrases are kept by fingerprint (None: only what is typed).
        passphrase: A passphrase the user gave already.
        remember: Keep a passphrase that worked in ``secrets``.
        ask: Called once when the key needs a passphrase that is neither given nor kept (a
            terminal prompt); what it answers is kept too with ``remember``.

    Raises:
        InputError: ``key.passphrase_required`` / ``key.wrong_passphrase`` and the errors of
            :func:`gpudesk.core.keys.keypairs.load_private_key`.
        SecretStoreError: The keyring failed.
    """
    try:
        return load_private_key_for_login(path, secrets, passphrase, remember=remember)
    except InputError as exc:
        if exc.code not in PASSPHRASE_ERRORS or ask is None:
            raise
        typed = ask(path)
        if not typed:
            raise
    return load_private_key_for_login(path, secrets, typed, remember=remember)


def key_comment(path: Path, key: paramiko.PKey) -> str:
    """The ``.pub`` file's comment when it belongs to ``key``, else ``gpudesk@<machine>``."""
    info = inspect_private_key(path)
    if info.comment and info.fingerprint == public_key_of(key).fingerprint:
        return info.comment
    return default_comment()


def install_key_file(
    target: SshTarget,
    password: str,
    path: Path,
    key: paramiko.PKey,
    *,
    pin_name: str,
    host_keys: HostKeyStore,
    confirm_new_host_key: ConfirmHostKey | None = None,
    progress: Progress | None = None,
) -> InstallResult:
    """Install the key loaded from ``path`` with the password and prove a key-only login.

    Raises:
        The errors of :func:`gpudesk.core.keys.keyinstall.install_key_with_password`.
    """
    return install_key_with_password(
        target,
        password,
        key,
        pin_name=pin_name,
        host_keys=host_keys,
        comment=key_comment(path, key),
        confirm_new_host_key=confirm_new_host_key,
        progress=progress,
    )


@dataclass(frozen=True)
class KeyRequest:
    """The key a person chose: an existing file, or a new key to create.

    Attributes:
        path: The existing private key; None creates a new one.
        new_type: The type of a new key.
        new_name: The file name of a new key in ``~/.ssh`` (None: the first free default).
        passphrase: Typed for the existing key, or to protect the new one.
    """

    path: Path | None = None
    new_type: NewKeyType = "ed25519"
    new_name: str | None = None
    passphrase: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class InstalledKey:
    """The key that now logs in, and what installing it did."""

    path: Path
    result: InstallResult


def make_and_install_key(
    target: SshTarget,
    password: str,
    request: KeyRequest,
    *,
    secrets: SecretStore,
    remember: bool,
    pin_name: str,
    host_keys: HostKeyStore,
    progress: Progress | None = None,
) -> InstalledKey:
    """Create the requested key (or take the chosen one), install it and prove it.

    A passphrase kept in ``secrets`` is used for an existing key; with ``remember`` the
    passphrase of a new key, or one typed that worked, is kept there too.

    Raises:
        InputError: The key could not be made or loaded (``key.*``).
        The errors of :func:`install_key_file`.
    """
    say = progress or (lambda _step: None)
    path = request.path
    if path is None:
        say("Creating the key")
        made = generate_key(
            request.new_type,
            name=request.new_name,
            passphrase=request.passphrase,
            secrets=secrets if remember else None,
        )
        path = made.private_path
        log.info("created key %s", path.name)
    key = load_login_key(path, secrets, passphrase=request.passphrase, remember=remember)
    result = install_key_file(
        target, password, path, key, pin_name=pin_name, host_keys=host_keys, progress=progress
    )
    return InstalledKey(path, result)
