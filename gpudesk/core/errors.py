"""Errors with a stable code, a human message and a hint.

Every failure a user can meet is a :class:`GpuDeskError`. The CLI prints ``message`` and
``hint`` and exits with ``exit_code``; the GUI shows the same two lines in a dialog. No
error message ever contains a secret.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes of the ``gpudesk`` command line (fixed by the issues)."""

    OK = 0
    FAILURE = 1
    BAD_INPUT = 2
    AUTH_FAILED = 3
    HOST_KEY_UNKNOWN = 4
    HOST_KEY_CHANGED = 5
    UNREACHABLE = 6
    PLATFORM_REFUSED = 7
    TRANSFER_CONFLICTS = 8


class GpuDeskError(Exception):
    """Base class: a failure with a code, a message and a hint on what to do next.

    Attributes:
        code: A stable dotted identifier (``"ssh.auth_failed"``); the UI translates by it.
        message: What went wrong, in one sentence.
        hint: What the user can do about it, in one sentence (may be empty).
    """

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(GpuDeskError):
    """The user gave something that cannot be used (bad command, port, alias, file)."""

    exit_code = ExitCode.BAD_INPUT


class AuthenticationError(GpuDeskError):
    """The server refused the password or key."""

    exit_code = ExitCode.AUTH_FAILED


class HostKeyUnknownError(GpuDeskError):
    """The server's host key is not pinned yet and the user did not accept it."""

    exit_code = ExitCode.HOST_KEY_UNKNOWN

    def __init__(self, code: str, message: str, hint: str, fingerprint: str) -> None:
        super().__init__(code, message, hint)
        self.fingerprint = fingerprint


class HostKeyChangedError(GpuDeskError):
    """The server presented a key other than the pinned one: a hard stop."""

    exit_code = ExitCode.HOST_KEY_CHANGED

    def __init__(
        self, code: str, message: str, hint: str, old_fingerprint: str, new_fingerprint: str
    ) -> None:
        super().__init__(code, message, hint)
        self.old_fingerprint = old_fingerprint
        self.new_fingerprint = new_fingerprint


class UnreachableError(GpuDeskError):
    """The server could not be reached in time (DNS, refused, timeout, dropped)."""

    exit_code = ExitCode.UNREACHABLE


class PlatformRefusedError(GpuDeskError):
    """A cloud platform's API answered but refused (no GPU in stock, balance, verification)."""

    exit_code = ExitCode.PLATFORM_REFUSED


class RemoteCommandError(GpuDeskError):
    """A command on the instance failed."""


class InstanceAnswerError(RemoteCommandError):
    """The instance gave no usable answer: none in time, or far more than any answer needs."""

    exit_code = ExitCode.UNREACHABLE


class FileWriteError(GpuDeskError):
    """A file the app manages could not be read or written safely."""


class SecretStoreError(GpuDeskError):
    """The OS keyring failed."""
