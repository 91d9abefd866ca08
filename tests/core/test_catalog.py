"""The platform catalog: the bundled files load, validate, match hosts and fail clearly."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from gpudesk.core import resources
from gpudesk.core.catalog.platforms import (
    Catalog,
    build_catalog,
    default_catalog,
    load_catalog,
    parse_platform,
)
from gpudesk.core.errors import InputError
from gpudesk.core.models import Access, Platform
from gpudesk.core.ssh.sshcommand import match_platform

PLATFORMS_DIR = resources.resource_path("platforms")
SEED_IDS = ("luchen", "deepln", "autodl", "colab", "kaggle", "jiutian", "openi")


@pytest.fixture
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def platforms_copy(tmp_path: Path) -> Path:
    target = tmp_path / "platforms"
    shutil.copytree(PLATFORMS_DIR, target)
    return target


_DELETE = object()


def _edit(path: Path, **changes: object) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is _DELETE:
            del data[key]
        else:
            data[key] = value
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_every_seed_platform_loads_in_the_seed_order(catalog: Catalog) -> None:
    assert catalog.ids == SEED_IDS
    assert len(catalog.platforms) == len(catalog.extras)
    assert len(set(catalog.ids)) == len(catalog.ids)


def test_every_file_is_one_platform_named_after_its_id() -> None:
    files = sorted(PLATFORMS_DIR.glob("*.json"))
    assert {path.stem for path in files} == set(SEED_IDS)
    for path in files:
        assert json.loads(path.read_text(encoding="utf-8"))["id"] == path.stem


def test_every_platform_field_is_present_in_every_file() -> None:
    names = {field.name for field in fields(Platform)}
    for path in PLATFORMS_DIR.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert names <= set(data), f"{path.name} lacks {sorted(names - set(data))}"
        assert data["last_checked"] == "2026-11-28"


def test_every_fact_cites_a_source(catalog: Catalog) -> None:
    cited_required = {field.name for field in fields(Platform)} - {"id", "last_checked"}
    for platform, extras in zip(catalog.platforms, catalog.extras, strict=True):
        cited = {name for source in extras.sources for name in source.fields}
        assert cited_required <= cited, (platform.id, sorted(cited_required - cited))
        assert all(source.source for source in extras.sources)


def test_ssh_platforms_have_workdir_user_and_comparison(catalog: Catalog) -> None:
    ssh = catalog.with_ssh()
    assert {platform.id for platform in ssh} == {"luchen", "autodl", "deepln"}
    for platform in ssh:
        assert platform.default_user == "root"
        assert platform.workdir.startswith("/")
        assert catalog.extras_for(platform.id).comparison.ssh is True
        assert catalog.extras_for(platform.id).comparison.vscode == "remote_ssh"
    for platform in catalog.platforms:
        if not platform.has_ssh:
            assert platform.access is Access.WEB_NOTEBOOK
            assert platform.default_user is None
            assert platform.host_patterns == ()
            assert catalog.extras_for(platform.id).comparison.ssh is False


def test_platform_facts_from_platforms_md(catalog: Catalog) -> None:
    autodl = catalog.by_id("autodl")
    assert autodl.tensorboard_logdir == "/root/tf-logs"
    assert "/root/autodl-fs" in autodl.persistent_dirs
    assert autodl.host_patterns == ("*.seetacloud.com", "*.gpuhub.com", "*.autodl.com")
    assert catalog.by_id("luchen").workdir == "/root/notebook"
    assert catalog.by_id("luchen").host_patterns == ()
    assert catalog.by_id("deepln").workdir == "/data"
    assert catalog.by_id("colab").workdir == "/content"
    assert catalog.by_id("kaggle").workdir == "/kaggle/working"
    assert catalog.extras_for("colab").comparison.max_session_hours == 12
    assert catalog.extras_for("openi").comparison.max_session_hours == 4
    assert catalog.extras_for("jiutian").comparison.vscode == "web"
    for platform in catalog.platforms:
        assert platform.tensorboard_logdir is None or platform.id == "autodl"
        assert platform.notes and len(platform.notes) == len(platform.notes_zh)


def test_by_id_lists_valid_ids_on_error(catalog: Catalog) -> None:
    assert catalog.by_id("kaggle").name == "Kaggle"
    with pytest.raises(InputError) as caught:
        catalog.by_id("vastai")
    assert caught.value.code == "catalog.unknown_platform"
    assert "vastai" in caught.value.message
    for platform_id in SEED_IDS:
        assert platform_id in caught.value.hint


def test_default_catalog_is_cached() -> None:
    assert default_catalog() is default_catalog()
    assert default_catalog().ids == SEED_IDS


def test_broken_json_names_the_file(platforms_copy: Path) -> None:
    broken = platforms_copy / "kaggle.json"
    broken.write_text('{"id": "kaggle", ', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_catalog(platforms_copy)
    assert "kaggle.json" in caught.value.message
    assert caught.value.code == "resource.invalid_json"


def test_missing_field_names_file_and_field(platforms_copy: Path) -> None:
    _edit(platforms_copy / "autodl.json", workdir=_DELETE)
    with pytest.raises(InputError) as caught:
        load_catalog(platforms_copy)
    assert "autodl.json" in caught.value.message
    assert "'workdir'" in caught.value.message
    assert caught.value.code == "resource.missing_field"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"access": "telnet"}, "access"),
        ({"default_user": None}, "default_user"),
        ({"host_patterns": ["*"]}, "host_patterns"),
        ({"host_patterns": ["*seetacloud.com"]}, "host_patterns"),
        ({"url": "http://www.autodl.com/"}, "url"),
        ({"last_checked": "yesterday"}, "last_checked"),
        ({"id": "other"}, "id"),
        ({"web_tools": ["telepathy"]}, "web_tools"),
        ({"notes": "not a list"}, "notes"),
        ({"free_quota": ""}, "free_quota"),
        ({"workdir": "relative/dir"}, "workdir"),
    ],
)
def test_invalid_field_names_file_and_field(
    platforms_copy: Path, changes: dict[str, object], field: str
) -> None:
    _edit(platforms_copy / "autodl.json", **changes)
    with pytest.raises(InputError) as caught:
        load_catalog(platforms_copy)
    assert "autodl.json" in caught.value.message
    assert field in caught.value.message


def test_comparison_must_agree_with_access(platforms_copy: Path) -> None:
    path = platforms_copy / "colab.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["comparison"]["ssh"] = True
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match=r"colab\.json.*comparison\.ssh"):
        load_catalog(platforms_copy)


def test_extra_platform_file_is_loaded_and_unknown_keys_ignored(platforms_copy: Path) -> None:
    data = json.loads((platforms_copy / "autodl.json").read_text(encoding="utf-8"))
    data.update(id="newcloud", name="New Cloud", host_patterns=["*.newcloud.example"])
    data["some_future_key"] = {"anything": 1}
    del data["order"], data["comparison"], data["sources"]
    (platforms_copy / "newcloud.json").write_text(json.dumps(data), encoding="utf-8")
    catalog = load_catalog(platforms_copy)
    assert catalog.ids == (*SEED_IDS, "newcloud")
    assert catalog.extras_for("newcloud").comparison.price_level == "unknown"
    matched = match_platform("gpu1.newcloud.example", catalog.platforms)
    assert matched is not None
    assert matched.id == "newcloud"


def test_duplicate_ids_are_rejected() -> None:
    parsed = parse_platform(PLATFORMS_DIR / "kaggle.json")
    with pytest.raises(InputError) as caught:
        build_catalog([parsed, parsed])
    assert caught.value.code == "catalog.duplicate_id"
    assert "kaggle" in caught.value.message


def test_empty_directory_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_catalog(tmp_path)
    assert caught.value.code == "catalog.empty"


def test_resource_path_from_source_and_frozen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo_root = Path(resources.__file__).resolve().parents[2]  # gpudesk/core/resources.py
    assert resources.resource_path("platforms") == repo_root / "resources" / "platforms"
    assert resources.resource_path("gpus.json").is_file()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resource_path("images.json") == tmp_path / "resources" / "images.json"
