"""The user's settings (``settings.json``) and the app's other state (``state.json``).

Settings are a typed, versioned :class:`Settings` dataclass stored as JSON in
``paths.config_dir()``. Reading is forgiving and never loses the user's data:

* unknown keys are ignored (logged) and a value of the wrong type falls back to its default;
* a corrupt file is moved aside as ``settings.json.corrupt-<timestamp>`` and defaults are used;
* a file written by a newer gpudesk (higher ``version``) is read as far as understood, but
  :func:`save_settings` refuses to overwrite it.

``state.json`` in ``paths.state_dir()`` holds what is not configuration (wizard progress and
the like) as a plain JSON object. Neither file ever holds a secret (see ``secrets.py``).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, get_args

from gpudesk.core import paths
from gpudesk.core.errors import FileWriteError, InputError
from gpudesk.core.store.atomicfile import locked, write_json_atomically

__all__ = [
    "SETTINGS_VERSION",
    "Language",
    "LoadedSettings",
    "Settings",
    "load_settings",
    "load_state",
    "read_settings",
    "save_settings",
    "save_state",
    "settings_path",
    "state_path",
]

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1
Language = Literal["system", "en", "zh_CN"]
LANGUAGES: tuple[str, ...] = get_args(Language)


@dataclass(frozen=True)
class Settings:
    """What the user can configure. Change a value with ``dataclasses.replace``.

    Attributes:
        version: Format version of the file (:data:`SETTINGS_VERSION`).
        language: ``"system"`` follows the OS locale; or ``"en"``, ``"zh_CN"``.
        probe_interval_s: Seconds between liveness probes of a tunnel's connection.
        probe_misses: Missed probes in a row before a connection counts as dead.
        idle_threshold_pct: GPU utilisation (percent) below which the GPU counts as idle.
        idle_minutes: Minutes of idleness before gpudesk reminds the user to stop paying.
        monitor_interval_s: Seconds between GPU utilisation samples.
        start_at_login: Start gpudesk when the user logs in.
        close_to_tray: Closing the window keeps gpudesk running in the tray.
        restore_tunnels: Tunnels that were up when gpudesk quit come back at the next start.
        low_balance_yuan: Below this platform account balance (yuan) gpudesk warns.
    """

    version: int = SETTINGS_VERSION
    language: Language = "system"
    probe_interval_s: float = 2.0
    probe_misses: int = 3
    idle_threshold_pct: int = 5
    idle_minutes: int = 15
    monitor_interval_s: int = 30
    start_at_login: bool = False
    close_to_tray: bool = True
    restore_tunnels: bool = True
    low_balance_yuan: float = 10.0

    def validate(self) -> None:
        """Check every value's range.

        Raises:
            InputError: A value is out of range (``settings.invalid``).
        """
        problems = _problems(self)
        if problems:
            raise InputError(
                "settings.invalid",
                "Some settings are out of range: " + "; ".join(problems) + ".",
                "Correct the values and save again.",
            )


@dataclass(frozen=True)
class LoadedSettings:
    """Settings as read, with warnings for the user (empty when all was well)."""

    settings: Settings
    warnings: tuple[str, ...] = field(default=())
    newer_version: bool = False


# Allowed (min, max) of numeric fields.
_RANGES: dict[str, tuple[float, float]] = {
    "probe_interval_s": (0.5, 60.0),
    "probe_misses": (1, 20),
    "idle_threshold_pct": (0, 100),
    "idle_minutes": (1, 24 * 60),
    "monitor_interval_s": (5, 3600),
    "low_balance_yuan": (0, 100_000),
}


def _problems(settings: Settings) -> list[str]:
    problems = []
    if settings.language not in LANGUAGES:
        problems.append(f"language must be one of {', '.join(LANGUAGES)}")
    for name in _out_of_range(settings):
        low, high = _RANGES[name]
        problems.append(f"{name} must be between {low:g} and {high:g}")
    return problems


def settings_path() -> Path:
    """``<config dir>/settings.json``."""
    return paths.config_dir() / "settings.json"


def state_path() -> Path:
    """``<state dir>/state.json``."""
    return paths.state_dir() / "state.json"


def read_settings(path: Path | None = None) -> LoadedSettings:
    """Read the settings file, with warnings for anything that was not as expected.

    A missing file gives the defaults. See the module docstring for the forgiving rules.

    Args:
        path: The file; default :func:`settings_path`.

    Returns:
        The settings and any warnings.
    """
    target = path or settings_path()
    raw, warnings = _read_json_object(target, "settings")
    if raw is None:
        return LoadedSettings(Settings(), tuple(warnings))
    version = _as_version(raw.get("version"))
    newer = version is not None and version > SETTINGS_VERSION
    if newer:
        warnings.append(
            f"{target} was written by a newer gpudesk (format {version}); "
            "settings will not be saved until gpudesk is updated."
        )
    values: dict[str, Any] = {}
    defaults = Settings()
    for f in dataclasses.fields(Settings):
        if f.name == "version" or f.name not in raw:
            continue
        value = raw[f.name]
        if _type_ok(value, getattr(defaults, f.name)) and (
            f.name != "language" or value in LANGUAGES
        ):
            values[f.name] = value
        else:
            warnings.append(f"Setting {f.name!r} has an unusable value; using the default.")
    unknown = sorted(set(raw) - {f.name for f in dataclasses.fields(Settings)})
    if unknown:
        log.warning("Ignoring unknown keys in %s: %s", target, ", ".join(unknown))
    settings = Settings(**values)
    for name in _out_of_range(settings):
        warnings.append(f"Setting {name!r} is out of range; using the default.")
        settings = dataclasses.replace(settings, **{name: getattr(defaults, name)})
    return LoadedSettings(settings, tuple(warnings), newer)


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings (defaults when missing or corrupt); warnings go to the log.

    Args:
        path: The file; default :func:`settings_path`.
    """
    loaded = read_settings(path)
    for warning in loaded.warnings:
        log.warning("%s", warning)
    return loaded.settings


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the settings atomically (mode 0600).

    Args:
        settings: What to save; its ``version`` is written as :data:`SETTINGS_VERSION`.
        path: The file; default :func:`settings_path`.

    Raises:
        InputError: A value is out of range.
        FileWriteError: The file on disk is from a newer gpudesk (``settings.newer_version``),
            or it could not be written.
    """
    settings.validate()
    target = path or settings_path()
    paths.ensure_private_dir(target.parent)
    with locked(target):
        version = _version_on_disk(target)
        if version is not None and version > SETTINGS_VERSION:
            raise FileWriteError(
                "settings.newer_version",
                f"{target} was written by a newer version of gpudesk (format {version}); "
                "this version will not overwrite it.",
                "Update gpudesk, or move the file aside to start with fresh settings.",
            )
        data = dataclasses.asdict(dataclasses.replace(settings, version=SETTINGS_VERSION))
        write_json_atomically(target, data)


def load_state(path: Path | None = None) -> dict[str, Any]:
    """Read ``state.json`` as a dict; empty when missing (a corrupt file is moved aside).

    Args:
        path: The file; default :func:`state_path`.
    """
    target = path or state_path()
    raw, warnings = _read_json_object(target, "state")
    for warning in warnings:
        log.warning("%s", warning)
    return raw or {}


def save_state(state: dict[str, Any], path: Path | None = None) -> None:
    """Write ``state.json`` atomically (mode 0600).

    Args:
        state: A JSON object (str keys; JSON values only). Never put a secret in it.
        path: The file; default :func:`state_path`.

    Raises:
        InputError: ``state`` is not JSON-serialisable.
        FileWriteError: The file could not be written.
    """
    target = path or state_path()
    try:
        json.dumps(state, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InputError(
            "state.not_json",
            f"The app state cannot be saved as JSON: {exc}.",
            "This is a bug in gpudesk: please report it.",
        ) from None
    write_json_atomically(target, state)


# --- internals -------------------------------------------------------------------------------


def _type_ok(value: Any, default: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return type(value) is type(default)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return type(value) is type(default)


def _out_of_range(settings: Settings) -> list[str]:
    return [
        name for name, (low, high) in _RANGES.items() if not low <= getattr(settings, name) <= high
    ]


def _version_on_disk(target: Path) -> int | None:
    try:
        raw = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return _as_version(raw.get("version")) if isinstance(raw, dict) else None


def _as_version(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _read_json_object(target: Path, what: str) -> tuple[dict[str, Any] | None, list[str]]:
    """Read a JSON object; a corrupt file is moved aside (kept) and gives None + a warning."""
    try:
        text = target.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None, []
    except UnicodeDecodeError:
        text = None
    except OSError as exc:
        return None, [f"Could not read {target} ({exc.strerror or exc}); using defaults."]
    raw: Any = None
    if text is not None:
        try:
            raw = json.loads(text)
        except ValueError:
            raw = None
    if isinstance(raw, dict):
        return raw, []
    kept = _move_aside(target)
    where = f"it was kept as {kept.name}" if kept else "it could not be moved aside"
    return None, [f"The {what} file {target} was damaged and has been reset; {where}."]


def _move_aside(target: Path) -> Path | None:
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    for n in range(100):
        suffix = f".corrupt-{stamp}" + (f"-{n}" if n else "")
        candidate = target.with_name(target.name + suffix)
        if candidate.exists():
            continue
        try:
            os.replace(target, candidate)
        except OSError:
            return None
        return candidate
    return None
