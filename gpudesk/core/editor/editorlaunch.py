"""Open a saved instance's folder in VS Code (the ``gpudesk open`` steps, for the GUI too).

The alias must be one gpudesk wrote into the ssh config (VS Code's Remote-SSH connects by it);
the folder is the instance's work folder, else its platform's, else the home.
"""

from __future__ import annotations

from gpudesk.core.editor.editorsetup import default_workdir
from gpudesk.core.editor.sshconfig import SshConfig
from gpudesk.core.editor.vscode import find_editor, open_remote_folder
from gpudesk.core.errors import InputError
from gpudesk.core.store.instances import Instance


def open_instance_in_editor(
    instance: Instance, *, editor: str | None = None, config: SshConfig | None = None
) -> list[str]:
    """Start VS Code (or ``editor``) on ``instance``'s folder; return the argv that ran.

    Raises:
        InputError: ``open.unknown_alias`` when gpudesk has no ssh alias for it.
        GpuDeskError: No editor found, or it failed to start (``vscode.launch_failed``).
    """
    entry = (config or SshConfig()).get(instance.alias)
    if entry is None:
        raise InputError(
            "open.unknown_alias",
            f"gpudesk has no ssh alias {instance.alias!r}, so VS Code could not connect to it.",
            "Finish the set-up of this instance in gpudesk first (it writes the alias).",
        )
    return open_remote_folder(find_editor(editor), entry.alias, default_workdir(instance))
