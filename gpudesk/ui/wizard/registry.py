"""Which page shows which step of the wizard (step id -> page class).

The core flow (``gpudesk.core.wizard``) knows every step; the UI shows only the steps
registered here and the flow skips the others. A new step adds its page's import and one
line to :data:`PAGES`; nothing else in the wizard changes.
"""

from __future__ import annotations

from gpudesk.ui.wizard.connect_page import ConnectPage
from gpudesk.ui.wizard.editor_page import EditorPage
from gpudesk.ui.wizard.gpu_page import GpuPage
from gpudesk.ui.wizard.image_page import ImagePage
from gpudesk.ui.wizard.key_page import KeyPage
from gpudesk.ui.wizard.no_ssh_page import NoSshPage
from gpudesk.ui.wizard.page import WizardPage
from gpudesk.ui.wizard.platform_page import PlatformPage
from gpudesk.ui.wizard.summary_page import SummaryPage

#: Step id -> page class. Steps of the core flow missing here are skipped.
PAGES: dict[str, type[WizardPage]] = {
    "platform": PlatformPage,
    "gpu": GpuPage,
    "image": ImagePage,
    "connect": ConnectPage,
    "key": KeyPage,
    "editor": EditorPage,
    "summary": SummaryPage,
    "no_ssh": NoSshPage,
}


def page_class(step_id: str) -> type[WizardPage] | None:
    """The page class of a step, or None when the step has no page yet."""
    return PAGES.get(step_id)
