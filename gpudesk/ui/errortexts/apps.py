"""Translated texts of errors about tunnels, Jupyter, TensorBoard and the GPU monitor.

``texts()`` maps an error code to ``(message, hint)``, translated at call time so the UI
language applies; the English sources are marked for lupdate with ``QT_TRANSLATE_NOOP``.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from gpudesk.ui.errortexts.table import Row, translated

_TEXTS: tuple[Row, ...] = (
    (
        "jupyter.bad_command",
        QT_TRANSLATE_NOOP("ErrorText", "Unknown Jupyter command."),
        QT_TRANSLATE_NOOP("ErrorText", "Use jupyter lab or jupyter notebook."),
    ),
    (
        "jupyter.missing",
        QT_TRANSLATE_NOOP("ErrorText", "Jupyter is not installed on the instance."),
        QT_TRANSLATE_NOOP("ErrorText", "Install it on the instance: pip install jupyterlab"),
    ),
    (
        "jupyter.no_python",
        QT_TRANSLATE_NOOP("ErrorText", "The instance has no python3 or python."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Choose an image with Python, or install Python on the instance."
        ),
    ),
    (
        "jupyter.not_ours",
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "This Jupyter server was not started by gpudesk, so gpudesk leaves it running.",
        ),
        QT_TRANSLATE_NOOP("ErrorText", "Stop it on the instance yourself if you really mean to."),
    ),
    (
        "jupyter.not_running",
        QT_TRANSLATE_NOOP("ErrorText", "No running Jupyter server answered on the instance."),
        QT_TRANSLATE_NOOP("ErrorText", "Press Open Jupyter: gpudesk starts one."),
    ),
    (
        "monitor.bad_value",
        QT_TRANSLATE_NOOP("ErrorText", "The value must be greater than 0."),
        QT_TRANSLATE_NOOP("ErrorText", "For example: 30"),
    ),
    (
        "monitor.nvidia_smi_failed",
        QT_TRANSLATE_NOOP("ErrorText", "nvidia-smi failed on the instance."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "The instance may have no GPU (CPU-only mode) or its driver is not loaded."
        ),
    ),
    (
        "monitor.stopped",
        QT_TRANSLATE_NOOP("ErrorText", "The GPU monitor stopped."),
        QT_TRANSLATE_NOOP("ErrorText", "Run gpudesk monitor again; with -v the log says more."),
    ),
    (
        "probe.bad_dir",
        QT_TRANSLATE_NOOP("ErrorText", "The work folder is not an absolute path."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Give the work folder as an absolute path, e.g. /root/autodl-tmp."
        ),
    ),
    (
        "tensorboard.missing",
        QT_TRANSLATE_NOOP("ErrorText", "TensorBoard is not installed on the instance."),
        QT_TRANSLATE_NOOP("ErrorText", "Install it on the instance: pip install tensorboard"),
    ),
    (
        "tensorboard.not_ours",
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "This TensorBoard was not started by gpudesk, so gpudesk leaves it running.",
        ),
        QT_TRANSLATE_NOOP("ErrorText", "Stop it on the instance yourself if you really mean to."),
    ),
    (
        "tensorboard.not_running",
        QT_TRANSLATE_NOOP("ErrorText", "No running TensorBoard answered on the instance."),
        QT_TRANSLATE_NOOP("ErrorText", "Press Open TensorBoard: gpudesk starts one."),
    ),
    (
        "tunnel.bad_kind",
        QT_TRANSLATE_NOOP("ErrorText", "Unknown kind of tunnel."),
        QT_TRANSLATE_NOOP("ErrorText", "Use jupyter, tensorboard or custom."),
    ),
    (
        "tunnel.bad_name",
        QT_TRANSLATE_NOOP("ErrorText", "A tunnel name has 1 to 64 printable characters."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Name it after what it serves, e.g. Jupyter or Gradio demo."
        ),
    ),
    (
        "tunnel.bad_saved",
        QT_TRANSLATE_NOOP("ErrorText", "A saved tunnel is damaged."),
        QT_TRANSLATE_NOOP("ErrorText", "Remove the tunnel and add it again."),
    ),
    (
        "tunnel.bad_spec",
        QT_TRANSLATE_NOOP("ErrorText", "These ports cannot be used for a tunnel."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Use ports from 1 to 65535 (0 as the local port picks a free one)."
        ),
    ),
    (
        "tunnel.closed",
        QT_TRANSLATE_NOOP("ErrorText", "The tunnels have been shut down."),
        QT_TRANSLATE_NOOP("ErrorText", "gpudesk is quitting; start it again to use tunnels."),
    ),
    (
        "tunnel.connect_failed",
        QT_TRANSLATE_NOOP("ErrorText", "Could not log in to the instance."),
        QT_TRANSLATE_NOOP("ErrorText", "gpudesk keeps trying; check that the instance is running."),
    ),
    (
        "tunnel.failed",
        QT_TRANSLATE_NOOP("ErrorText", "The tunnel failed."),
        QT_TRANSLATE_NOOP("ErrorText", "Check that the instance is running, then try again."),
    ),
    (
        "tunnel.local_port_busy",
        QT_TRANSLATE_NOOP("ErrorText", "This local port is already in use."),
        QT_TRANSLATE_NOOP("ErrorText", "Choose another local port (0 picks a free one)."),
    ),
    (
        "tunnel.local_port_denied",
        QT_TRANSLATE_NOOP("ErrorText", "This local port cannot be used."),
        QT_TRANSLATE_NOOP("ErrorText", "Choose a port above 1024 (0 picks a free one)."),
    ),
    (
        "tunnel.no_credentials",
        QT_TRANSLATE_NOOP("ErrorText", "There is no key and no saved password for this instance."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "Save the password (gpudesk asks for it when you connect), or choose a key.",
        ),
    ),
    (
        "tunnel.not_connected",
        QT_TRANSLATE_NOOP("ErrorText", "The instance has no live connection right now."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Start one of its tunnels (or wait until it is back up) and try again."
        ),
    ),
    (
        "tunnel.not_up",
        QT_TRANSLATE_NOOP("ErrorText", "The tunnel is not up."),
        QT_TRANSLATE_NOOP("ErrorText", "Check that the instance is running, then try again."),
    ),
    (
        "tunnel.unknown",
        QT_TRANSLATE_NOOP("ErrorText", "This tunnel no longer exists."),
        QT_TRANSLATE_NOOP("ErrorText", "It was removed meanwhile; add it again if you need it."),
    ),
    (
        "webapp.bad_dir",
        QT_TRANSLATE_NOOP("ErrorText", "The folder is not an absolute path."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Give an absolute path on the instance, e.g. /root/autodl-tmp."
        ),
    ),
    (
        "webapp.bad_port",
        QT_TRANSLATE_NOOP("ErrorText", "This is not a TCP port."),
        QT_TRANSLATE_NOOP("ErrorText", "Use 1 to 65535."),
    ),
    (
        "webapp.incomplete",
        QT_TRANSLATE_NOOP("ErrorText", "The instance's answer was cut short."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "The login shell may have exited early; open a terminal on it and check ~/.bashrc.",
        ),
    ),
    (
        "webapp.no_port",
        QT_TRANSLATE_NOOP("ErrorText", "The instance could not pick a free port."),
        QT_TRANSLATE_NOOP(
            "ErrorText", "Open a terminal on the instance and check that python3 runs."
        ),
    ),
    (
        "webapp.start_failed",
        QT_TRANSLATE_NOOP("ErrorText", "The program could not be started on the instance."),
        QT_TRANSLATE_NOOP(
            "ErrorText",
            "The details below show what it printed; fix that on the instance and try again.",
        ),
    ),
)


def texts() -> dict[str, tuple[str, str]]:
    """Translated (message, hint) by error code; built at call time so the language applies."""
    return translated(_TEXTS)
