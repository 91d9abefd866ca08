"""Step 3, the image: what "choose an image (PyTorch 2.1 recommended)" means on a platform.

The image choices offered on the chosen platform (framework, CUDA, Python), with a
compatibility note for the chosen GPU from ``gpudesk.core.catalog.images.compatibility`` (a Tesla P4
wants torch <= 2.2; an RTX 4090 or H100 needs a CUDA >= 11.8 build). The choice is
``image_id``; "another image" (``other``) is fine too.

With the AutoDL account driving the wizard (``use_account``) the page shows the create box
(:class:`~gpudesk.ui.wizard.create_box.AccountCreateBox`) instead: Next creates the instance and
waits for it (``account_ref``), and the wizard goes on to Connect, which reads its login.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from gpudesk.core.catalog.gpus import GpuModel, default_gpus
from gpudesk.core.catalog.images import ImageChoice, Severity, compatibility, images_for
from gpudesk.core.providers.model import CreateRequest
from gpudesk.ui.i18n import localized
from gpudesk.ui.widgets.notice import Notice, clear_layout
from gpudesk.ui.widgets.scroll import scroll_area
from gpudesk.ui.widgets.text import fmt, scale_font
from gpudesk.ui.wizard.create_box import AccountCreateBox
from gpudesk.ui.wizard.page import WizardContext, WizardPage
from gpudesk.ui.wizard.texts import compat_text, level_of

OTHER_IMAGE = "other"


class ImagePage(WizardPage):
    """Pick the image the instance will boot with; see whether it suits the GPU."""

    step_id = "image"

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        intro = QLabel(
            self.tr(
                "When you create the instance, the console asks for an image: the system it "
                "starts with, that is a PyTorch build, the CUDA version it was built for, and "
                "Python. Pick the one you will choose there; gpudesk checks that it suits "
                "your GPU."
            )
        )
        intro.setWordWrap(True)
        self.group = QButtonGroup(self)
        self.group.buttonToggled.connect(self.on_group_button_toggled)
        self.choices_host = QWidget()
        self.choices = QVBoxLayout(self.choices_host)
        self.choices.setContentsMargins(0, 0, 0, 0)
        scroll = scroll_area(self.choices_host)
        self.compat_title = QLabel()
        scale_font(self.compat_title, bold=True)
        self.compat_host = QWidget()
        self.compat = QVBoxLayout(self.compat_host)
        self.compat.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.create_box = AccountCreateBox(context.services.secrets)
        self.create_box.busy_changed.connect(self.changed)
        self.create_box.failed.connect(self.changed)
        self.create_box.created.connect(self.on_create_box_created)
        self.intro, self.choices_scroll = intro, scroll
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.compat_title)
        layout.addWidget(self.compat_host)
        layout.addWidget(self.create_box)
        layout.addStretch(0)
        self._created: tuple[CreateRequest, str] | None = None
        self.images: list[ImageChoice] = []
        self.buttons: dict[str, QRadioButton] = {}
        self._platform: str | None = None

    def title(self) -> str:
        """The heading."""
        return self.tr("Choose an image")

    def _gpu(self) -> GpuModel | None:
        name = self.context.data.gpu_model
        return next((gpu for gpu in default_gpus() if gpu.name == name), None)

    def _fill(self, platform_id: str) -> None:
        clear_layout(self.choices)
        for button in self.group.buttons():
            self.group.removeButton(button)
        self.buttons = {}
        self.images = images_for(platform_id)
        for image in self.images:
            self._add_choice(image.id, image.label, self._describe(image, platform_id))
        self._add_choice(
            OTHER_IMAGE,
            self.tr("Another image"),
            self.tr("Not listed here: gpudesk will check what it has once you connect."),
        )
        self.choices.addStretch(1)
        self._platform = platform_id

    def _describe(self, image: ImageChoice, platform_id: str) -> str:
        tags = []
        if platform_id in image.recommended_on:
            tags.append(self.tr("Recommended by a 2024 community tutorial"))
        if image.typical:
            tags.append(self.tr("Typical choice: names differ by platform, check your console"))
        note = localized(image.note, image.note_zh)
        return " · ".join(tags) + ("\n" + note if note else "")

    def _add_choice(self, image_id: str, label: str, description: str) -> None:
        button = QRadioButton(label)
        button.setObjectName(f"image_{image_id}")
        scale_font(button, bold=True)
        text = QLabel(description)
        text.setWordWrap(True)
        text.setStyleSheet("color: #57606a; margin-left: 22px; margin-bottom: 6px;")
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.group.addButton(button)
        self.buttons[image_id] = button
        self.choices.addWidget(button)
        self.choices.addWidget(text)

    def selected(self) -> str | None:
        """The chosen image id (``other`` for an unlisted one)."""
        return next((i for i, b in self.buttons.items() if b.isChecked()), None)

    def choose(self, image_id: str) -> None:
        """Select an image by id."""
        button = self.buttons.get(image_id)
        if button is not None:
            button.setChecked(True)

    def _show_compatibility(self) -> None:
        clear_layout(self.compat)
        gpu = self._gpu()
        image = next((i for i in self.images if i.id == self.selected()), None)
        if gpu is None or image is None:
            self.compat_title.setText("")
            return
        self.compat_title.setText(fmt(self.tr("%1 on the %2:"), image.label, gpu.name))
        for note in compatibility(image, gpu):
            # Advice (keep numpy < 2, pip install torch) is not a success: no green tick.
            advice = note.severity is Severity.OK and note.code != "compat.ok"
            level = "info" if advice else level_of(note.severity)
            notice = Notice(level, compat_text(note, image, gpu))
            notice.setObjectName(f"compat_{note.code.removeprefix('compat.')}")
            notice.setToolTip(note.message)
            self.compat.addWidget(notice)

    def _creating(self) -> bool:
        return self.context.data.use_account and self.context.data.gpu_spec is not None

    def _request(self) -> CreateRequest:
        data = self.context.data
        return self.create_box.request(data.gpu_spec or "", data.gpu_count or 1)

    def on_enter(self) -> None:
        """List the platform's images and show the earlier choice."""
        creating = self._creating()
        for widget in (self.intro, self.choices_scroll, self.compat_title, self.compat_host):
            widget.setVisible(not creating)
        self.create_box.setVisible(creating)
        if creating:
            data = self.context.data
            self.create_box.show_choices(
                data.image_id, data.cuda_from, data.data_center, data.instance_name
            )
            self.create_box.load_images()
            if data.account_ref and self._created is None:  # resumed after creating it
                self._created = (self._request(), data.account_ref)
        platform_id = self.context.data.platform_id
        if isinstance(platform_id, str) and platform_id != self._platform:
            self._fill(platform_id)
        chosen = self.context.data.image_id
        if isinstance(chosen, str) and chosen in self.buttons:
            self.choose(chosen)
        elif self.images and self.selected() is None:
            self.choose(self.images[0].id)
        self._show_compatibility()

    def is_valid(self) -> bool:
        """An image (or "another image") must be chosen; creating: an image id."""
        if self._creating():
            return self.create_box.is_complete()
        return self.selected() is not None

    def is_busy(self) -> bool:
        """Busy while the instance is created and started."""
        return self.create_box.is_busy()

    def apply(self) -> None:
        """Record the image and, when creating, the rest of the request."""
        data = self.context.data
        if not self._creating():
            data.image_id = self.selected()
            data.cuda_from = data.data_center = data.instance_name = data.account_ref = None
            return
        request = self._request()
        data.image_id = request.image
        data.cuda_from = request.cuda_from
        data.data_center = request.data_centers[0] if request.data_centers else None
        data.instance_name = request.name or None
        # The same choices again (Back, then Next) reuse the instance created for them.
        same = self._created is not None and self._created[0] == request
        data.account_ref = self._created[1] if same and self._created else None

    def submit(self) -> bool:
        """Creating: create the instance and wait for it (``completed`` when it runs)."""
        if not self._creating() or self.context.data.account_ref:
            return False
        self.create_box.start(self._request())
        return True

    def cancel(self) -> None:
        """Stop waiting for a creation."""
        self.create_box.cancel()

    def on_create_box_created(self, ref: str) -> None:
        """The instance runs: remember it and go on to Connect."""
        self._created = (self._request(), ref)
        self.context.data.account_ref = ref
        self.completed.emit()

    def on_group_button_toggled(self, _button: QRadioButton, checked: bool) -> None:
        """Update the compatibility notes for the new choice."""
        if checked:
            self._show_compatibility()
            self.changed.emit()
