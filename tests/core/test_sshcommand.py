"""Tests for gpudesk.core.ssh.sshcommand: what users paste from their GPU console.

Example tests cover every command shape in docs/platforms.md and every rejection path; the
property tests throw hostile text at the parser and compare it with OpenSSH's own reading
(``ssh -G -F /dev/null ...``) where the ``ssh`` client is installed.
"""

from __future__ import annotations

import ipaddress
import shlex
import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gpudesk.core.errors import InputError
from gpudesk.core.models import Access, Platform, PortForward, SshTarget
from gpudesk.core.ssh.sshcommand import match_platform, parse_ssh_command
from gpudesk.core.ssh.values import validate_host, validate_port, validate_user
from tests.skipping import needs_tool


def make_platform(
    platform_id: str, host_patterns: tuple[str, ...], default_user: str | None = "root"
) -> Platform:
    """A minimal catalog entry (the real catalog lives elsewhere)."""
    return Platform(
        id=platform_id,
        name=platform_id,
        name_zh=platform_id,
        url="https://example.invalid/",
        console_url="https://example.invalid/console",
        access=Access.SSH,
        web_tools=(),
        host_patterns=host_patterns,
        default_user=default_user,
        workdir="/root",
        persistent_dirs=(),
        tensorboard_logdir=None,
        free_quota="",
        free_quota_zh="",
        limits="",
        limits_zh="",
        typical_use="",
        typical_use_zh="",
        notes=(),
        notes_zh=(),
        docs_url="",
        last_checked="2025-01-01",
    )


AUTODL = make_platform("autodl", ("*.seetacloud.com", "*.gpuhub.com"))
DEEPLN = make_platform("deepln", ("*.deepln.com",))
LUCHEN = make_platform("luchen", ())
NO_DEFAULT_USER = make_platform("nouser", ("*.example.org",), default_user=None)
PLATFORMS = (AUTODL, DEEPLN, LUCHEN, NO_DEFAULT_USER)
AUTODL_HOST = "connect.nmb1.seetacloud.com"
AUTODL_CMD = f"ssh -p 10309 root@{AUTODL_HOST}"
AUTODL_TARGET = SshTarget("root", AUTODL_HOST, 10309, platform_id="autodl")


def target(
    host: str,
    port: int = 22,
    user: str = "root",
    platform_id: str | None = None,
    identity_file: str | None = None,
    forwards: tuple[PortForward, ...] = (),
) -> SshTarget:
    return SshTarget(user, host, port, identity_file, forwards, platform_id)


