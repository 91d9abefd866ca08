"""One gpudesk host entry for OpenSSH: the values, validated, as ssh_config text and back.

:func:`render_entry` writes the ``Host`` block of one instance, validating every value again
(a newline in a pasted host would otherwise be a ``ProxyCommand`` injection; ``%`` and ``$``
in a path would be expanded by OpenSSH). Paths are absolute with forward slashes (Windows
too) and double-quoted when they hold spaces. :func:`split_arguments` splits a value the way
OpenSSH's own argument splitter does, so gpudesk reads lines back as ssh would.
:mod:`gpudesk.core.editor.sshconfig` puts these entries where OpenSSH finds them.
"""

from __future__ import annotations

import ntpath
import posixpath
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from gpudesk.core.errors import InputError
from gpudesk.core.ssh.hostkeys import default_known_hosts_path, validate_pin_name
from gpudesk.core.ssh.sshcommand import validate_host, validate_port, validate_user
from gpudesk.core.store.instances import Instance, validate_alias

ENTRY_MARKER = "# Written by gpudesk"
#: Keep-alives of the host entries: a dead link ends ssh after about a minute, while a brief
#: Wi-Fi hiccup does not kill an editor session (tunnels use their own faster probe).
DEFAULT_ALIVE_INTERVAL_S = 15
DEFAULT_ALIVE_COUNT_MAX = 4

# Characters never written into a path value: double quotes and backslashes (OpenSSH's argument
# splitter eats them), "%" (token expansion) and "$" (environment expansion). A single quote
# (a Windows user named O'Brien) is kept inside double quotes, where OpenSSH takes it literally.
_PATH_FORBIDDEN = frozenset('"\\%$')
#: Characters that make a path value need double quotes.
PATH_QUOTE_CHARS = frozenset("#'")
#: ``Keyword value`` or ``Keyword=value`` (group 1 the keyword, group 2 the rest).
DIRECTIVE = re.compile(r"[ \t]*([A-Za-z][A-Za-z0-9]*)(?:[ \t]*=[ \t]*|[ \t]+)(.*)$", re.DOTALL)


@dataclass(frozen=True)
class HostEntry:
    """One ``Host`` block gpudesk writes.

    Attributes:
        alias: The name users type (``ssh autodl-4090``); see ``validate_alias``.
        host: HostName.
        port: Port.
        user: User.
        identity_file: The private key (absolute path), or None for password logins.
        host_key_alias: The instance's pin name in gpudesk's known_hosts.
        known_hosts_file: gpudesk's known_hosts (absolute path).
        alive_interval: ServerAliveInterval in seconds.
        alive_count_max: ServerAliveCountMax.
    """

    alias: str
    host: str
    port: int
    user: str
    identity_file: str | None
    host_key_alias: str
    known_hosts_file: str
    alive_interval: int = DEFAULT_ALIVE_INTERVAL_S
    alive_count_max: int = DEFAULT_ALIVE_COUNT_MAX

    @classmethod
    def from_instance(cls, instance: Instance, known_hosts: Path | None = None) -> HostEntry:
        """The entry for a saved instance (its key, else the key of its pasted command)."""
        key = instance.key_path or instance.target.identity_file
        known = known_hosts if known_hosts is not None else default_known_hosts_path()
        return cls(
            alias=instance.alias,
            host=instance.target.host,
            port=instance.target.port,
            user=instance.target.user,
            identity_file=str(Path(key).expanduser().absolute()) if key else None,
            host_key_alias=instance.host_key_alias,
            known_hosts_file=str(known.absolute()),
        )


def config_path_value(path: str | Path, *, windows: bool | None = None) -> str:
    """A file path as an ssh_config value: absolute, forward slashes, quoted if needed.

    Args:
        path: An absolute path.
        windows: Treat it as a Windows path (default: this OS).

    Raises:
        InputError: ``sshconfig.bad_path`` for a relative path or one with characters that
            OpenSSH would expand or split (quotes, backslash, ``%``, ``$``, control chars).
    """
    is_windows = sys.platform == "win32" if windows is None else windows
    text = str(path)
    if is_windows:
        text = text.replace("\\", "/")
    absolute = ntpath.isabs(text) if is_windows else posixpath.isabs(text)
    if not absolute:
        raise bad_path(text, "it is not an absolute path")
    for ch in text:
        if ch in _PATH_FORBIDDEN or unicodedata.category(ch)[0] == "C":
            raise bad_path(text, f"it contains {ch!r}")
    if any(ch.isspace() or ch in PATH_QUOTE_CHARS for ch in text):
        return f'"{text}"'
    return text


