#!/usr/bin/python3
"""A stand-in for ``nvidia-smi``: this machine (and CI) has no GPU.

The test bed installs this file as ``~/bin/nvidia-smi`` of the sshd test user, so a login
shell over ssh (``bash -lc 'nvidia-smi ...'``) finds it exactly where a rented GPU's
``nvidia-smi`` would be. It runs as that user under Debian's ``/usr/bin/python3`` (root's
pyenv interpreter is not readable by other users) and uses only the standard library.

It prints what the real tool prints, from a JSON state file that tests rewrite between calls
(e.g. to change the utilisation between two samples):

* ``nvidia-smi --query-gpu=FIELDS --format=csv[,noheader][,nounits] [-i IDS]``: a header like
  ``index, name, memory.total [MiB], utilization.gpu [%]`` (the units stay in the header with
  ``nounits``, as in the real tool), then one line per GPU, ``, `` separated, values with units
  (``24564 MiB``, ``37 %``, ``22.07 W``) unless ``nounits``; a missing value is ``[N/A]``.
  An unknown field prints ``Field "x" is not a valid field to query.`` and exits 2.
* ``nvidia-smi -L``: ``GPU 0: NAME (UUID: GPU-...)``.
* plain ``nvidia-smi``: the driver-535 summary table (``Driver Version: ...   CUDA Version:``).

The state file is ``$GPUDESK_FAKE_NVIDIA_SMI_STATE`` when set, else this file's path plus
``.json`` (``~/bin/nvidia-smi.json``); without a file the default state is one
"NVIDIA GeForce RTX 4090" (24564 MiB, compute capability 8.9), driver 535.104.05, CUDA 12.2.
State keys: ``driver_version``, ``cuda_version``, ``gpus`` (a list of partial per-GPU dicts
keyed by query field names, merged over the default GPU), optional ``failure``
(``{"message": ..., "exit_code": ...}``: print it and exit, like a machine whose driver is
gone) and optional ``delay_seconds`` (sleep first, to simulate a slow or hung tool).
Hostile instances: ``flood_bytes`` (print that many bytes of garbage lines before anything
else, like a broken tool that floods) and ``raw_query_output`` (print this text verbatim as
the answer to every ``--query-gpu``: values such as ``inf``, ``nan``, ``1e400`` or ``²``).
A string where a number belongs (``"inf"``, ``"nan"``) is printed as is, for tests of
broken readings.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from typing import Any

STATE_ENV = "GPUDESK_FAKE_NVIDIA_SMI_STATE"

DEFAULT_DRIVER_VERSION = "535.104.05"
DEFAULT_CUDA_VERSION = "12.2"
DEFAULT_GPU: dict[str, Any] = {
    "name": "NVIDIA GeForce RTX 4090",
    "memory.total": 24564,
    "memory.reserved": 352,
    "memory.used": 1,
    "utilization.gpu": 0,
    "utilization.memory": 0,
    "temperature.gpu": 34,
    "fan.speed": 0,
    "power.draw": 22.07,
    "power.limit": 450.0,
    "pstate": "P8",
    "compute_cap": "8.9",
    "persistence_mode": "Enabled",
    "compute_mode": "Default",
    "clocks.sm": 210,
    "clocks.max.sm": 3120,
}

#: Query fields this stand-in knows, with the unit the real tool prints (None: no unit).
FIELD_UNITS: dict[str, str | None] = {
    "timestamp": None,
    "driver_version": None,
    "count": None,
    "index": None,
    "name": None,
    "uuid": None,
    "pci.bus_id": None,
    "persistence_mode": None,
    "compute_mode": None,
    "pstate": None,
    "compute_cap": None,
    "fan.speed": "%",
    "memory.total": "MiB",
    "memory.reserved": "MiB",
    "memory.used": "MiB",
    "memory.free": "MiB",
    "utilization.gpu": "%",
    "utilization.memory": "%",
    "temperature.gpu": None,
    "power.draw": "W",
    "power.limit": "W",
    "clocks.sm": "MHz",
    "clocks.max.sm": "MHz",
}
FIELD_ALIASES = {
    "gpu_name": "name",
    "gpu_uuid": "uuid",
    "gpu_bus_id": "pci.bus_id",
    "clocks.current.sm": "clocks.sm",
}

NOT_AVAILABLE = "[N/A]"
INVALID_ARGUMENTS = "Invalid combination of input arguments. Please run 'nvidia-smi -h' for help."
#: nvidia-smi's documented return codes: 2 invalid argument, 6 object not found.
EXIT_INVALID_ARGUMENT = 2
EXIT_NOT_FOUND = 6


def state_path() -> str:
    """Where the state JSON is read from."""
    return os.environ.get(STATE_ENV) or os.path.abspath(__file__) + ".json"


def load_state(path: str | None = None) -> dict[str, Any]:
    """The state with every GPU completed from the defaults (index, uuid, bus id, free memory)."""
    try:
        with open(path or state_path(), encoding="utf-8") as state_file:
            raw: dict[str, Any] = json.load(state_file)
    except FileNotFoundError:
        raw = {}
    gpus_in = raw.get("gpus")
    if gpus_in is None:
        gpus_in = [{}]
    state = {
        "driver_version": raw.get("driver_version") or DEFAULT_DRIVER_VERSION,
        "cuda_version": raw.get("cuda_version") or DEFAULT_CUDA_VERSION,
        "failure": raw.get("failure"),
        "delay_seconds": float(raw.get("delay_seconds") or 0),
        "flood_bytes": int(raw.get("flood_bytes") or 0),
        "raw_query_output": raw.get("raw_query_output"),
        "gpus": [complete_gpu(position, gpu) for position, gpu in enumerate(gpus_in)],
    }
    return state


def complete_gpu(position: int, partial: dict[str, Any]) -> dict[str, Any]:
    """Merge one partial GPU dict over the defaults."""
    gpu = dict(DEFAULT_GPU)
    gpu.update({FIELD_ALIASES.get(key, key): value for key, value in partial.items()})
    gpu.setdefault("index", position)
    index = int(gpu["index"])
    gpu.setdefault("uuid", "GPU-" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"gpudesk-fake-{index}")))
    gpu.setdefault("pci.bus_id", f"00000000:{index + 1:02X}:00.0")
    if "memory.free" not in gpu:
        total, used = gpu.get("memory.total"), gpu.get("memory.used")
        reserved = gpu.get("memory.reserved") or 0
        gpu["memory.free"] = None if total is None or used is None else total - reserved - used
    return gpu


def format_value(value: Any, unit: str | None, *, with_units: bool) -> str:
    """One csv cell the way nvidia-smi prints it."""
    if value is None:
        return NOT_AVAILABLE
    if isinstance(value, str) and unit is not None:
        return value  # a broken reading printed as is ("inf", "nan", "ERR!")
    if unit == "W":
        number = f"{float(value):.2f}"
    elif unit in ("MiB", "%", "MHz"):
        number = str(int(value))
    else:
        number = str(value)
    return f"{number} {unit}" if unit and with_units else number


def query_csv(state: dict[str, Any], fields_arg: str, format_arg: str, ids: str | None) -> int:
    """Print ``--query-gpu`` output; return the exit code."""
    fields = [field.strip() for field in fields_arg.split(",") if field.strip()]
    canonical = []
    for field in fields:
        name = FIELD_ALIASES.get(field, field)
        if name not in FIELD_UNITS:
            print(f'Field "{field}" is not a valid field to query.')
            print()
            return EXIT_INVALID_ARGUMENT
        canonical.append(name)
    options = {option.strip() for option in format_arg.split(",")}
    if "csv" not in options or not options <= {"csv", "noheader", "nounits"}:
        print(f'"{format_arg}" is not a valid format.')  # wording not checked on a real GPU
        return EXIT_INVALID_ARGUMENT
    if not fields:
        print(INVALID_ARGUMENTS)
        return EXIT_INVALID_ARGUMENT
    if "noheader" not in options:
        header = [
            f"{name} [{FIELD_UNITS[name]}]" if FIELD_UNITS[name] else name for name in canonical
        ]
        print(", ".join(header))
    gpus = selected_gpus(state, ids)
    if gpus is None:
        return EXIT_NOT_FOUND
    now = time.strftime("%Y/%m/%d %H:%M:%S.") + f"{int(time.time() * 1000) % 1000:03d}"
    for gpu in gpus:
        extra = {
            "timestamp": now,
            "driver_version": state["driver_version"],
            "count": len(state["gpus"]),
        }
        cells = [
            format_value(
                extra.get(name, gpu.get(name)),
                FIELD_UNITS[name],
                with_units="nounits" not in options,
            )
            for name in canonical
        ]
        print(", ".join(cells))
    return 0


def selected_gpus(state: dict[str, Any], ids: str | None) -> list[dict[str, Any]] | None:
    """The GPUs ``-i`` selects (by index or uuid), all without it; None (and a message) if none."""
    if ids is None:
        return list(state["gpus"])
    wanted = [item.strip() for item in ids.split(",")]
    chosen = [gpu for gpu in state["gpus"] if str(gpu["index"]) in wanted or gpu["uuid"] in wanted]
    if not chosen:
        print("No devices were found")
        return None
    return chosen


def list_gpus(state: dict[str, Any]) -> int:
    """Print ``nvidia-smi -L``."""
    for gpu in state["gpus"]:
        print(f"GPU {gpu['index']}: {gpu['name']} (UUID: {gpu['uuid']})")
    return 0


_PROCESS_HEADER = (
    "Processes:",
    " GPU   GI   CI        PID   Type   Process name                            GPU Memory",
    "       ID   ID                                                             Usage",
)


def _row(*cells: str) -> str:
    return "|" + "|".join(cells) + "|"


def _boxed(text: str) -> str:
    return "| " + text.ljust(86) + "|"


def _rule(fill: str, ends: str = "++") -> str:
    return ends[0] + "+".join(fill * width for width in (41, 22, 22)) + ends[1]


def _text_or_na(value: Any, template: str) -> str:
    return "N/A" if value is None else template.format(value)


def _gpu_rows(gpu: dict[str, Any]) -> list[str]:
    name = str(gpu.get("name") or "")
    if len(name) > 30:
        name = name[:27] + "..."
    persistence = "On" if gpu.get("persistence_mode") == "Enabled" else "Off"
    fan = _text_or_na(gpu.get("fan.speed"), "{:.0f}%")
    temperature = _text_or_na(gpu.get("temperature.gpu"), "{:.0f}C")
    power = (
        _text_or_na(gpu.get("power.draw"), "{:.0f}W")
        + " / "
        + _text_or_na(gpu.get("power.limit"), "{:.0f}W")
    )
    used = _text_or_na(gpu.get("memory.used"), "{:.0f}MiB")
    total = _text_or_na(gpu.get("memory.total"), "{:.0f}MiB")
    utilization = _text_or_na(gpu.get("utilization.gpu"), "{:.0f}%")
    pstate = gpu.get("pstate") or "N/A"
    compute_mode = gpu.get("compute_mode") or "Default"
    return [
        _row(
            f"{gpu['index']:>4}  {name:<30}{persistence:>3}  ",
            f" {gpu['pci.bus_id']:<16} Off ",
            f"{'Off':>21} ",
        ),
        _row(
            f"{fan:>4}   {temperature:>3}    {pstate:<3}{power:>23} ",
            f"{used:>10} / {total:<8} ",
            f"{utilization:>8}{compute_mode:>13} ",
        ),
        _row(" " * 41, " " * 22, f"{'N/A':>21} "),
    ]


def summary_table(state: dict[str, Any]) -> str:
    """The plain ``nvidia-smi`` summary, laid out like driver 535's (89 columns)."""
    driver, cuda = state["driver_version"], state["cuda_version"]
    full_rule = "+" + "-" * 87 + "+"
    lines = [
        time.strftime("%a %b %d %H:%M:%S %Y").ljust(31),
        full_rule,
        _boxed(f"NVIDIA-SMI {driver:<23}Driver Version: {driver:<13}CUDA Version: {cuda}"),
        _rule("-", "|+"),
        _row(" GPU  Name                 Persistence-M ", " Bus-Id        Disp.A ",
             " Volatile Uncorr. ECC "),
        _row(" Fan  Temp   Perf          Pwr:Usage/Cap ", "         Memory-Usage ",
             " GPU-Util  Compute M. "),
        _row(" " * 41, " " * 22, "               MIG M. "),
        _rule("=", "||"),
    ]  # fmt: skip
    for number, gpu in enumerate(state["gpus"]):
        if number:
            lines.append(_rule("-"))
        lines += _gpu_rows(gpu)
    lines += [_rule("-"), " " * 89, full_rule]
    lines += [_boxed(text) for text in _PROCESS_HEADER]
    lines += ["|" + "=" * 87 + "|", _boxed(" No running processes found"), full_rule]
    return "\n".join(lines) + "\n"