ACCEPTED = [
    # The shapes in docs/platforms.md.
    (AUTODL_CMD, AUTODL_TARGET),
    (
        "ssh -p 10309 root@connect.westd.seetacloud.com",
        target("connect.westd.seetacloud.com", 10309, platform_id="autodl"),
    ),
    (
        "ssh -p 10309 root@connect.westc.gpuhub.com",
        target("connect.westc.gpuhub.com", 10309, platform_id="autodl"),
    ),
    ("ssh root@12.34.56.78 -p 910", target("12.34.56.78", 910)),
    (
        "ssh -p 40579 root@abc123snow.deepln.com",
        target("abc123snow.deepln.com", 40579, platform_id="deepln"),
    ),
    # Labels, whitespace, line endings, invisible characters.
    (f"登录指令：{AUTODL_CMD}", AUTODL_TARGET),
    (f"登录指令: {AUTODL_CMD}\n", AUTODL_TARGET),
    (f"SSH command: {AUTODL_CMD}\r\n", AUTODL_TARGET),
    (f"Login command {AUTODL_CMD}", AUTODL_TARGET),
    (f"  ssh\t-p\t10309   root@{AUTODL_HOST} \t\r\n", AUTODL_TARGET),
    (f"ssh\u00a0-p\u300010309 root@{AUTODL_HOST}", AUTODL_TARGET),
    (f"\ufeff{AUTODL_CMD}\u200b", AUTODL_TARGET),
    # Option spellings.
    (f"ssh -p10309 root@{AUTODL_HOST}", AUTODL_TARGET),
    (f"ssh root@{AUTODL_HOST} -p 10309", AUTODL_TARGET),
    ("ssh -l root -p 910 12.34.56.78", target("12.34.56.78", 910)),
    ("ssh -lubuntu -p910 12.34.56.78", target("12.34.56.78", 910, user="ubuntu")),
    ("ssh -vp 2222 root@gpu.test", target("gpu.test", 2222)),
    ("ssh -- root@gpu.test", target("gpu.test")),
    ("ssh -p 22 -p 22 root@gpu.test", target("gpu.test")),
    (f"ssh -p 10309 {AUTODL_HOST}", AUTODL_TARGET),
    (
        "ssh -p 40579 ABC123snow.DeepLN.com",
        target("abc123snow.deepln.com", 40579, platform_id="deepln"),
    ),
    ("ssh -p 22 ROOT@GPU.Test", target("gpu.test", user="ROOT")),
    (f"root@{AUTODL_HOST} -p 10309", AUTODL_TARGET),
    # URLs.
    (f"ssh://root@{AUTODL_HOST}:10309", AUTODL_TARGET),
    (f"ssh://{AUTODL_HOST}", target(AUTODL_HOST, platform_id="autodl")),
    ("ssh://root@12.34.56.78:910/", target("12.34.56.78", 910)),
    ("ssh ssh://root@12.34.56.78:910", target("12.34.56.78", 910)),
    ("URL：ssh://root@12.34.56.78:910", target("12.34.56.78", 910)),
    ("ssh://root@12.34.56.78 -p 910", target("12.34.56.78", 910)),
    # IPv6.
    ("ssh root@2001:db8::1 -p 22", target("2001:db8::1")),
    ("root@2001:db8::1 -p 22", target("2001:db8::1")),
    ("ssh://root@[2001:db8::1]:2222", target("2001:db8::1", 2222)),
    ("ssh://root@[2001:DB8::1]", target("2001:db8::1")),
    ("ssh root@[::1]", target("::1")),
    # Harmless flags and -o options.
    (
        "ssh -4 -6 -a -C -f -k -N -n -q -T -t -v -x -o StrictHostKeyChecking=no "
        "-o 'UserKnownHostsFile /dev/null' -o ServerAliveInterval=30 -oServerAliveCountMax=3 "
        "-o ForwardAgent=no root@gpu.test",
        target("gpu.test"),
    ),
    ("ssh -o Port=2222 -o User=ubuntu gpu.test", target("gpu.test", 2222, user="ubuntu")),
    ('ssh -o "Port 2222" -oUser=ubuntu gpu.test', target("gpu.test", 2222, user="ubuntu")),
    ("ssh -o Port=2222 -p 2222 root@gpu.test", target("gpu.test", 2222)),
    # Keys (kept as given: the caller expands ~).
    (
        "ssh -i ~/.ssh/id_ed25519 -p 22 root@gpu.test",
        target("gpu.test", identity_file="~/.ssh/id_ed25519"),
    ),
    (
        r"ssh -i C:\Users\me\.ssh\id_ed25519 root@gpu.test",
        target("gpu.test", identity_file=r"C:\Users\me\.ssh\id_ed25519"),
    ),
    (
        'ssh -i "/home/me/my keys/id" root@gpu.test',
        target("gpu.test", identity_file="/home/me/my keys/id"),
    ),
    (
        "ssh -o IdentityFile=~/.ssh/gpu root@gpu.test",
        target("gpu.test", identity_file="~/.ssh/gpu"),
    ),
    # Local forwards.
    (
        "ssh -N -L 8888:localhost:8888 -L 127.0.0.1:6006:localhost:6006 "
        f"-L localhost:8080:[::1]:80 -L8081:LocalHost:81 -p 10309 root@{AUTODL_HOST}",
        target(
            AUTODL_HOST,
            10309,
            platform_id="autodl",
            forwards=(
                PortForward(8888, "localhost", 8888),
                PortForward(6006, "localhost", 6006),
                PortForward(8080, "::1", 80),
                PortForward(8081, "localhost", 81),
            ),
        ),
    ),
    (
        "ssh -L 8888:localhost:8888 -L 8888:localhost:8888 root@gpu.test",
        target("gpu.test", forwards=(PortForward(8888, "localhost", 8888),)),
    ),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_accepted_commands(text: str, expected: SshTarget) -> None:
    assert parse_ssh_command(text, PLATFORMS) == expected


REJECTED = [
    ("", "empty", "Nothing"),
    ("  \r\n\t", "empty", "Nothing"),
    ("ssh " + "a" * 3000, "too_long", "too long"),
    (f"{AUTODL_CMD}\nrm -rf ~", "multiple_lines", "several lines"),
    (f"登录指令：\n{AUTODL_CMD}", "multiple_lines", "several lines"),
    (f"{AUTODL_CMD}\u2028x", "multiple_lines", "several lines"),
    (f"{AUTODL_CMD}\x00", "control_char", "U+0000"),
    ("ssh -p 22 root@h\x1bexample.com", "control_char", "U+001B"),
    ("ssh -p 22 root@\u202emoc.example", "control_char", "U+202E"),
    (f"{AUTODL_CMD}; rm -rf /", "shell_syntax", "';'"),
    (f"{AUTODL_CMD} | tee log", "shell_syntax", "'|'"),
    (f"{AUTODL_CMD} && echo done", "shell_syntax", "'&&'"),
    (f"{AUTODL_CMD} || true", "shell_syntax", "'||'"),
    (f"{AUTODL_CMD} &", "shell_syntax", "'&'"),
    ("ssh -p `echo 22` root@gpu.test", "shell_syntax", "'`'"),
    ("ssh -p $(echo 22) root@gpu.test", "shell_syntax", "'$('"),
    ("ssh -p 22 root@${HOST}", "shell_syntax", "'${'"),
    ("ssh -i $HOME/.ssh/id root@gpu.test", "shell_syntax", "'$'"),
    (f"{AUTODL_CMD} > log.txt", "shell_syntax", "'>'"),
    ("ssh -p <port> root@<host>", "placeholder", "<port>"),
    ("ssh -p 40579 root@<random>snow.deepln.com", "placeholder", "<random>"),
    ("hello world", "not_ssh", "does not look like"),
    ("SSH -p 22 root@gpu.test", "not_ssh", "does not look like"),
    ("sshd -p 22", "not_ssh", "does not look like"),
    ('ssh -p 22 "root@gpu.test', "bad_quotes", "quote"),
    ("ssh", "missing_host", "no host"),
    ("ssh -p 22 -N", "missing_host", "no host"),
    ("ssh root@gpu.test -p", "missing_value", "-p needs a value"),
    ("ssh -o Port root@gpu.test", "missing_value", "-o Port has no value"),
    ("ssh -o User= root@gpu.test", "missing_value", "-o User has no value"),
    ("ssh -p 22 h.example.org", "missing_user", "which user"),
    ("ssh 12.34.56.78 -p 910", "missing_user", "which user"),
    ("ssh -p 0 root@gpu.test", "bad_port", "out of range"),
    ("ssh -p 65536 root@gpu.test", "bad_port", "out of range"),
    ("ssh -p abc root@gpu.test", "bad_port", "not a number"),
    ("ssh -p -1 root@gpu.test", "bad_port", "not a number"),
    ("ssh -p 1e3 root@gpu.test", "bad_port", "not a number"),
    ("ssh -p ２２ root@gpu.test", "bad_port", "not a number"),
    ("ssh -p 99999999999999999999 root@gpu.test", "bad_port", "not a number"),
    ("ssh://root@gpu.test:99999", "bad_port", "out of range"),
    ("ssh://root@gpu.test:", "bad_port", "empty"),
    ("ssh -o Port=x root@gpu.test", "bad_port", "not a number"),
    ("ssh root@", "bad_host", "empty"),
    ("ssh -- -oProxyCommand=x", "bad_host", "'='"),
    ("ssh root@-gpu.test", "bad_host", "start with '-'"),
    ("ssh root@.example.com", "bad_host", "start with '.'"),
    ("ssh root@h..example.com", "bad_host", "not a valid host name"),
    ("ssh root@999.1.1.1", "bad_host", "IPv4"),
    ("ssh root@1.2.3", "bad_host", "IPv4"),
    ("ssh root@2001:db8::zz", "bad_host", "IPv6"),
    ("ssh root@[gpu.test]", "bad_host", "brackets"),
    ("ssh root@gpu.例子.com", "bad_host", "'例'"),
    ("ssh 'root@h example.com'", "bad_host", "a space"),
    ("ssh root@gpu.test%eth0", "bad_host", "'%'"),
    ("ssh root@h*.example.com", "bad_host", "'*'"),
    (f"ssh root@{AUTODL_HOST}:10309", "host_with_port", "host:port"),
    ("ssh @gpu.test", "bad_user", "empty"),
    ("ssh://@gpu.test", "bad_user", "empty"),
    ("ssh 'ro ot'@gpu.test", "bad_user", "a space"),
    ("ssh -l -root gpu.test", "bad_user", "start with '-'"),
    ("ssh -l a:b gpu.test", "bad_user", "':'"),
    ("ssh a/b@gpu.test", "bad_user", "'/'"),
    ("ssh a@b@gpu.test", "bad_user", "'@'"),
    ("ssh 'a\"b'@gpu.test", "bad_user", "'\"'"),
    ("ssh -F /tmp/evil.conf root@gpu.test", "dangerous_option", "-F"),
    ("ssh -o ProxyCommand='nc %h %p' root@gpu.test", "dangerous_option", "ProxyCommand"),
    ("ssh -oProxyCommand=x root@gpu.test", "dangerous_option", "ProxyCommand"),
    ("ssh -o proxycommand root@gpu.test", "dangerous_option", "proxycommand"),
    ("ssh -o LocalCommand=id root@gpu.test", "dangerous_option", "LocalCommand"),
    ("ssh -o PermitLocalCommand=no root@gpu.test", "dangerous_option", "PermitLocalCommand"),
    ("ssh -o KnownHostsCommand=x root@gpu.test", "dangerous_option", "KnownHostsCommand"),
    ("ssh -o 'Match exec \"id\"' root@gpu.test", "dangerous_option", "Match exec"),
    ("ssh -o Include=/tmp/x root@gpu.test", "dangerous_option", "Include"),
    ("ssh -o PKCS11Provider=/tmp/x.so root@gpu.test", "dangerous_option", "library"),
    ("ssh -J jump@bastion.example.com root@gpu.test", "jump_host", "-J"),
    ("ssh -o ProxyJump=bastion root@gpu.test", "jump_host", "ProxyJump"),
    ("ssh -R 8080:localhost:80 root@gpu.test", "remote_forward", "-R"),
    ("ssh -o RemoteForward='8080 localhost:80' root@gpu.test", "remote_forward", "RemoteForward"),
    ("ssh -D 1080 root@gpu.test", "dynamic_forward", "-D"),
    ("ssh -A root@gpu.test", "forwarding_refused", "agent"),
    ("ssh -CA root@gpu.test", "forwarding_refused", "agent"),
    ("ssh -X root@gpu.test", "forwarding_refused", "X11"),
    ("ssh -Y root@gpu.test", "forwarding_refused", "X11"),
    ("ssh -o ForwardAgent=yes root@gpu.test", "forwarding_refused", "agent"),
    ("ssh -g -L 8888:localhost:8888 root@gpu.test", "forward_bind", "other computers"),
    ("ssh -o GatewayPorts=yes root@gpu.test", "forward_bind", "other computers"),
    ("ssh -L 0.0.0.0:8888:localhost:8888 root@gpu.test", "forward_bind", "'0.0.0.0'"),
    ("ssh -L 192.168.1.5:8888:localhost:8888 root@gpu.test", "forward_bind", "192.168.1.5"),
    ("ssh -L '*:8888:localhost:8888' root@gpu.test", "forward_bind", "all network interfaces"),
    ("ssh -L :8888:localhost:8888 root@gpu.test", "forward_bind", "all network interfaces"),
    ("ssh -L [::1]:8888:localhost:8888 root@gpu.test", "forward_bind", "::1"),
    ("ssh -L 8888 root@gpu.test", "bad_forward", "not valid"),
    ("ssh -L /tmp/sock:localhost:8888 root@gpu.test", "bad_forward", "not valid"),
    ("ssh -L 0:localhost:8888 root@gpu.test", "bad_forward", "out of range"),
    ("ssh -L 8888:localhost:abc root@gpu.test", "bad_forward", "not a number"),
    ("ssh -L 8888:-oProxyCommand:80 root@gpu.test", "bad_forward", "start with '-'"),
    (
        "ssh -L 8888:localhost:8888 -L 8888:localhost:9999 root@gpu.test",
        "bad_forward",
        "local port 8888",
    ),
    (f"{AUTODL_CMD} nvidia-smi", "remote_command", "runs something"),
    ("ssh -- root@gpu.test -p 22", "remote_command", "runs something"),
    ("ssh -o RemoteCommand=htop root@gpu.test", "remote_command", "RemoteCommand"),
    ("ssh -Z root@gpu.test", "unknown_option", "'-Z'"),
    ("ssh -M root@gpu.test", "unknown_option", "'-M'"),
    ("ssh -W localhost:22 root@gpu.test", "unknown_option", "'-W'"),
    ("ssh --help", "unknown_option", "'--help'"),
    ("ssh -o HostName=x root@gpu.test", "unknown_option", "-o HostName"),
    ("ssh -o =x root@gpu.test", "unknown_option", "-o =x"),
    ("ssh://root@gpu.test/path", "bad_url", "path"),
    ("ssh://root@2001:db8::1", "bad_url", "brackets"),
    ("ssh://root@[::1", "bad_url", "not valid"),
    ("ssh://root@[::1]x", "bad_url", "not valid"),
    ("ssh -i '' root@gpu.test", "bad_identity_file", "not a key file"),
    ("ssh -i -x root@gpu.test", "bad_identity_file", "not a key file"),
    (r"ssh -i %USERPROFILE%\.ssh\id root@gpu.test", "bad_identity_file", "'%'"),
    ("ssh -p 22 -p 23 root@gpu.test", "conflict", "two different ports: 22 and 23"),
    ("ssh -l admin root@gpu.test", "conflict", "two different user names"),
    ("ssh://root@gpu.test:22 -p 23", "conflict", "two different ports"),
    ("ssh -i a -i b root@gpu.test", "conflict", "two different key files"),
]


@pytest.mark.parametrize(("text", "code", "fragment"), REJECTED)
def test_rejected_commands(text: str, code: str, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_ssh_command(text, PLATFORMS)
    assert caught.value.code == f"ssh.parse.{code}"
    assert fragment in caught.value.message
    assert caught.value.hint
    assert caught.value.message.endswith(".")


def test_hints_say_what_to_do() -> None:
    with pytest.raises(InputError, match="Add user@ before the host"):
        parse_ssh_command("ssh -p 22 h.example.org", PLATFORMS)
    with pytest.raises(InputError, match="ssh -p 10309 USER@connect"):
        parse_ssh_command(f"ssh root@{AUTODL_HOST}:10309")
    with pytest.raises(InputError, match="only needs the login part"):
        parse_ssh_command(f"{AUTODL_CMD} ls")
    with pytest.raises(InputError, match=r"127\.0\.0\.1 only"):
        parse_ssh_command("ssh -L 0.0.0.0:1:h:1 root@h")


def test_a_remote_command_is_not_echoed() -> None:
    with pytest.raises(InputError) as caught:
        parse_ssh_command(f"{AUTODL_CMD} echo hunter2")
    assert "hunter2" not in str(caught.value)


def test_default_user_needs_a_platform() -> None:
    assert parse_ssh_command(f"ssh {AUTODL_HOST}", [AUTODL]).user == "root"
    with pytest.raises(InputError) as caught:
        parse_ssh_command(f"ssh {AUTODL_HOST}")
    assert caught.value.code == "ssh.parse.missing_user"


def test_platforms_may_be_any_iterable() -> None:
    parsed = parse_ssh_command(AUTODL_CMD, iter(PLATFORMS))
    assert parsed.platform_id == "autodl"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        (AUTODL_HOST, "autodl"),
        ("CONNECT.WESTC.GPUHUB.COM", "autodl"),
        ("x.deepln.com", "deepln"),
        ("seetacloud.com", None),
        ("evil-seetacloud.com", None),
        ("connect.seetacloud.com.evil.org", None),
        ("12.34.56.78", None),
    ],
)
def test_match_platform(host: str, expected: str | None) -> None:
    found = match_platform(host, PLATFORMS)
    assert (found.id if found else None) == expected


