"""Install a public key on an instance over the password session, then prove it works.

What ``ssh-copy-id`` does, done right (see ``docs/ssh-facts.md``): one fixed POSIX ``sh``
script runs on the instance with ``umask 077``; it creates ``~/.ssh`` (0700) and
``authorized_keys`` (0600) when missing, adds a newline to a last line that lacks one, and
appends the key only when no line already holds the same type and base64 (options prefixes
and comments are ignored in the comparison). Existing lines are never rewritten: the file is
only appended to. The key travels on standard input, never inside the command string. The
script checks that it can write before it changes anything, so a read-only home or an
immutable ``authorized_keys`` leaves every file as it was. It then sets the modes sshd's
``StrictModes`` wants and runs ``restorecon`` where SELinux has it.

Success is only reported after a second connection logs in with the key alone.
"""

from __future__ import annotations

import logging
import shlex
from collections.abc import Callable
from dataclasses import dataclass

import paramiko

from gpudesk.core.errors import AuthenticationError, RemoteCommandError
from gpudesk.core.keys.keypairs import PublicKey, public_key_of
from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.hostkeys import HostKeyStore
from gpudesk.core.ssh.remote import (
    DEFAULT_TIMEOUTS,
    ConfirmHostKey,
    Connection,
    Credentials,
    HostKeyCheck,
    Timeouts,
    connect,
)

__all__ = [
    "INSTALL_SCRIPT",
    "InstallResult",
    "install_key",
    "install_key_with_password",
    "install_public_key",
    "verify_key_login",
]

log = logging.getLogger(__name__)

#: Called with a short English description of the step now under way.
Progress = Callable[[str], None]

#: The script run on the instance. Constant: the key is read from standard input. Exit codes
#: 10-14 say what was refused before anything changed; 15 that the append itself failed.
INSTALL_SCRIPT = r"""
umask 077
read -r kt kb kc || [ -n "${kt:-}" ] || { echo 'no key on stdin' >&2; exit 10; }
case "$kt" in ''|*[!A-Za-z0-9@.-]*) echo 'bad key type' >&2; exit 10;; esac
case "$kb" in ''|*[!A-Za-z0-9+/=]*) echo 'bad key data' >&2; exit 10;; esac
cd || exit 11
d=.ssh
f=.ssh/authorized_keys
has_key() {
  awk -v t="$kt" -v k="$kb" '
    { sub(/\r$/, "") }
    /^[ \t]*#/ { next }
    { for (i = 1; i < NF; i++) if ($i == t && $(i + 1) == k) found = 1 }
    END { exit !found }' "$f"
}
if [ -f "$f" ] && [ -r "$f" ] && has_key; then
  echo 'present'
else
  if [ ! -e "$d" ] && [ ! -L "$d" ]; then
    [ -w . ] || { echo "home=$HOME" >&2; exit 12; }
    new_dir=1
  else
    [ -d "$d" ] && [ -w "$d" ] && [ -x "$d" ] || { echo "dir=$HOME/$d" >&2; exit 13; }
    new_dir=0
  fi
  if [ -e "$f" ] || [ -L "$f" ]; then
    [ -f "$f" ] && [ -w "$f" ] && [ -r "$f" ] || { echo "file=$HOME/$f" >&2; exit 14; }
  fi
  # The tests above pass for root; trial opens catch an immutable file or read-only mount.
  # Regular commands only (true, printf): a failed redirection on ":" ends a POSIX shell.
  if [ "$new_dir" = 1 ]; then
    mkdir "$d" 2>/dev/null || { echo "home=$HOME" >&2; exit 12; }
    echo 'created-dir'
  fi
  [ -e "$f" ] && new_file=0 || new_file=1
  if ! true 2>/dev/null >> "$f"; then
    [ "$new_dir" = 1 ] && rmdir "$d"
    echo "file=$HOME/$f" >&2; exit 14
  fi
  [ "$new_file" = 1 ] && echo 'created-file'
  nl=''
  if [ -s "$f" ] && [ -n "$(tail -c 1 "$f")" ]; then nl='
'; echo 'added-newline'; fi
  printf '%s%s %s%s\n' "$nl" "$kt" "$kb" "${kc:+ $kc}" >> "$f" || exit 15
  echo 'added'
fi
chmod 700 "$d" 2>/dev/null && chmod 600 "$f" 2>/dev/null || echo 'chmod-failed'
if command -v restorecon >/dev/null 2>&1; then
  restorecon -F "$d" "$f" >/dev/null 2>&1 && echo 'restorecon'
fi
case "$(ls -ld . 2>/dev/null)" in ?????w*|????????w*) echo 'home-writable-by-others';; esac
exit 0
"""

