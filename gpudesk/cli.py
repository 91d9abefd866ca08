"""The `gpudesk` command line: the same steps as the GUI, headless.

``gpudesk`` with no arguments starts the GUI. Every error is a :class:`GpuDeskError`: its
message and hint go to stderr and its exit code is returned (0 ok, 2 bad input,
3 authentication failed, 4 host key not accepted, 5 host key changed, 6 unreachable,
7 a cloud platform refused).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from gpudesk import __version__
from gpudesk.commands import COMMAND_MODULES, MODULE_OF_COMMAND
from gpudesk.core.errors import ExitCode, GpuDeskError
from gpudesk.core.ssh.untrusted import plain_text
from gpudesk.logsetup import configure_logging

log = logging.getLogger(__name__)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand.

    With ``command`` (the subcommand about to run) listed in ``MODULE_OF_COMMAND``, only its
    module is imported: a start without the others' imports.
    """
    parser = argparse.ArgumentParser(
        prog="gpudesk",
        description="Connect to rented cloud GPUs: check, keys, editor set-up, tunnels.",
        epilog="Without a command, gpudesk starts its window.",
    )
    parser.add_argument("--version", action="version", version=f"gpudesk {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    parser.add_argument(
        "--self-test", action="store_true", help="check this installation works, then exit"
    )
    subparsers = parser.add_subparsers(dest="subcommand", metavar="COMMAND")
    only = MODULE_OF_COMMAND.get(command or "")
    for name in (only,) if only else COMMAND_MODULES:
        module = importlib.import_module(f"gpudesk.commands.{name}")
        module.register(subparsers)
    return parser


def print_error(error: GpuDeskError) -> None:
    """Message and hint on stderr, without control characters (they may quote the instance)."""
    print(f"gpudesk: {plain_text(error.message, limit=4000, multiline=True)}", file=sys.stderr)
    if error.hint:
        print(f"hint: {plain_text(error.hint, limit=1000, multiline=True)}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI (or the GUI when there are no arguments) and return the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments == ["--self-test"]:
        from gpudesk import selftest

        return selftest.main()
    if not arguments or arguments[0].startswith("-platform") or arguments == ["--gui"]:
        from gpudesk.app import main as gui_main

        return gui_main([a for a in arguments if a != "--gui"])
    _never_fail_on_encoding()
    parser = build_parser(next((a for a in arguments if not a.startswith("-")), None))
    args = parser.parse_args(arguments)
    if not getattr(args, "handler", None):
        parser.print_help()
        return ExitCode.BAD_INPUT
    configure_logging(verbose=args.verbose)
    try:
        return int(args.handler(args))
    except GpuDeskError as error:
        log.info("%s: %s", error.code, error.message)
        print_error(error)
        return int(error.exit_code)
    except KeyboardInterrupt:
        print("gpudesk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _reader_went_away()
    except Exception as error:  # never a traceback for the user: say what, point at -v
        log.exception("unexpected error")
        print(f"gpudesk: unexpected error: {type(error).__name__}: {error}", file=sys.stderr)
        print("hint: run it again with -v for details and report it.", file=sys.stderr)
        return ExitCode.FAILURE


def _never_fail_on_encoding() -> None:
    """A file name that is not valid UTF-8, or a terminal that cannot show a character,
    must not end a command: unencodable characters are printed as escapes."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _reader_went_away() -> int:
    """stdout's reader closed the pipe (``gpudesk ... | head``): stop quietly.

    Python would complain again when it flushes stdout at exit, so stdout is pointed at
    the null device first (as the Python documentation advises for SIGPIPE).
    """
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return ExitCode.OK


if __name__ == "__main__":
    sys.exit(main())
