"""Parse and validate the ``ssh ...`` line a GPU platform's console shows.

Users paste what their console shows, e.g. ``ssh -p 10309 root@connect.nmb1.seetacloud.com``
(AutoDL) or ``登录指令：ssh root@12.34.56.78 -p 910``. :func:`parse_ssh_command` turns it into
an :class:`~gpudesk.core.models.SshTarget` or raises :class:`~gpudesk.core.errors.InputError`.
Nothing is ever run: the whole text is checked for shell syntax first, then split with
:mod:`shlex` (POSIX quotes, backslashes kept literal so Windows key paths survive).

Accepted: ``ssh [options] [user@]host [options]`` (also without the ``ssh`` word when it starts
with ``user@``) and ``ssh://[user@]host[:port]`` (IPv6 in brackets there; ``user@[::1]`` and
``user@2001:db8::1`` too), a label before the ``ssh`` word (``SSH command:``, ``登录指令：``),
``-p PORT``/``-pPORT``, ``-l USER``, ``-i KEY`` (kept as given), ``-L [bind:]LPORT:HOST:RPORT``
(bind only 127.0.0.1 or localhost), ``-o Port|User|IdentityFile`` (honoured), a few harmless
``-o`` options (host-key, keepalive, timeout and auth ones: gpudesk applies its own) and the
flags ``-4 -6 -a -C -f -k -N -n -q -T -t -v -x`` (ignored). Host names are lower-cased, IPv6
literals compressed; values given twice must agree (OpenSSH would take the first).

Refused on purpose: ``-A``/``-X``/``-Y`` and ``ForwardAgent``/``ForwardX11`` (a rented
machine's admins could use what is forwarded), ``-g``/``GatewayPorts`` and ``-L`` bound to
anything but 127.0.0.1 (tunnels listen on 127.0.0.1 only), ``-R`` and ``-D`` (gpudesk makes
local tunnels only; silently dropping them would surprise), ``-J``/``ProxyJump`` (consoles
never show one), ``-F``, ``ProxyCommand``, ``LocalCommand``, ``PermitLocalCommand``,
``KnownHostsCommand``, ``Match``, ``Include`` and provider libraries (they run code), a remote
command after the destination, and every option not listed above. Anywhere in the text:
line breaks, control and bidi characters, ``; | & ` $ < >`` (shell syntax, never run), and
``<placeholders>`` copied from documentation.

Error codes (all ``InputError``; messages are plain English, the UI translates by code):
``ssh.parse.empty``, ``ssh.parse.too_long``, ``ssh.parse.multiple_lines``,
``ssh.parse.control_char``, ``ssh.parse.shell_syntax``, ``ssh.parse.placeholder``,
``ssh.parse.not_ssh``, ``ssh.parse.bad_quotes``, ``ssh.parse.missing_host``,
``ssh.parse.missing_value``, ``ssh.parse.missing_user``, ``ssh.parse.unknown_option``,
``ssh.parse.dangerous_option``, ``ssh.parse.jump_host``, ``ssh.parse.remote_forward``,
``ssh.parse.dynamic_forward``, ``ssh.parse.forwarding_refused``, ``ssh.parse.forward_bind``,
``ssh.parse.bad_forward``, ``ssh.parse.remote_command``, ``ssh.parse.bad_url``,
``ssh.parse.bad_port``, ``ssh.parse.bad_host``, ``ssh.parse.host_with_port``,
``ssh.parse.bad_user``, ``ssh.parse.bad_identity_file``, ``ssh.parse.conflict``.
"""

from __future__ import annotations

import fnmatch
import re
import shlex
import unicodedata
from collections.abc import Iterable
from typing import TypeVar

from gpudesk.core.errors import InputError
from gpudesk.core.models import Platform, PortForward, SshTarget
from gpudesk.core.ssh.values import (
    describe_char,
    parse_error,
    quoted,
    validate_host,
    validate_identity_file,
    validate_port,
    validate_user,
)