def test_match_platform_first_wins_and_patterns_ignore_case() -> None:
    first = make_platform("first", ("*.SHARED.example",))
    second = make_platform("second", ("*.shared.example",))
    assert match_platform("a.shared.example", [first, second]) is first
    assert match_platform("a.shared.example", []) is None


@pytest.mark.parametrize(("value", "expected"), [(1, 1), (65535, 65535), ("22", 22), ("010", 10)])
def test_validate_port_accepts(value: object, expected: int) -> None:
    assert validate_port(value) == expected


@pytest.mark.parametrize("value", [0, -1, 65536, True, None, 22.0, "", " ", "0x16", "²"])
def test_validate_port_rejects(value: object) -> None:
    with pytest.raises(InputError) as caught:
        validate_port(value)
    assert caught.value.code == "ssh.parse.bad_port"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("Connect.NMB1.seetacloud.com", "connect.nmb1.seetacloud.com"),
        ("[2001:DB8::1]", "2001:db8::1"),
        ("2001:db8:0:0::1", "2001:db8::1"),
        ("::ffff:1.2.3.4", ipaddress.IPv6Address("::ffff:1.2.3.4").compressed),
        ("host_1.example.", "host_1.example."),
        ("localhost", "localhost"),
    ],
)
def test_validate_host_accepts(host: str, expected: str) -> None:
    assert validate_host(host) == expected


