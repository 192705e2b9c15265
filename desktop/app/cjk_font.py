"""The bundled Chinese font for the interface, where the system has none.

A fresh Linux machine, a CI runner or a minimal Windows image may have no font covering
Chinese: Qt then draws boxes. At start the application asks Qt's font database whether
any family covers Simplified Chinese and, only if none does, registers the bundled
WenQuanYi Micro Hei (resources/fonts, the same file the PDF renderer embeds) and makes it
the fallback for the default family, so Latin text keeps the system's look.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from forms.documents.fonts import BUNDLED
from forms.system.resources import resource_path

_registered: list[str] = []


def has_chinese_font() -> bool:
    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def ensure_chinese_font(force: bool = False) -> str | None:
    """Register the bundled font when no installed font covers Chinese (or `force`);
    returns its family name, or None when the system's fonts were enough (or the file is
    missing, which a frozen build's self-test reports)."""
    if _registered:
        return _registered[0]
    if not force and has_chinese_font():
        return None
    path = resource_path(*BUNDLED)
    if not path.is_file():
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    family = families[0]
    _registered.append(family)
    app_font = QGuiApplication.font()
    QFont.insertSubstitution(app_font.family(), family)
    if not force and not has_chinese_font():  # pragma: no cover - Qt without fallback lookup
        app_font.setFamilies([app_font.family(), family])
        QGuiApplication.setFont(app_font)
    return family
