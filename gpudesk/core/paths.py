"""Where gpudesk keeps its files.

``GPUDESK_HOME`` overrides every app directory (tests, portable use): config, state and logs
then live in ``$GPUDESK_HOME/{config,state,logs}``. Otherwise platformdirs picks the OS's
usual places. Nothing here creates a directory; callers use :func:`ensure_private_dir`.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "gpudesk"


def _override() -> Path | None:
    value = os.environ.get("GPUDESK_HOME")
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """Settings, instances, the app-owned known_hosts and ssh config snippets."""
    base = _override()
    if base is not None:
        return base / "config"
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False, roaming=True))


def state_dir() -> Path:
    """Wizard progress and other state that is not configuration."""
    base = _override()
    if base is not None:
        return base / "state"
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """The app's log files."""
    base = _override()
    if base is not None:
        return base / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def home_dir() -> Path:
    """The user's home directory (follows ``HOME`` so tests can move it)."""
    return Path(os.path.expanduser("~"))


def ssh_dir() -> Path:
    """The user's ``~/.ssh``."""
    return home_dir() / ".ssh"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if missing; the leaf gets mode 0700 on POSIX."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