MAX_INPUT_CHARS = 2000
_T = TypeVar("_T")
_EXAMPLE = "ssh -p 10309 root@connect.nmb1.seetacloud.com"
_PASTE_HINT = f"Paste the ssh line your GPU console shows, e.g. {_EXAMPLE}."
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = frozenset("\r\n\u2028\u2029")
_SHELL_OPERATORS = ("&&", "||", "$(", "${", ";", "|", "&", "`", "$", "<", ">")
_PLACEHOLDER = re.compile(r"<[^<>\s]+>")
_SSH_WORD = re.compile(r"(?<![^\s:：])ssh(?=\s|$|://)")
_CONFIG_OPTION = re.compile(r"\s*([A-Za-z][A-Za-z0-9]*)\s*(?:=\s*|\s+|$)(.*)", re.DOTALL)
_LOOPBACK_BINDS = frozenset({"localhost", "127.0.0.1"})

_IGNORED_FLAGS = frozenset("46aCfkNnqTtvx")
_VALUE_OPTIONS = frozenset("pliLo")
_HONOURED_KEYS = {"port": "p", "user": "l", "identityfile": "i"}
# Accepted and ignored: gpudesk applies its own host-key policy, keepalives and timeouts.
_IGNORED_KEYS = {
    "stricthostkeychecking", "userknownhostsfile", "globalknownhostsfile", "serveraliveinterval",
    "serveralivecountmax", "connecttimeout", "connectionattempts", "tcpkeepalive", "compression",
    "loglevel", "addressfamily", "identitiesonly", "preferredauthentications", "batchmode",
    "pubkeyauthentication", "passwordauthentication", "kbdinteractiveauthentication",
    "checkhostip", "hashknownhosts", "updatehostkeys", "exitonforwardfailure", "requesttty",
    "numberofpasswordprompts", "hostkeyalias", "visualhostkey",
}  # fmt: skip
_AGENT = ("forwarding_refused", "forwards your SSH agent to the rented machine")
_X11 = ("forwarding_refused", "forwards your X11 display to the rented machine")
_GATEWAY = ("forward_bind", "lets other computers connect to your tunnels")
_RUNS = ("dangerous_option", "runs a command on your computer")
_CONFIG = ("dangerous_option", "reads another config file, which can run commands")
_LIBRARY = ("dangerous_option", "loads a program library into ssh")
_JUMP = ("jump_host", "connects through a jump host, which GPU consoles never ask for")
_REMOTE = ("remote_forward", "opens a port on the rented machine back to yours")
_SOCKS = ("dynamic_forward", "starts a SOCKS proxy, which gpudesk does not manage")
# Refused whatever their value ("no" is fine for the keys in _OFF_IS_FINE).
_REFUSED: dict[str, tuple[str, str]] = {
    "-A": _AGENT, "-X": _X11, "-Y": _X11, "-g": _GATEWAY, "-F": _CONFIG, "-J": _JUMP,
    "-R": _REMOTE, "-D": _SOCKS, "proxycommand": _RUNS, "localcommand": _RUNS,
    "permitlocalcommand": ("dangerous_option", "lets ssh run commands on your computer"),
    "knownhostscommand": _RUNS,
    "match": ("dangerous_option", "can run commands on your computer (Match exec)"),
    "include": _CONFIG, "pkcs11provider": _LIBRARY, "securitykeyprovider": _LIBRARY,
    "proxyjump": _JUMP, "remoteforward": _REMOTE, "dynamicforward": _SOCKS,
    "remotecommand": ("remote_command", "runs a command on the rented machine"),
    "forwardagent": _AGENT, "forwardx11": _X11, "forwardx11trusted": _X11, "gatewayports": _GATEWAY,
}  # fmt: skip
_OFF_IS_FINE = frozenset({"forwardagent", "forwardx11", "forwardx11trusted", "gatewayports"})
_HINTS = {
    "forwarding_refused": "Remove it: anyone with root on a rented machine could use it.",
    "forward_bind": "Tunnels listen on 127.0.0.1 only: remove the bind address.",
    "dangerous_option": "Remove it: gpudesk never runs commands from pasted text.",
    "jump_host": "Paste the direct ssh line your GPU console shows.",
    "remote_forward": "Remove it: gpudesk makes local (-L) tunnels only.",
    "dynamic_forward": "Remove it: gpudesk makes local (-L) tunnels only.",
    "remote_command": "gpudesk only needs the login part: remove what follows user@host.",
    "unknown_option": "Remove it: gpudesk only needs -p, -l, -i, -L and user@host.",
}