@pytest.mark.parametrize(
    "host",
    ["", "[]", "a b", "a\nb", "a;b", "a$b", "a\\b", "a'b", "a`b", "(a)", "{a}", "-a", "a" * 254],
)
def test_validate_host_rejects(host: str) -> None:
    with pytest.raises(InputError) as caught:
        validate_host(host)
    assert caught.value.code == "ssh.parse.bad_host"


@pytest.mark.parametrize(
    "user", ["", "a b", "a\tb", "-a", "..", "a@b", "a:b", "a/b", "a;b", "a\x00", "a" * 65]
)
def test_validate_user_rejects(user: str) -> None:
    with pytest.raises(InputError) as caught:
        validate_user(user)
    assert caught.value.code == "ssh.parse.bad_user"


# ---------------------------------------------------------------------------- properties

_FORBIDDEN_IN_NAMES = frozenset("\r\n\x00'\"$\\;&<>|(){}`@/%* ")


def assert_valid_target(parsed: SshTarget) -> None:
    """Every field of a successful result passes the validators unchanged."""
    assert isinstance(parsed, SshTarget)
    assert validate_host(parsed.host) == parsed.host
    assert validate_user(parsed.user) == parsed.user
    assert validate_port(parsed.port) == parsed.port
    for name in (parsed.host, parsed.user):
        assert not any(ch.isspace() or ch in _FORBIDDEN_IN_NAMES for ch in name)
        assert not name.startswith("-")
    for forward in parsed.forwards:
        assert validate_port(forward.local_port) == forward.local_port
        assert validate_port(forward.remote_port) == forward.remote_port
        assert validate_host(forward.remote_host) == forward.remote_host
    if parsed.identity_file is not None:
        assert parsed.identity_file
        assert not parsed.identity_file.startswith("-")
        assert all(unicodedata.category(ch)[0] != "C" for ch in parsed.identity_file)
    assert parsed.platform_id in (None, *(p.id for p in PLATFORMS))


