"""Values and text from the instance: parsed only when believable, shown only as plain text."""

from __future__ import annotations

import pytest

from gpudesk.core.apps.jupyter import parse_server_list
from gpudesk.core.apps.remote_apps import parse_start_output
from gpudesk.core.apps.tensorboard import _running
from gpudesk.core.errors import RemoteCommandError
from gpudesk.core.ssh.probe import parse_report
from gpudesk.core.ssh.untrusted import instance_number, marked_sections, plain_text

HOSTILE_NUMBERS = ["inf", "-inf", "nan", "1e400", "1e5", "\u00b2", "\u0664", "0x10", "", " ", "1_0"]


@pytest.mark.parametrize("text", HOSTILE_NUMBERS)
def test_only_plain_decimals_are_numbers(text: str) -> None:
    assert instance_number(text, low=-(10**9), high=10**9) is None


def test_plain_decimals_within_range_are_numbers() -> None:
    assert instance_number(" 42 ", low=0, high=100) == 42.0
    assert instance_number("22.07", low=0, high=100) == 22.07
    assert instance_number("101", low=0, high=100) is None


def test_plain_text_strips_terminal_escapes_and_bounds_length() -> None:
    hostile = "box\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31m\x07\u202e\r\n" + "x" * 1000
    cleaned = plain_text(hostile, limit=50)
    assert cleaned.startswith("box") and len(cleaned) == 50
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or c == "\u202e" for c in cleaned)
    assert plain_text("a\nb", multiline=True) == "a\nb" and plain_text("a\nb") == "ab"


@pytest.mark.parametrize("port", ["1e400", "Infinity", "NaN", "99999", "-1", '"\u00b2"', "true"])
def test_jupyter_listing_with_hostile_numbers_is_skipped(port: str) -> None:
    line = f'{{"port": {port}, "pid": 1e400, "token": "t", "root_dir": "/r\\u001b[2J"}}'
    assert parse_server_list(line) == []


def test_jupyter_listing_root_dir_is_plain_text() -> None:
    line = '{"port": 8888, "pid": 12, "token": "t", "root_dir": "/r\\u001b]52;c;eA==\\u0007"}'
    [listed] = parse_server_list(line)
    assert listed.server.root_dir == "/r"


def test_tensorboard_listing_with_hostile_numbers_is_skipped() -> None:
    lines = [
        '{"status": 200, "port": 1e400, "pid": 5}',
        '{"status": 200, "port": 6006, "pid": Infinity}',
        '{"status": 200, "port": 6006, "pid": 7, "logdir": "/l\\u001b[2J"}',
    ]
    board = _running(lines, "/l")
    assert board is not None and board.pid == 7 and board.logdir == "/l"


@pytest.mark.parametrize("started", ["1e400 5", "inf 5", "\u00b2 5", "70000 5"])
def test_a_start_report_with_a_bad_port_is_an_error(started: str) -> None:
    with pytest.raises(RemoteCommandError):
        parse_start_output({"started": [started, "/root"], "ready": ["ready"]})


def test_probe_disks_with_absurd_sizes_are_skipped() -> None:
    out = "@@disk 0\n/dev/x 1e400 1 2 50% /\n@@disk 99999999\n/dev/y 10 1 9 10% /\n@@end\n"
    report = parse_report(out, ["~"])
    assert report.disks == ()


def test_marked_sections_drop_a_banner_and_keep_only_what_follows_each_marker() -> None:
    answer = (
        "Welcome! @@gpus is not a marker here\r\n"
        "@@gpus\r\n  0, RTX 4090 \r\n\r\n1, RTX 4090\n"
        "@@torch\n"
        "@@gpus\nlate\n"
        "@@end\n"
    )
    assert marked_sections(answer) == {
        "gpus": ["0, RTX 4090", "1, RTX 4090", "late"],
        "torch": [],
        "end": [],
    }
    assert marked_sections("no markers at all\n") == {}
