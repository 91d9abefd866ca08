"""The platform catalog: one reviewable JSON file per platform in ``resources/platforms``.

Each file holds every field of :class:`~gpudesk.core.models.Platform` plus an ``order``
(the seed tutorial's order: luchen, deepln, autodl, colab, kaggle, jiutian, openi), a
``comparison`` object for a side-by-side table, a ``gpus`` object saying which GPUs it is
known to rent (:mod:`gpudesk.core.catalog.rentals`) and a ``sources`` list saying where each
fact came from. Any other ``*.json`` dropped into the directory is loaded too, so adding a platform
is adding a file. Unknown keys are ignored; required ones are validated and every error
names the file and the field.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gpudesk.core.catalog.gpus import default_gpus
from gpudesk.core.catalog.rentals import PlatformGpus, parse_platform_gpus
from gpudesk.core.errors import InputError
from gpudesk.core.models import Access, Platform
from gpudesk.core.resources import JsonFields, read_json, resource_path

#: Words allowed in ``web_tools`` (the UI translates them).
WEB_TOOLS = frozenset(
    {"jupyterlab", "jupyter", "notebook", "vscode_web", "autopanel", "web_terminal"}
)
#: Values of ``comparison.price_level``.
PRICE_LEVELS = frozenset({"free", "freemium", "paid", "unknown"})
#: Values of ``comparison.vscode``: Remote-SSH, VS Code in the browser, or neither.
VSCODE_MODES = frozenset({"remote_ssh", "web", "none"})

_ID_RE = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
# A host pattern is a DNS name, optionally behind "*." (nothing broader, so a pattern can
# never match a look-alike such as evil-seetacloud.com.attacker.net).
_HOST_PATTERN_RE = re.compile(r"^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$")
_DEFAULT_ORDER = 1000


@dataclass(frozen=True)
class Comparison:
    """What a side-by-side comparison table shows for one platform.

    Attributes:
        price_level: ``free``, ``freemium`` (free tier plus paid plans), ``paid`` or ``unknown``.
        price_note: One line on price (never a made-up number), English and Chinese.
        ssh: Whether users get an SSH login (agrees with ``Platform.access``).
        vscode: ``remote_ssh``, ``web`` (VS Code in the browser) or ``none``.
        jupyter: Whether a web Jupyter is offered.
        max_session_hours: Hard session limit in hours, or None when none is known.
        max_session: The session limit in words, English and Chinese.
        gpus: Which GPUs one gets, in words, English and Chinese.
    """

    price_level: str
    price_note: str
    price_note_zh: str
    ssh: bool
    vscode: str
    jupyter: bool
    max_session_hours: float | None
    max_session: str
    max_session_zh: str
    gpus: str
    gpus_zh: str


@dataclass(frozen=True)
class Source:
    """Where the facts in ``fields`` came from (free text, e.g. "platforms.md")."""

    fields: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class PlatformExtras:
    """Catalog data beyond :class:`Platform`: comparison row, sources, display order, GPUs."""

    order: int
    comparison: Comparison
    sources: tuple[Source, ...]
    gpus: PlatformGpus = field(default_factory=PlatformGpus)


@dataclass(frozen=True)
class Catalog:
    """The loaded platforms, in display order, with their extras.

    Attributes:
        platforms: Every platform, sorted by ``order`` then id.
        extras: Extras for each platform, aligned with ``platforms``.
    """

    platforms: tuple[Platform, ...]
    extras: tuple[PlatformExtras, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        """The platform ids in display order."""
        return tuple(platform.id for platform in self.platforms)

    def _index(self, platform_id: str) -> int:
        for index, platform in enumerate(self.platforms):
            if platform.id == platform_id:
                return index
        raise InputError(
            "catalog.unknown_platform",
            f"Unknown platform '{platform_id}'.",
            f"Use one of: {', '.join(self.ids)}.",
        )

    def by_id(self, platform_id: str) -> Platform:
        """The platform with this id.

        Raises:
            InputError: No such platform; the hint lists the valid ids.
        """
        return self.platforms[self._index(platform_id)]

    def extras_for(self, platform_id: str) -> PlatformExtras:
        """Comparison row, sources and order of one platform (same errors as ``by_id``)."""
        return self.extras[self._index(platform_id)]

    def with_ssh(self) -> tuple[Platform, ...]:
        """The platforms that offer an SSH login."""
        return tuple(platform for platform in self.platforms if platform.has_ssh)


def _parse_comparison(fields: JsonFields, access: Access) -> Comparison:
    has_ssh = access is Access.SSH
    if not fields.has("comparison"):
        # Room for new platforms: a file without a comparison row still loads.
        return Comparison(
            price_level="unknown",
            price_note="",
            price_note_zh="",
            ssh=has_ssh,
            vscode="remote_ssh" if has_ssh else "none",
            jupyter=False,
            max_session_hours=None,
            max_session="",
            max_session_zh="",
            gpus="",
            gpus_zh="",
        )
    row = fields.child("comparison")
    comparison = Comparison(
        price_level=row.string("price_level"),
        price_note=row.string("price_note", allow_empty=True),
        price_note_zh=row.string("price_note_zh", allow_empty=True),
        ssh=row.boolean("ssh"),
        vscode=row.string("vscode"),
        jupyter=row.boolean("jupyter"),
        max_session_hours=row.optional_number("max_session_hours"),
        max_session=row.string("max_session", allow_empty=True),
        max_session_zh=row.string("max_session_zh", allow_empty=True),
        gpus=row.string("gpus", allow_empty=True),
        gpus_zh=row.string("gpus_zh", allow_empty=True),
    )
    if comparison.price_level not in PRICE_LEVELS:
        row.fail("comparison.price_level", f"must be one of {sorted(PRICE_LEVELS)}")
    if comparison.vscode not in VSCODE_MODES:
        row.fail("comparison.vscode", f"must be one of {sorted(VSCODE_MODES)}")
    if comparison.ssh != has_ssh:
        row.fail("comparison.ssh", f"must agree with access '{access.value}'")
    if comparison.max_session_hours is not None and comparison.max_session_hours <= 0:
        row.fail("comparison.max_session_hours", "must be positive or null")
    return comparison


def _parse_sources(fields: JsonFields) -> tuple[Source, ...]:
    if not fields.has("sources"):
        return ()
    return tuple(
        Source(fields=entry.strings("fields"), source=entry.string("source"))
        for entry in fields.objects("sources")
    )


def _check_url(fields: JsonFields, key: str) -> str:
    value = fields.string(key)
    if not value.startswith("https://"):
        fields.fail(key, "must be an https:// URL")
    return value


def _parse_access(fields: JsonFields) -> Access:
    value = fields.string("access")
    try:
        return Access(value)
    except ValueError:
        fields.fail("access", f"must be one of {[item.value for item in Access]}")


def parse_platform(path: Path) -> tuple[Platform, PlatformExtras]:
    """Read and validate one platform file.

    Args:
        path: A ``<id>.json`` file; the id inside must equal the file name's stem.

    Returns:
        The platform and its extras.

    Raises:
        InputError: The file is unreadable, not JSON, or a field is missing or invalid.
    """
    fields = JsonFields(read_json(path), path)
    platform_id = fields.string("id")
    if not _ID_RE.match(platform_id):
        fields.fail("id", "must be lowercase letters, digits, '-' or '_'")
    if platform_id != path.stem:
        fields.fail("id", f"must equal the file name '{path.stem}'")
    access = _parse_access(fields)
    web_tools = fields.strings("web_tools")
    unknown_tools = sorted(set(web_tools) - WEB_TOOLS)
    if unknown_tools:
        fields.fail("web_tools", f"has unknown entries {unknown_tools}; known: {sorted(WEB_TOOLS)}")
    host_patterns = fields.strings("host_patterns")
    for pattern in host_patterns:
        if not _HOST_PATTERN_RE.match(pattern):
            fields.fail("host_patterns", f"entry '{pattern}' must look like '*.example.com'")
    default_user = fields.nullable_string("default_user")
    workdir = fields.string("workdir")
    persistent_dirs = fields.strings("persistent_dirs")
    for directory in (workdir, *persistent_dirs):
        if not directory.startswith("/"):
            fields.fail("workdir/persistent_dirs", f"'{directory}' must be an absolute path")
    if access is Access.SSH and default_user is None:
        fields.fail("default_user", "must be set for an SSH platform")
    last_checked = fields.string("last_checked")
    try:
        dt.date.fromisoformat(last_checked)
    except ValueError:
        fields.fail("last_checked", "must be a date like 2026-11-28")
    order = fields.optional_number("order")
    platform = Platform(
        id=platform_id,
        name=fields.string("name"),
        name_zh=fields.string("name_zh"),
        url=_check_url(fields, "url"),
        console_url=_check_url(fields, "console_url"),
        access=access,
        web_tools=web_tools,
        host_patterns=tuple(pattern.lower() for pattern in host_patterns),
        default_user=default_user,
        workdir=workdir,
        persistent_dirs=persistent_dirs,
        tensorboard_logdir=fields.nullable_string("tensorboard_logdir"),
        free_quota=fields.string("free_quota"),
        free_quota_zh=fields.string("free_quota_zh"),
        limits=fields.string("limits"),
        limits_zh=fields.string("limits_zh"),
        typical_use=fields.string("typical_use"),
        typical_use_zh=fields.string("typical_use_zh"),
        notes=fields.strings("notes"),
        notes_zh=fields.strings("notes_zh"),
        docs_url=_check_url(fields, "docs_url"),
        last_checked=last_checked,
        power_off_command=fields.optional_string("power_off_command"),
    )
    extras = PlatformExtras(
        order=_DEFAULT_ORDER if order is None else int(order),
        comparison=_parse_comparison(fields, access),
        sources=_parse_sources(fields),
        gpus=parse_platform_gpus(fields, frozenset(gpu.name for gpu in default_gpus())),
    )
    return platform, extras


def build_catalog(entries: Iterable[tuple[Platform, PlatformExtras]]) -> Catalog:
    """Sort parsed entries into a :class:`Catalog`, rejecting duplicate ids."""
    ordered = sorted(entries, key=lambda entry: (entry[1].order, entry[0].id))
    seen: set[str] = set()
    for platform, _extras in ordered:
        if platform.id in seen:
            raise InputError(
                "catalog.duplicate_id",
                f"Two catalog entries have the id '{platform.id}'.",
                "Give every platform file a unique id.",
            )
        seen.add(platform.id)
    return Catalog(
        platforms=tuple(platform for platform, _ in ordered),
        extras=tuple(extras for _, extras in ordered),
    )


def load_catalog(directory: Path | None = None) -> Catalog:
    """Load every ``*.json`` platform file of a directory.

    Args:
        directory: Where the files are; ``resources/platforms`` when None.

    Returns:
        The catalog, in display order.

    Raises:
        InputError: The directory has no platform files, or one of them is invalid (the
            message names the file and the field).
    """
    folder = resource_path("platforms") if directory is None else directory
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        raise InputError(
            "catalog.empty",
            f"No platform files (*.json) found in {folder}.",
            "Reinstall gpudesk or restore resources/platforms from the repository.",
        )
    return build_catalog(parse_platform(path) for path in files)


@functools.cache
def default_catalog() -> Catalog:
    """The bundled catalog, loaded once per process."""
    return load_catalog()
