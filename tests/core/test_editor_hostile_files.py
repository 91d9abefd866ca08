"""A hostile VS Code settings file: a clear error and the file untouched, never a RecursionError."""

from __future__ import annotations

from pathlib import Path

import pytest

from gpudesk.core.editor import jsonc
from gpudesk.core.editor.vscode import set_remote_platform
from gpudesk.core.errors import FileWriteError


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_deep_nesting_is_a_jsonc_error(opener: str) -> None:
    text = opener * 100_000
    with pytest.raises(jsonc.JsoncError) as caught:
        jsonc.parse(text)
    assert "nested" in caught.value.reason


def test_nesting_a_person_writes_still_parses() -> None:
    text = "{" + '"a": {' * 50 + "}" * 50 + "}"
    assert jsonc.loads(text) is not None


def test_a_deeply_nested_settings_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    original = ('{"x": ' * 50_000 + "1" + "}" * 50_000).encode()
    settings.write_bytes(original)
    with pytest.raises(FileWriteError) as caught:
        set_remote_platform(settings, "box")
    assert caught.value.code == "vscode.settings_unparseable"
    assert settings.read_bytes() == original
