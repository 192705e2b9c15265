"""The About dialog: what is running, for the user and for IT's support desk.

Version (pyproject's, via `desktop.runtime`), the policy catalog in use with where it
came from (bundled or an update folder) and every update that was not used with the
reason, what a catalog update in use changed against the bundled catalog and which
drafts of the workspace that touches (`forms.catalog.diff`), the Chinese font PDFs embed, the keyring backend, and the folders and settings
files in play. "Copy" puts the same text on the clipboard for a support ticket.

The catalog choice is made once at start (`desktop.app.main`), which records it here with
`remember()`; the dialog shows that choice, not a fresh look at the folders, because
it is the catalog this window is actually using.

The labels are translation-file texts (context "About", marked with
`QT_TRANSLATE_NOOP` so pyside6-lupdate collects them) and are looked up in the language
of the context they describe (`desktop.app.i18n.translate_in`), so `about_text` gives the
same words as the dialog; the title and the one-line intro are the main window's own
`tr()` texts, passed in.
"""

from __future__ import annotations

import platform
from html import escape

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from desktop.app.context import AppContext
from desktop.app.i18n import translate_in
from desktop.runtime import keyring_backend, version
from forms.catalog.diff import CatalogDiff, Change, diff_catalogs
from forms.catalog.model import Catalog
from forms.catalog.source import CatalogChoice, choose_catalog
from forms.documents.fonts import choose_font
from forms.draft.model import Draft
from forms.system.paths import data_home
from forms.system.resources import is_frozen
from forms.system.settings import Settings, machine_settings_paths, settings_path
from forms.text import Text

_choice: list[CatalogChoice] = []


def remember(choice: CatalogChoice) -> None:
    """Record the catalog choice made at start (shown by every About dialog after)."""
    _choice[:] = [choice]


def catalog_choice() -> CatalogChoice | None:
    return _choice[0] if _choice else None


def _font() -> str:
    try:
        font, _ = choose_font(["申报书"])
    except Exception as exc:  # a missing font is reported, not raised, in About
        return f"— ({exc})"
    return f"{font.name} ({font.source}: {font.path})"


VERSION = str(QT_TRANSLATE_NOOP("About", "版本"))
FROZEN = str(QT_TRANSLATE_NOOP("About", "（安装版）"))
CATALOG = str(QT_TRANSLATE_NOOP("About", "政策目录"))
UPDATE_NOT_USED = str(QT_TRANSLATE_NOOP("About", "未使用的更新"))
UPDATE_CHANGES = str(QT_TRANSLATE_NOOP("About", "更新的变化"))
UPDATE_AFFECTS = str(QT_TRANSLATE_NOOP("About", "受影响的草稿"))
FONT = str(QT_TRANSLATE_NOOP("About", "PDF中文字体"))
KEYRING = str(QT_TRANSLATE_NOOP("About", "密钥环"))
KEYRING_UNUSABLE = str(QT_TRANSLATE_NOOP("About", "（不可用，使用口令）"))
DATA_FOLDER = str(QT_TRANSLATE_NOOP("About", "数据文件夹"))
SETTINGS_FILES = str(QT_TRANSLATE_NOOP("About", "设置文件"))
NO_FILE = str(QT_TRANSLATE_NOOP("About", "（无）"))
RUNTIME = str(QT_TRANSLATE_NOOP("About", "运行环境"))
COPY = str(QT_TRANSLATE_NOOP("About", "复制"))


