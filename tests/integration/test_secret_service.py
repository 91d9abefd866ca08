"""The keyring layer against a REAL Secret Service: gnome-keyring inside dbus-run-session.

The autouse fixture swaps in a file-backed fake keyring for every other test; this one
proves the real backend works: a password set through :class:`KeyringSecretStore` is read
back from gnome-keyring, and deleted again. It runs in a subprocess with its own session
bus and a throw-away HOME, so the developer's own keyring is never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.testbed.fixtures import skip_or_fail

REPO_ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from keyring.backends.SecretService import Keyring
from gpudesk.core.store.secrets import KeyringSecretStore, open_secret_store, secret_name

store = KeyringSecretStore(Keyring())
name = secret_name("password", "gpudesk-secret-service-test")
store.set(name, "s3cret-value")
assert store.get(name) == "s3cret-value", "read back failed"
store.delete(name)
assert store.get(name) is None, "delete failed"
auto, warning = open_secret_store()
print("BACKEND", store.backend_name, store.persistent, "AUTO", auto.backend_name, warning)
"""


def test_real_secret_service_round_trip(tmp_path: Path) -> None:
    missing = [t for t in ("dbus-run-session", "gnome-keyring-daemon") if not shutil.which(t)]
    if missing:
        skip_or_fail(f"no Secret Service here: {', '.join(missing)} not installed")
    (tmp_path / "script.py").write_text(SCRIPT, encoding="utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS"}
    }
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "share"), PYTHONPATH=str(REPO_ROOT))
    shell = (
        'printf "unlock" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && '
        f'exec "{sys.executable}" "{tmp_path / "script.py"}"'
    )
    result = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", shell],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BACKEND keyring.backends.SecretService.Keyring True" in result.stdout
    assert "AUTO keyring.backends.SecretService.Keyring None" in result.stdout
