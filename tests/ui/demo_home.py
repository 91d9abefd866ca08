"""A throw-away HOME, GPUDESK_HOME and test keyring for the screenshot scripts.

Import and call :func:`use_demo_home` before Qt or gpudesk are imported: the scripts run
outside pytest, so the autouse isolation fixture does not apply to them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def use_demo_home(name: str) -> Path:
    """Point HOME, GPUDESK_HOME, XDG_CONFIG_HOME and the keyring at a fresh ``/tmp/<name>``.

    A fixed, short place keeps the paths shown on screen (``~/.ssh/config``, logs) readable.
    """
    root = Path(tempfile.gettempdir()) / name
    shutil.rmtree(root, ignore_errors=True)
    os.environ.update(
        HOME=str(root / "home"),
        GPUDESK_HOME=str(root / "gpudesk"),
        XDG_CONFIG_HOME=str(root / "home/.config"),
        GPUDESK_TEST_KEYRING_FILE=str(root / "keyring.json"),
        PYTHON_KEYRING_BACKEND="tests.fakes.FileKeyring",
        QT_API="pyside6",
    )
    (root / "home").mkdir(parents=True)
    return root
