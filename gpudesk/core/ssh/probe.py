"""Find out what an instance is, in one round trip.

One script goes to the user's login shell on stdin (so the platform's conda and PATH set-up
apply, as in the terminal the user would open). Each answer is printed after a ``@@name``
marker line, so banners that platforms print at login are ignored.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Sequence

from gpudesk.core.errors import InputError, RemoteCommandError
from gpudesk.core.models import DiskInfo, GpuInfo, InstanceReport, TorchInfo
from gpudesk.core.ssh.remote import Connection
from gpudesk.core.ssh.untrusted import instance_int, marked_sections, plain_text

GPU_QUERY = "index,name,memory.total,memory.used,utilization.gpu,driver_version"

_TORCH_SNIPPET = (
    "import json\n"
    "try:\n"
    "    import torch\n"
    "except Exception as e:\n"
    "    print(json.dumps({'error': type(e).__name__}))\n"
    "else:\n"
    "    ok = torch.cuda.is_available()\n"
    "    cap = '%d.%d' % torch.cuda.get_device_capability(0) if ok else None\n"
    "    arch = torch.cuda.get_arch_list() if ok else []\n"
    "    print(json.dumps({'version': torch.__version__, 'cuda_available': ok,\n"
    "        'cuda_version': torch.version.cuda, 'arch_list': arch, 'capability': cap}))\n"
)

#: Run the script through the user's login shell; interactive too, because platforms put
#: conda's PATH in ~/.bashrc, which bash reads only for interactive shells. An empty
#: ``HISTFILE`` from the start means that shell neither trims (``HISTFILESIZE`` in
#: ~/.bashrc) nor appends to the user's ~/.bash_history; scripts also ``set +o history``.
LOGIN_SHELL = (
    "export HISTFILE=; "
    "if command -v bash >/dev/null 2>&1; then exec bash --login -i -s 2>/dev/null; "
    "else exec sh -l -s 2>/dev/null; fi"
)


def _safe_dir(path: str) -> str:
    if not path.startswith(("/", "~")) or any(ord(c) < 32 for c in path):
        raise InputError(
            "probe.bad_dir",
            f"{path!r} is not an absolute directory path.",
            "Give the work directory as an absolute path, e.g. /root/autodl-tmp.",
        )
    return path


def build_probe_script(directories: Sequence[str]) -> str:
    """The shell script sent to the instance (directories are quoted, never spliced raw)."""
    disk_lines = []
    for number, directory in enumerate(directories):
        quoted = (
            '"$HOME"' + shlex.quote(directory[1:])
            if directory.startswith("~")
            else shlex.quote(_safe_dir(directory))
        )
        disk_lines.append(
            f'if [ -d {quoted} ]; then echo "@@disk {number}"; df -P -k {quoted} | tail -n 1; fi'
        )
    torch_code = shlex.quote(_TORCH_SNIPPET)
    return "\n".join(
        [
            "set +o history 2>/dev/null",
            'echo "@@hostname"; hostname 2>/dev/null || cat /etc/hostname',
            'echo "@@os"; ( . /etc/os-release 2>/dev/null && echo "$PRETTY_NAME" ) || uname -sr',
            'echo "@@gpus"; if command -v nvidia-smi >/dev/null 2>&1; then '
            f"nvidia-smi --query-gpu={GPU_QUERY} --format=csv,noheader,nounits 2>&1; "
            "printf '@@gpus_status\\n%s\\n' \"$?\"; "
            "else printf '@@gpus_status\\nmissing\\n'; fi",
            'echo "@@cuda"; nvidia-smi 2>/dev/null | '
            "sed -n 's/.*CUDA Version: *\\([0-9.]*\\).*/\\1/p' | head -n 1",
            "PY=$(command -v python || command -v python3)",
            'echo "@@python"; [ -n "$PY" ] && "$PY" -c '
            "'import sys; print(\"%d.%d.%d\" % sys.version_info[:3])'",
            f'echo "@@torch"; [ -n "$PY" ] && "$PY" -c {torch_code} 2>/dev/null',
            *disk_lines,
            'echo "@@end"',
            "exit 0",
            "",
        ]
    )


#: The largest GPU memory, utilisation and disk size gpudesk believes (MiB, %, KiB).
MAX_GPU_MEMORY_MIB = 16 * 1024 * 1024
MAX_GPU_INDEX = 1024
MAX_DISK_KIB = 2**50


def parse_gpu_line(line: str) -> GpuInfo | None:
    """One ``GPU_QUERY`` line, or None when it is not a GPU row or a value is not believable."""
    fields = [f.strip() for f in line.split(",")]
    if len(fields) != 6:
        return None
    index = instance_int(fields[0], low=0, high=MAX_GPU_INDEX)
    total = instance_int(fields[2], low=0, high=MAX_GPU_MEMORY_MIB)
    used = instance_int(fields[3], low=0, high=MAX_GPU_MEMORY_MIB)
    util = instance_int(fields[4], low=0, high=100)
    if index is None or total is None or used is None or util is None:
        return None
    return GpuInfo(index, plain_text(fields[1]), total, used, util, plain_text(fields[5], limit=40))


def parse_gpus(lines: Sequence[str]) -> tuple[GpuInfo, ...]:
    """Parse ``nvidia-smi --query-gpu=GPU_QUERY --format=csv,noheader,nounits`` lines.

    Lines that are not GPU rows, or hold values no GPU has (``inf``, ``nan``, negative,
    absurd), are skipped.
    """
    parsed = (parse_gpu_line(line) for line in lines)
    return tuple(gpu for gpu in parsed if gpu is not None)


def _unreadable_gpu_rows(lines: Sequence[str]) -> int:
    """How many lines look like GPU rows (six fields) but hold values that cannot be true."""
    rows = [line for line in lines if line.count(",") == 5]
    return sum(1 for line in rows if parse_gpu_line(line) is None)


def _parse_torch(lines: Sequence[str]) -> tuple[TorchInfo | None, str | None]:
    for line in lines:
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if not isinstance(data, dict):
            continue
        if "error" in data:
            return None, "PyTorch is not installed in the login shell's Python."
        arch_list = data.get("arch_list")
        return (
            TorchInfo(
                version=plain_text(str(data.get("version", "")), limit=60),
                cuda_available=data.get("cuda_available") is True,
                cuda_version=_optional_text(data.get("cuda_version")),
                arch_list=tuple(
                    plain_text(str(a), limit=20)
                    for a in (arch_list if isinstance(arch_list, list) else [])[:64]
                ),
                device_capability=_optional_text(data.get("capability")),
            ),
            None,
        )
    return None, "PyTorch could not be queried."


def _optional_text(value: object) -> str | None:
    return plain_text(value, limit=60) or None if isinstance(value, str) else None


def parse_report(stdout: str, directories: Sequence[str]) -> InstanceReport:
    """Turn the probe script's output into an :class:`InstanceReport`."""
    sections = marked_sections(stdout)
    if "end" not in sections:
        raise RemoteCommandError(
            "probe.incomplete",
            "The instance's answer was cut short.",
            "The login shell may have exited early; open a terminal on it and check ~/.bashrc.",
        )
    notes: list[str] = []
    status = (sections.get("gpus_status") or [""])[0]
    gpus = parse_gpus(sections.get("gpus", []))
    if "missing" in status:
        notes.append("nvidia-smi was not found: no NVIDIA GPU, or a CPU-only (无卡) mode.")
    elif _unreadable_gpu_rows(sections.get("gpus", [])):
        notes.append("nvidia-smi printed GPU values that cannot be true; they were skipped.")
    if not gpus and "missing" not in status:
        detail = plain_text(" ".join(sections.get("gpus", [])), limit=200)
        notes.append(f"nvidia-smi found no GPU{': ' + detail if detail else ''}.")
    torch, torch_note = _parse_torch(sections.get("torch", []))
    if torch_note:
        notes.append(torch_note)
    disks = []
    for key, lines in sections.items():
        match = re.fullmatch(r"disk (\d+)", key)
        if not match or not lines:
            continue
        fields = lines[-1].split()
        number = int(match.group(1)) if len(match.group(1)) < 4 else len(directories)
        if len(fields) < 6 or number >= len(directories):
            continue
        total = instance_int(fields[1], low=0, high=MAX_DISK_KIB)
        free = instance_int(fields[3], low=0, high=MAX_DISK_KIB)
        if total is not None and free is not None:
            disks.append(DiskInfo(directories[number], total * 1024, free * 1024))

    def first(name: str) -> str | None:
        values = sections.get(name)
        return plain_text(values[0]) or None if values else None

    return InstanceReport(
        hostname=first("hostname") or "?",
        os_name=first("os") or "?",
        gpus=gpus,
        driver_version=gpus[0].driver_version if gpus else None,
        cuda_version=first("cuda"),
        python_version=first("python"),
        torch=torch,
        disks=tuple(disks),
        notes=tuple(notes),
    )


def probe_instance(
    connection: Connection, directories: Sequence[str] = ("~",), *, timeout: float = 90.0
) -> InstanceReport:
    """Probe the instance over ``connection`` (one command, one round trip)."""
    script = build_probe_script(directories)
    result = connection.run(LOGIN_SHELL, stdin=script.encode("utf-8"), timeout=timeout)
    return parse_report(result.stdout, directories)
