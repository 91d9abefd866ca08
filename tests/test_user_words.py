"""No internal words in what users read: bundled resource texts and every translation.

The catalog's ``source`` fields are provenance for maintainers and may name files and
tutorials; everything else in ``resources/platforms``, ``images.json`` and ``gpus.json``, and
every string of the Qt translation file, can reach the screen. Sources are named the way a
guide names them ("as of 2024, per a community tutorial"), never by our own words for them.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
#: Keys whose values are provenance or identifiers, not text a user reads.
NOT_SHOWN = {"source", "sources", "id", "match", "host_patterns", "fields", "image_id", "notes"}
INTERNAL = re.compile(
    r"\bseed\b|原教程|base-image-|附录|appendix|platforms\.md|providers\.md|our sources"
    r"|资料未|资料中未"
    r"|GPU-platform-usage|tutor\.md|\d 分钟 后",
    re.IGNORECASE,
)


def _texts(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{where}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in NOT_SHOWN:
                yield from _texts(item, f"{where}.{key}")


def resource_texts() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for path in sorted((RESOURCES / "platforms").glob("*.json")):
        found += _texts(json.loads(path.read_text(encoding="utf-8")), path.name)
    images = json.loads((RESOURCES / "images.json").read_text(encoding="utf-8"))
    found += _texts(images["images"], "images.json")
    gpus = json.loads((RESOURCES / "gpus.json").read_text(encoding="utf-8"))
    found += _texts(gpus["gpus"], "gpus.json")
    return found


def translation_texts() -> list[tuple[str, str]]:
    tree = ET.parse(RESOURCES / "i18n" / "gpudesk_zh_CN.ts")  # noqa: S314 - our own file
    found = []
    for message in tree.iter("message"):
        for tag in ("source", "translation"):
            node = message.find(tag)
            if node is not None and node.text:
                found.append((f"{tag}: {message.findtext('source', '')[:40]}", node.text))
    return found


@pytest.mark.parametrize("texts", [resource_texts, translation_texts], ids=["resources", "ts"])
def test_no_internal_words_reach_the_user(texts: Any) -> None:
    collected = texts()
    assert len(collected) > 50  # the files were read
    offending = [(where, text) for where, text in collected if INTERNAL.search(text)]
    assert offending == []


#: Our notes' own names, which even the provenance fields (``source``, ``notes``) cite as a reader
#: would ("a 2024 community tutorial", "AutoDL's API documentation").
NOTES_NAMES = re.compile(
    r"\bseed\b|platforms\.md|providers\.md|our sources|GPU-platform-usage|tutor\.md|appendix"
)


def provenance_texts() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    files = [*sorted((RESOURCES / "platforms").glob("*.json")), RESOURCES / "images.json"]
    for path in files:
        found += _all_strings(json.loads(path.read_text(encoding="utf-8")), path.name)
    return found


def _all_strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _all_strings(item, f"{where}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _all_strings(item, f"{where}.{key}")


def test_sources_cite_as_a_reader_would() -> None:
    collected = provenance_texts()
    assert any(where.endswith(".source") for where, _ in collected)  # the fields were read
    assert [(w, t) for w, t in collected if NOTES_NAMES.search(t)] == []


def test_image_notes_do_not_repeat_the_typical_choice_tag() -> None:
    """The image page already tags typical images; their notes must not say it again."""
    for _where, text in _texts(
        json.loads((RESOURCES / "images.json").read_text(encoding="utf-8"))["images"], ""
    ):
        assert "常见选择" not in text and "Typical choice" not in text


def test_the_pattern_catches_what_it_is_for() -> None:
    for bad in ("GPUs sold out (seed).", "原教程（2024）", "base-image-l2t43iu6uk", "1 分钟 后"):
        assert INTERNAL.search(bad), bad
    assert not INTERNAL.search("as of 2024, per a community tutorial")
