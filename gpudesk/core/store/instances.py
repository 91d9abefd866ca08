"""The user's saved GPU instances (``instances.json``) and the rules for their aliases.

An :class:`Instance` is what gpudesk remembers about one rented machine: the alias the user
types (``ssh autodl-4090``), where to log in, the pin name of its host key, and facts shown in
the UI. :class:`InstanceStore` keeps them in ``paths.config_dir()/instances.json`` as
``{"version": 1, "instances": [...]}``, written atomically under a lock (every mutation is a
locked read-modify-write, so the CLI and the GUI can change it at the same time).

There is no field for a secret, and the store refuses any key that looks like one. Passwords
and tokens live in the keyring under ``secret_name(kind, instance.instance_id)``; the instance
id is the :attr:`Instance.host_key_alias`, which never changes when the alias is renamed.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import json
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from gpudesk.core import paths
from gpudesk.core.errors import FileWriteError, InputError
from gpudesk.core.models import PortForward, SshTarget
from gpudesk.core.store.atomicfile import locked, write_json_atomically

INSTANCES_VERSION = 1
MAX_ALIAS_LENGTH = 64
_ALIAS_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,63}")
_SECRET_KEY_RE = re.compile(r"pass(word|phrase)|token|secret", re.IGNORECASE)
_GPU_NOISE = frozenset({"nvidia", "geforce", "rtx", "gtx", "tesla", "quadro", "amd", "radeon"})


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Instance:
    """One saved instance. No secrets: those are in the keyring.

    Attributes:
        alias: The ssh ``Host`` alias the user types; see :func:`validate_alias`.
        target: Where to log in.
        platform_id: The catalog id of the platform (``"autodl"``), or None for "other".
        host_key_alias: The pin name of its host key (``HostKeyAlias``); also the instance's
            stable id for secrets, kept across renames. See :func:`new_host_key_alias`.
        key_path: The private key file used to log in, if any.
        gpu_model: The GPU model as last probed (``"NVIDIA GeForce RTX 4090"``).
        image_id: The platform's image the instance runs, if known.
        price_per_hour: What the user pays per hour (in the platform's currency).
        workdir: The folder to open on the instance.
        created_at: ISO 8601 time of :meth:`InstanceStore.add`.
        updated_at: ISO 8601 time of the last change.
        tunnels: The instance's saved tunnels (JSON objects).
        auto_connect: Connect the saved tunnels when gpudesk starts.
    """

    alias: str
    target: SshTarget
    platform_id: str | None
    host_key_alias: str
    key_path: str | None = None
    gpu_model: str | None = None
    image_id: str | None = None
    price_per_hour: float | None = None
    workdir: str | None = None
    created_at: str = field(default_factory=_now)
    updated_at: str = field(default_factory=_now)
    tunnels: tuple[dict[str, Any], ...] = ()
    auto_connect: bool = False

    @property
    def instance_id(self) -> str:
        """The stable id used in secret names (the host key alias)."""
        return self.host_key_alias


def validate_alias(alias: str) -> str:
    """Check an alias for use as an ssh ``Host`` name and a file name.

    Rules: 1-64 characters of ``A-Z a-z 0-9 . _ -``, not starting with ``-`` or ``.``; so no
    whitespace and no ssh pattern characters (``* ? !``).

    Returns:
        The alias unchanged.

    Raises:
        InputError: ``instance.bad_alias`` with what is wrong.
    """
    if not 1 <= len(alias) <= MAX_ALIAS_LENGTH:
        raise InputError(
            "instance.bad_alias",
            f"An alias has 1 to {MAX_ALIAS_LENGTH} characters; this one has {len(alias)}.",
            "Pick a short name such as autodl-4090.",
        )
    if _ALIAS_RE.fullmatch(alias) is None:
        raise InputError(
            "instance.bad_alias",
            f"{alias!r} cannot be used as an alias.",
            "Use letters, digits, '.', '_' and '-', not starting with '-' or '.' "
            "(e.g. autodl-4090).",
        )
    return alias


def new_host_key_alias() -> str:
    """A fresh, unique pin name for a new instance: ``gpudesk-<12 hex digits>``."""
    return f"gpudesk-{secrets.token_hex(6)}"


def suggest_alias(platform_id: str | None, gpu_model: str | None, existing: Iterable[str]) -> str:
    """Suggest a free, valid alias such as ``autodl-4090``, then ``autodl-4090-2``, ...

    ``platform_id`` None gives ``gpu-...``; from ``gpu_model`` only the distinctive word is
    used (``"NVIDIA GeForce RTX 4090"`` gives ``4090``). ``existing`` is compared ignoring case.
    """
    base = _slug(platform_id or "") or "gpu"
    model = _gpu_word(gpu_model or "")
    if model:
        base = f"{base}-{model}"
    base = base[: MAX_ALIAS_LENGTH - 4].strip("-.")
    taken = {a.lower() for a in existing}
    candidate, n = base, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{base}-{n}"
    return validate_alias(candidate)


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug.lstrip("._-")


def _gpu_word(model: str) -> str:
    """The distinctive word of a GPU model name: ``4090``, ``a100``, ``h100``, ``t4``."""
    for word in re.split(r"[^A-Za-z0-9]+", model.lower()):
        if word and word not in _GPU_NOISE:
            return word[:16]
    return ""


class InstanceStore:
    """The saved instances, in ``instances.json``.

    Every call reads the file, so separate processes see each other's changes; every
    mutation is a read-modify-write under the file's lock, written atomically with a backup.

    Args:
        path: The JSON file; default ``paths.config_dir()/instances.json``.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.config_dir() / "instances.json"

    def __repr__(self) -> str:
        return f"InstanceStore({str(self.path)!r})"

    def list(self) -> builtins.list[Instance]:
        """All instances, in the order they were added.

        Raises:
            FileWriteError: The file is damaged (``instances.corrupt``).
        """
        return self._read()[1]

    def get(self, alias: str) -> Instance | None:
        """The instance called ``alias`` (case-insensitive), or None."""
        return _find(self.list(), alias)

    def require(self, alias: str) -> Instance:
        """The instance called ``alias``; an ``instance.not_found`` InputError otherwise."""
        return self.list()[_index(self.list(), alias)]

    def add(self, instance: Instance) -> Instance:
        """Save a new instance, stamping ``created_at`` and ``updated_at``.

        Returns:
            The instance as saved.

        Raises:
            InputError: Invalid or already used alias or host key alias.
            FileWriteError: The file is damaged, newer, or could not be written.
        """
        _check(instance)
        now = _now()
        saved = dataclasses.replace(instance, created_at=now, updated_at=now)
        with self._locked():
            items = self._read_for_write()
            if _find(items, instance.alias) is not None:
                raise alias_taken(instance.alias)
            if any(i.host_key_alias == instance.host_key_alias for i in items):
                raise InputError(
                    "instance.duplicate_id",
                    f"Another instance already uses the pin name {instance.host_key_alias!r}.",
                    "Create the instance with new_host_key_alias().",
                )
            self._write([*items, saved])
        return saved

    def update(self, instance: Instance) -> Instance:
        """Replace the saved instance with the same alias (``created_at`` is kept).

        Returns:
            The instance as saved.

        Raises:
            InputError: No instance with that alias (``instance.not_found``) or invalid fields.
            FileWriteError: The file is damaged, newer, or could not be written.
        """
        return self.modify(instance.alias, lambda _saved: instance)

    def modify(self, alias: str, edit: Callable[[Instance], Instance]) -> Instance:
        """Change the instance ``alias`` with ``edit(saved)``, read and written under the lock.

        ``edit`` gets the instance as it is in the file now and returns the changed one (its
        alias is kept: renaming is :meth:`rename`); no other writer, thread or process, can
        change the file in between, so concurrent edits all land. ``edit`` runs under the
        file's lock: keep it quick.

        Returns:
            The instance as saved (``created_at`` kept, ``updated_at`` stamped).

        Raises:
            InputError: No instance ``alias``, or ``edit`` made a field invalid.
            FileWriteError: The file is damaged, newer, or could not be written.
        """
        with self._locked():
            items = self._read_for_write()
            index = _index(items, alias)
            edited = edit(items[index])
            _check(edited)
            kept = items[index].alias
            # Renaming is not an edit (that is ``rename``): only the letter case may change.
            saved = dataclasses.replace(
                edited,
                alias=edited.alias if edited.alias.lower() == kept.lower() else kept,
                created_at=items[index].created_at,
                updated_at=_now(),
            )
            items[index] = saved
            self._write(items)
        return saved

    def remove(self, alias: str) -> Instance:
        """Delete the instance called ``alias`` and return it.

        Raises:
            InputError: No such instance.
            FileWriteError: The file is damaged, newer, or could not be written.
        """
        with self._locked():
            items = self._read_for_write()
            removed = items.pop(_index(items, alias))
            self._write(items)
        return removed

    def rename(self, old: str, new: str) -> Instance:
        """Change an instance's alias (its host key alias and secrets stay the same).

        Raises:
            InputError: No instance ``old``, ``new`` invalid or taken.
            FileWriteError: The file is damaged, newer, or could not be written.
        """
        validate_alias(new)
        with self._locked():
            items = self._read_for_write()
            index = _index(items, old)
            clash = _find(items, new)
            if clash is not None and clash is not items[index]:
                raise alias_taken(new)
            items[index] = dataclasses.replace(items[index], alias=new, updated_at=_now())
            self._write(items)
        return items[index]

    def _locked(self) -> contextlib.AbstractContextManager[None]:
        paths.ensure_private_dir(self.path.parent)
        return locked(self.path)

    # --- file format -------------------------------------------------------------------------

    def _read(self) -> tuple[int, builtins.list[Instance]]:
        try:
            raw: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return INSTANCES_VERSION, []
        except (OSError, ValueError) as exc:
            raise self._corrupt(f"it is not readable JSON ({exc})") from None
        if not isinstance(raw, dict) or not isinstance(raw.get("instances"), list):
            raise self._corrupt('it lacks the "instances" list')
        version = raw.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise self._corrupt('its "version" is not a number')
        try:
            return version, [_from_json(item) for item in raw["instances"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise self._corrupt(f"an entry is malformed ({exc})") from None

    def _read_for_write(self) -> builtins.list[Instance]:
        version, items = self._read()
        if version > INSTANCES_VERSION:
            raise FileWriteError(
                "instances.newer_version",
                f"{self.path} was written by a newer version of gpudesk (format {version}); "
                "this version will not change it.",
                "Update gpudesk to change your saved instances.",
            )
        return items

    def _write(self, items: builtins.list[Instance]) -> None:
        document = {"version": INSTANCES_VERSION, "instances": [_to_json(i) for i in items]}
        _refuse_secrets(document)
        write_json_atomically(self.path, document, backup=True)

    def _corrupt(self, why: str) -> FileWriteError:
        return FileWriteError(
            "instances.corrupt",
            f"The saved instances in {self.path} cannot be read: {why}.",
            "Fix the file by hand, or restore the copy next to it ending in .gpudesk-bak.",
        )


def _check(instance: Instance) -> None:
    validate_alias(instance.alias)
    try:
        validate_alias(instance.host_key_alias)
    except InputError:
        raise InputError(
            "instance.bad_host_key_alias",
            f"{instance.host_key_alias!r} cannot be used as a host key alias.",
            "Create the instance with new_host_key_alias().",
        ) from None


def _find(items: list[Instance], alias: str) -> Instance | None:
    # OpenSSH matches Host patterns case-insensitively, so aliases are unique regardless of case.
    wanted = alias.lower()
    return next((i for i in items if i.alias.lower() == wanted), None)


def alias_taken(alias: str) -> InputError:
    """The one error for a new alias that another saved instance already has."""
    return InputError(
        "instance.alias_taken",
        f"There is already an instance called {alias!r}.",
        "Pick another alias.",
    )


def instance_not_found(alias: str) -> InputError:
    """The one error for an alias that is not saved, wherever it is looked up."""
    return InputError(
        "instance.not_found",
        f"There is no instance called {alias!r}.",
        "Check the name in gpudesk's window; save an instance there or with gpudesk setup.",
    )


def _index(items: list[Instance], alias: str) -> int:
    found = _find(items, alias)
    if found is None:
        raise instance_not_found(alias)
    return items.index(found)


def _refuse_secrets(value: Any, where: str = "") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if _SECRET_KEY_RE.search(str(key)):
                raise InputError(
                    "instance.secret_field",
                    f"Refusing to save {where}{key!r} in instances.json: "
                    "secrets go to the keyring.",
                    "Leave passwords and tokens out: gpudesk keeps them in the keyring.",
                )
            _refuse_secrets(item, f"{where}{key}.")
    elif isinstance(value, (list, tuple)):
        for item in value:
            _refuse_secrets(item, where)


def _to_json(instance: Instance) -> dict[str, Any]:
    # Field order is the file's key order; nested dataclasses become objects, tuples lists.
    return dataclasses.asdict(instance)


def _from_json(item: Any) -> Instance:
    if not isinstance(item, dict) or not isinstance(item.get("target"), dict):
        raise TypeError("an instance must be an object with a target object")
    t = item["target"]
    forwards = tuple(
        PortForward(int(f["local_port"]), str(f["remote_host"]), int(f["remote_port"]))
        for f in t.get("forwards", [])
    )
    target = SshTarget(
        user=str(t["user"]),
        host=str(t["host"]),
        port=int(t.get("port", 22)),
        identity_file=_opt_str(t.get("identity_file")),
        forwards=forwards,
        platform_id=_opt_str(t.get("platform_id")),
    )
    price = item.get("price_per_hour")
    tunnels = item.get("tunnels", [])
    if not isinstance(tunnels, list) or not all(isinstance(x, dict) for x in tunnels):
        raise TypeError("tunnels must be a list of objects")
    return Instance(
        alias=str(item["alias"]),
        target=target,
        platform_id=_opt_str(item.get("platform_id")),
        host_key_alias=str(item["host_key_alias"]),
        key_path=_opt_str(item.get("key_path")),
        gpu_model=_opt_str(item.get("gpu_model")),
        image_id=_opt_str(item.get("image_id")),
        price_per_hour=None if price is None else float(price),
        workdir=_opt_str(item.get("workdir")),
        created_at=str(item.get("created_at", "")),
        updated_at=str(item.get("updated_at", "")),
        tunnels=tuple(tunnels),
        auto_connect=bool(item.get("auto_connect", False)),
    )


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)
