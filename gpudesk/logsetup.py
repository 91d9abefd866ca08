"""Logging for the app and the CLI: a rotating file in the log dir, secrets masked."""

from __future__ import annotations

import logging
import logging.handlers

from gpudesk.core import paths
from gpudesk.core.redact import RedactingFilter


def configure_logging(*, verbose: bool = False, to_file: bool = True) -> None:
    """Send gpudesk's records to ``log_dir()/gpudesk.log`` (and stderr when verbose)."""
    root = logging.getLogger("gpudesk")
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    redactor = RedactingFilter()
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    if to_file:
        directory = paths.ensure_private_dir(paths.log_dir())
        file_handler = logging.handlers.RotatingFileHandler(
            directory / "gpudesk.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        file_handler.setFormatter(formatter)
        file_handler.addFilter(redactor)
        root.addHandler(file_handler)
    if verbose:
        stream = logging.StreamHandler()
        stream.setFormatter(formatter)
        stream.addFilter(redactor)
        root.addHandler(stream)
    logging.getLogger("paramiko").setLevel(logging.WARNING)
