"""A platform instance's status (AutoDL's ``running``, ``shutdown``, ...) as a translated word."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

# The longest platform word shown as it is (a status gpudesk does not know yet).
MAX_UNKNOWN_STATUS = 40


def platform_status_text(status: str) -> str:
    """The translated word for ``status``; the platform's own word, cut short, when unknown."""
    known = {
        "running": QCoreApplication.translate("PlatformStatus", "Running"),
        "starting": QCoreApplication.translate("PlatformStatus", "Starting"),
        "creating": QCoreApplication.translate("PlatformStatus", "Creating"),
        "shutdown": QCoreApplication.translate("PlatformStatus", "Off"),
        "shutting_down": QCoreApplication.translate("PlatformStatus", "Powering off"),
        "releasing": QCoreApplication.translate("PlatformStatus", "Releasing"),
        "released": QCoreApplication.translate("PlatformStatus", "Released"),
    }
    return known.get(status, status[:MAX_UNKNOWN_STATUS])