def flood(size: int) -> None:
    """Write ``size`` bytes of junk lines to stdout (stops quietly when the reader goes)."""
    line = b"0, 100, 1, 1, junk junk junk junk junk junk junk junk junk junk junk junk\n" * 800
    written = 0
    try:
        while written < size:
            chunk = line[: size - written]
            sys.stdout.buffer.write(chunk)
            written += len(chunk)
        sys.stdout.buffer.flush()
    except (BrokenPipeError, OSError):
        os._exit(141)


def parse_arguments(argv: list[str]) -> dict[str, str | bool] | None:
    """The options this stand-in understands, or None for anything else."""
    parsed: dict[str, str | bool] = {}
    with_value = {"--query-gpu": "query", "--format": "format", "-i": "ids", "--id": "ids"}
    position = 0
    while position < len(argv):
        arg = argv[position]
        key, sep, value = arg.partition("=")
        if key in with_value:
            if not sep:
                position += 1
                if position >= len(argv):
                    return None
                value = argv[position]
            parsed[with_value[key]] = value
        elif arg in ("-L", "--list-gpus"):
            parsed["list"] = True
        else:
            return None
        position += 1
    return parsed


def main(argv: list[str]) -> int:
    """Entry point: behave like ``nvidia-smi`` with ``argv``."""
    state = load_state()
    if state["delay_seconds"] > 0:
        time.sleep(state["delay_seconds"])
    if state["flood_bytes"] > 0:
        flood(state["flood_bytes"])
    failure = state["failure"]
    if failure:
        print(failure.get("message", ""))
        return int(failure.get("exit_code", 9))
    options = parse_arguments(argv)
    if options is None:
        print(INVALID_ARGUMENTS)
        return EXIT_INVALID_ARGUMENT
    if "query" in options:
        if "format" not in options:
            print(INVALID_ARGUMENTS)
            return EXIT_INVALID_ARGUMENT
        if state["raw_query_output"] is not None:
            sys.stdout.write(str(state["raw_query_output"]))
            return 0
        ids = options.get("ids")
        return query_csv(
            state,
            str(options["query"]),
            str(options["format"]),
            ids if isinstance(ids, str) else None,
        )
    if options.get("list"):
        return list_gpus(state)
    if options:
        print(INVALID_ARGUMENTS)
        return EXIT_INVALID_ARGUMENT
    sys.stdout.write(summary_table(state))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
