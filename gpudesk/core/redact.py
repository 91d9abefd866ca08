"""Mask secrets in text before it reaches a log line or the screen.

Jupyter URLs carry ``?token=...``; headers carry ``Authorization: token ...``. Everything the
app logs passes :class:`RedactingFilter`, so a token never lands in a log file.
"""

from __future__ import annotations

import logging
import re

_PATTERNS = (
    re.compile(r"(?i)([?&]token=)[^&\s#\"']+"),
    re.compile(r"(?i)(authorization:\s*(?:token|bearer)\s+)\S+"),
    re.compile(r"(?i)(--(?:IdentityProvider|ServerApp|NotebookApp)\.token[= ])\S+"),
    re.compile(r"(?i)(password[=:]\s*)\S+"),
    re.compile(r"(JUPYTER_TOKEN=)\S+"),
)

MASK = "***"


def redact(text: str) -> str:
    """Return ``text`` with tokens and passwords replaced by ``***``."""
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that redacts the formatted message of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the record's message by its redacted rendering; never drops a record."""
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True
