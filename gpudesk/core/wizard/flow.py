"""The setup wizard's flow as data: steps, their order, what they need, skips and branches.

No Qt here (after electrum's ``wizard.py``): pages are dumb views, and this module decides
which page comes next, keeps the back/next history, and saves the progress so a user who
closes gpudesk mid-way resumes at the same step with the same choices.

The main path follows the usual community guides: ``platform -> gpu -> image -> connect ->
key -> editor -> summary``. Two rules bend it:

* "I already have an instance" (``have_instance`` in the data) jumps from ``platform``
  straight to ``connect``;
* a platform without SSH (Colab, Kaggle, ...) ends on ``no_ssh``, a page that says what the
  platform offers instead; when gpudesk knows which GPUs it lends (Kaggle's P100 or two T4s,
  OpenI's T4) the ``gpu`` step comes first, so the estimator can say whether the work fits.

With an AutoDL account (``use_account``) the steps stay the same and only their pages change:
the image step creates the instance and Connect reads its login from the API
(:mod:`gpudesk.core.wizard.account`); the account's ``account_ref`` links the saved instance.

Steps whose page is not available (the UI passes the ids it can show) are skipped, so the
``key`` and ``editor`` steps appear as soon as their pages are registered.

The data is a :class:`gpudesk.core.wizard.data.WizardData`. Each step declares the fields
it ``needs`` and the fields its page ``produces``; the flow records what was written while a
step was shown (:attr:`WizardFlow.writes`) and logs any field a step wrote without declaring
it (:attr:`WizardFlow.undeclared`), so the declarations cannot drift from the pages.

The password stays in memory: it never appears in a repr, a log line or the saved progress.
Values that are not plain JSON (a ``CheckResult``, an ``SshTarget``) are not saved either; a
step that needs them is re-entered on resume.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from gpudesk.core.catalog.platforms import Catalog
from gpudesk.core.errors import InputError
from gpudesk.core.store.settings import load_state, save_state
from gpudesk.core.wizard.data import FIELD_NAMES, SENSITIVE_FIELDS, WizardData

__all__ = [
    "MAIN_PATH",
    "PROGRESS_VERSION",
    "SENSITIVE_KEYS",
    "STATE_KEY",
    "STEPS",
    "Step",
    "StepId",
    "WizardFlow",
    "clear_progress",
    "is_sensitive",
    "load_progress",
    "save_progress",
    "write_progress",
]

log = logging.getLogger(__name__)


class StepId(str, Enum):
    """The wizard's steps (their values are the page ids the UI registers)."""

    PLATFORM = "platform"
    GPU = "gpu"
    IMAGE = "image"
    CONNECT = "connect"
    KEY = "key"
    EDITOR = "editor"
    SUMMARY = "summary"
    NO_SSH = "no_ssh"


@dataclass(frozen=True)
class Step:
    """What one step needs in the shared data before it can be shown, and what it writes.

    Attributes:
        id: The step.
        needs: Data fields that must be set to enter the step.
        produces: Data fields the step's page writes (and no others).
        terminal: True when the wizard ends on this step (Finish instead of Next).
    """

    id: StepId
    needs: frozenset[str]
    produces: frozenset[str]
    terminal: bool = False


def _step(id_: StepId, needs: str = "", produces: str = "", terminal: bool = False) -> Step:
    step = Step(id_, frozenset(needs.split()), frozenset(produces.split()), terminal)
    unknown = (step.needs | step.produces) - FIELD_NAMES
    if unknown:  # a typo here would make the declaration silently meaningless
        raise ValueError(f"step {id_.value} names unknown data fields {sorted(unknown)}")
    return step


