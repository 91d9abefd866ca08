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
#: conda's PATH in ~/.bashrc, which bash reads only for interactive shells.
LOGIN_SHELL = (
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


def _sections(stdout: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in stdout.splitlines():
        line = raw.rstrip("\r")
        if line.startswith("@@"):
            current = sections.setdefault(line[2:].strip(), [])
        elif current is not None and line.strip():
            current.append(line.strip())
    return sections


def _int(text: str) -> int:
    try:
        return int(float(text.strip()))
    except ValueError:
        return 0


def parse_gpus(lines: Sequence[str]) -> tuple[GpuInfo, ...]:
    """Parse ``nvidia-smi --query-gpu=GPU_QUERY --format=csv,noheader,nounits`` lines."""
    gpus = []
    for line in lines:
        fields = [f.strip() for f in line.split(",")]
        if len(fields) != 6 or not fields[0].isdigit():
            continue
        index, name, total, used, util, driver = fields
        gpus.append(GpuInfo(int(index), name, _int(total), _int(used), _int(util), driver))
    return tuple(gpus)


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
        return (
            TorchInfo(
                version=str(data.get("version", "")),
                cuda_available=bool(data.get("cuda_available")),
                cuda_version=data.get("cuda_version") or None,
                arch_list=tuple(str(a) for a in data.get("arch_list") or ()),
                device_capability=data.get("capability") or None,
            ),
            None,
        )
    return None, "PyTorch could not be queried."


def parse_report(stdout: str, directories: Sequence[str]) -> InstanceReport:
    """Turn the probe script's output into an :class:`InstanceReport`."""
    sections = _sections(stdout)
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
    elif not gpus:
        detail = " ".join(sections.get("gpus", []))[:200]
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
        if len(fields) >= 6 and fields[1].isdigit() and fields[3].isdigit():
            path = directories[int(match.group(1))]
            disks.append(DiskInfo(path, int(fields[1]) * 1024, int(fields[3]) * 1024))

    def first(name: str) -> str | None:
        values = sections.get(name)
        return values[0] if values else None

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
