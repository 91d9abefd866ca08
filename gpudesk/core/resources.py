"""Where gpudesk's bundled data files live, and how they are read.

The ``resources/`` directory sits at the repository root next to the ``gpudesk`` package
when running from source, and under ``sys._MEIPASS`` when frozen by PyInstaller (the spec
file must add it as ``("resources", "resources")``). :func:`resource_path` hides the
difference; :func:`read_json` and :class:`JsonFields` turn a data file into typed values
with errors that name the file and the field, so a broken file is easy to find and fix.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

from gpudesk.core.errors import InputError

# gpudesk/core/resources.py -> the repository root (three levels up).
_SOURCE_ROOT = Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    """The ``resources/`` directory, from source or from a PyInstaller bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return _SOURCE_ROOT / "resources"


def resource_path(*parts: str) -> Path:
    """A path inside ``resources/``; it is not checked for existence.

    Args:
        *parts: Path components below ``resources/``, e.g. ``("platforms", "autodl.json")``.

    Returns:
        The absolute path.
    """
    return resources_dir().joinpath(*parts)


def read_json(path: Path) -> Any:
    """Read and parse one UTF-8 JSON file.

    Raises:
        InputError: The file is missing, unreadable, not UTF-8 or not valid JSON; the
            message names the file (and the line for syntax errors).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            "resource.unreadable",
            f"Cannot read data file {path}: {exc}",
            "Reinstall gpudesk or restore the file from the repository.",
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            "resource.invalid_json",
            f"Data file {path} is not valid JSON (line {exc.lineno}, column {exc.colno}): "
            f"{exc.msg}",
            "Fix the syntax (a JSON linter shows the spot) or restore the file.",
        ) from exc


class JsonFields:
    """Typed, validated access to one JSON object; every error names the file and field.

    Args:
        data: The parsed JSON value that must be an object.
        path: The file it came from (for messages).
        where: A prefix for field names inside nested objects, e.g. ``"gpus[3]"``.
    """

    def __init__(self, data: object, path: Path, where: str = "") -> None:
        self.path = path
        self.where = where
        if not isinstance(data, Mapping):
            self.fail(where or "(top level)", "must be a JSON object")
        self.data: Mapping[str, Any] = data

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def fail(self, field: str, problem: str) -> NoReturn:
        """Raise an :class:`InputError` for ``field`` of this file."""
        raise InputError(
            "resource.bad_field",
            f"Data file {self.path}: field '{field}' {problem}.",
            "Fix the field or restore the file from the repository.",
        )

    def has(self, key: str) -> bool:
        """True when ``key`` is present (even if null)."""
        return key in self.data

    def _get(self, key: str) -> Any:
        if key not in self.data:
            raise InputError(
                "resource.missing_field",
                f"Data file {self.path}: required field '{self._name(key)}' is missing.",
                "Add the field or restore the file from the repository.",
            )
        return self.data[key]

    def string(self, key: str, *, allow_empty: bool = False) -> str:
        """A required string (non-empty unless ``allow_empty``)."""
        value = self._get(key)
        if not isinstance(value, str):
            self.fail(self._name(key), "must be a string")
        if not allow_empty and not value.strip():
            self.fail(self._name(key), "must not be empty")
        return value

    def optional_string(self, key: str, default: str | None = None) -> str | None:
        """A string or null; ``default`` when the key is absent."""
        if key not in self.data:
            return default
        value = self.data[key]
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(self._name(key), "must be a non-empty string or null")
        return value

    def nullable_string(self, key: str) -> str | None:
        """A required key whose value is a non-empty string or null."""
        self._get(key)
        return self.optional_string(key)

    def boolean(self, key: str, default: bool | None = None) -> bool:
        """A required boolean (optional when ``default`` is given)."""
        if key not in self.data and default is not None:
            return default
        value = self._get(key)
        if not isinstance(value, bool):
            self.fail(self._name(key), "must be true or false")
        return value

    def number(self, key: str) -> float:
        """A required number (int or float, not bool)."""
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(self._name(key), "must be a number")
        return float(value)

    def optional_number(self, key: str) -> float | None:
        """A number or null; None when the key is absent."""
        if self.data.get(key) is None:
            return None
        return self.number(key)

    def strings(self, key: str, *, default: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """A list of non-empty strings, as a tuple."""
        if key not in self.data and default is not None:
            return default
        value = self._get(key)
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            self.fail(self._name(key), "must be a list of non-empty strings")
        return tuple(value)

    def objects(self, key: str) -> list[JsonFields]:
        """A list of JSON objects, each wrapped in its own :class:`JsonFields`."""
        value = self._get(key)
        if not isinstance(value, list):
            self.fail(self._name(key), "must be a list of objects")
        return [
            JsonFields(item, self.path, f"{self._name(key)}[{index}]")
            for index, item in enumerate(value)
        ]

    def child(self, key: str) -> JsonFields:
        """A nested JSON object."""
        return JsonFields(self._get(key), self.path, self._name(key))