#: Every step, in the order of the main path (``no_ssh`` last).
STEPS: tuple[Step, ...] = (
    _step(StepId.PLATFORM, "", "platform_id have_instance use_account"),
    _step(
        StepId.GPU, "platform_id", "gpu_model model_size_b task price_per_hour gpu_spec gpu_count"
    ),
    # With an AutoDL account, finishing the image step creates the instance (account_ref).
    _step(
        StepId.IMAGE,
        "platform_id gpu_model",
        "image_id cuda_from data_center instance_name account_ref",
    ),
    # Connect writes key_path only when a saved instance's key logged in (nothing to install).
    _step(
        StepId.CONNECT,
        "",
        "command target pin_name password store_in_keyring check_result key_path account_ref",
    ),
    # "Forget the password" on the key page takes the password back.
    _step(StepId.KEY, "check_result", "key_path password store_in_keyring"),
    _step(StepId.EDITOR, "check_result", "alias host_key_alias workdir editor"),
    _step(StepId.SUMMARY, "check_result", "alias store_in_keyring", terminal=True),
    _step(StepId.NO_SSH, "platform_id", "", terminal=True),
)
_BY_ID = {step.id: step for step in STEPS}
#: The steps of a user who rents a new instance on an SSH platform.
MAIN_PATH: tuple[StepId, ...] = (
    StepId.PLATFORM,
    StepId.GPU,
    StepId.IMAGE,
    StepId.CONNECT,
    StepId.KEY,
    StepId.EDITOR,
    StepId.SUMMARY,
)

#: Data fields that are always sensitive.
SENSITIVE_KEYS = SENSITIVE_FIELDS | {"passphrase"}
_SENSITIVE_RE = re.compile(r"pass(word|phrase)|token|secret", re.IGNORECASE)
#: The key of the wizard's progress in ``state.json``.
STATE_KEY = "wizard"
PROGRESS_VERSION = 1
_MASK = "***"


def is_sensitive(key: str) -> bool:
    """True when a data field holds a secret: a known name or a secret-like name."""
    return key in SENSITIVE_KEYS or bool(_SENSITIVE_RE.search(key))


