"""Bytes, rates and times as short, translated text for the Files view."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

_UNITS = ("B", "KiB", "MiB", "GiB", "TiB")


def size_text(count: float) -> str:
    """``1.5 MiB`` (binary units; whole bytes below 1 KiB)."""
    value = float(count)
    for unit in _UNITS:
        if abs(value) < 1024 or unit == _UNITS[-1]:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} {_UNITS[-1]}"


def rate_text(bytes_per_s: float) -> str:
    """``12.3 MiB/s``."""
    return QCoreApplication.translate("FilesView", "%1/s").replace("%1", size_text(bytes_per_s))


def eta_text(seconds: float | None) -> str:
    """``3 min 5 s left`` / ``8 s left``; empty while unknown."""
    if seconds is None:
        return ""
    whole = round(seconds)
    if whole >= 60:
        return (
            QCoreApplication.translate("FilesView", "%1 min %2 s left")
            .replace("%1", str(whole // 60))
            .replace("%2", str(whole % 60))
        )
    return QCoreApplication.translate("FilesView", "%1 s left").replace("%1", str(whole))
