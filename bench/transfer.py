"""Benchmark ``gpudesk push``/``pull`` against ``rsync -a -e ssh`` and ``scp -r``, same run.

Run as root (it creates a throw-away user and a private sshd with the test bed):

    .venv/bin/python bench/transfer.py [--big-mib 1024] [--files 10000] [--rounds 3]
    .venv/bin/python bench/transfer.py --quick        # small sizes, a minute or two

Cases, each timed as the whole command (login included), median of ``--rounds`` with the
tools interleaved, every result checked (file count and bytes on the far side):
one big file pushed and pulled; ``--files`` files of ``--file-kib`` KiB in ``--dirs``
folders pushed into an empty folder; the same tree pushed again unchanged; then the big file
(``--link-big-mib``) and the tree again over an emulated internet link
(``bench/relay.py``: ``--link-rtt-ms`` round trip, ``--link-mbit``). scp copies everything
every time (it has no incremental mode) and is left out of the tree over the link, where it
pays round trips per file (``--link-scp`` runs it anyway). The OpenSSH tools use
AES-128-GCM, the cipher gpudesk negotiates. JSON on stdout, a Markdown table on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

MIB = 1024 * 1024
CIPHER = "aes128-gcm@openssh.com"


class Link:
    """How the tools reach sshd: directly, or through the relay."""

    def __init__(self, server: Any, key: Path, port: int) -> None:
        self.server, self.key, self.port = server, key, port
        argv = server.openssh_client_argv(identity=key)[:-1]  # without user@host
        at = argv.index("-p")
        argv[at + 1] = str(port)
        argv += ["-o", f"HostKeyAlias=[127.0.0.1]:{server.port}", "-c", CIPHER]
        self.ssh_argv = argv
        self.user_host = f"{server.user.name}@127.0.0.1"

    def rsync(self, source: str, dest: str, pull: bool = False) -> list[str]:
        remote = shlex.join(self.ssh_argv)
        if pull:
            return ["rsync", "-a", "-e", remote, f"{self.user_host}:{source}", dest]
        return ["rsync", "-a", "-e", remote, source, f"{self.user_host}:{dest}/"]

    def scp(self, source: str, dest: str, pull: bool = False) -> list[str]:
        options = ["-r", "-q", "-P", str(self.port)]
        options += [a for a in self.ssh_argv[1:] if a not in ("-p", str(self.port))]
        if pull:
            return ["scp", *options, f"{self.user_host}:{source}", dest]
        return ["scp", *options, source, f"{self.user_host}:{dest}/"]


def gpudesk_argv(alias: str, source: str, dest: str, pull: bool = False) -> list[str]:
    verb = "pull" if pull else "push"
    return [sys.executable, "-m", "gpudesk", verb, alias, source, dest, "--json"]


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=3600)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{argv[:4]} failed ({result.returncode}): {result.stderr[-2000:]}")
    return elapsed


def tree_size(path: Path) -> tuple[int, int]:
    files = size = 0
    for folder, _dirs, names in os.walk(path):
        for name in names:
            if name.endswith(".gpudesk-part"):
                continue
            files += 1
            size += (Path(folder) / name).stat().st_size
    return files, size


def make_sources(work: Path, args: argparse.Namespace) -> tuple[Path, Path, Path]:
    big = work / "big.bin"
    block = os.urandom(MIB)
    with big.open("wb") as handle:
        for n in range(args.big_mib):
            handle.write(block[n % 4096 :] + block[: n % 4096])
    link_big = work / "link-big.bin"
    with link_big.open("wb") as handle:
        for n in range(args.link_big_mib):
            handle.write(block[n:] + block[:n])
    tree = work / "tree"
    per_dir = max(1, args.files // args.dirs)
    for d in range(args.dirs):
        folder = tree / f"dir{d:03d}"
        folder.mkdir(parents=True)
        for f in range(per_dir):
            (folder / f"file{f:04d}.dat").write_bytes(os.urandom(args.file_kib * 1024))
    return big, link_big, tree


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from tests.testbed.sshd import SshdServer, TestUser, generate_openssh_key

    user = TestUser.create()
    work = Path(tempfile.mkdtemp(prefix="gpudesk-bench-transfer-"))
    os.chmod(work, 0o755)  # noqa: S103 - the test user reads the sources
    relay: subprocess.Popen[str] | None = None
    env = dict(os.environ, GPUDESK_HOME=str(work / "gpudesk"), PYTHONPATH=str(REPO))
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    warm_bytecode(env, work)
    try:
        key = work / "id_ed25519"
        user.authorize_key(generate_openssh_key(key))
        server = SshdServer(user)
        server.start()
        relay = subprocess.Popen(
            [
                sys.executable,
                str(REPO / "bench/relay.py"),
                "--target-port",
                str(server.port),
                "--rtt-ms",
                str(args.link_rtt_ms),
                "--mbit",
                str(args.link_mbit),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert relay.stdout is not None
        relay_port = int(relay.stdout.readline())
        save_instances(env, server, key, relay_port)
        direct, slow = Link(server, key, server.port), Link(server, key, relay_port)
        big, link_big, tree = make_sources(work, args)
        results: dict[str, Any] = {}
        cases = [
            ("big_file_push", direct, "bench", big, False, False, True),
            ("big_file_pull", direct, "bench", big, False, True, True),
            ("small_files_push", direct, "bench", tree, False, False, True),
            ("unchanged_resync", direct, "bench", tree, True, False, True),
        ]
        if not args.skip_link:
            cases += [
                ("link_big_file_push", slow, "bench-link", link_big, False, False, True),
                ("link_small_files_push", slow, "bench-link", tree, False, False, args.link_scp),
                ("link_unchanged_resync", slow, "bench-link", tree, True, False, args.link_scp),
            ]
        if args.only:
            cases = [case for case in cases if case[0] in args.only]
        for name, link, alias, source, again, pull, with_scp in cases:
            results[name] = run_case(
                user, env, link, alias, source, again, pull, with_scp, args.rounds, work
            )
            print(f"{name}: {json.dumps(results[name]['median_s'])}", file=sys.stderr)
        server.close()
    finally:
        if relay is not None:
            relay.kill()
        user.delete()
        shutil.rmtree(work, ignore_errors=True)
    return summarize(results, args)


def warm_bytecode(env: dict[str, str], work: Path) -> None:
    """Give gpudesk its compiled bytecode before timing, as an installed package has it.

    A shell with ``PYTHONDONTWRITEBYTECODE`` (this machine's has it) would otherwise compile
    ~90 modules from source at every start. The bytecode goes to a cache in the work folder
    (``PYTHONPYCACHEPREFIX``), never into the repository.
    """
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "gpudesk")], env=env)
    imports = "import gpudesk.cli, gpudesk.commands.transfer, gpudesk.core.transfer.runner"
    subprocess.run([sys.executable, "-c", imports], env=env, check=True)


def save_instances(env: dict[str, str], server: Any, key: Path, relay_port: int) -> None:
    os.environ["GPUDESK_HOME"] = env["GPUDESK_HOME"]
    from gpudesk.core.models import SshTarget
    from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
    from gpudesk.core.store.instances import Instance, InstanceStore

    key_type, key_b64 = server.host_key_line().split()[:2]
    for alias, port in (("bench", server.port), ("bench-link", relay_port)):
        instance = InstanceStore().add(
            Instance(
                alias=alias,
                target=SshTarget(server.user.name, "127.0.0.1", port),
                platform_id=None,
                host_key_alias=f"gpudesk-bench-{alias}",
                key_path=str(key),
            )
        )
        HostKeyStore().pin(instance.host_key_alias, PresentedKey(key_type, key_b64))


def run_case(
    user: Any,
    env: dict[str, str],
    link: Link,
    alias: str,
    source: Path,
    again: bool,
    pull: bool,
    with_scp: bool,
    rounds: int,
    work: Path,
) -> dict[str, Any]:
    tools = ["rsync", "gpudesk"] + (["scp"] if with_scp else [])
    trash: list[str] = []
    samples: dict[str, list[float]] = {tool: [] for tool in tools}
    expected = tree_size(source) if source.is_dir() else (1, source.stat().st_size)
    for round_ in range(rounds):
        order = tools if round_ % 2 == 0 else list(reversed(tools))
        for tool in order:
            remote_rel = f"dest-{tool}"
            remote = user.path(remote_rel)
            if pull:
                user.remove(remote_rel)
                user.make_dir(remote_rel, mode=0o755)
                shutil.copy2(source, remote / source.name)
                os.chown(remote / source.name, user.uid, user.gid)
                local = work / f"pulled-{tool}"
                shutil.rmtree(local, ignore_errors=True)
                local.mkdir()
                src, dst, check = str(remote / source.name), str(local), local
            else:
                if not again:
                    set_aside(user, remote_rel, trash)
                    user.make_dir(remote_rel, mode=0o755)
                    if tool == "gpudesk":  # a fresh destination: forget the last sync
                        shutil.rmtree(Path(env["GPUDESK_HOME"]) / "state", ignore_errors=True)
                src, dst, check = str(source), str(remote), remote
            if tool == "rsync":
                argv = link.rsync(src, dst, pull)
            elif tool == "scp":
                argv = link.scp(src, dst, pull)
            else:
                argv = gpudesk_argv(alias, src, dst, pull)
            samples[tool].append(timed(argv, env))
            got = tree_size(check)
            if got != expected:
                raise RuntimeError(f"{tool} left {got} in {check}, expected {expected}")
    for name in trash:  # deleted only now: see set_aside
        user.remove(name)
    size = expected[1]
    result: dict[str, Any] = {
        "files": expected[0],
        "bytes": size,
        "median_s": {tool: round(statistics.median(v), 3) for tool, v in samples.items()},
        "samples_s": {tool: [round(x, 3) for x in v] for tool, v in samples.items()},
    }
    result["mib_s"] = {
        tool: round(size / MIB / seconds, 1) for tool, seconds in result["median_s"].items()
    }
    return result


def set_aside(user: Any, remote_rel: str, trash: list[str]) -> None:
    """Move the last run's destination out of the way, to be deleted after the case.

    Deleting it right before the next run would time this machine's disk, not the tools:
    on an ext4 without a journal (as here) the kernel skips recently deleted inodes when it
    allocates new ones, walking past each of them for every file it creates, so the run
    that follows a deletion of 10,000 files creates its own files several times slower
    (seen as 1-7 s for the same 10,000 files; ``perf`` shows ``recently_deleted`` in
    ``__ext4_new_inode``). A rename frees no inode.
    """
    if user.path(remote_rel).exists():
        name = f"trash-{len(trash)}-{remote_rel}"
        os.rename(user.path(remote_rel), user.path(name))
        trash.append(name)


def summarize(results: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    def ratio(case: str) -> float | None:
        if case not in results:
            return None
        median = results[case]["median_s"]
        return round(median["gpudesk"] / median["rsync"], 2)

    times = {case: ratio(case) for case in results}
    goals = {
        "big_file_push": ("throughput_at_least_0.9x_rsync", 1 / 0.9),
        "small_files_push": ("time_at_most_1.5x_rsync", 1.5),
        "unchanged_resync": ("time_at_most_2x_rsync", 2.0),
        "link_big_file_push": ("link_throughput_at_least_0.9x_rsync", 1 / 0.9),
        "link_small_files_push": ("link_tree_throughput_at_least_0.9x_rsync", 1 / 0.9),
    }
    met = {
        label: times[case] is not None and times[case] <= limit  # type: ignore[operator]
        for case, (label, limit) in goals.items()
        if case in times
    }
    import paramiko

    ssh_version = subprocess.run(["ssh", "-V"], capture_output=True, text=True).stderr.strip()
    rsync_version = subprocess.run(["rsync", "--version"], capture_output=True, text=True)
    machine = {"cpus": os.cpu_count(), "python": platform.python_version()}
    machine["load_average_before"] = args.load_before
    machine["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    machine |= {
        "paramiko": paramiko.__version__,
        "openssh": ssh_version,
        "rsync": rsync_version.stdout.splitlines()[0],
    }
    settings = {
        name: getattr(args, name)
        for name in (
            "big_mib",
            "files",
            "dirs",
            "file_kib",
            "rounds",
            "link_rtt_ms",
            "link_mbit",
            "link_big_mib",
            "only",
        )
    }
    return {
        "settings": settings,
        "machine": machine,
        "cases": results,
        "time_ratio_gpudesk_to_rsync": times,
        "targets_met": met,
    }


def markdown(data: dict[str, Any]) -> str:
    lines = [
        "| case | rsync | scp | gpudesk | gpudesk / rsync (time) |",
        "|---|---:|---:|---:|---:|",
    ]
    for case, result in data["cases"].items():
        median = result["median_s"]
        cells = [f"{median[t]:.2f} s" if t in median else "–" for t in ("rsync", "scp", "gpudesk")]
        ratio = data["time_ratio_gpudesk_to_rsync"][case]
        lines.append(f"| {case} | {' | '.join(cells)} | {ratio} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big-mib", type=int, default=1024)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--dirs", type=int, default=100)
    parser.add_argument("--file-kib", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--link-rtt-ms", type=float, default=40.0)
    parser.add_argument("--link-mbit", type=float, default=100.0)
    parser.add_argument("--link-big-mib", type=int, default=64)
    parser.add_argument("--link-scp", action="store_true", help="also scp the tree over the link")
    parser.add_argument("--skip-link", action="store_true", help="no emulated-link cases")
    parser.add_argument("--quick", action="store_true", help="small sizes, one round")
    parser.add_argument(
        "--only", action="append", metavar="CASE", help="run only this case (repeatable)"
    )
    args = parser.parse_args()
    if args.quick:
        args.big_mib, args.files, args.dirs, args.rounds, args.link_big_mib = 64, 1000, 10, 1, 8
    if os.geteuid() != 0:
        sys.exit("bench/transfer.py needs root: it creates a test user and runs sshd")
    args.load_before = [round(x, 2) for x in os.getloadavg()]
    data = measure(args)
    print(json.dumps(data, indent=2))
    print(markdown(data), file=sys.stderr)


if __name__ == "__main__":
    main()