class WizardFlow:
    """Where the user is in the wizard, how they got there, and what they chose.

    Args:
        catalog: The platform catalog (tells SSH platforms from web-notebook ones).
        available: Step ids the UI can show; None means all. Unavailable steps are skipped.
        data: The object to keep the data in (the UI shares it with its pages); new if None.

    Attributes:
        current: The step shown now.
        history: The steps before it, oldest first (what Back walks through).
        data: The shared data the pages read and write.
        writes: For each step, the fields written while it was shown.
        undeclared: ``(step, field)`` for each field a step wrote without declaring it.
    """

    def __init__(
        self,
        catalog: Catalog,
        *,
        available: Iterable[str] | None = None,
        data: WizardData | None = None,
    ) -> None:
        self.catalog = catalog
        self._available = (
            frozenset(StepId) if available is None else frozenset(StepId(a) for a in available)
        )
        if StepId.PLATFORM not in self._available:
            raise InputError(
                "wizard.no_start",
                "The wizard cannot start without its first page.",
                "This is a bug in gpudesk: please report it.",
            )
        self.current: StepId = StepId.PLATFORM
        self.history: list[StepId] = []
        self.data: WizardData = WizardData() if data is None else data
        self.writes: dict[StepId, set[str]] = {}
        self.undeclared: list[tuple[StepId, str]] = []

    def __repr__(self) -> str:
        shown = {
            name: _MASK if is_sensitive(name) else value
            for name, value in self.data.saved_fields().items()
        }
        history = [step.value for step in self.history]
        return f"WizardFlow(current={self.current.value!r}, history={history!r}, data={shown!r})"

    def note_writes(self) -> None:
        """Book the fields written since the last note against the current step."""
        written = self.data.take_written()
        self.writes.setdefault(self.current, set()).update(written)
        for name in sorted(written - _BY_ID[self.current].produces):
            log.error("wizard: step %s wrote %s, which it does not declare", self.current, name)
            self.undeclared.append((self.current, name))

    # --- rules ------------------------------------------------------------------------------

    def is_available(self, step: StepId) -> bool:
        """True when the UI can show ``step``."""
        return step in self._available

    def missing(self, step: StepId) -> list[str]:
        """The data keys ``step`` needs that are not set yet (sorted)."""
        return sorted(name for name in _BY_ID[step].needs if not self.data.is_set(name))

    def _platform_has_ssh(self) -> bool:
        platform_id = self.data.platform_id
        if not isinstance(platform_id, str) or platform_id not in self.catalog.ids:
            return True
        return self.catalog.by_id(platform_id).has_ssh

    def _lends_known_gpus(self) -> bool:
        """True when gpudesk knows which GPUs the chosen platform lends (Kaggle's P100 or T4s)."""
        platform_id = self.data.platform_id
        if not isinstance(platform_id, str) or platform_id not in self.catalog.ids:
            return False
        return self.catalog.extras_for(platform_id).gpus.known

    def _successor(self, step: StepId) -> StepId | None:
        if step is StepId.PLATFORM:
            if self.data.have_instance:
                return StepId.CONNECT
            if self._platform_has_ssh():
                return StepId.GPU
            # Without SSH the estimator still answers "does my model fit its GPUs?".
            return StepId.GPU if self._lends_known_gpus() else StepId.NO_SSH
        if step is StepId.GPU and not self._platform_has_ssh():
            return StepId.NO_SSH
        if step in MAIN_PATH and step is not MAIN_PATH[-1]:
            return MAIN_PATH[MAIN_PATH.index(step) + 1]
        return None

    def following(self, step: StepId) -> StepId | None:
        """The available step after ``step`` with the current data, or None at the end."""
        candidate = self._successor(step)
        while candidate is not None and not self.is_available(candidate):
            candidate = self._successor(candidate)
        return candidate

    def next_step(self) -> StepId | None:
        """The step Next leads to, or None when the current step ends the wizard."""
        return None if _BY_ID[self.current].terminal else self.following(self.current)

    def is_last(self) -> bool:
        """True when the current step ends the wizard (the UI shows Finish)."""
        return self.next_step() is None

    def can_go_back(self) -> bool:
        """True when there is a step to go back to."""
        return bool(self.history)

    def planned_steps(self) -> list[StepId]:
        """History, current step and the steps still ahead with today's data (for a breadcrumb)."""
        steps = [*self.history, self.current]
        upcoming = self.next_step()
        while upcoming is not None and upcoming not in steps:
            steps.append(upcoming)
            upcoming = None if _BY_ID[upcoming].terminal else self.following(upcoming)
        return steps

    # --- moving -----------------------------------------------------------------------------

    def go_next(self) -> StepId:
        """Move to the next step and return it.

        Raises:
            InputError: ``wizard.at_end`` on a terminal step, ``wizard.incomplete`` when the
                next step's needs are not in the data.
        """
        upcoming = self.next_step()
        if upcoming is None:
            raise InputError(
                "wizard.at_end", "This is the last step of the wizard.", "Press Finish."
            )
        self._enter(upcoming, push=True)
        return upcoming

    def go_back(self) -> StepId:
        """Return to the previous step (its choices are kept) and return it.

        Raises:
            InputError: ``wizard.at_start`` when there is no previous step.
        """
        if not self.history:
            raise InputError(
                "wizard.at_start",
                "This is the first step of the wizard.",
                "Press Next to go on.",
            )
        self.note_writes()
        previous = self.history.pop()
        log.info("wizard: back %s -> %s", self.current.value, previous.value)
        self.current = previous
        return previous

    def jump_to_connect(self) -> StepId:
        """The "I already have an instance" shortcut: from the platform step to Connect.

        A chosen platform without SSH is forgotten (the instance must have SSH).
        """
        if self.current is not StepId.PLATFORM:
            raise InputError(
                "wizard.no_shortcut",
                "The shortcut starts at the platform step.",
                "Go back to the first step, then use the shortcut.",
            )
        self.data.have_instance = True
        if not self._platform_has_ssh():
            self.data.platform_id = None
        return self.go_next()

    def _enter(self, step: StepId, *, push: bool) -> None:
        missing = self.missing(step)
        if missing:
            raise InputError(
                "wizard.incomplete",
                f"The step '{step.value}' needs {', '.join(missing)} first.",
                "Complete the current page before going on.",
            )
        log.info("wizard: next %s -> %s", self.current.value, step.value)
        self.note_writes()
        if push:
            self.history.append(self.current)
        self.current = step

    def reset(self) -> None:
        """Start again at the first step with no data (``data`` is emptied, not replaced)."""
        self.current = StepId.PLATFORM
        self.history = []
        self.data.clear()  # in place: the UI shares this object with its pages
        self.data.take_written()

    # --- saved progress ---------------------------------------------------------------------

    def to_progress(self) -> dict[str, Any]:
        """The progress as a JSON object: steps and the non-sensitive, plain-JSON data."""
        data = self.data.saved_fields()
        return {
            "version": PROGRESS_VERSION,
            "current": self.current.value,
            "history": [step.value for step in self.history],
            "data": data,
        }

    def restore(self, progress: Any) -> bool:
        """Resume from :meth:`to_progress` output; False (and a fresh start) if unusable.

        The flow resumes at the saved step, or at the latest earlier step whose needs the
        saved data still meets (e.g. Connect when the check result, which is not saved, is
        needed). Unknown fields and platforms no longer in the catalog are dropped.
        """
        self.reset()
        parsed = _parse_progress(progress)
        if parsed is None:
            return False
        steps, data = parsed
        self.data.restore_fields(data)
        if self.data.platform_id not in (None, *self.catalog.ids):
            log.info("wizard: saved platform is no longer in the catalog")
            self.data.platform_id = None
        self.data.take_written()
        for end in range(len(steps), 0, -1):
            candidate = steps[end - 1]
            trail = steps[:end]
            if all(self.is_available(s) and not self.missing(s) for s in trail):
                self.history, self.current = trail[:-1], candidate
                log.info("wizard: resumed at %s", candidate.value)
                return True
        self.reset()
        return False


