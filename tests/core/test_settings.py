"""Tests of gpudesk.core.store.settings: typed, versioned, forgiving settings and the state file."""

from __future__ import annotations

import dataclasses
import json
import logging
import stat
from pathlib import Path

import pytest

from gpudesk.core import paths
from gpudesk.core.errors import FileWriteError, InputError
from gpudesk.core.store.settings import (
    SETTINGS_VERSION,
    Settings,
    load_settings,
    load_state,
    read_settings,
    save_settings,
    save_state,
    settings_path,
    state_path,
)


@pytest.fixture(autouse=True)
def _app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GPUDESK_HOME", str(tmp_path / "gpudesk"))


def test_defaults() -> None:
    s = Settings()
    assert (s.version, s.language, s.idle_threshold_pct, s.idle_minutes) == (1, "system", 5, 15)
    assert (s.monitor_interval_s, s.start_at_login, s.close_to_tray) == (30, False, True)
    assert settings_path() == paths.config_dir() / "settings.json"
    assert state_path() == paths.state_dir() / "state.json"


def test_missing_file_gives_defaults() -> None:
    loaded = read_settings()
    assert loaded.settings == Settings() and loaded.warnings == ()
    assert not settings_path().exists()


def test_roundtrip(tmp_path: Path) -> None:
    changed = dataclasses.replace(
        Settings(), language="zh_CN", idle_minutes=30, probe_interval_s=1.5, close_to_tray=False
    )
    save_settings(changed)
    assert load_settings() == changed
    path = settings_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    raw = json.loads(path.read_text())
    assert raw["version"] == SETTINGS_VERSION and raw["language"] == "zh_CN"
    assert next(iter(raw)) == "version"
    before = path.stat().st_mtime_ns
    save_settings(changed)  # same bytes: untouched
    assert path.stat().st_mtime_ns == before


def test_invalid_values_refused_on_save() -> None:
    with pytest.raises(InputError) as info:
        save_settings(dataclasses.replace(Settings(), idle_threshold_pct=101))
    assert info.value.code == "settings.invalid"
    assert "idle_threshold_pct" in info.value.message
    with pytest.raises(InputError):
        save_settings(dataclasses.replace(Settings(), language="fr"))  # type: ignore[arg-type]


def test_unknown_keys_ignored_with_log(caplog: pytest.LogCaptureFixture) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"version": 1, "language": "en", "theme": "dark"}))
    with caplog.at_level(logging.WARNING):
        s = load_settings()
    assert s.language == "en"
    assert "theme" in caplog.text
    save_settings(s)
    assert "theme" not in json.loads(path.read_text())


def test_wrong_types_and_ranges_fall_back_per_key() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "language": "klingon",
                "idle_minutes": "15",
                "start_at_login": 1,
                "probe_interval_s": 3,
                "monitor_interval_s": 0,
                "close_to_tray": False,
            }
        )
    )
    loaded = read_settings()
    s = loaded.settings
    assert s.language == "system" and s.idle_minutes == 15 and s.start_at_login is False
    assert s.probe_interval_s == 3 and s.monitor_interval_s == 30 and s.close_to_tray is False
    assert len(loaded.warnings) == 4
    assert path.exists()  # readable JSON is not moved aside


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe garbage", b""])
def test_corrupt_file_kept_aside(content: bytes) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    loaded = read_settings()
    assert loaded.settings == Settings()
    kept = list(path.parent.glob("settings.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == content
    assert not path.exists()
    assert len(loaded.warnings) == 1 and kept[0].name in loaded.warnings[0]
    save_settings(Settings())
    assert path.exists() and kept[0].exists()


def test_two_corrupt_files_in_the_same_second_both_kept() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    for content in (b"{1", b"{2"):
        path.write_bytes(content)
        read_settings()
    kept = sorted(p.read_bytes() for p in path.parent.glob("settings.json.corrupt-*"))
    assert kept == [b"{1", b"{2"]


def test_newer_version_read_but_never_overwritten() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    original = json.dumps({"version": SETTINGS_VERSION + 1, "language": "en", "new": [1]})
    path.write_text(original)
    loaded = read_settings()
    assert loaded.newer_version and loaded.settings.language == "en"
    assert any("newer gpudesk" in w for w in loaded.warnings)
    with pytest.raises(FileWriteError) as info:
        save_settings(loaded.settings)
    assert info.value.code == "settings.newer_version"
    assert "Update gpudesk" in info.value.hint
    assert path.read_text() == original


def test_state_roundtrip_and_corruption() -> None:
    assert load_state() == {}
    state = {"wizard": {"step": "keys", "done": ["paste"]}, "last_alias": "autodl-4090"}
    save_state(state)
    assert load_state() == state
    assert stat.S_IMODE(state_path().stat().st_mode) == 0o600
    state_path().write_text("[oops")
    assert load_state() == {}
    assert len(list(state_path().parent.glob("state.json.corrupt-*"))) == 1


def test_state_must_be_json() -> None:
    with pytest.raises(InputError) as info:
        save_state({"when": object()})
    assert info.value.code == "state.not_json"
    with pytest.raises(InputError):
        save_state({"x": float("nan")})


def test_explicit_paths(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "s.json"
    save_settings(Settings(idle_minutes=5), target)
    assert load_settings(target).idle_minutes == 5
    save_state({"a": 1}, tmp_path / "st.json")
    assert load_state(tmp_path / "st.json") == {"a": 1}
