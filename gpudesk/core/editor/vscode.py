"""VS Code (and Cursor): find it, tell Remote-SSH the instance runs Linux, open its folder.

* :func:`find_editors` looks for the ``code`` / ``cursor`` launcher on PATH and in the usual
  install places of each OS (on Windows the launcher is ``code.cmd``).
* :func:`plan_remote_platform` sets ``remote.SSH.remotePlatform`` = ``{ALIAS: "linux"}`` in the
  user ``settings.json`` so VS Code stops asking which OS the host runs. That file is JSONC:
  the change is made in place by :mod:`gpudesk.core.editor.jsonc`, keeping the user's comments,
  trailing commas and formatting; a file that does not parse is left untouched.
* :func:`open_remote_folder` runs ``code --folder-uri vscode-remote://ssh-remote+ALIAS/PATH``
  with an argument list, never a shell. ``code.cmd`` passes its arguments through cmd.exe on
  Windows, so alias and path are checked first to hold none of cmd's special characters
  (https://flatt.tech/research/posts/batbadbut-you-cant-securely-execute-commands-on-windows/).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from gpudesk.core.editor.jsonc import JsoncError, loads, set_value
from gpudesk.core.errors import FileWriteError, GpuDeskError, InputError
from gpudesk.core.store.atomicfile import ManagedText, read_text_file
from gpudesk.core.store.filechange import FileChange
from gpudesk.core.store.instances import validate_alias

VSCODE_DOWNLOAD_URL = "https://code.visualstudio.com/download"
REMOTE_SSH_EXTENSION = "ms-vscode-remote.remote-ssh"
REMOTE_PLATFORM_KEY = "remote.SSH.remotePlatform"
# A remote folder safe in a URI and on cmd.exe's command line: no spaces, quotes, % & | < > ^ !
_REMOTE_PATH = re.compile(r"/[A-Za-z0-9/._+@,=~-]{0,1023}")
_REMOTE_SSH_DIR = re.compile(re.escape(REMOTE_SSH_EXTENSION) + r"-\d")

Which = Callable[[str], "str | None"]


@dataclass(frozen=True)
class EditorKind:
    """What differs between VS Code and its forks."""

    id: str
    name: str
    command: str  # the launcher's name on PATH
    config_name: str  # the folder under the OS's config dir
    extensions_dir: str  # under the home
    mac_app: str
    windows_dir: str  # under %LOCALAPPDATA%\Programs or %ProgramFiles%
    windows_bin: str  # the launcher inside it


VSCODE = EditorKind(
    "vscode", "Visual Studio Code", "code", "Code", ".vscode/extensions",
    "Visual Studio Code.app", "Microsoft VS Code", "bin/code.cmd",
)  # fmt: skip
CURSOR = EditorKind(
    "cursor", "Cursor", "cursor", "Cursor", ".cursor/extensions",
    "Cursor.app", "cursor", "resources/app/bin/cursor.cmd",
)  # fmt: skip
KINDS = (VSCODE, CURSOR)


@dataclass(frozen=True)
class Editor:
    """An installed editor: its launcher and its user settings file."""

    kind: EditorKind
    command: Path
    settings_path: Path

    @property
    def name(self) -> str:
        """The editor's product name."""
        return self.kind.name


def candidate_commands(
    kind: EditorKind, *, system: str = sys.platform, env: Mapping[str, str] | None = None
) -> list[str]:
    """Where the launcher usually is on ``system`` (after PATH), most likely first."""
    env = os.environ if env is None else env
    home = env.get("HOME") or env.get("USERPROFILE") or os.path.expanduser("~")
    if system == "win32":
        roots = [
            (env.get("LOCALAPPDATA", ""), "Programs"),
            (env.get("ProgramFiles", ""), ""),
            (env.get("ProgramFiles(x86)", ""), ""),
        ]
        return [
            "\\".join(p for p in (root, sub, kind.windows_dir, *kind.windows_bin.split("/")) if p)
            for root, sub in roots
            if root
        ]
    if system == "darwin":
        inside = f"{kind.mac_app}/Contents/Resources/app/bin/{kind.command}"
        return [f"/Applications/{inside}", f"{home}/Applications/{inside}"]
    if kind is VSCODE:
        return [
            "/usr/bin/code",
            "/usr/share/code/bin/code",
            "/snap/bin/code",
            "/opt/visual-studio-code/bin/code",
            "/var/lib/flatpak/exports/bin/com.visualstudio.code",
            f"{home}/.local/share/flatpak/exports/bin/com.visualstudio.code",
        ]
    return ["/usr/bin/cursor", "/usr/share/cursor/bin/cursor", "/opt/Cursor/cursor"]