def _parse_progress(progress: Any) -> tuple[list[StepId], dict[str, Any]] | None:
    if not isinstance(progress, dict) or progress.get("version") != PROGRESS_VERSION:
        return None
    data = progress.get("data")
    history = progress.get("history")
    if not isinstance(data, dict) or not isinstance(history, list):
        return None
    try:
        steps = [StepId(value) for value in [*history, progress.get("current")]]
    except ValueError:
        log.info("wizard: saved progress names an unknown step; starting again")
        return None
    return steps, data


def save_progress(flow: WizardFlow, path: Path | None = None) -> None:
    """Store the flow's progress under :data:`STATE_KEY` in ``state.json`` (other keys kept).

    Raises:
        FileWriteError: The state file could not be written.
    """
    write_progress(flow.to_progress(), path)


def write_progress(progress: dict[str, Any], path: Path | None = None) -> None:
    """Store ``progress`` (a :meth:`WizardFlow.to_progress` snapshot) as :func:`save_progress`
    does; a snapshot can be written on another thread while the flow goes on.

    Raises:
        FileWriteError: The state file could not be written.
    """
    state = load_state(path)
    state[STATE_KEY] = progress
    # Belt and braces: the filter above already dropped secrets; refuse if one slipped in.
    if any(is_sensitive(key) for key in state[STATE_KEY]["data"]):
        raise InputError(
            "wizard.secret_in_progress",
            "Refusing to save a secret as progress.",
            "This is a bug in gpudesk: please report it.",
        )
    json.dumps(state)
    save_state(state, path)


def load_progress(flow: WizardFlow, path: Path | None = None) -> bool:
    """Restore ``flow`` from ``state.json``; False when there is no usable saved progress."""
    return flow.restore(load_state(path).get(STATE_KEY))


def clear_progress(path: Path | None = None) -> None:
    """Forget the saved progress (the wizard was finished or cancelled)."""
    state = load_state(path)
    if STATE_KEY in state:
        del state[STATE_KEY]
        save_state(state, path)