def render_entry(entry: HostEntry, *, windows: bool | None = None) -> str:
    """The text of an entry's host file (LF line endings), every value validated.

    Raises:
        InputError: A value that must not go into ssh_config.
    """
    validate_alias(entry.alias)
    validate_pin_name(validate_alias(entry.host_key_alias))
    for name, value, low, high in (
        ("ServerAliveInterval", entry.alive_interval, 1, 3600),
        ("ServerAliveCountMax", entry.alive_count_max, 1, 100),
    ):
        if isinstance(value, bool) or not low <= value <= high:
            raise InputError("sshconfig.bad_value", f"{name} {value!r} is out of range.")
    lines = [
        f"{ENTRY_MARKER} for the instance {entry.alias}; it rewrites this file, "
        "so change it with gpudesk.",
        f"Host {entry.alias}",
        f"    HostName {validate_host(entry.host)}",
        f"    Port {validate_port(entry.port)}",
        f"    User {validate_user(entry.user)}",
    ]
    if entry.identity_file:
        lines.append(f"    IdentityFile {config_path_value(entry.identity_file, windows=windows)}")
        lines.append("    IdentitiesOnly yes")
    lines += [
        f"    HostKeyAlias {entry.host_key_alias}",
        f"    UserKnownHostsFile {config_path_value(entry.known_hosts_file, windows=windows)}",
        "    StrictHostKeyChecking yes",
        "    UpdateHostKeys no",
        f"    ServerAliveInterval {entry.alive_interval}",
        f"    ServerAliveCountMax {entry.alive_count_max}",
    ]
    return "\n".join(lines) + "\n"


def parse_entry(text: str) -> HostEntry | None:
    """Read back a host file written by :func:`render_entry` (None if it is not one)."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        match = DIRECTIVE.match(line)
        if match and not line.lstrip().startswith("#"):
            args = split_arguments(match.group(2))
            if args:
                values.setdefault(match.group(1).lower(), args[0])
    try:
        return HostEntry(
            alias=values["host"],
            host=values["hostname"],
            port=int(values.get("port", "22")),
            user=values["user"],
            identity_file=values.get("identityfile"),
            host_key_alias=values["hostkeyalias"],
            known_hosts_file=values.get("userknownhostsfile", ""),
            alive_interval=int(values.get("serveraliveinterval", DEFAULT_ALIVE_INTERVAL_S)),
            alive_count_max=int(values.get("serveralivecountmax", DEFAULT_ALIVE_COUNT_MAX)),
        )
    except (KeyError, ValueError):
        return None


def split_arguments(text: str) -> list[str]:
    """Split an ssh_config value like OpenSSH does: whitespace, double or single quotes.

    A ``#`` starting an unquoted word ends the line (OpenSSH 8.x+ trailing comments).
    """
    args: list[str] = []
    current: list[str] = []
    quote: str | None = None
    started = False
    for ch in text.rstrip("\r\n"):
        if quote:
            if ch == quote:
                quote = None
            else:
                current.append(ch)
        elif ch in "\"'":
            quote, started = ch, True
        elif ch in " \t":
            if started:
                args.append("".join(current))
                current, started = [], False
        elif ch == "#" and not started:
            break
        else:
            current.append(ch)
            started = True
    if started:
        args.append("".join(current))
    return args


def bad_path(text: str, why: str) -> InputError:
    """The error for a path that cannot be written into ssh_config."""
    return InputError(
        "sshconfig.bad_path",
        f"The path {text!r} cannot go into an ssh config: {why}.",
        "Use an absolute path without quotes, backslashes, '%' or '$' characters.",
    )
