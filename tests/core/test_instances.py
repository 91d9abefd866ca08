"""Tests of gpudesk.core.store.instances: the instance store and alias rules."""

from __future__ import annotations

import dataclasses
import json
import stat
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gpudesk.core import paths
from gpudesk.core.errors import FileWriteError, InputError
from gpudesk.core.models import PortForward, SshTarget
from gpudesk.core.store.instances import (
    INSTANCES_VERSION,
    Instance,
    InstanceStore,
    new_host_key_alias,
    suggest_alias,
    validate_alias,
)

SECRET_WORDS = ("password", "token", "passphrase")


@pytest.fixture(autouse=True)
def _app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GPUDESK_HOME", str(tmp_path / "gpudesk"))


def make(alias: str = "autodl-4090", **changes: object) -> Instance:
    target = SshTarget(
        user="root",
        host="connect.westb.seetacloud.com",
        port=23456,
        identity_file="~/.ssh/gpudesk_ed25519",
        forwards=(PortForward(8888, "127.0.0.1", 8888),),
        platform_id="autodl",
    )
    base = Instance(
        alias=alias,
        target=target,
        platform_id="autodl",
        host_key_alias=new_host_key_alias(),
        key_path="/home/u/.ssh/gpudesk_ed25519",
        gpu_model="NVIDIA GeForce RTX 4090",
        price_per_hour=1.98,
        workdir="/root/autodl-tmp",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_crud_roundtrip() -> None:
    store = InstanceStore()
    assert store.path == paths.config_dir() / "instances.json"
    assert store.list() == [] and store.get("x") is None
    a = store.add(make("a", tunnels=({"local_port": 6006, "remote_port": 6006},)))
    b = store.add(make("b", price_per_hour=None, key_path=None))
    assert [i.alias for i in store.list()] == ["a", "b"]
    assert store.get("a") == a and store.get("A") == a
    assert InstanceStore().get("b") == b  # another store (another process) sees it
    updated = store.update(dataclasses.replace(a, gpu_model="H100", auto_connect=True))
    assert updated.created_at == a.created_at
    assert store.get("a") == updated and updated.auto_connect
    removed = store.remove("a")
    assert removed == updated and [i.alias for i in store.list()] == ["b"]


def test_file_format_and_mode() -> None:
    store = InstanceStore()
    inst = store.add(make())
    raw = json.loads(store.path.read_text())
    assert raw["version"] == INSTANCES_VERSION
    (entry,) = raw["instances"]
    assert entry["alias"] == "autodl-4090"
    assert entry["target"]["port"] == 23456
    assert entry["target"]["forwards"] == [
        {"local_port": 8888, "remote_host": "127.0.0.1", "remote_port": 8888}
    ]
    assert entry["host_key_alias"] == inst.host_key_alias
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_written_json_has_no_secret_keys() -> None:
    store = InstanceStore()
    store.add(make("a", tunnels=({"name": "jupyter", "local_port": 8888},)))
    store.add(make("b"))
    text = store.path.read_text().lower()
    for word in SECRET_WORDS:
        assert f'"{word}' not in text
    assert not {f.name for f in dataclasses.fields(Instance)} & set(SECRET_WORDS)


@pytest.mark.parametrize("key", ["password", "jupyter_token", "Passphrase", "client_secret"])
def test_secret_like_tunnel_keys_refused(key: str) -> None:
    store = InstanceStore()
    with pytest.raises(InputError) as info:
        store.add(make(tunnels=({"local_port": 8888, key: "hunter2"},)))
    assert info.value.code == "instance.secret_field"
    assert "hunter2" not in str(info.value)
    assert not store.path.exists()


def test_duplicate_alias_refused_case_insensitively() -> None:
    store = InstanceStore()
    store.add(make("autodl-4090"))
    with pytest.raises(InputError) as info:
        store.add(make("AutoDL-4090"))
    assert info.value.code == "instance.alias_taken"


def test_duplicate_host_key_alias_refused() -> None:
    store = InstanceStore()
    first = store.add(make("a"))
    with pytest.raises(InputError) as info:
        store.add(make("b", host_key_alias=first.host_key_alias))
    assert info.value.code == "instance.duplicate_id"


def test_update_and_remove_missing() -> None:
    store = InstanceStore()
    with pytest.raises(InputError) as info:
        store.update(make("ghost"))
    assert info.value.code == "instance.not_found"
    with pytest.raises(InputError):
        store.remove("ghost")


def test_rename_keeps_identity() -> None:
    store = InstanceStore()
    a = store.add(make("a"))
    store.add(make("b"))
    renamed = store.rename("a", "my-box")
    assert renamed.alias == "my-box"
    assert renamed.host_key_alias == a.host_key_alias == renamed.instance_id
    assert [i.alias for i in store.list()] == ["my-box", "b"]
    with pytest.raises(InputError):
        store.rename("my-box", "B")
    with pytest.raises(InputError):
        store.rename("my-box", "bad alias")
    assert store.rename("my-box", "My-Box").alias == "My-Box"  # a case change is fine


def test_writes_are_atomic_with_backup() -> None:
    store = InstanceStore()
    store.add(make("a"))
    store.add(make("b"))
    backup = store.path.with_name("instances.json.gpudesk-bak")
    assert [i["alias"] for i in json.loads(backup.read_text())["instances"]] == ["a"]
    assert not list(store.path.parent.glob("*.tmp"))


def test_concurrent_adds_lose_nothing() -> None:
    def add_many(prefix: str) -> None:
        store = InstanceStore()
        for n in range(15):
            store.add(make(f"{prefix}-{n}"))

    threads = [threading.Thread(target=add_many, args=(p,)) for p in ("x", "y")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(InstanceStore().list()) == 30


def test_corrupt_file_is_not_overwritten() -> None:
    store = InstanceStore()
    store.path.parent.mkdir(parents=True)
    store.path.write_text('{"version": 1, "instances": [{"alias": "x"}]}')
    with pytest.raises(FileWriteError) as info:
        store.list()
    assert info.value.code == "instances.corrupt"
    with pytest.raises(FileWriteError):
        store.add(make())
    assert "gpudesk-bak" in info.value.hint
    store.path.write_text("{oops")
    with pytest.raises(FileWriteError):
        store.list()
    assert store.path.read_text() == "{oops"


def test_newer_version_readable_but_not_writable() -> None:
    store = InstanceStore()
    store.add(make("a"))
    raw = json.loads(store.path.read_text())
    raw["version"] = INSTANCES_VERSION + 1
    raw["instances"][0]["future_field"] = 1
    store.path.write_text(json.dumps(raw))
    assert [i.alias for i in store.list()] == ["a"]
    with pytest.raises(FileWriteError) as info:
        store.add(make("b"))
    assert info.value.code == "instances.newer_version"


def test_explicit_path(tmp_path: Path) -> None:
    store = InstanceStore(tmp_path / "custom.json")
    store.add(make())
    assert (tmp_path / "custom.json").exists()
    assert "custom.json" in repr(store)


@pytest.mark.parametrize(
    "alias", ["a", "autodl-4090", "A100_x2", "box.1", "_x", "9", "x" * 64, "gpudesk-0a1b2c3d4e5f"]
)
def test_valid_aliases(alias: str) -> None:
    assert validate_alias(alias) == alias


@pytest.mark.parametrize(
    "alias",
    ["", "-x", ".x", "*", "a*", "a?", "!a", "a b", "a\tb", "a\n", "x" * 65, "ü", "a/b", "a,b"],
)
def test_invalid_aliases(alias: str) -> None:
    with pytest.raises(InputError) as info:
        validate_alias(alias)
    assert info.value.code == "instance.bad_alias"


@given(st.text(max_size=80))
def test_validate_alias_never_accepts_whitespace_or_wildcards(alias: str) -> None:
    try:
        validate_alias(alias)
    except InputError:
        return
    assert 1 <= len(alias) <= 64
    assert not any(c.isspace() or c in "*?!,/\\'\"" for c in alias)
    assert alias[0] not in "-."
    assert alias.isascii()


@given(
    st.one_of(st.none(), st.text(max_size=40)),
    st.one_of(st.none(), st.text(max_size=60)),
    st.lists(st.text(max_size=20), max_size=5),
)
def test_suggest_alias_always_valid_and_free(
    platform_id: str | None, gpu: str | None, existing: list[str]
) -> None:
    alias = suggest_alias(platform_id, gpu, existing)
    assert validate_alias(alias) == alias
    assert alias.lower() not in {e.lower() for e in existing}


@pytest.mark.parametrize(
    ("platform_id", "gpu", "expected"),
    [
        ("autodl", "NVIDIA GeForce RTX 4090", "autodl-4090"),
        ("featurize", "NVIDIA A100-SXM4-80GB", "featurize-a100"),
        ("gpushare", "Tesla T4", "gpushare-t4"),
        ("matpool", "NVIDIA RTX A6000", "matpool-a6000"),
        ("autodl", None, "autodl"),
        (None, "H100 80GB HBM3", "gpu-h100"),
        ("AutoDL Cloud", "", "autodl-cloud"),
    ],
)
def test_suggest_alias_examples(platform_id: str | None, gpu: str | None, expected: str) -> None:
    assert suggest_alias(platform_id, gpu, []) == expected


def test_suggest_alias_numbers_duplicates() -> None:
    existing = ["autodl-4090", "AUTODL-4090-2"]
    assert suggest_alias("autodl", "RTX 4090", existing) == "autodl-4090-3"


def test_new_host_key_alias_is_a_valid_unique_alias() -> None:
    names = {new_host_key_alias() for _ in range(100)}
    assert len(names) == 100
    assert all(validate_alias(n) and n.startswith("gpudesk-") for n in names)


def test_require_names_the_alias_and_points_somewhere_real() -> None:
    store = InstanceStore()
    with pytest.raises(InputError) as caught:
        store.require("nope")
    assert caught.value.code == "instance.not_found" and "'nope'" in caught.value.message
    assert "gpudesk list" not in caught.value.hint  # there is no such command
    saved = store.add(make("box"))
    assert store.require("BOX") == saved