def settings_path(
    kind: EditorKind,
    *,
    system: str = sys.platform,
    env: Mapping[str, str] | None = None,
    command: str | None = None,
) -> Path:
    """The user ``settings.json`` of ``kind`` on ``system`` (Flatpak VS Code has its own)."""
    env = os.environ if env is None else env
    home = env.get("HOME") or env.get("USERPROFILE") or os.path.expanduser("~")
    if system == "win32":
        base = env.get("APPDATA") or os.path.join(home, "AppData", "Roaming")
    elif system == "darwin":
        base = os.path.join(home, "Library", "Application Support")
    elif command and "flatpak" in command:
        base = os.path.join(home, ".var", "app", "com.visualstudio.code", "config")
    else:
        base = env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    return Path(base) / kind.config_name / "User" / "settings.json"


def find_editors(
    *, system: str = sys.platform, env: Mapping[str, str] | None = None, which: Which = shutil.which
) -> list[Editor]:
    """The installed editors (VS Code first, then Cursor); empty when there are none."""
    found = []
    for kind in KINDS:
        command = which(kind.command) or next(
            (c for c in candidate_commands(kind, system=system, env=env) if os.path.isfile(c)),
            None,
        )
        if command:
            settings = settings_path(kind, system=system, env=env, command=command)
            found.append(Editor(kind, Path(command), settings))
    return found


def find_editor(kind: str | None = None) -> Editor:
    """The first installed editor (of ``kind``: ``"vscode"`` or ``"cursor"``, if given).

    Raises:
        GpuDeskError: ``vscode.not_installed``, with the download link and extension id.
    """
    for editor in find_editors():
        if kind is None or editor.kind.id == kind:
            return editor
    raise not_installed_error()


def not_installed_error() -> GpuDeskError:
    """The error for "no VS Code here": where to get it and which extension to add."""
    return GpuDeskError(
        "vscode.not_installed",
        "VS Code was not found (no `code` command on PATH or in the usual install places).",
        f"Install it from {VSCODE_DOWNLOAD_URL}, add the Remote - SSH extension "
        f"({REMOTE_SSH_EXTENSION}), then try again.",
    )


def remote_ssh_installed(editor: Editor, home: Path | None = None) -> bool | None:
    """Whether the Remote - SSH extension is installed (None: cannot tell for this editor)."""
    if editor.kind is not VSCODE:
        return None
    folder = (home or Path.home()) / editor.kind.extensions_dir
    try:
        return any(_REMOTE_SSH_DIR.match(p.name) for p in folder.iterdir())
    except OSError:
        return False


# --- settings.json -------------------------------------------------------------------------


def plan_remote_platform(settings: Path, alias: str, platform: str = "linux") -> FileChange:
    """The change that sets ``remote.SSH.remotePlatform[alias]`` in ``settings`` (JSONC).

    Raises:
        FileWriteError: ``vscode.settings_unparseable`` (the file is left untouched) or the
            file cannot be read.
    """
    validate_alias(alias)
    managed = read_text_file(settings)
    try:
        if not managed.is_utf8:
            raise JsoncError("the file is not UTF-8", "", 0)
        text = set_value(
            managed.text, [REMOTE_PLATFORM_KEY, alias], platform, newline=managed.newline
        )
    except JsoncError as exc:
        raise FileWriteError(
            "vscode.settings_unparseable",
            f"{settings} is not valid JSON with comments ({exc}); gpudesk left it untouched.",
            f'Fix it in VS Code, or add "{REMOTE_PLATFORM_KEY}": {{"{alias}": "{platform}"}} '
            "to it by hand.",
        ) from None
    return _settings_change(settings, managed, text, f"{REMOTE_PLATFORM_KEY} for {alias}")


def _settings_change(
    settings: Path, managed: ManagedText, text: str, description: str
) -> FileChange:
    """The change from ``managed`` to ``text`` (the same bytes when the text did not change)."""
    after = managed.data if text == managed.text else managed.encode(text)
    return FileChange(
        settings, managed.data if managed.exists else None, after, description=description
    )


def set_remote_platform(settings: Path, alias: str, platform: str = "linux") -> bool:
    """Apply :func:`plan_remote_platform`; True when the file changed."""
    return plan_remote_platform(settings, alias, platform).apply()


# --- opening a folder ----------------------------------------------------------------------


