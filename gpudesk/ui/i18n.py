"""Load the UI translation that fits the settings or the system locale."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from gpudesk.core.resources import resource_path

SUPPORTED = ("en", "zh_CN")

_current = "en"


def current_language() -> str:
    """The language the UI was started in (``"en"`` or ``"zh_CN"``)."""
    return _current


def localized(english: str, chinese: str) -> str:
    """Pick between a data file's English and Chinese text by the UI language."""
    return chinese if _current == "zh_CN" and chinese else english


def choose_language(setting: str, system: QLocale | None = None) -> str:
    """``"en"`` or ``"zh_CN"`` from the setting (``"system"`` follows the OS locale)."""
    if setting in SUPPORTED:
        return setting
    locale = system or QLocale.system()
    return "zh_CN" if locale.language() == QLocale.Language.Chinese else "en"


def install_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Install the compiled ``.qm`` for ``language``; None for English or when missing."""
    global _current
    _current = language if language in SUPPORTED else "en"
    if language == "en":
        return None
    translator = QTranslator(app)
    qm = resource_path("i18n", f"gpudesk_{language}.qm")
    if not translator.load(str(qm)):
        return None
    app.installTranslator(translator)
    return translator
