"""Install or replace, read, postpone and cancel the guard on an instance over SSH.

Every call takes an open connection (anything with ``Connection.run``'s signature) and runs
one fixed command with its data on standard input (see :mod:`.remote_scripts`).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Protocol

from gpudesk.core.errors import RemoteCommandError
from gpudesk.core.guard.remote_scripts import (
    INSTALL_SHELL,
    STARTED_MARK,
    find_process_input,
    installer,
    script_command,
)
from gpudesk.core.guard.rules import GuardRules, bad_rule
from gpudesk.core.guard.status import MAX_ANSWER, GuardStatus, parse_status
from gpudesk.core.ssh.remote import CommandResult

COMMAND_TIMEOUT_S = 60.0
MAX_POSTPONE_MINUTES = 7 * 24 * 60.0


class RunsCommands(Protocol):
    """What the guard needs of a connection: :meth:`Connection.run`."""

    def run(self, command: str, *, stdin: bytes = b"", timeout: float = 60.0) -> CommandResult:
        """Run ``command`` on the instance with ``stdin``."""
        ...


def _run_script(connection: RunsCommands, subcommand: str, *args: int) -> str:
    command, stdin = script_command(subcommand, *args)
    result = connection.run(command, stdin=stdin, timeout=COMMAND_TIMEOUT_S)
    return result.stdout[:MAX_ANSWER]


def find_process(connection: RunsCommands, pattern: str) -> int:
    """The PID of the first process whose command line contains ``pattern``.

    Raises:
        InputError: ``guard.bad_rule`` when no process matches.
    """
    command, stdin = find_process_input(pattern)
    answer = connection.run(command, stdin=stdin, timeout=COMMAND_TIMEOUT_S).stdout[:200]
    word = answer.strip().splitlines()[0].strip() if answer.strip() else ""
    if not word.isascii() or not word.isdigit():
        raise bad_rule(
            f"No process on the instance has {pattern!r} in its command line.",
            "Start the job first, or check the pattern with `ps aux` on the instance.",
        )
    return int(word)


def check_process(connection: RunsCommands, pid: int) -> None:
    """Raise ``guard.bad_rule`` when process ``pid`` does not exist on the instance."""
    if "found" not in _run_script(connection, "pid-exists", pid):
        raise bad_rule(
            f"No process {pid} is running on the instance.",
            "Check the number with `ps aux` on the instance.",
        )


def install_guard(connection: RunsCommands, rules: GuardRules) -> GuardStatus:
    """Install the guard with ``rules`` (replacing any running one) and start it.

    Returns the status read back after the new guard wrote its first state.

    Raises:
        InputError: ``guard.bad_rule`` for a bad value, a missing PID or an unmatched pattern.
        RemoteCommandError: the guard did not start.
    """
    rules.validate()
    if rules.after_process is not None:
        rules = dataclasses.replace(rules, after_pid=find_process(connection, rules.after_process))
    elif rules.after_pid is not None:
        check_process(connection, rules.after_pid)
    result = connection.run(
        INSTALL_SHELL, stdin=installer(rules.file_text()), timeout=COMMAND_TIMEOUT_S
    )
    if STARTED_MARK not in result.stdout[:MAX_ANSWER]:
        raise RemoteCommandError(
            "guard.start_failed",
            "The guard did not start on the instance.",
            "Check that the home folder is writable and not full, then try again.",
        )
    return guard_status(connection)


def guard_status(connection: RunsCommands) -> GuardStatus:
    """What the guard on the instance is doing now."""
    return parse_status(_run_script(connection, "status"))


def check_postpone_minutes(minutes: float) -> None:
    """Refuse a postponement that is not a finite number of minutes in range.

    Raises:
        InputError: ``guard.bad_rule``.
    """
    if not math.isfinite(minutes) or not 0 < minutes <= MAX_POSTPONE_MINUTES:
        raise bad_rule(
            f"--postpone wants minutes between 0 and {MAX_POSTPONE_MINUTES:g}.",
            "For example: --postpone 30",
        )


def postpone_guard(connection: RunsCommands, minutes: float) -> GuardStatus:
    """Hold any power-off until ``minutes`` from now.

    Raises:
        InputError: ``guard.bad_rule`` for a bad number of minutes.
        RemoteCommandError: ``guard.not_running`` when no guard runs there.
    """
    check_postpone_minutes(minutes)
    if not guard_status(connection).active:
        raise not_running()
    _run_script(connection, "postpone", math.ceil(minutes * 60))
    return guard_status(connection)


def cancel_guard(connection: RunsCommands) -> GuardStatus:
    """Stop the guard and remove its files but its log (nothing happens without one)."""
    _run_script(connection, "stop")
    return guard_status(connection)


def not_running() -> RemoteCommandError:
    """The error for acting on a guard that is not running."""
    return RemoteCommandError(
        "guard.not_running",
        "No guard is running on this instance.",
        "Start one with `gpudesk guard ALIAS --idle-minutes 30` or from the dashboard.",
    )