def about_rows(ctx: AppContext) -> list[tuple[str, str]]:
    """(label, value) rows in the interface language; pure enough to test without a window."""
    lang = ctx.lang

    def label(text: str) -> str:
        return translate_in(lang, "About", text)

    choice = catalog_choice()
    if choice is not None and choice.catalog is ctx.catalog:
        catalog = choice.source.describe(lang)
    else:
        catalog = f"{ctx.catalog.version}"
    rows = [
        (label(VERSION), f"shenbao {version()}" + (label(FROZEN) if is_frozen() else "")),
        (label(CATALOG), catalog),
    ]
    for note in choice.problems if choice is not None else []:
        rows.append((label(UPDATE_NOT_USED), note.message(lang)))
    changes = update_diff(ctx)
    if changes is not None:
        lines = [changes.heading().render(lang)]
        lines += [f"- {c.text().render(lang)}" for c in changes.changes]
        rows.append((label(UPDATE_CHANGES), "\n".join(lines)))
        affected = changes.affected(info.draft for info in ctx.store.drafts())
        if affected:
            rows.append(
                (
                    label(UPDATE_AFFECTS),
                    "\n".join(_affected_line(d, found, lang) for d, found in affected),
                )
            )
    backend, usable = keyring_backend()
    rows += [
        (label(FONT), _font()),
        (label(KEYRING), backend if usable else backend + label(KEYRING_UNUSABLE)),
        (label(DATA_FOLDER), str(data_home())),
        (
            label(SETTINGS_FILES),
            "; ".join(
                f"{p}{'' if p.is_file() else label(NO_FILE)}"
                for p in [*machine_settings_paths(), settings_path()]
            ),
        ),
        (
            label(RUNTIME),
            f"Python {platform.python_version()}, PySide6 {pyside_version}, "
            f"{platform.system()} {platform.release()} {platform.machine()}",
        ),
    ]
    return rows


def update_diff(ctx: AppContext) -> CatalogDiff | None:
    """What the catalog update in use changed against the bundled catalog; None when the
    bundled catalog is in use (or the window uses another catalog than the one chosen)."""
    choice = catalog_choice()
    if choice is None or choice.baseline is None or choice.catalog is not ctx.catalog:
        return None
    return diff_catalogs(choice.baseline, choice.catalog)


def _affected_line(draft: Draft, changes: list[Change], lang: str) -> str:
    sep = "；" if lang == "zh" else "; "
    return Text.of(
        "diff.affected_draft",
        draft=draft.title or draft.project.name or draft.id,
        direction=draft.direction or "—",
        changes=sep.join(c.text().render(lang) for c in changes),
    ).render(lang)


def about_text(ctx: AppContext) -> str:
    return "\n".join(f"{name}: {value}" for name, value in about_rows(ctx))


class AboutDialog(QDialog):
    def __init__(self, ctx: AppContext, title: str, intro: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("about-dialog")
        self.text = about_text(ctx)
        rows = "".join(
            f"<tr><td style='padding-right:12px'><b>{escape(name)}</b></td>"
            f"<td>{escape(value).replace(chr(10), '<br>')}</td></tr>"
            for name, value in about_rows(ctx)
        )
        body = QLabel(f"<p>{escape(intro).replace(chr(10), '<br>')}</p><table>{rows}</table>")
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = buttons.addButton(
            translate_in(ctx.lang, "About", COPY), QDialogButtonBox.ButtonRole.ActionRole
        )
        copy.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(body)
        layout.addWidget(buttons)
        self.resize(720, self.sizeHint().height())

    def copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.text)


def show_about(ctx: AppContext, title: str, intro: str, parent: QWidget | None = None) -> None:
    AboutDialog(ctx, title, intro, parent).exec()


def start_catalog(settings: Settings) -> Catalog:
    """The catalog the GUI starts with (bundled, or a newer valid update), remembered
    for About. Raises CatalogError only when nothing loads."""
    choice = choose_catalog(settings)
    remember(choice)
    return choice.catalog


def announce_refused_updates(window: QMainWindow, ctx: AppContext | None = None) -> None:
    """Say in the status bar that a catalog update was refused (About has the reasons),
    and, with the context, that an update is in use: how many changes, how many drafts
    of the workspace they touch (About lists them)."""
    choice = catalog_choice()
    messages = []
    if choice is not None and choice.refused:
        names = ", ".join(note.location.name for note in choice.refused)
        messages.append(
            QCoreApplication.translate(
                "About", "政策目录更新有误，未使用（详见“帮助 → 关于”）：{names}"
            ).format(names=names)
        )
    changes = update_diff(ctx) if ctx is not None else None
    if ctx is not None and changes is not None and changes.changes:
        drafts = len(changes.affected(info.draft for info in ctx.store.drafts()))
        messages.append(
            Text.of(
                "diff.announce",
                new=changes.new_version,
                old=changes.old_version,
                count=len(changes.changes),
                drafts=drafts,
            ).render(ctx.lang)
        )
    bar = window.statusBar()
    if bar is not None and messages:
        bar.showMessage("  ·  ".join(messages))
