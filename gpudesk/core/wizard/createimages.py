"""The images the wizard's create step offers: AutoDL's documented public images and yours.

No Qt. AutoDL's create call takes an ``image_uuid``. The documented public base images are
the catalog images (``resources/images.json``) with an AutoDL ``image_id``; the account's
private images come from the API. A public image is shown by what it holds ("PyTorch 2.0.0 ·
CUDA 11.8 · Python 3.8"), never by its id, and carries the CUDA floor it needs
(``cuda_v_from``: 118 for a CUDA 11.8 build), so the floor sent with it is consistent.

AutoDL documents no PyTorch 2.1 image: for 2.1 or newer the honest choices are a private image
or an image id copied from AutoDL's console (the create box says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gpudesk.core.catalog.images import ImageChoice, default_images, version_tuple
from gpudesk.core.wizard.account import AUTODL, CUDA_FLOORS, AccountImage

__all__ = [
    "CreateImage",
    "create_images",
    "cuda_floor_of",
    "documented_images",
]


@dataclass(frozen=True)
class CreateImage:
    """One image the create call can take.

    Attributes:
        image_uuid: The value sent as ``image_uuid`` (never the label).
        public: True for a documented AutoDL public image, False for a private one.
        name: The private image's name (empty for public images and unnamed ones).
        contents: What a public image holds, e.g. ``("PyTorch 2.0.0", "CUDA 11.8", ...)``.
        cuda_from: The CUDA floor the image needs (118 = 11.8), None when not known.
    """

    image_uuid: str
    public: bool
    name: str = ""
    contents: tuple[str, ...] = ()
    cuda_from: int | None = None


def cuda_floor_of(cuda: str | None) -> int | None:
    """The create call's CUDA floor for a CUDA version: ``"11.8"`` -> 118 (None if not offered)."""
    version = version_tuple(cuda or "")
    if len(version) < 2:
        return None
    floor = version[0] * 10 + version[1]
    return floor if floor in CUDA_FLOORS else None


def _public(image: ImageChoice) -> CreateImage | None:
    if image.image_id is None or AUTODL not in image.platforms:
        return None
    return CreateImage(
        image_uuid=image.image_id,
        public=True,
        contents=image.label_parts,
        cuda_from=cuda_floor_of(image.cuda),
    )


def documented_images(images: Sequence[ImageChoice] | None = None) -> list[CreateImage]:
    """AutoDL's documented public images, from the image catalog."""
    pool = default_images() if images is None else images
    return [found for found in (_public(image) for image in pool) if found is not None]


def create_images(
    private: Sequence[AccountImage], images: Sequence[ImageChoice] | None = None
) -> list[CreateImage]:
    """The documented public images, then the account's private ones (no id twice)."""
    offered = documented_images(images)
    seen = {image.image_uuid for image in offered}
    for image in private:
        if image.image_uuid not in seen:
            seen.add(image.image_uuid)
            offered.append(CreateImage(image.image_uuid, public=False, name=image.name))
    return offered