_REFUSALS: dict[int, tuple[str, str, str]] = {
    10: (
        "keyinstall.bad_key",
        "The key could not be passed to the instance.",
        "Choose the key again, or make a new one, and try again.",
    ),
    11: (
        "keyinstall.no_home",
        "The account on the instance has no usable home folder.",
        "Ask the platform's support: ~/.ssh must live in the home folder.",
    ),
    12: (
        "keyinstall.home_read_only",
        "The home folder on the instance is read-only, so ~/.ssh cannot be created. "
        "Nothing was changed.",
        "Make it writable (chmod u+w ~ on the instance), or add the key in the platform's "
        "console if it has a place for SSH keys.",
    ),
    13: (
        "keyinstall.ssh_dir_read_only",
        "~/.ssh on the instance is not a folder gpudesk may write to. Nothing was changed.",
        "Check ~/.ssh on the instance: ls -ld ~/.ssh (it must be yours and writable).",
    ),
    14: (
        "keyinstall.authorized_keys_read_only",
        "~/.ssh/authorized_keys on the instance cannot be changed. Nothing was changed.",
        "Check it on the instance: ls -l ~/.ssh/authorized_keys; lsattr shows an immutable "
        "flag. Some platforms manage this file: add the key in their console instead.",
    ),
    15: (
        "keyinstall.write_failed",
        "Writing ~/.ssh/authorized_keys on the instance failed.",
        "The disk of the instance may be full (df -h ~).",
    ),
}


@dataclass(frozen=True)
class InstallResult:
    """What installing a key did; returned only after a key-only login worked.

    Attributes:
        public_key: The key now in ``authorized_keys``.
        added: False when the key was already there (the file was not changed then).
        created_ssh_dir: ``~/.ssh`` did not exist and was created (0700).
        created_authorized_keys: ``authorized_keys`` did not exist and was created (0600).
        added_newline: The last line lacked a newline, which was added before the key.
        restorecon: SELinux contexts were restored.
        warnings: Things the user should know (e.g. a home writable by others).
        host_key: How the host key was judged on the verifying connection.
    """

    public_key: PublicKey
    added: bool
    created_ssh_dir: bool
    created_authorized_keys: bool
    added_newline: bool
    restorecon: bool
    warnings: tuple[str, ...]
    host_key: HostKeyCheck | None = None

    @property
    def fingerprint(self) -> str:
        """``SHA256:...`` of the installed key."""
        return self.public_key.fingerprint


def install_public_key(
    connection: Connection, public_key: PublicKey, *, timeout: float = 30.0
) -> InstallResult:
    """Add ``public_key`` to ``~/.ssh/authorized_keys`` over an authenticated connection.

    Does not prove the key works; :func:`install_key` does both.

    Raises:
        RemoteCommandError: The instance refused (read-only home, immutable file, ...) or
            the command failed; the code says which (``keyinstall.home_read_only`` ...).
    """
    command = "/bin/sh -c " + shlex.quote(INSTALL_SCRIPT)
    stdin = (public_key.line + "\n").encode("utf-8")
    result = connection.run(command, stdin=stdin, timeout=timeout)
    words = set(result.stdout.split())
    if result.exit_status != 0:
        code, message, hint = _REFUSALS.get(
            result.exit_status,
            (
                "keyinstall.failed",
                f"Adding the key on the instance failed (exit {result.exit_status}).",
                "Check that /bin/sh works on the instance and try again.",
            ),
        )
        detail = result.stderr.strip().splitlines()[-1:] if result.stderr.strip() else []
        log.info("key install refused (%s): %s", code, detail)
        raise RemoteCommandError(code, message, hint)
    warnings: list[str] = []
    if "chmod-failed" in words:
        warnings.append(
            "The permissions of ~/.ssh and authorized_keys on the instance could not be set to "
            "700/600; if key login fails, run there: chmod 700 ~/.ssh; chmod 600 "
            "~/.ssh/authorized_keys"
        )
    if "home-writable-by-others" in words:
        warnings.append(
            "Your home folder on the instance is writable by others; sshd (StrictModes) then "
            "refuses keys. Fix it on the instance with: chmod go-w ~"
        )
    return InstallResult(
        public_key=public_key,
        added="added" in words,
        created_ssh_dir="created-dir" in words,
        created_authorized_keys="created-file" in words,
        added_newline="added-newline" in words,
        restorecon="restorecon" in words,
        warnings=tuple(warnings),
    )


