"""``.vscode/sftp.json`` for the VS Code SFTP extension (Natizyskunk.sftp): upload on save.

For a local project folder the user picks, gpudesk writes the instance's connection as strict
JSON (the extension breaks on comments): ``name`` (the alias), ``host``, ``protocol: "sftp"``,
``port``, ``username``, ``privateKeyPath`` (absolute, forward slashes), ``remotePath``,
``uploadOnSave: true`` and ``ignore``. The extension does not read ``~/.ssh/config``, so the
values are explicit.

An existing file is merged, never replaced, and a backup is kept:

* a single config whose ``name`` is the alias (or that has no ``host`` yet) is updated in place:
  gpudesk's keys are set, every other key stays, and a user's own ``ignore`` list is kept;
* a single config for another server stays exactly as it is, still the active one, and the
  instance is added under ``profiles[alias]`` (switch with "SFTP: Set Profile"); a file that
  already has ``profiles`` gets ``profiles[alias]`` added or updated;
* a list of configs (the extension's multi-context form) gets its ``name == alias`` element
  updated, or the new config appended.

Nothing is written when the merged value equals the file's (the user's formatting is kept).
Anything that is not JSON is left untouched with a clear message.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gpudesk.core.editor.vscode import validate_remote_path
from gpudesk.core.errors import FileWriteError, InputError
from gpudesk.core.ssh.values import validate_host, validate_port, validate_user
from gpudesk.core.store.atomicfile import read_text_file
from gpudesk.core.store.filechange import FileChange
from gpudesk.core.store.instances import validate_alias

#: What is never uploaded: editor and VCS folders, caches, virtual environments.
DEFAULT_IGNORE = (
    ".vscode",
    ".git",
    ".DS_Store",
    "__pycache__",
    ".venv",
    "venv",
    "node_modules",
    ".ipynb_checkpoints",
)
#: Keys a profile overrides (the top-level config supplies the rest).
_PROFILE_KEYS = (
    "host",
    "protocol",
    "port",
    "username",
    "privateKeyPath",
    "remotePath",
    "uploadOnSave",
)


@dataclass(frozen=True)
class SftpTarget:
    """What ``sftp.json`` needs to know about an instance."""

    alias: str
    host: str
    port: int
    user: str
    private_key: str | None
    remote_path: str


def sftp_json_path(folder: Path) -> Path:
    """``<folder>/.vscode/sftp.json``."""
    return folder / ".vscode" / "sftp.json"


def key_path_value(path: str, *, windows: bool | None = None) -> str:
    """An absolute key path with forward slashes (what the extension wants on Windows too)."""
    is_windows = sys.platform == "win32" if windows is None else windows
    if not is_windows or sys.platform == "win32":
        path = os.path.abspath(os.path.expanduser(path))
    return path.replace("\\", "/") if is_windows else path


def sftp_config(target: SftpTarget) -> dict[str, Any]:
    """The full config object for ``target``, values validated.

    Raises:
        InputError: A bad alias, host, port, user or remote path.
    """
    config: dict[str, Any] = {
        "name": validate_alias(target.alias),
        "host": validate_host(target.host),
        "protocol": "sftp",
        "port": validate_port(target.port),
        "username": validate_user(target.user),
    }
    if target.private_key:
        config["privateKeyPath"] = key_path_value(target.private_key)
    config["remotePath"] = validate_remote_path(target.remote_path)
    config["uploadOnSave"] = True
    config["ignore"] = list(DEFAULT_IGNORE)
    return config


def merge_sftp_config(existing: Any, config: dict[str, Any]) -> Any:
    """Merge ``config`` into a parsed ``sftp.json`` value (see the module docstring).

    Raises:
        InputError: ``sftp.unsupported`` when the value is neither an object nor a list.
    """
    name = config["name"]
    if existing is None:
        return config
    if isinstance(existing, list):
        for index, item in enumerate(existing):
            if isinstance(item, dict) and item.get("name") == name:
                return [*existing[:index], _update(item, config), *existing[index + 1 :]]
        return [*existing, config]
    if not isinstance(existing, dict):
        raise InputError(
            "sftp.unsupported",
            "sftp.json holds neither a config object nor a list of them.",
            "Move the file aside and try again.",
        )
    if existing.get("name") == name or "host" not in existing:
        return _update(existing, config)
    profiles = existing.get("profiles")
    if profiles is not None and not isinstance(profiles, dict):
        raise InputError(
            "sftp.unsupported",
            'The "profiles" in sftp.json is not an object.',
            "Fix the file by hand, or move it aside and try again.",
        )
    profile = {key: config[key] for key in _PROFILE_KEYS if key in config}
    old_profile = (profiles or {}).get(name)
    merged_profile = _update(old_profile, profile) if isinstance(old_profile, dict) else profile
    return {**existing, "profiles": {**(profiles or {}), name: merged_profile}}


def _update(existing: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    merged = dict(existing)
    for key, value in config.items():
        if key == "ignore" and isinstance(existing.get("ignore"), list):
            continue  # the user's own list wins
        merged[key] = value
    return merged


def plan_sftp_json(folder: Path, target: SftpTarget) -> FileChange:
    """The change that writes or merges ``<folder>/.vscode/sftp.json``.

    Raises:
        InputError: Bad values, or ``folder`` is not an existing folder.
        FileWriteError: ``sftp.unparseable`` (the file is left untouched) or unreadable.
    """
    if not folder.is_dir():
        raise InputError(
            "sftp.no_folder",
            f"{folder} is not a folder.",
            "Choose your local project folder.",
        )
    path = sftp_json_path(folder)
    config = sftp_config(target)
    managed = read_text_file(path)
    existing: Any = None
    if managed.text.strip():
        try:
            existing = json.loads(managed.text)
        except ValueError as exc:
            raise FileWriteError(
                "sftp.unparseable",
                f"{path} is not strict JSON ({exc}); gpudesk left it untouched.",
                "The SFTP extension does not accept comments either: fix or move the file.",
            ) from None
    merged = merge_sftp_config(existing, config)
    if existing is not None and merged == existing:
        after = managed.data
    else:
        text = json.dumps(merged, indent=4, ensure_ascii=False) + "\n"
        after = managed.encode(managed.adapt_newlines(text))
    return FileChange(
        path,
        managed.data if managed.exists else None,
        after,
        dir_mode=0o755,
        description=f"sftp.json for {target.alias}",
    )


def write_sftp_json(folder: Path, target: SftpTarget) -> bool:
    """Apply :func:`plan_sftp_json`; True when the file changed."""
    return plan_sftp_json(folder, target).apply()