def parse_or_error(text: str) -> SshTarget | InputError:
    try:
        parsed = parse_ssh_command(text, PLATFORMS)
    except InputError as exc:
        assert exc.code.startswith("ssh.parse.")
        assert exc.message
        assert exc.hint
        return exc
    assert_valid_target(parsed)
    return parsed


WORDS = [
    "ssh", "ssh://", "-p", "-p22", "-l", "-i", "-L", "-o", "-N", "-v", "-A", "-R", "-J", "-F",
    "-4C", "--", "-", "22", "0", "65536", "10309", "root", "root@", "@", ":", "::1", "[", "]",
    "/", AUTODL_HOST, "12.34.56.78", "2001:db8::1", "localhost", "8888:localhost:8888",
    "127.0.0.1:6006:localhost:6006", "0.0.0.0:1:h:1", "Port=2222", "User=x", "ProxyCommand=nc",
    "Match exec", "StrictHostKeyChecking=no", "IdentityFile=~/k", "~/.ssh/id", "x.deepln.com",
    "：", "登录指令", "'", '"', "\\", "~", "%", "é", "连接", "#",
]  # fmt: skip
HOSTILE = [
    ";",
    "|",
    "&&",
    "$(",
    "`",
    "$",
    "\n",
    "\r\n",
    "\x00",
    "\u00a0",
    "\u200b",
    "\u202e",
    "<port>",
]
SEPARATORS = st.sampled_from(["", " ", " ", " ", "\t", "  "])
word = st.one_of(
    st.sampled_from(WORDS), st.sampled_from(WORDS), st.sampled_from(WORDS), st.sampled_from(HOSTILE)
)
fragment_text = st.builds(
    lambda start, parts: start + "".join(sep + frag for sep, frag in parts),
    st.sampled_from(["", "ssh ", "ssh -p 22 ", "登录指令：ssh ", "ssh://"]),
    st.lists(st.tuples(SEPARATORS, st.one_of(word, word, st.text(max_size=3))), max_size=10),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_arbitrary_text_gives_a_target_or_an_input_error(text: str) -> None:
    parse_or_error(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(fragment_text)
def test_fragment_soup_gives_a_target_or_an_input_error(text: str) -> None:
    parse_or_error(text)


@st.composite
def near_valid_commands(draw: st.DrawFn) -> str:
    """An accepted command with one word inserted, replaced or glued on somewhere."""
    words = draw(st.sampled_from([text for text, _ in ACCEPTED])).split(" ")
    index = draw(st.integers(min_value=0, max_value=len(words)))
    extra = draw(st.one_of(word, st.text(max_size=4)))
    how = draw(st.sampled_from(["insert", "replace", "glue"]))
    if how == "insert" or index == len(words):
        words.insert(index, extra)
    elif how == "replace":
        words[index] = extra
    else:
        words[index] += extra
    return " ".join(words)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(near_valid_commands())
def test_near_valid_commands_give_a_target_or_an_input_error(text: str) -> None:
    parse_or_error(text)


_label = st.from_regex(r"[a-zA-Z]([a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?", fullmatch=True)
dns_names = st.lists(_label, min_size=1, max_size=4).map(".".join)
hosts = st.one_of(
    dns_names,
    st.ip_addresses(v=4).map(str),
    st.ip_addresses(v=6).map(str),
)
users = st.from_regex(r"[a-zA-Z_][a-zA-Z0-9_.-]{0,15}", fullmatch=True)
ports = st.integers(min_value=1, max_value=65535)


@settings(max_examples=150)
@given(
    users,
    hosts,
    ports,
    st.sampled_from([";", "&&", "||", "|", "`", "$(", "\n", "\r\nx"]),
    st.text(max_size=20),
)
def test_anything_chained_after_a_valid_command_is_refused(
    user: str, host: str, port: int, operator: str, tail: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_ssh_command(f"ssh -p {port} {user}@{host} {operator}x{tail}", PLATFORMS)
    assert caught.value.code in (
        "ssh.parse.shell_syntax",
        "ssh.parse.multiple_lines",
        "ssh.parse.control_char",
    )


@settings(max_examples=150)
@given(users, hosts, ports)
def test_canonical_command_round_trips(user: str, host: str, port: int) -> None:
    parsed = parse_ssh_command(f"ssh -p {port} {user}@{host}", PLATFORMS)
    assert (parsed.user, parsed.host, parsed.port) == (user, host.lower(), port)
    assert parse_ssh_command(parsed.ssh_command(), PLATFORMS) == parsed


SSH = shutil.which("ssh")


def openssh_reading(args: list[str]) -> tuple[str, str, int]:
    """What ``ssh -G`` (no config files, no network) says the user, host and port are."""
    assert SSH is not None
    proc = subprocess.run(
        [SSH, "-G", "-F", "/dev/null", *args],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    values = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)
    return values["user"], values["hostname"], int(values["port"])


def same_login(left: tuple[str, str, int], right: tuple[str, str, int]) -> bool:
    """Equal, comparing IPv6 literals as addresses (OpenSSH prints ::ffff:1.2.3.4 forms)."""
    if ":" in left[1] and ":" in right[1]:
        left = (left[0], str(ipaddress.ip_address(left[1])), left[2])
        right = (right[0], str(ipaddress.ip_address(right[1])), right[2])
    return left == right


@needs_tool("ssh", "openssh-client")
@settings(max_examples=25, deadline=None)
@given(users, hosts, ports)
def test_agrees_with_openssh(user: str, host: str, port: int) -> None:
    reference = openssh_reading(["-p", str(port), "-l", user, host])
    assert same_login(reference, (user, host.lower(), port))
    bracketed = f"[{host}]" if ":" in host else host
    shapes = [
        (f"ssh -p {port} {user}@{host}", True),
        (f"ssh {user}@{host} -p {port}", True),
        (f"ssh -p{port} {user}@{host}", True),
        (f"ssh -l {user} -p {port} {host}", True),
        (f"ssh -p {port} -o User={user} {host}", True),
        # OpenSSH 9.2 refuses bracketed IPv6 in ssh:// URLs; gpudesk accepts them.
        (f"ssh://{user}@{bracketed}:{port}", ":" not in host),
        (f"登录指令：ssh -p {port} {user}@{host}\r\n", False),
    ]
    for text, ask_openssh in shapes:
        parsed = parse_ssh_command(text, PLATFORMS)
        assert same_login((parsed.user, parsed.host, parsed.port), reference), text
        if ask_openssh:
            args = shlex.split(text)
            assert openssh_reading(args[1:] if args[0] == "ssh" else args) == reference, text
