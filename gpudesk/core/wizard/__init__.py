"""The set-up wizard as data, with no Qt (after electrum's ``wizard.py``).

Lives here: ``data`` (:class:`WizardData`, the typed choices and results the pages share)
and ``flow`` (:class:`WizardFlow`: the steps, what each needs and writes, the order,
back/next history and the saved progress), ``account`` (the AutoDL account path: documented
create choices, the login from the API, create-and-wait, linking, the prices of the
account's instances) and ``createimages`` (the images the create step offers: AutoDL's
documented public images, then the private ones). The pages in ``gpudesk.ui.wizard`` are
views.

May import every other core room.
"""

from gpudesk.core.wizard.data import EditorChoice, WizardData
from gpudesk.core.wizard.flow import (
    MAIN_PATH,
    PROGRESS_VERSION,
    SENSITIVE_KEYS,
    STATE_KEY,
    STEPS,
    Step,
    StepId,
    WizardFlow,
    clear_progress,
    is_sensitive,
    load_progress,
    save_progress,
    write_progress,
)

__all__ = [
    "MAIN_PATH",
    "PROGRESS_VERSION",
    "SENSITIVE_KEYS",
    "STATE_KEY",
    "STEPS",
    "EditorChoice",
    "Step",
    "StepId",
    "WizardData",
    "WizardFlow",
    "clear_progress",
    "is_sensitive",
    "load_progress",
    "save_progress",
    "write_progress",
]
