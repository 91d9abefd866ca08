"""Turn a module's table of ``(code, message, hint)`` into translated texts.

The English sources are marked for lupdate with ``QT_TRANSLATE_NOOP("ErrorText", ...)`` where
the table is written; :func:`translated` looks them up at call time, so the UI language in
force then applies.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication

#: One row: the error code, then its English message and hint as marked for translation.
Row = tuple[str, object, object]


def translated(rows: Iterable[Row]) -> dict[str, tuple[str, str]]:
    """``code -> (message, hint)`` in the current UI language."""
    return {
        code: (
            QCoreApplication.translate("ErrorText", str(message)),
            QCoreApplication.translate("ErrorText", str(hint)),
        )
        for code, message, hint in rows
    }