def _refuse(name: str) -> InputError:
    code, reason = _REFUSED[name.lower() if name[0] != "-" else name]
    return parse_error(code, f"The option {name} {reason}.", _HINTS[code])


def _unknown(name: str) -> InputError:
    message = f"gpudesk does not understand the option {quoted(name)}."
    return parse_error("unknown_option", message, _HINTS["unknown_option"])


def match_platform(host: str, platforms: Iterable[Platform]) -> Platform | None:
    """Find the platform whose ``host_patterns`` match a host (fnmatch, case-insensitive).

    Args:
        host: A host name, e.g. ``connect.nmb1.seetacloud.com``.
        platforms: The catalog to search, in order; the first match wins.

    Returns:
        The matching platform, or ``None``.
    """
    name = host.lower()
    for platform in platforms:
        if any(fnmatch.fnmatchcase(name, p.lower()) for p in platform.host_patterns):
            return platform
    return None


class _Found:
    """What the arguments said so far."""

    def __init__(self) -> None:
        self.user: str | None = None
        self.host: str | None = None
        self.port: int | None = None
        self.identity: str | None = None
        self.forwards: list[PortForward] = []


def _merge(current: _T | None, new: _T, what: str) -> _T:
    if current is not None and current != new:
        message = f"The command gives two different {what}s: {quoted(current)} and {quoted(new)}."
        raise parse_error("conflict", message, f"Keep one {what} and paste again.")
    return new


