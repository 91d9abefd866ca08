"""Run the Windows lane: the real Linux sshd here, pytest under the Windows Python in Wine.

    .venv/bin/python -m tests.windows.run_lane [PYTEST ARGS]      (make test-windows)

Starts the OpenSSH test bed (a throw-away user, a private sshd on 127.0.0.1, as the Linux suite
does) and a small web service for the tunnel test, writes where they are into a JSON file, and
runs ``pytest tests/windows`` with the lane's Windows Python (``packaging/windows/
wine-lane.sh python``) in a fresh Wine prefix that is deleted afterwards. Exits with pytest's
code. Without root, ``sshd`` or ``wine64`` it says why and exits 0, except under ``CI=true``,
where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.integration.tunnel_services import HTTP_BODY, http_service
from tests.skipping import running_in_ci
from tests.testbed.sshd import SshdServer, TestUser, testbed_unavailable_reason
from tests.windows.conftest import REPO_ROOT

LANE = REPO_ROOT / "packaging" / "windows" / "wine-lane.sh"


def unavailable_reason() -> str | None:
    """Why the lane cannot run here, or None."""
    if (
        not any(shutil.which(name) for name in ("wine64", "wine"))
        and not Path("/usr/lib/wine/wine64").exists()
    ):
        return "wine64 is not installed (Debian: apt-get install wine64)"
    return testbed_unavailable_reason()


def windows_path(path: Path) -> str:
    """The path as the Windows side sees it (Wine maps / to Z:)."""
    return "Z:" + str(path).replace("/", "\\")


def run_pytest(work: Path, description: Path, pytest_args: list[str]) -> int:
    """pytest tests/windows under Wine in a fresh prefix inside ``work``."""
    prefix = work / "prefix"
    env = dict(os.environ, GPUDESK_WINE_PREFIX=str(prefix))
    env["GPUDESK_LANE_SSHD"] = windows_path(description)
    command = [
        str(LANE), "python", "-m", "pytest", "-p", "no:cacheprovider",
        "-c", "tests/windows/pytest.ini", "--rootdir", ".", "--confcutdir", "tests/windows",
        "tests/windows", *pytest_args,
    ]  # fmt: skip
    try:
        return subprocess.run(command, cwd=REPO_ROOT, env=env, check=False).returncode
    finally:
        # Let the prefix's wineserver end on its own (killed, it dumps its objects on stderr).
        wineserver = shutil.which("wineserver") or "/usr/lib/wine/wineserver"
        wine_env = dict(env, WINEPREFIX=str(prefix), WINEDEBUG="-all")
        for flag in ("-w", "-k"):
            try:
                subprocess.run([wineserver, flag], env=wine_env, check=False, timeout=60)
                break
            except subprocess.TimeoutExpired:
                continue


def main(argv: list[str]) -> int:
    """Start the server, run the lane, clean up; return pytest's exit code."""
    reason = unavailable_reason()
    if reason is not None:
        if running_in_ci():
            print(f"run_lane: CI=true but the Windows lane cannot run: {reason}", file=sys.stderr)
            return 1
        print(f"run_lane: skipped: {reason}", file=sys.stderr)
        return 0
    user = TestUser.create()
    try:
        with SshdServer(user) as server, http_service() as web_port:
            work = Path(tempfile.mkdtemp(prefix="gpudesk-wine-lane-"))
            try:
                description = work / "sshd.json"
                description.write_text(
                    json.dumps(
                        {
                            "host": server.host,
                            "port": server.port,
                            "user": user.name,
                            "password": user.password,
                            "host_key_line": server.host_key_line(),
                            "host_key_fingerprint": server.host_key_fingerprint(),
                            "web_port": web_port,
                            "web_body": HTTP_BODY.decode(),
                        }
                    ),
                    "utf-8",
                )
                return run_pytest(work, description, argv)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    finally:
        user.delete()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
