"""The layering contracts in ``pyproject.toml`` hold: core never imports the faces, a lower room
never imports a higher one, and the CLI and the GUI never import each other.

The contracts are import-linter's (``[tool.importlinter]``); this test runs the same check as
``make lint`` so that a plain ``pytest`` run also fails on a broken layer. A second test proves
the check can fail: a module planted in a lower room that imports a higher one is reported.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    program = Path(sys.executable).with_name("lint-imports")
    command = str(program) if program.exists() else shutil.which("lint-imports")
    assert command, "import-linter is a test dependency: pip install -e '.[test]'"
    return subprocess.run(
        [command, "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_layering_contracts_are_kept() -> None:
    result = _lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_lower_room_importing_a_higher_one_is_reported(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(
        REPO / "gpudesk", copy / "gpudesk", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    planted = copy / "gpudesk" / "core" / "store" / "planted.py"
    planted.write_text('"""A store module that reaches up."""\n\nimport gpudesk.core.tunnels\n')
    env_path = f"{copy}"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command;"
            " sys.exit(lint_imports_command())",
            "--no-cache",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0, result.stdout
    assert "gpudesk.core.store.planted -> gpudesk.core.tunnels" in result.stdout