def _command_tokens(text: str) -> list[str]:
    """Check the raw text, find the ``ssh`` word and split what follows it."""
    cleaned = text.translate(_ZERO_WIDTH).strip()
    if not cleaned:
        raise parse_error("empty", "Nothing was pasted.", _PASTE_HINT)
    if len(cleaned) > MAX_INPUT_CHARS:
        raise parse_error("too_long", "The pasted text is too long.", _PASTE_HINT)
    if any(ch in _LINE_BREAKS for ch in cleaned):
        message = "The pasted text has several lines."
        raise parse_error("multiple_lines", message, "Paste only the ssh line.")
    for ch in cleaned:
        if ch != "\t" and (unicodedata.category(ch) in ("Cc", "Cs") or ch in _BIDI):
            message = f"The pasted text contains {describe_char(ch)}."
            raise parse_error("control_char", message, "Type the command again.")
    placeholder = _PLACEHOLDER.search(cleaned)
    if placeholder:
        message = f"The command still contains the placeholder {placeholder.group()}."
        hint = "Copy the command from your instance's page, which shows the real values."
        raise parse_error("placeholder", message, hint)
    for operator in _SHELL_OPERATORS:
        if operator in cleaned:
            message = f"The text contains {operator!r}, which chains or runs shell commands."
            hint = "Paste only the ssh line: gpudesk never runs it through a shell."
            raise parse_error("shell_syntax", message, hint)
    normalized = "".join(" " if ch.isspace() else ch for ch in cleaned)
    matches = list(_SSH_WORD.finditer(normalized))
    if matches:
        chosen = next((m for m in matches if m.start() == 0), None) or next(
            (m for m in matches if normalized[: m.start()].rstrip().endswith((":", "："))),
            matches[0],
        )
        command = normalized[chosen.start() :]
    elif re.match(r"[^\s@]+@", normalized):  # a bare "user@host -p 22" is fine too
        command = "ssh " + normalized
    else:
        raise parse_error("not_ssh", "This does not look like an ssh command.", _PASTE_HINT)
    lexer = shlex.shlex(command, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    lexer.escape = ""  # backslashes stay literal: C:\Users\me\.ssh\id_ed25519
    try:
        tokens = list(lexer)
    except ValueError:
        raise parse_error(
            "bad_quotes", "A quote in the command is not closed.", _PASTE_HINT
        ) from None
    return tokens if command.startswith("ssh://") else tokens[1:]


def _split_url(arg: str) -> tuple[str | None, str, str | None]:
    hint = "Write it as ssh://user@host:port (IPv6 in brackets: ssh://root@[2001:db8::1]:22)."
    rest = arg.removeprefix("ssh://").removesuffix("/")
    if any(ch in rest for ch in "/?#"):
        message = f"The address {quoted(arg)} has a path, which ssh does not use."
        raise parse_error("bad_url", message, hint)
    userinfo, at, hostport = rest.rpartition("@")
    if at and not userinfo:
        raise parse_error("bad_user", "The user name before '@' is empty.", hint)
    port: str | None = None
    if hostport.startswith("["):
        host, bracket, after = hostport.partition("]")
        if not bracket or (after and not after.startswith(":")):
            raise parse_error("bad_url", f"The address {quoted(arg)} is not valid.", hint)
        host, port = host + "]", (after[1:] if after else None)
    elif hostport.count(":") > 1:
        raise parse_error("bad_url", f"The IPv6 address in {quoted(arg)} needs brackets.", hint)
    else:
        host, colon, port_text = hostport.partition(":")
        port = port_text if colon else None
    return (userinfo if at else None), host, port


def _parse_forward(spec: str) -> PortForward:
    hint = "Write it as -L LOCAL_PORT:HOST:REMOTE_PORT, e.g. -L 8888:localhost:8888."
    fields, current, in_brackets = [], "", False
    for ch in spec:
        if ch == ":" and not in_brackets:
            fields.append(current)
            current = ""
            continue
        in_brackets = (in_brackets or ch == "[") and ch != "]"
        current += ch
    fields.append(current)
    if len(fields) == 4:
        bind = fields.pop(0)
        if bind.lower() not in _LOOPBACK_BINDS:
            where = quoted(bind) if bind not in ("", "*") else "all network interfaces"
            message = f"The tunnel -L {quoted(spec)} would listen on {where}."
            raise parse_error("forward_bind", message, _HINTS["forward_bind"])
    if len(fields) != 3:
        raise parse_error("bad_forward", f"The tunnel -L {quoted(spec)} is not valid.", hint)
    try:
        return PortForward(
            validate_port(fields[0]), validate_host(fields[1]), validate_port(fields[2])
        )
    except InputError as exc:
        message = f"The tunnel -L {quoted(spec)} is not valid: {exc.message}"
        raise parse_error("bad_forward", message, hint) from exc


def _apply(letter: str, value: str, found: _Found) -> None:
    """Apply one of ``-p -l -i -L -o`` (``-o`` keys map to the same letters)."""
    if letter == "p":
        found.port = _merge(found.port, validate_port(value), "port")
    elif letter == "l":
        found.user = _merge(found.user, validate_user(value), "user name")
    elif letter == "i":
        found.identity = _merge(found.identity, validate_identity_file(value), "key file")
    elif letter == "L":
        forward = _parse_forward(value)
        for other in found.forwards:
            if other.local_port == forward.local_port and other != forward:
                message = f"Two tunnels use the local port {forward.local_port}."
                raise parse_error("bad_forward", message, "Give each tunnel its own port.")
        if forward not in found.forwards:
            found.forwards.append(forward)
    else:
        match = _CONFIG_OPTION.fullmatch(value)
        if match is None:
            raise _unknown(f"-o {value}")
        key, setting = match.group(1), match.group(2).strip().strip('"')
        lowered = key.lower()
        if lowered in _REFUSED and not (lowered in _OFF_IS_FINE and setting.lower() == "no"):
            raise _refuse(key)
        if lowered not in _HONOURED_KEYS and lowered not in _IGNORED_KEYS | _OFF_IS_FINE:
            raise _unknown(f"-o {key}")
        if not setting:
            message = f"The option -o {key} has no value."
            raise parse_error("missing_value", message, "Write it as -o Key=Value.")
        if lowered in _HONOURED_KEYS:
            _apply(_HONOURED_KEYS[lowered], setting, found)


def _parse_destination(arg: str, found: _Found) -> None:
    port: str | None = None
    if arg.startswith("ssh://"):
        user, host, port = _split_url(arg)
    else:
        user_part, at, host = arg.rpartition("@")
        if at and not user_part:
            hint = "Add the user before '@', e.g. root@HOST."
            raise parse_error("bad_user", "The user name before '@' is empty.", hint)
        user = user_part if at else None
    found.host = validate_host(host)
    if user is not None:
        found.user = _merge(found.user, validate_user(user), "user name")
    if port is not None:
        found.port = _merge(found.port, validate_port(port), "port")


def _parse_arguments(args: list[str], found: _Found) -> str:
    """Walk the arguments as OpenSSH's getopt loop does (options may follow the host)."""
    index, options_done = 0, False
    while index < len(args):
        arg = args[index]
        index += 1
        if not options_done and arg == "--":
            options_done = True
        elif not options_done and arg.startswith("--"):
            raise _unknown(arg)
        elif not options_done and arg.startswith("-") and arg != "-":
            for pos, letter in enumerate(arg[1:], start=2):
                if letter in _IGNORED_FLAGS:
                    continue
                if f"-{letter}" in _REFUSED:
                    raise _refuse(f"-{letter}")
                if letter not in _VALUE_OPTIONS:
                    raise _unknown(f"-{letter}")
                if pos < len(arg):
                    value = arg[pos:]
                elif index < len(args):
                    value, index = args[index], index + 1
                else:
                    message = f"The option -{letter} needs a value."
                    hint = "Write it as -p 22, -l root, -i KEYFILE, -L 8888:localhost:8888."
                    raise parse_error("missing_value", message, hint)
                _apply(letter, value, found)
                break
        elif found.host is not None:
            message = "The command runs something on the machine after logging in."
            raise parse_error("remote_command", message, _HINTS["remote_command"])
        else:
            _parse_destination(arg, found)
    if found.host is None:
        raise parse_error("missing_host", "The command has no host to log in to.", _PASTE_HINT)
    return found.host


def parse_ssh_command(text: str, platforms: Iterable[Platform] = ()) -> SshTarget:
    """Turn a pasted ``ssh ...`` line into a validated login target.

    Args:
        text: What the user pasted, e.g. ``登录指令：ssh -p 10309 root@connect...``.
        platforms: The catalog; the host is matched against each ``host_patterns`` to set
            ``platform_id`` and, when no user is given, the platform's ``default_user``.

    Returns:
        The target: user, host as :func:`validate_host` returns it, port (default 22), the
        ``-i`` path as given, ``-L`` forwards and the matched platform's id.

    Raises:
        InputError: With one of the ``ssh.parse.*`` codes listed in the module docstring.
    """
    found = _Found()
    host = _parse_arguments(_command_tokens(text), found)
    platform = match_platform(host, platforms)
    user = found.user
    if user is None and platform is not None and platform.default_user:
        user = validate_user(platform.default_user)
    if user is None:
        message = "The command does not say which user to log in as."
        hint = f"Add user@ before the host, e.g. ssh -p 22 root@{host}."
        raise parse_error("missing_user", message, hint)
    return SshTarget(
        user=user,
        host=host,
        port=found.port if found.port is not None else 22,
        identity_file=found.identity,
        forwards=tuple(found.forwards),
        platform_id=platform.id if platform is not None else None,
    )
