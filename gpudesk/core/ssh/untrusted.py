"""What the instance prints is input: numbers validated, text made safe to show.

The rented machine is not trusted (its root can be anyone), so every value gpudesk parses
from its output goes through here. :func:`instance_number` accepts only plain ASCII decimal
numbers inside a sane range (no ``inf``, ``nan``, ``1e400``, ``²`` or negative sizes);
:func:`plain_text` removes every control character (ESC, so no OSC 52 clipboard write and
no CSI screen clear; the C1 controls; BEL; bidi overrides) and bounds the length, so a host
name or GPU name reaches a terminal or a label as the characters it shows and nothing else.
:func:`marked_sections` splits the answer of a script gpudesk sent at its ``@@name`` lines.
"""

from __future__ import annotations

import math
import re
import unicodedata

#: Plain decimal numbers only: what nvidia-smi, df and Python print (no exponent, no inf).
_DECIMAL = re.compile(r"[+-]?[0-9]{1,15}(?:\.[0-9]{1,15})?")
#: One line of instance text shown to the user is never longer than this.
MAX_TEXT_LENGTH = 300
#: ANSI escape sequences (CSI, OSC, and two-byte ESC forms) removed as a whole.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL/ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[ -/]*[0-~]?"  # other ESC sequences
    r"|\x9b[0-?]*[ -/]*[@-~]"  # C1 CSI
    r"|\x9d[^\x07\x9c]*(?:\x07|\x9c)?"  # C1 OSC
)


def instance_number(text: str, *, low: float, high: float) -> float | None:
    """``text`` as a number when it is a plain decimal within ``[low, high]``, else None."""
    candidate = text.strip()
    if not _DECIMAL.fullmatch(candidate):
        return None
    value = float(candidate)
    if not math.isfinite(value) or not low <= value <= high:
        return None
    return value


def instance_int(text: str, *, low: int, high: int) -> int | None:
    """``text`` as an integer (a decimal part is dropped) within ``[low, high]``, else None."""
    value = instance_number(text, low=low, high=high)
    return None if value is None else int(value)


def instance_port(value: object) -> int | None:
    """A TCP port (1-65535) read from instance JSON or text, else None (``inf``, ``1e400``...)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 65536 else None
    return instance_int(value, low=1, high=65535) if isinstance(value, str) else None


def instance_pid(value: object) -> int | None:
    """A process id read from instance JSON or text, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 2**31 else None
    return instance_int(value, low=1, high=2**31 - 1) if isinstance(value, str) else None


def plain_text(text: str, *, limit: int = MAX_TEXT_LENGTH, multiline: bool = False) -> str:
    """``text`` without escape sequences or control characters, at most ``limit`` long.

    ``multiline`` keeps line breaks (a log tail); tabs become spaces.
    """
    without_sequences = _ESCAPE_SEQUENCE.sub("", text)
    kept = []
    for char in without_sequences:
        if char == "\n" and multiline:
            kept.append(char)
        elif char == "\t":
            kept.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            kept.append(char)
    cleaned = "".join(kept)
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1] + "…"
    return cleaned


def marked_sections(stdout: str) -> dict[str, list[str]]:
    """Split a script's output at ``@@name`` lines; text before the first marker is dropped.

    Lines are stripped and blank ones skipped, so a login banner or a stray ``\r`` before or
    between the markers changes nothing.
    """
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in stdout.splitlines():
        line = raw.rstrip("\r")
        if line.startswith("@@"):
            current = found.setdefault(line[2:].strip(), [])
        elif current is not None and line.strip():
            current.append(line.strip())
    return found
