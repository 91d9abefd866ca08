"""Benchmark gpudesk's tunnels against OpenSSH ``ssh -N -L`` through the same sshd, same run.

Run as root (it creates a throw-away user and a private sshd with the test bed):

    .venv/bin/python bench/tunnel.py [--size-mib 512] [--rounds 5] [--rtt-blocks 9] [--matrix]

Measured, each through a tunnel to a service process on 127.0.0.1 (the "instance" side):
throughput downloading and uploading ``--size-mib`` each way (median of the rounds, the tools
interleaved), the median round trip of 1,000 small (64-byte) messages (the median of
``--rtt-blocks`` such blocks, the tools interleaved), the time to notice a frozen server (its
session SIGSTOPped) and to be up again, and the time to recover from a killed session. The
gpudesk tunnel runs in its own process, like OpenSSH, with the key login both use.
JSON goes to stdout; a Markdown table for the README to stderr.
``--matrix`` also measures other window/packet/cipher choices (how the defaults were chosen).
``--link`` puts an emulated internet link (``bench/relay.py``: ``--link-rtt-ms`` round trip,
``--link-mbit``) between both tools and sshd; use a smaller ``--size-mib`` there.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tunnel_parts import (
    MIB,
    PARTS,
    STABLE_S,
    Child,
    download,
    round_trip_ms,
    upload,
    wait_for_port,
)

#: The port both tools log in through: sshd's, or the relay's with --link (set in measure).
SSH_PORT: dict[str, int] = {}


def openssh_forward(server: Any, key: Path, service_port: int, *options: str) -> tuple[Any, int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    if SSH_PORT.get("via", server.port) != server.port:  # through the relay, same host key
        options = (*options, "-o", f"HostKeyAlias=[127.0.0.1]:{server.port}")
    argv = server.openssh_client_argv(
        "-N",
        "-L",
        f"{port}:127.0.0.1:{service_port}",
        "-o",
        "ExitOnForwardFailure=yes",
        *options,
        identity=key,
    )
    if "via" in SSH_PORT:
        argv[argv.index("-p") + 1] = str(SSH_PORT["via"])
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port)
    return process, port


def freeze_and_time(server: Any, child: Child) -> tuple[float, float]:
    """SIGSTOP the session: seconds until DOWN (RECONNECTING), then until UP again."""
    server.wait_for_sessions(1)
    time.sleep(STABLE_S + 0.2)
    child.unexpected += child.drain()
    frozen_at = time.time()
    server.signal_sessions(signal.SIGSTOP)
    down = child.wait(lambda m: m.get("state") == "RECONNECTING")
    up = child.wait(lambda m: m.get("state") == "UP")
    server.thaw_sessions()
    time.sleep(0.3)  # the thawed session sees its closed socket and exits
    return down["time"] - frozen_at, up["time"] - down["time"]


def kill_and_time(server: Any, child: Child) -> float:
    server.wait_for_sessions(1)
    time.sleep(STABLE_S + 0.2)
    child.unexpected += child.drain()
    killed_at = time.time()
    server.signal_sessions(signal.SIGKILL)
    child.wait(lambda m: m.get("state") == "RECONNECTING")
    return float(child.wait(lambda m: m.get("state") == "UP")["time"] - killed_at)


# --- the run ----------------------------------------------------------------------------------


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from tests.testbed.sshd import SshdServer, TestUser, generate_openssh_key

    size = args.size_mib * MIB
    user = TestUser.create()
    work = Path(tempfile.mkdtemp(prefix="gpudesk-bench-"))
    services = subprocess.Popen([sys.executable, PARTS, "--serve"], stdout=subprocess.PIPE)
    children: list[Child] = []
    relay: Any = None
    try:
        assert services.stdout is not None
        service_port = int(services.stdout.readline())
        key = work / "id_ed25519"
        user.authorize_key(generate_openssh_key(key))
        server = SshdServer(user)
        server.start()
        SSH_PORT["via"] = server.port
        if args.link:
            relay = start_relay(server.port, args)
            SSH_PORT["via"] = int(relay.stdout.readline())  # type: ignore[union-attr]
        base = {
            "user": user.name,
            "ssh_port": SSH_PORT["via"],
            "key": str(key),
            "host_key": server.host_key_line(),
            "service_port": service_port,
            "interval": args.interval,
            "misses": args.misses,
        }

        def child(**changes: Any) -> Child:
            made = Child(base | changes, str(work / f"home{len(children)}"))
            children.append(made)
            return made

        gpudesk = child()
        ssh, ssh_port = openssh_forward(server, key, service_port)
        ports = {"openssh": ssh_port, "gpudesk": gpudesk.port}
        samples: dict[str, dict[str, list[float]]] = {
            tool: {"down": [], "up": []} for tool in ports
        }
        for port in ports.values():  # warm-up
            download(port, 32 * MIB)
            upload(port, 32 * MIB)
        for round_ in range(args.rounds):
            order = list(ports) if round_ % 2 == 0 else list(reversed(ports))
            for tool in order:
                samples[tool]["down"].append(download(ports[tool], size))
                samples[tool]["up"].append(upload(ports[tool], size))
        result: dict[str, Any] = {}
        for tool in ports:
            result[tool] = {
                "download_mib_s": round(statistics.median(samples[tool]["down"]), 1),
                "upload_mib_s": round(statistics.median(samples[tool]["up"]), 1),
                "download_samples": [round(v, 1) for v in samples[tool]["down"]],
                "upload_samples": [round(v, 1) for v in samples[tool]["up"]],
            }
        # Round trips: blocks of --messages, the tools interleaved; the median block counts.
        blocks: dict[str, list[float]] = {tool: [] for tool in ports}
        for _ in range(args.rtt_blocks):
            for tool, port in ports.items():
                blocks[tool].append(round_trip_ms(port, args.messages))
        for tool in ports:
            result[tool]["rtt_median_ms"] = round(statistics.median(blocks[tool]), 3)
            result[tool]["rtt_block_medians_ms"] = [round(v, 3) for v in blocks[tool]]
        # Each block pair ran back to back: their ratios show the spread of the comparison.
        pairs = zip(blocks["gpudesk"], blocks["openssh"], strict=True)
        result["rtt_block_pair_ratios"] = [round(ours / ref, 2) for ours, ref in pairs]
        result["gpudesk"]["cipher"] = gpudesk.cipher
        gpudesk.unexpected += gpudesk.drain()
        if args.matrix:
            result["matrix"] = run_matrix(child, base, size // 2)
        ssh.terminate()
        ssh.wait(10)
        detections = [freeze_and_time(server, gpudesk) for _ in range(3)]
        kills = [kill_and_time(server, gpudesk) for _ in range(3)]
        gpudesk.close()
        result["gpudesk"].update(
            detect_frozen_s=round(statistics.median(d for d, _ in detections), 2),
            detect_frozen_samples_s=[round(d, 2) for d, _ in detections],
            reconnect_after_detect_s=round(statistics.median(r for _, r in detections), 3),
            recover_after_kill_s=round(statistics.median(kills), 3),
            unexpected_state_changes=gpudesk.unexpected,  # e.g. a false DOWN under load
        )
        # Like for like with OpenSSH's smallest setting (whole seconds): 1 s x 3.
        same = child(interval=1.0, misses=3)
        result["gpudesk"]["detect_frozen_1s_x3_s"] = round(freeze_and_time(server, same)[0], 2)
        same.close()
        result["openssh"]["detect_frozen_1s_x3_s"] = openssh_detection(server, key, service_port)
        server.close()
    finally:
        for made in children:
            if made.process.poll() is None:
                made.process.kill()
        services.kill()
        if relay is not None:
            relay.kill()
        user.delete()
        shutil.rmtree(work, ignore_errors=True)
    return summarize(result, args)


def start_relay(ssh_port: int, args: argparse.Namespace) -> Any:
    """The emulated link of ``bench/relay.py`` in front of sshd; its port is its first line."""
    relay = Path(__file__).resolve().parent / "relay.py"
    argv = [sys.executable, str(relay), "--target-port", str(ssh_port)]
    argv += ["--rtt-ms", str(args.link_rtt_ms), "--mbit", str(args.link_mbit)]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)


def openssh_detection(server: Any, key: Path, service_port: int) -> float:
    options = ("-o", "ServerAliveInterval=1", "-o", "ServerAliveCountMax=3")
    process, _ = openssh_forward(server, key, service_port, *options)
    server.wait_for_sessions(1)
    frozen_at = time.monotonic()
    server.signal_sessions(signal.SIGSTOP)
    process.wait(60)
    detected = time.monotonic() - frozen_at
    server.thaw_sessions()
    return round(detected, 2)


def run_matrix(child: Any, base: dict[str, Any], size: int) -> list[dict[str, Any]]:
    rows = []
    for cipher in ("aes128-ctr", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com"):
        for window, packet in ((2 * MIB, 32 * 1024), (16 * MIB, 256 * 1024)):
            variant = child(cipher=cipher, window=window, packet=packet)
            download(variant.port, 32 * MIB)
            rows.append(
                {
                    "cipher": variant.cipher,
                    "window_mib": window // MIB,
                    "packet_kib": packet // 1024,
                    "download_mib_s": round(download(variant.port, size), 1),
                    "upload_mib_s": round(upload(variant.port, size), 1),
                }
            )
            variant.close()
    return rows


def summarize(result: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    ours, ref = result["gpudesk"], result["openssh"]
    ratios = {
        "download": round(ours["download_mib_s"] / ref["download_mib_s"], 2),
        "upload": round(ours["upload_mib_s"] / ref["upload_mib_s"], 2),
        "rtt": round(ours["rtt_median_ms"] / ref["rtt_median_ms"], 2),
    }
    met = {
        "throughput_at_least_0.8x": min(ratios["download"], ratios["upload"]) >= 0.8,
        "rtt_at_most_1.5x": ratios["rtt"] <= 1.5,
        "detect_at_most_3s": ours["detect_frozen_s"] <= 3.0,
    }
    import paramiko

    ssh_version = subprocess.run(["ssh", "-V"], capture_output=True, text=True).stderr.strip()
    names = ("size_mib", "rounds", "messages", "rtt_blocks", "interval", "misses", "link")
    names += ("link_rtt_ms", "link_mbit") if args.link else ()
    machine = {"cpus": os.cpu_count(), "python": platform.python_version()}
    machine |= {"paramiko": paramiko.__version__, "openssh": ssh_version}
    return {
        "settings": {name: getattr(args, name) for name in names},
        "machine": machine,
        **result,
        "ratios_gpudesk_to_openssh": ratios,
        "targets_met": met,
    }


def markdown(data: dict[str, Any]) -> str:
    ours, ref, ratio = data["gpudesk"], data["openssh"], data["ratios_gpudesk_to_openssh"]
    s = data["settings"]
    rows = [
        ("Download, MiB/s", ref["download_mib_s"], ours["download_mib_s"], ratio["download"]),
        ("Upload, MiB/s", ref["upload_mib_s"], ours["upload_mib_s"], ratio["upload"]),
        (
            "Round trip (median, 64 B), ms",
            ref["rtt_median_ms"],
            ours["rtt_median_ms"],
            ratio["rtt"],
        ),
        (
            "Frozen server noticed (1 s x 3), s",
            ref["detect_frozen_1s_x3_s"],
            ours["detect_frozen_1s_x3_s"],
            "",
        ),
        (
            f"Frozen server noticed ({s['interval']:g} s x {s['misses']}), s",
            "-",
            ours["detect_frozen_s"],
            "",
        ),
        ("Up again after noticing, s", "(exits)", ours["reconnect_after_detect_s"], ""),
        ("Up again after a killed session, s", "(exits)", ours["recover_after_kill_s"], ""),
    ]
    lines = ["| | OpenSSH `ssh -N -L` | gpudesk | gpudesk / OpenSSH |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=512)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--messages", type=int, default=1000, help="per round-trip block")
    parser.add_argument("--rtt-blocks", type=int, default=9, help="round-trip blocks per tool")
    parser.add_argument("--interval", type=float, default=0.5, help="probe interval, s")
    parser.add_argument("--misses", type=int, default=3, help="probe misses before DOWN")
    parser.add_argument("--matrix", action="store_true", help="also try other tunings")
    parser.add_argument("--link", action="store_true", help="through an emulated link")
    parser.add_argument("--link-rtt-ms", type=float, default=40.0)
    parser.add_argument("--link-mbit", type=float, default=100.0)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench/tunnel.py needs root: it creates a test user and runs sshd")
    data = measure(args)
    print(json.dumps(data, indent=2))
    print(markdown(data), file=sys.stderr)


if __name__ == "__main__":
    main()
