"""What gpudesk costs while it sits in the tray: CPU and memory, against a bare PySide6 process.

Run as root (it creates a throw-away user and a private sshd with the test bed)::

    .venv/bin/python bench/idle.py [--seconds 60]

Two child processes are measured one after the other, in the same run:

* ``bare``: a QApplication with one hidden widget, idling (the reference);
* ``app``: gpudesk as it runs after the window was closed to the tray: the main window
  (hidden), the :class:`TrayController` and :class:`TrayIcon`, a saved instance with THREE
  tunnels (auto-connect) UP through the real sshd, and the GPU monitor sampling the test bed's
  stand-in ``nvidia-smi`` at the default settings (liveness probe every 2 s, a GPU sample
  every 30 s), on the qasync loop as in ``gpudesk/app.py``.

Each child waits until it is settled (for ``app``: all tunnels UP and the first GPU sample in),
then measures ``--seconds`` of its own CPU time (user + system, ``getrusage``) and its peak
RSS (``VmHWM``). Targets: CPU < 0.5 % of one core, peak RSS < 150 MB. JSON goes to stdout,
a Markdown table for the README to stderr. A benchmark, not a test: nothing asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CPU_TARGET_PCT = 0.5
RSS_TARGET_MB = 150.0


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _measure(idle: Any, extra: dict[str, Any]) -> dict[str, Any]:
    """Run ``idle()`` (the event loop for a while); return CPU and memory of this process."""
    cpu0, wall0 = _cpu_s(), time.monotonic()
    idle()
    cpu, wall = _cpu_s() - cpu0, time.monotonic() - wall0
    return {
        "seconds": round(wall, 2),
        "cpu_s": round(cpu, 3),
        "cpu_pct_of_core": round(100.0 * cpu / wall, 3),
        "peak_rss_mb": round(_rss_mb("VmHWM"), 1),
        "rss_mb": round(_rss_mb("VmRSS"), 1),
        "threads": threading.active_count(),
        **extra,
    }


def child_bare(seconds: float) -> dict[str, Any]:
    """The reference: a bare PySide6 application idling."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication([sys.argv[0]])
    widget = QWidget()
    widget.resize(400, 300)

    def idle() -> None:
        QTimer.singleShot(int(seconds * 1000), app.quit)
        app.exec()

    return _measure(idle, {"what": "bare PySide6 (QApplication + hidden QWidget)"})


def child_app(seconds: float, config: dict[str, Any]) -> dict[str, Any]:
    """gpudesk in the tray: controller, tray icon, hidden main window, 3 tunnels, monitor."""
    import asyncio

    import qasync
    from PySide6.QtWidgets import QApplication

    from gpudesk.app import create_application
    from gpudesk.core.models import SshTarget
    from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
    from gpudesk.core.store.instances import Instance, InstanceStore, new_host_key_alias
    from gpudesk.core.store.secrets import secret_name
    from gpudesk.core.tunnels import TunnelState
    from gpudesk.core.tunnels.savedtunnels import SavedTunnel
    from gpudesk.ui.services import Services
    from gpudesk.ui.tray import TrayIcon, attach_window
    from gpudesk.ui.tray_controller import TrayController

    instance = InstanceStore().add(
        Instance(
            alias="bench-gpu",
            target=SshTarget(config["user"], "127.0.0.1", config["ssh_port"]),
            platform_id="autodl",
            host_key_alias=new_host_key_alias(),
            price_per_hour=1.98,
            tunnels=tuple(
                SavedTunnel(name, 0, config["service_port"], kind=kind).to_dict()  # type: ignore[arg-type]
                for name, kind in (
                    ("Jupyter", "jupyter"),
                    ("TensorBoard", "tensorboard"),
                    ("Gradio", "custom"),
                )
            ),
            auto_connect=True,
        )
    )
    key_type, key_b64 = config["host_key"].split()[:2]
    HostKeyStore().pin(instance.host_key_alias, PresentedKey(key_type, key_b64))
    services = Services.create()
    services.secrets.set(secret_name("password", instance.instance_id), config["password"])
    app = create_application([])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = None
    try:
        from gpudesk.ui.main_window import MainWindow

        window = MainWindow(services)  # built, never shown: closed to the tray
    except Exception as error:  # the window is being rewritten by another change
        print(f"bench: main window not built: {error!r}", file=sys.stderr)
    controller = TrayController(services)
    tray = TrayIcon(controller)
    if window is not None:
        attach_window(controller, window)
    controller.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        QApplication.processEvents()
        tunnels = controller.supervisor.tunnels()
        reading = controller.hub.reading("bench-gpu")
        if (
            len(tunnels) == 3
            and all(t.state is TunnelState.UP for t in tunnels)
            and reading is not None
            and reading.gpus
        ):
            break
        time.sleep(0.02)
    else:
        raise SystemExit("bench: the tunnels or the monitor did not come up in 60 s")
    settled_rss = _rss_mb("VmRSS")
    with loop:
        result = _measure(
            lambda: loop.run_until_complete(asyncio.sleep(seconds)),
            {
                "what": "gpudesk: tray controller + icon, hidden main window, 3 tunnels UP, "
                "GPU monitor on",
                "main_window": window is not None,
                "tunnels_up": sum(
                    t.state is TunnelState.UP for t in controller.supervisor.tunnels()
                ),
                "rss_when_settled_mb": round(settled_rss, 1),
                "probe_interval_s": services.settings.probe_interval_s,
                "monitor_interval_s": services.settings.monitor_interval_s,
                "tray_state": controller.state.state.value,
            },
        )
    controller.shutdown_now()
    del tray
    return result


