"""Start-up of the frozen app against the source checkout, and the sizes; prints JSON.

The target (issue 8): the frozen app starts within 1.5x of ``python -m gpudesk`` from source.
Both are measured in the same run, on the same machine, for ``--version`` (interpreter +
CLI start) and ``--self-test`` (everything, including Qt and the main window); each command
runs once to warm the disk cache, then ``--runs`` times, and the median counts::

    .venv/bin/python bench/startup.py --frozen dist/gpudesk/gpudesk [--runs 5]

The self-test runs with ``GPUDESK_SELFTEST_ALLOW_NO_KEYRING=1`` (only its time matters
here). Sizes: the ``dist/gpudesk`` folder and any installer next to it. A benchmark, not a
test: nothing here asserts; ``within_target`` says how it went.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.5


def run_seconds(command: list[str], env: dict[str, str]) -> float:
    """Wall time of one run of ``command`` (its output is discarded)."""
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=False, capture_output=True, timeout=300)
    return time.perf_counter() - start


def median_seconds(command: list[str], runs: int, env: dict[str, str]) -> float:
    """Median wall time of ``runs`` runs after one warm-up run."""
    run_seconds(command, env)
    return statistics.median(run_seconds(command, env) for _ in range(runs))


def folder_megabytes(path: Path) -> float:
    """Total size of the files below ``path`` in MB (10^6 bytes)."""
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())
    return round(total / 1e6, 1)


def main() -> int:
    """Measure and print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frozen", type=Path, default=ROOT / "dist" / "gpudesk" / "gpudesk")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    frozen = args.frozen.resolve()
    env = dict(os.environ, GPUDESK_SELFTEST_ALLOW_NO_KEYRING="1", QT_QPA_PLATFORM="offscreen")
    source = [sys.executable, "-m", "gpudesk"]
    result: dict[str, object] = {
        "benchmark": "startup",
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "python": platform.python_version(),
        "runs": args.runs,
        "target_ratio": TARGET_RATIO,
    }
    within = True
    for name, arguments in (("version", ["--version"]), ("self_test", ["--self-test"])):
        source_s = median_seconds([*source, *arguments], args.runs, env)
        frozen_s = median_seconds([str(frozen), *arguments], args.runs, env)
        ratio = frozen_s / source_s
        within = within and ratio <= TARGET_RATIO
        result[name] = {
            "source_s": round(source_s, 3),
            "frozen_s": round(frozen_s, 3),
            "ratio": round(ratio, 2),
        }
    result["within_target"] = within
    dist = frozen.parent
    sizes: dict[str, float] = {"dist_folder_mb": folder_megabytes(dist)}
    for installer in sorted(dist.parent.glob("gpudesk-*setup.exe")):
        sizes[installer.name] = round(installer.stat().st_size / 1e6, 1)
    result["sizes_mb"] = sizes
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