def verify_key_login(
    target: SshTarget,
    key: paramiko.PKey,
    *,
    pin_name: str,
    host_keys: HostKeyStore,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
) -> HostKeyCheck:
    """Log in again with ``key`` alone and run ``true``; the host key must match the pin.

    Raises:
        AuthenticationError: The instance refused the key (``keyinstall.key_refused``).
        UnreachableError, HostKeyChangedError, HostKeyUnknownError: As for :func:`connect`.
        RemoteCommandError: The login worked but no command could run.
    """
    try:
        connection = connect(
            target, Credentials(key=key), pin_name=pin_name, host_keys=host_keys, timeouts=timeouts
        )
    except AuthenticationError as exc:
        raise AuthenticationError(
            "keyinstall.key_refused",
            "The key was added to ~/.ssh/authorized_keys, but the instance still refuses it.",
            "sshd may read keys from elsewhere (AuthorizedKeysFile) or refuse them because of "
            "permissions: on the instance run chmod go-w ~ ~/.ssh; the password still works.",
        ) from exc
    with connection:
        result = connection.run("true", timeout=timeouts.command)
        if result.exit_status != 0:
            raise RemoteCommandError(
                "keyinstall.verify_failed",
                "Logging in with the key worked, but running a command did not.",
                "Try `gpudesk check` with --identity to see what the instance answers.",
            )
        return connection.host_key


def install_key(
    connection: Connection,
    key: paramiko.PKey,
    *,
    host_keys: HostKeyStore,
    comment: str = "",
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
    progress: Progress | None = None,
) -> InstallResult:
    """Install ``key``'s public half over ``connection``, then log in with the key alone.

    Args:
        connection: An authenticated (password) connection; it is left open.
        key: The private key (its public half is installed).
        host_keys: The pins; the verifying login must match ``connection``'s pin.
        comment: The comment to write after the key (``gpudesk@<machine>``).
        timeouts: Bounds for the command and the second login.
        progress: Called with a short description of each step.

    Returns:
        The result, only once a key-only login worked (the caller may then forget the
        password).

    Raises:
        RemoteCommandError: The key could not be added (nothing was changed then).
        AuthenticationError: The key was added but the instance refuses it.
    """
    say = progress or (lambda _step: None)
    public = public_key_of(key, comment)
    say("Adding the key to ~/.ssh/authorized_keys")
    result = install_public_key(connection, public, timeout=timeouts.command)
    say("Logging in with the key alone")
    check = verify_key_login(
        connection.target,
        key,
        pin_name=connection.host_key.pin_name,
        host_keys=host_keys,
        timeouts=timeouts,
    )
    return InstallResult(
        public_key=result.public_key,
        added=result.added,
        created_ssh_dir=result.created_ssh_dir,
        created_authorized_keys=result.created_authorized_keys,
        added_newline=result.added_newline,
        restorecon=result.restorecon,
        warnings=result.warnings,
        host_key=check,
    )


def install_key_with_password(
    target: SshTarget,
    password: str,
    key: paramiko.PKey,
    *,
    pin_name: str,
    host_keys: HostKeyStore,
    comment: str = "",
    confirm_new_host_key: ConfirmHostKey | None = None,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
    progress: Progress | None = None,
) -> InstallResult:
    """Log in with ``password`` (host key checked first) and :func:`install_key`.

    Raises:
        UnreachableError, HostKeyUnknownError, HostKeyChangedError, AuthenticationError:
            As for :func:`gpudesk.core.ssh.remote.connect`.
        RemoteCommandError: See :func:`install_key`.
    """
    say = progress or (lambda _step: None)
    say(f"Connecting to {target.address} with the password")
    with connect(
        target,
        Credentials(password=password),
        pin_name=pin_name,
        host_keys=host_keys,
        confirm_new_host_key=confirm_new_host_key,
        timeouts=timeouts,
    ) as connection:
        return install_key(
            connection,
            key,
            host_keys=host_keys,
            comment=comment,
            timeouts=timeouts,
            progress=progress,
        )