def run_child(kind: str, seconds: float, config: dict[str, Any], home: Path) -> dict[str, Any]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        QT_API="pyside6",
        HOME=str(home / "home"),
        GPUDESK_HOME=str(home / "gpudesk"),
        XDG_CONFIG_HOME=str(home / "home/.config"),
        GPUDESK_TEST_KEYRING_FILE=str(home / "keyring.json"),
        PYTHON_KEYRING_BACKEND="tests.fakes.FileKeyring",
        GPUDESK_INSTANCE_NAME=f"gpudesk-bench-{os.getpid()}-{kind}",
        PYTHONPATH=str(ROOT),
    )
    (home / "home").mkdir(parents=True, exist_ok=True)
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--seconds", str(seconds)],
        input=json.dumps(config),
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=seconds + 180,
    )
    if output.returncode != 0:
        raise SystemExit(f"bench child {kind} failed:\n{output.stderr}")
    return dict(json.loads(output.stdout.strip().splitlines()[-1]))


def measure(seconds: float) -> dict[str, Any]:
    """Set up the test bed, run both children, and compare."""
    from tests.integration.tunnel_services import http_service
    from tests.testbed.fixtures import FakeNvidiaSmi
    from tests.testbed.sshd import SshdServer, TestUser

    user = TestUser.create()
    work = Path(tempfile.mkdtemp(prefix="gpudesk-bench-idle-"))
    try:
        fake = FakeNvidiaSmi(user)
        fake.install()
        fake.set(gpus=[{"utilization.gpu": 42}])
        server = SshdServer(user)
        server.start()
        with http_service() as service_port:
            config = {
                "user": user.name,
                "password": user.password,
                "ssh_port": server.port,
                "host_key": server.host_key_line(),
                "service_port": service_port,
            }
            logins_before = server.log_text().count("Accepted password")
            bare = run_child("bare", seconds, config, work / "bare")
            app = run_child("app", seconds, config, work / "app")
            app["logins"] = server.log_text().count("Accepted password") - logins_before
        server.close()
    finally:
        user.delete()
    return {
        "benchmark": "idle",
        "seconds": seconds,
        "machine": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
        "bare_pyside6": bare,
        "gpudesk": app,
        "extra_cpu_pct_vs_bare": round(app["cpu_pct_of_core"] - bare["cpu_pct_of_core"], 3),
        "extra_peak_rss_mb_vs_bare": round(app["peak_rss_mb"] - bare["peak_rss_mb"], 1),
        "targets": {"cpu_pct_of_core": CPU_TARGET_PCT, "peak_rss_mb": RSS_TARGET_MB},
        "within_target": app["cpu_pct_of_core"] < CPU_TARGET_PCT
        and app["peak_rss_mb"] < RSS_TARGET_MB,
    }


def markdown(data: dict[str, Any]) -> str:
    """The README table."""
    bare, app = data["bare_pyside6"], data["gpudesk"]
    return "\n".join(
        [
            f"| {data['seconds']:g} s idle | bare PySide6 | gpudesk (tray, 3 tunnels, monitor) "
            "| target |",
            "|---|---:|---:|---:|",
            f"| CPU (% of one core) | {bare['cpu_pct_of_core']:.3f} | "
            f"{app['cpu_pct_of_core']:.3f} | < {CPU_TARGET_PCT} |",
            f"| CPU time (s) | {bare['cpu_s']:.3f} | {app['cpu_s']:.3f} | |",
            f"| peak RSS (MB) | {bare['peak_rss_mb']:.1f} | {app['peak_rss_mb']:.1f} "
            f"| < {RSS_TARGET_MB:g} |",
            f"| threads | {bare['threads']} | {app['threads']} | |",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--child", choices=("bare", "app"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "bare":
        print(json.dumps(child_bare(args.seconds)))
        return
    if args.child == "app":
        print(json.dumps(child_app(args.seconds, json.loads(sys.stdin.read()))))
        return
    data = measure(args.seconds)
    print(json.dumps(data, indent=2))
    print(markdown(data), file=sys.stderr)


if __name__ == "__main__":
    main()
