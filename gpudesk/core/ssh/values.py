"""What gpudesk accepts as a port, host name, user name and key path of an SSH endpoint.

Stricter than OpenSSH on purpose, so every accepted value is also safe on a command line and
inside ssh_config. Used by the parser of pasted commands (:mod:`.sshcommand`) and by every
other place an endpoint comes from (saved instances, ssh config entries, sftp.json, platform
APIs). Errors are ``InputError`` with ``ssh.parse.*`` codes, translated by the UI.
"""

from __future__ import annotations

import ipaddress
import string
import unicodedata
from collections.abc import Callable

from gpudesk.core.errors import InputError

_HOST_CHARS = frozenset(string.ascii_letters + string.digits + ".-_:")
_USER_CHARS = frozenset(string.ascii_letters + string.digits + "._-")


def parse_error(code: str, message: str, hint: str) -> InputError:
    """An ``InputError`` with the code ``ssh.parse.<code>``."""
    return InputError(f"ssh.parse.{code}", message, hint)


def quoted(value: object) -> str:
    """Quote a value for a message: control characters escaped, long values cut."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return repr(text if len(text) <= 60 else text[:60] + "...")


def describe_char(ch: str) -> str:
    """Name a character for a message: a space, an invisible code point, or the character."""
    if ch == " ":
        return "a space"
    if ch.isspace():
        return "a whitespace character"
    if unicodedata.category(ch)[0] == "C":
        return f"the invisible character U+{ord(ch):04X}"
    return f"the character {ch!r}"


def validate_port(value: object) -> int:
    """Check a TCP port given as an int or as decimal digits.

    Args:
        value: The port (``int`` or ``str``; ``bool`` is refused).

    Returns:
        The port as an int in 1..65535.

    Raises:
        InputError: ``ssh.parse.bad_port`` when it is not a port.
    """
    hint = "Use the port number your console shows (1 to 65535)."
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise parse_error("bad_port", "The port is empty.", hint)
        if not (text.isascii() and text.isdigit() and len(text) <= 10):
            raise parse_error("bad_port", f"The port {quoted(text)} is not a number.", hint)
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, int):
        raise parse_error("bad_port", f"The port {quoted(value)} is not a number.", hint)
    if not 1 <= value <= 65535:
        raise parse_error("bad_port", f"The port {value} is out of range.", hint)
    return value


def validate_host(host: str) -> str:
    """Check a host name, IPv4 address or IPv6 literal.

    Stricter than OpenSSH (which only bans whitespace, control characters, a leading ``-`` and
    ``'"$\\;&<>|(){}`` and backtick): ASCII letters, digits, ``.``, ``-``, ``_`` only, or an
    IPv6 literal, so the value is also safe in ssh_config (no ``%`` tokens, no ``*`` patterns).

    Args:
        host: The host, optionally an IPv6 literal in brackets.

    Returns:
        The host lower-cased; an IPv6 literal without brackets, in its compressed form.

    Raises:
        InputError: ``ssh.parse.bad_host`` or ``ssh.parse.host_with_port``.
    """
    hint = "Copy the host exactly as the console shows it, e.g. connect.nmb1.seetacloud.com."
    name = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not name:
        raise parse_error("bad_host", "The host name is empty.", hint)
    if name is not host and ":" not in name:
        raise parse_error("bad_host", "Only IPv6 addresses go in brackets.", hint)
    if len(name) > 253:
        raise parse_error("bad_host", "The host name is too long.", hint)
    _refuse_chars(name, lambda ch: ch not in _HOST_CHARS, "host name", "bad_host", hint)
    if ":" in name:
        try:
            return ipaddress.IPv6Address(name).compressed
        except ValueError:
            base, _, port = name.partition(":")
            if port.isdigit() and base:
                message = f"ssh does not take host:port ({quoted(name)})."
                fix = f"Give the port with -p: ssh -p {port} USER@{base}."
                raise parse_error("host_with_port", message, fix) from None
            raise parse_error(
                "bad_host", f"{quoted(name)} is not a valid IPv6 address.", hint
            ) from None
    if name[0] in "-.":
        raise parse_error("bad_host", f"The host name cannot start with {name[0]!r}.", hint)
    labels = (name[:-1] if name.endswith(".") else name).split(".")
    if any(not label or len(label) > 63 for label in labels):
        raise parse_error("bad_host", f"{quoted(name)} is not a valid host name.", hint)
    if all(label.isdigit() for label in labels):
        try:
            ipaddress.IPv4Address(name)
        except ValueError:
            raise parse_error(
                "bad_host", f"{quoted(name)} is not a valid IPv4 address.", hint
            ) from None
    return name.lower()


def validate_user(user: str) -> str:
    """Check a login name: ASCII letters, digits, ``.``, ``_``, ``-``; not first ``-`` or ``.``.

    Stricter than OpenSSH, so the value is safe on a command line and in ssh_config.

    Args:
        user: The login name.

    Returns:
        The user, unchanged.

    Raises:
        InputError: ``ssh.parse.bad_user``.
    """
    hint = "Use the user name your console shows (usually root)."
    if not user:
        raise parse_error("bad_user", "The user name is empty.", hint)
    if len(user) > 64:
        raise parse_error("bad_user", "The user name is too long.", hint)
    _refuse_chars(user, lambda ch: ch not in _USER_CHARS, "user name", "bad_user", hint)
    if user[0] in "-.":
        raise parse_error("bad_user", f"The user name cannot start with {user[0]!r}.", hint)
    return user


def validate_identity_file(path: str) -> str:
    """Check a private key path as given after ``-i`` (no ``"``, ``%`` or control characters)."""
    hint = "Give the full path of the private key file, e.g. -i ~/.ssh/id_ed25519."
    if not path or path[0] == "-" or len(path) > 1024:
        raise parse_error("bad_identity_file", f"{quoted(path)} is not a key file.", hint)
    _refuse_chars(path, _not_in_key_path, "key file path", "bad_identity_file", hint)
    return path


def _not_in_key_path(ch: str) -> bool:
    return ch in '"%' or unicodedata.category(ch)[0] == "C"


def _refuse_chars(
    value: str, refused: Callable[[str], bool], what: str, code: str, hint: str
) -> None:
    """Raise ``ssh.parse.<code>`` naming the first character of ``value`` that is ``refused``."""
    for ch in value:
        if refused(ch):
            message = f"The {what} contains {describe_char(ch)}, which is not allowed there."
            raise parse_error(code, message, hint)
