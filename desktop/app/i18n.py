"""Installing the interface language: Chinese by default, English through Qt translations.

Widget texts are written in Chinese in the source (`self.tr("…")`); English comes from
resources/translations/shenbao_en.qm, built from shenbao_en.ts with pyside6-lrelease and
committed so the running program needs no tool. Qt's own qtbase_zh_CN.qm is shipped too,
so standard dialog buttons (OK, Cancel, Yes) are Chinese in the Chinese interface.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop.app import labels
from forms.system.resources import resource_path
from forms.system.settings import Language

TRANSLATIONS = ("translations",)
_installed: list[QTranslator] = []


def qm_path(language: Language) -> str:
    return str(resource_path(*TRANSLATIONS, f"shenbao_{language}.qm"))


def install(app: QCoreApplication, language: Language) -> None:
    """Replace whatever translators are installed with those of `language`."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    locale = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    if language == "en":
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
        ours = QTranslator(app)
        if ours.load(qm_path("en")):
            _installed.append(ours)
    else:
        qt = QTranslator(app)
        shipped = resource_path(*TRANSLATIONS, "qtbase_zh_CN.qm")
        if qt.load(str(shipped)) or qt.load(
            "qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        ):
            _installed.append(qt)
    QLocale.setDefault(locale)
    for translator in _installed:
        app.installTranslator(translator)
    labels.set_language(language)


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


_by_language: dict[str, QTranslator] = {}


def translate_in(language: Language, context: str, text: str) -> str:
    """`text` from the translation file of `language`, whatever language is installed
    (About describes a context that names its own language). Chinese is the source."""
    if language == "zh":
        return text
    translator = _by_language.get(language)
    if translator is None:
        translator = QTranslator()
        translator.load(qm_path(language))
        _by_language[language] = translator
    return translator.translate(context, text) or text
