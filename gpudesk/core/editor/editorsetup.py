"""Everything the "Editor" step writes for one instance, planned together and previewed.

The GUI's Editor page and ``gpudesk setup`` share this: :func:`plan_editor_setup` returns the
:class:`~gpudesk.core.store.filechange.FileChange` list for the ssh alias (``~/.ssh/config`` Include
line and gpudesk's host file), VS Code's ``remote.SSH.remotePlatform`` (every installed
editor: VS Code, Cursor) and an optional ``.vscode/sftp.json``. Nothing is written until
:meth:`EditorPlan.apply`; each change then writes exactly the previewed bytes or refuses
because the file changed meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gpudesk.core.catalog.platforms import default_catalog
from gpudesk.core.editor.sftpjson import SftpTarget, plan_sftp_json
from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.editor.sshentry import HostEntry
from gpudesk.core.editor.vscode import (
    Editor,
    find_editors,
    plan_remote_ssh_settings,
    validate_remote_path,
)
from gpudesk.core.errors import GpuDeskError, InputError
from gpudesk.core.store.filechange import FileChange
from gpudesk.core.store.instances import Instance


def default_workdir(instance: Instance, explicit: str | None = None) -> str:
    """The folder to open: ``explicit``, the instance's, its platform's, else the home.

    Raises:
        InputError: ``explicit`` (or the saved one) is not a usable absolute folder.
    """
    if explicit:
        return validate_remote_path(explicit.rstrip("/") or "/")
    if instance.workdir:
        return validate_remote_path(instance.workdir)
    platform_id = instance.platform_id or instance.target.platform_id
    if platform_id:
        try:
            workdir = default_catalog().by_id(platform_id).workdir
        except InputError:
            workdir = ""
        if workdir.startswith("/"):
            return validate_remote_path(workdir)
    user = instance.target.user
    return "/root" if user == "root" else validate_remote_path(f"/home/{user}")


@dataclass(frozen=True)
class EditorPlan:
    """The planned changes of the Editor step, and what stood in the way of each part.

    Attributes:
        ssh_config: Changes to ``~/.ssh/config`` and gpudesk's host file (may be empty).
        vscode: One settings change per installed editor.
        sftp: The ``sftp.json`` change, when a folder was given.
        editors: The editors found (empty: VS Code is not installed).
        workdir: The folder on the instance that VS Code and sftp.json use ("" if invalid).
        ssh: The ssh config the plan was made for.
        problems: Why a part cannot be written, by part: ``workdir``, ``ssh-config``,
            ``vscode`` (a warning: the other parts still work) or ``sftp``.
    """

    ssh_config: list[FileChange] = field(default_factory=list)
    vscode: list[FileChange] = field(default_factory=list)
    sftp: FileChange | None = None
    editors: list[Editor] = field(default_factory=list)
    workdir: str = ""
    ssh: SshConfig = field(default_factory=SshConfig)
    problems: dict[str, GpuDeskError] = field(default_factory=dict)

    @property
    def blocked(self) -> bool:
        """True when a problem other than VS Code's settings stops the step."""
        return any(part != "vscode" for part in self.problems)

    @property
    def changes(self) -> list[FileChange]:
        """Every change, in the order they are applied."""
        return [*self.ssh_config, *self.vscode, *([self.sftp] if self.sftp else [])]

    def apply(self) -> list[Path]:
        """Write every planned change (ssh first); return the files that changed.

        Raises:
            FileWriteError: A file changed since the plan was made, or cannot be written.
        """
        changed = self.ssh.apply(self.ssh_config)
        for change in [*self.vscode, *([self.sftp] if self.sftp else [])]:
            if change.apply():
                changed.append(change.path)
        return changed

    def preview(self) -> list[tuple[Path, str]]:
        """``(path, text to be written)`` for every file that would change (deletions: "")."""
        return [(c.path, c.after_text) for c in self.changes if c.changes]


def plan_editor_setup(
    instance: Instance,
    *,
    workdir: str | None = None,
    ssh_config: bool = True,
    vscode: bool = True,
    sftp_folder: Path | None = None,
    ssh: SshConfig | None = None,
    editors: list[Editor] | None = None,
    known_hosts: Path | None = None,
) -> EditorPlan:
    """Plan the ssh alias, VS Code settings and sftp.json for ``instance`` (nothing written).

    Problems (a bad alias or path, an alias of someone else, a BOM, unparseable settings) are
    collected in :attr:`EditorPlan.problems` rather than raised, so a view can show each one
    next to its part.
    """
    config = ssh or SshConfig()
    found = (find_editors() if editors is None else editors) if vscode else []
    problems: dict[str, GpuDeskError] = {}
    folder = ""
    try:
        folder = default_workdir(instance, workdir)
    except GpuDeskError as error:
        problems["workdir"] = error
    changes: list[FileChange] = []
    entry: HostEntry | None = None
    try:
        entry = HostEntry.from_instance(instance, known_hosts)
        if ssh_config:
            changes = config.plan_write(entry)
    except GpuDeskError as error:
        problems["ssh-config"] = error
    settings: list[FileChange] = []
    for editor in found:
        try:
            settings.append(plan_remote_ssh_settings(editor.settings_path, instance.alias))
        except GpuDeskError as error:
            problems["vscode"] = error
    sftp = None
    if sftp_folder is not None and folder:
        target = instance.target
        try:
            sftp_target = SftpTarget(
                alias=instance.alias,
                host=target.host,
                port=target.port,
                user=target.user,
                private_key=entry.identity_file if entry else instance.key_path,
                remote_path=folder,
            )
            sftp = plan_sftp_json(sftp_folder, sftp_target)
        except GpuDeskError as error:
            problems["sftp"] = error
    return EditorPlan(changes, settings, sftp, found, folder, config, problems)
