"""The shell texts gpudesk sends to the instance to install and control the guard.

Nothing the user typed is ever put into a command line: every command is a fixed string
(``sh -s status``); the guard script, its rules and a process pattern travel on standard
input inside quoted here-documents (``<<'END'``: the shell expands nothing in them), and
:func:`check_heredoc_line` refuses any value that could end one early. Only the installer
runs through a login shell (``bash --login -s``, non-interactive: no history is written), so
the guard inherits the PATH where the image puts ``nvidia-smi``.
"""

from __future__ import annotations

import functools

from gpudesk.core.errors import InputError
from gpudesk.core.resources import resource_path

GUARD_FOLDER = ".gpudesk/guard"
#: Every guard process's command line contains this.
GUARD_MARK = "gpudesk-guard"
#: The installer prints this once the new guard has written its first state.
STARTED_MARK = "GPUDESK_GUARD_STARTED"
#: Runs the installer; non-interactive, so no shell history is read or written.
INSTALL_SHELL = (
    "if command -v bash >/dev/null 2>&1; then exec bash --login -s; else exec sh -l -s; fi"
)
_SCRIPT_END = "GPUDESK_GUARD_SCRIPT_END"
_RULES_END = "GPUDESK_GUARD_RULES_END"
_PATTERN_END = "GPUDESK_GUARD_PATTERN_END"
_DIR_LINE = f'GPUDESK_GUARD_DIR="$HOME/{GUARD_FOLDER}"\nexport GPUDESK_GUARD_DIR\n'


@functools.cache
def guard_script() -> str:
    """The guard program (``resources/guard/gpudesk-guard.sh``)."""
    text = resource_path("guard", "gpudesk-guard.sh").read_text(encoding="utf-8")
    check_heredoc_line(text, _SCRIPT_END)
    return text


def check_heredoc_line(text: str, end: str) -> None:
    """Refuse ``text`` when one of its lines would end the here-document ``end``."""
    if any(line.strip() == end for line in text.splitlines()):
        raise InputError(
            "guard.bad_rule",
            "A value contains a line gpudesk reserves for itself.",
            "Change the value.",
        )


def script_command(subcommand: str, *args: int) -> tuple[str, bytes]:
    """The command and standard input that run one guard subcommand on the instance.

    Only whole numbers are passed as arguments; the script itself arrives on stdin.
    """
    command = " ".join(["sh", "-s", subcommand, *(str(int(arg)) for arg in args)])
    return command, (_DIR_LINE + guard_script()).encode("utf-8")


def find_process_input(pattern: str) -> tuple[str, bytes]:
    """Command and stdin that print the PID of the first process matching ``pattern``."""
    check_heredoc_line(pattern, _PATTERN_END)
    preamble = (
        f"GPUDESK_PATTERN=$(cat <<'{_PATTERN_END}'\n{pattern}\n{_PATTERN_END}\n)\n"
        "export GPUDESK_PATTERN\n"
    )
    command, stdin = script_command("find")
    return command, preamble.encode("utf-8") + stdin


def installer(rules_text: str) -> bytes:
    """The installer's text: write the script and rules, stop any guard, start one detached.

    The new guard runs in its own session (``setsid``; ``nohup`` where there is none) from a
    subshell that exits at once, so it belongs to no SSH session and survives it.
    """
    check_heredoc_line(rules_text, _RULES_END)
    return f"""unset HISTFILE
umask 077
dir="$HOME/{GUARD_FOLDER}"
mkdir -p "$dir" || exit 3
chmod 700 "$HOME/.gpudesk" "$dir"
cat >"$dir/{GUARD_MARK}.new" <<'{_SCRIPT_END}'
{guard_script()}
{_SCRIPT_END}
sh "$dir/{GUARD_MARK}.new" stop
mv -f "$dir/{GUARD_MARK}.new" "$dir/{GUARD_MARK}"
cat >"$dir/rules.tmp" <<'{_RULES_END}'
{rules_text.rstrip()}
{_RULES_END}
mv -f "$dir/rules.tmp" "$dir/rules"
cd "$dir" || exit 3
if command -v setsid >/dev/null 2>&1; then
    (setsid sh "$dir/{GUARD_MARK}" run </dev/null >>"$dir/log" 2>&1 &)
else
    (trap '' HUP; nohup sh "$dir/{GUARD_MARK}" run </dev/null >>"$dir/log" 2>&1 &)
fi
tries=0
while [ ! -f "$dir/state" ] && [ "$tries" -lt 150 ]; do
    sleep 0.1 2>/dev/null || sleep 1
    tries=$((tries + 1))
done
[ -f "$dir/state" ] && echo {STARTED_MARK}
exit 0
""".encode()