def validate_remote_path(path: str) -> str:
    """Check a folder on the instance for use in a folder URI and on ``code.cmd``'s line.

    Raises:
        InputError: ``vscode.bad_path``: not absolute, or characters other than letters,
            digits and ``/ . _ + @ , = ~ -``.
    """
    if _REMOTE_PATH.fullmatch(path) is None:
        raise InputError(
            "vscode.bad_path",
            f"{path!r} cannot be opened in VS Code by gpudesk.",
            "Use an absolute folder such as /root/autodl-tmp, with letters, digits and "
            "/ . _ - only (no spaces or quotes).",
        )
    return path


def folder_uri(alias: str, remote_path: str) -> str:
    """``vscode-remote://ssh-remote+ALIAS/PATH``, both parts validated."""
    return f"vscode-remote://ssh-remote+{validate_alias(alias)}{validate_remote_path(remote_path)}"


def open_command(editor: Editor, alias: str, remote_path: str) -> list[str]:
    """The argument list that opens ``remote_path`` on ``alias`` in ``editor``."""
    return [str(editor.command), "--folder-uri", folder_uri(alias, remote_path)]


def open_remote_folder(
    editor: Editor, alias: str, remote_path: str, *, wait: float = 20.0
) -> list[str]:
    """Start ``editor`` on the instance's folder; return the argv that was run.

    The launcher normally hands over to a running editor and exits; it is given ``wait``
    seconds to report a failure, then left running.

    Raises:
        InputError: Bad alias or path.
        GpuDeskError: ``vscode.launch_failed`` when the launcher cannot start or fails.
    """
    argv = open_command(editor, alias, remote_path)
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(  # noqa: S603 - an argument list, validated above
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                start_new_session=sys.platform != "win32",
            )
        except OSError as exc:
            raise GpuDeskError(
                "vscode.launch_failed",
                f"{editor.name} could not be started ({exc.strerror or exc}).",
                f"Check the installation of {editor.command}.",
            ) from exc
        try:
            returncode = process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            return argv  # still running: the editor window is up
        errors.seek(0)
        lines = errors.read().decode("utf-8", "replace").strip().splitlines()
    if returncode != 0:
        raise GpuDeskError(
            "vscode.launch_failed",
            f"{editor.name} exited with status {returncode}: {(lines or ['no output'])[-1]}",
            f"Install the Remote - SSH extension ({REMOTE_SSH_EXTENSION}) and try again.",
        )
    return argv


# --- extensions installed on the instance at first connect --------------------------------

DEFAULT_EXTENSIONS_KEY = "remote.SSH.defaultExtensions"
#: Python and Jupyter: what notebooks and scripts on a rented GPU need in VS Code. Remote-SSH
#: installs the ids listed under :data:`DEFAULT_EXTENSIONS_KEY` on every new host it connects
#: to, so the user does not install them by hand over a slow link.
PYTHON_EXTENSIONS: tuple[str, ...] = ("ms-python.python", "ms-toolsai.jupyter")


def plan_remote_ssh_settings(
    settings: Path, alias: str, extensions: tuple[str, ...] = PYTHON_EXTENSIONS
) -> FileChange:
    """One change of ``settings``: the platform of ``alias`` and the default extensions.

    ``remote.SSH.remotePlatform[alias]`` becomes ``"linux"``; ``extensions`` are added to
    ``remote.SSH.defaultExtensions`` after the ids the user already lists there (kept).

    Raises:
        FileWriteError: ``vscode.settings_unparseable`` (the file is left untouched) or the
            file cannot be read.
    """
    plan_remote_platform(settings, alias)  # refuses a file that is not JSON with comments
    managed = read_text_file(settings)
    try:
        text = set_value(
            managed.text, [REMOTE_PLATFORM_KEY, alias], "linux", newline=managed.newline
        )
        current = loads(text)
        listed = current.get(DEFAULT_EXTENSIONS_KEY) if isinstance(current, dict) else None
        kept = [e for e in listed if isinstance(e, str)] if isinstance(listed, list) else []
        known = {k.lower() for k in kept}
        wanted = kept + [e for e in extensions if e.lower() not in known]
        if wanted != listed:
            text = set_value(text, [DEFAULT_EXTENSIONS_KEY], wanted, newline=managed.newline)
    except JsoncError:  # parsed above: cannot happen, but never write a guess
        return plan_remote_platform(settings, alias)
    description = f"{REMOTE_PLATFORM_KEY} for {alias}, {DEFAULT_EXTENSIONS_KEY}"
    return _settings_change(settings, managed, text, description)
