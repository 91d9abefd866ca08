"""What the wizard's pages share: one typed object instead of a dict of string keys.

Each field is written by the step that declares it in its ``produces`` (see
:mod:`gpudesk.core.wizard.flow`); :class:`WizardData` records which fields were written so
the flow can hold every page to its declaration. Plain fields (strings, numbers, the editor
choices) are saved as progress so a restarted app resumes; the password never is (it is
``sensitive``), nor are objects a new check must produce again (the target, the check result).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

from gpudesk.core.models import SshTarget
from gpudesk.core.ssh.check import CheckResult

__all__ = ["FIELD_NAMES", "SAVED_FIELDS", "SENSITIVE_FIELDS", "EditorChoice", "WizardData"]


@dataclass(frozen=True)
class EditorChoice:
    """What the Editor step was asked to set up."""

    skipped: bool = False
    ssh_config: bool = True
    vscode: bool = True
    sftp_folder: str | None = None


@dataclass
class WizardData:
    """The choices and results of the wizard's steps (None / empty: not chosen yet).

    Attributes:
        platform_id: The platform (``platform``).
        have_instance: "I already rent one": the path skips to Connect (``platform``).
        use_account: The connected AutoDL account drives the instance (``platform``).
        gpu_model, model_size_b, task, price_per_hour: The GPU step's choices (``gpu``).
        gpu_spec, gpu_count: AutoDL's ``gpu_spec_uuid`` and GPU count to create (``gpu``).
        image_id: The image (``image``; the image's uuid when created from the account).
        cuda_from, data_center, instance_name: The rest of a create request (``image``).
        account_ref: The platform instance the login comes from, ``autodl:ID`` (``image``
            when it was created, ``connect`` when picked from the account).
        command: The pasted ssh command (``connect``).
        target: What the command means (``connect``; memory only).
        pin_name: The name the host key was trusted under during the check (``connect``).
        password: The instance's password (``connect``; SENSITIVE: never saved or shown).
        store_in_keyring: Remember the password when the instance is saved.
        check_result: The successful check (``connect``; memory only).
        key_path: The private key that logs in (``key``).
        alias: The instance's name (``editor``, ``summary``).
        host_key_alias: The pin name the ssh entry uses (``editor``).
        workdir: The folder to work in on the instance (``editor``).
        editor: What the Editor step set up (``editor``).
    """

    platform_id: str | None = None
    have_instance: bool = False
    use_account: bool = False
    gpu_model: str | None = None
    model_size_b: float | None = None
    task: str | None = None
    price_per_hour: float | None = None
    gpu_spec: str | None = None
    gpu_count: int | None = None
    image_id: str | None = None
    cuda_from: int | None = None
    data_center: str | None = None
    instance_name: str | None = None
    account_ref: str | None = None
    command: str = ""
    target: SshTarget | None = field(default=None, repr=False, metadata={"saved": False})
    pin_name: str | None = None
    password: str | None = field(default=None, repr=False, metadata={"sensitive": True})
    store_in_keyring: bool = False
    check_result: CheckResult | None = field(default=None, repr=False, metadata={"saved": False})
    key_path: str | None = None
    alias: str | None = None
    host_key_alias: str | None = None
    workdir: str | None = None
    editor: EditorChoice | None = None

    _written: set[str] = field(init=False, repr=False, compare=False, default_factory=set)

    def __setattr__(self, name: str, value: object) -> None:
        super().__setattr__(name, value)
        written = self.__dict__.get("_written")  # absent while __init__ runs
        if written is not None and name in FIELD_NAMES:
            written.add(name)

    def take_written(self) -> set[str]:
        """The fields written since the last call (and forget them)."""
        written = set(self._written)
        self._written.clear()
        return written

    def is_set(self, name: str) -> bool:
        """True when the field ``name`` holds a value (not None, not empty)."""
        return getattr(self, name) not in (None, "", False)

    def clear(self) -> None:
        """Every field back to its default, in place (pages share this object)."""
        fresh = WizardData()
        for name in FIELD_NAMES:
            setattr(self, name, getattr(fresh, name))

    def saved_fields(self) -> dict[str, Any]:
        """The fields kept as progress: plain JSON values only, never a sensitive one."""
        saved: dict[str, Any] = {}
        for name in SAVED_FIELDS:
            value = getattr(self, name)
            if isinstance(value, EditorChoice):
                value = dataclasses.asdict(value)
            if value is not None and _plain(value):
                saved[name] = value
        return saved

    def restore_fields(self, saved: dict[str, Any]) -> None:
        """Take back :meth:`saved_fields` output; unknown names and wrong types are dropped."""
        for name, value in saved.items():
            if name not in SAVED_FIELDS:
                continue
            if name == "editor":
                value = _editor_choice(value)
            elif not _fits(name, value):
                continue
            if value is not None:
                setattr(self, name, value)


_FIELDS = [f for f in dataclasses.fields(WizardData) if f.init]
#: Every field of :class:`WizardData`.
FIELD_NAMES = frozenset(f.name for f in _FIELDS)
#: Fields that hold secrets (memory only, never in a repr, a log line or the progress).
SENSITIVE_FIELDS = frozenset(f.name for f in _FIELDS if f.metadata.get("sensitive"))
#: Fields saved as progress.
SAVED_FIELDS = tuple(
    f.name for f in _FIELDS if f.name not in SENSITIVE_FIELDS and f.metadata.get("saved", True)
)
_TYPES: dict[str, tuple[type, ...]] = {
    "have_instance": (bool,),
    "use_account": (bool,),
    "gpu_count": (int,),
    "cuda_from": (int,),
    "store_in_keyring": (bool,),
    "model_size_b": (int, float),
    "price_per_hour": (int, float),
}


def _fits(name: str, value: object) -> bool:
    wanted = _TYPES.get(name, (str,))
    if isinstance(value, bool) and bool not in wanted:
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return isinstance(value, wanted)


def _plain(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_plain(v) for v in value.values())
    return isinstance(value, (str, int, bool)) or value is None


def _editor_choice(value: object) -> EditorChoice | None:
    if not isinstance(value, dict):
        return None
    try:
        choice = EditorChoice(**value)
    except TypeError:
        return None
    folder_ok = choice.sftp_folder is None or isinstance(choice.sftp_folder, str)
    flags = (choice.skipped, choice.ssh_config, choice.vscode)
    return choice if folder_ok and all(isinstance(f, bool) for f in flags) else None
