"""`shenbao-gui`: the desktop application's entry point.

Builds the application context (catalog, workspace store, settings), installs the
interface language, opens the main window and reopens the drafts of the last session.
The workspace is the encrypted one the command line uses: unlocked with the OS keyring,
else with a passphrase typed in a dialog (desktop/app/unlock.py); a cancelled passphrase
ends the program, it never falls back to anything unencrypted. The bundled Chinese font
is registered first when the machine has none (desktop/app/cjk_font.py).
A language switch rebuilds the main window with the new translations; open drafts
reopen on the same steps (they are saved first).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.app import about, i18n, startup_probe
from desktop.app.cjk_font import ensure_chinese_font
from desktop.app.context import AppContext
from desktop.app.main_window import MainWindow
from desktop.app.passphrase import ask_with_dialog
from desktop.app.store import open_store
from desktop.app.unlock import Ask, open_or_create
from forms.catalog.loader import CatalogError
from forms.system.resources import resource_path
from forms.system.scratch import sweep
from forms.system.settings import Language, load_settings, workspace_folder
from forms.workspace import KeyStore, WorkspaceError


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="shenbao-gui", add_help=True)
    parser.add_argument("--workspace", type=Path, help="工作区文件夹 / workspace folder")
    parser.add_argument(
        "--date", type=date.fromisoformat, help="按此日期判断政策状态 / judge status on this date"
    )
    parser.add_argument("--lang", choices=("zh", "en"), help="界面语言 / interface language")
    args, _qt_args = parser.parse_known_args(list(argv))
    return args


class Application:
    """Owns the context and the one main window; rebuilds the window on a language switch."""

    def __init__(self, app: QApplication, ctx: AppContext) -> None:
        self.app = app
        self.ctx = ctx
        self.window: MainWindow | None = None

    def show(self) -> MainWindow:
        i18n.install(self.app, self.ctx.lang)
        # Qt puts this after every window's title: in the interface's language.
        self.app.setApplicationDisplayName(QCoreApplication.translate("Application", "申报助手"))
        window = MainWindow(self.ctx)
        window.language_requested.connect(self.switch_language)
        self.window = window
        window.show()
        window.restore_session()
        return window

    def switch_language(self, language: str) -> None:
        old = self.window
        if old is not None:
            old.shutdown()
            geometry = old.saveGeometry()
            old.hide()
            old.deleteLater()
        self.ctx.settings.language = "en" if language == "en" else "zh"
        self.ctx.save_settings()
        window = self.show()
        if old is not None:
            window.restoreGeometry(geometry)


def build_context(
    workspace: Path | None,
    on: date | None,
    ask: Ask | None = None,
    key_store: KeyStore | None = None,
) -> AppContext | None:
    """The context with the workspace unlocked; None when the user cancelled the passphrase.
    `ask` defaults to the passphrase dialog, `key_store` to the OS keyring."""
    sweep()  # decrypted files a killed earlier run left in shenbao's scratch folder
    settings = load_settings()
    folder = workspace or workspace_folder(settings)
    catalog = about.start_catalog(settings)
    opened = open_or_create(folder, ask or ask_with_dialog(folder), key_store=key_store)
    if opened is None:
        return None
    ctx = AppContext(catalog, open_store(opened), settings)
    if on is not None:
        ctx.today = lambda: on
    return ctx


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(argv) if argv is not None else sys.argv
    args = parse_args(arguments[1:])
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication.instance() or QApplication(arguments)
    assert isinstance(app, QApplication)
    if startup_probe.wanted():
        startup_probe.install(app)
    app.setApplicationName("shenbao")
    app.setApplicationDisplayName("申报助手")
    icon = resource_path("icons", "shenbao.svg")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    ensure_chinese_font()
    i18n.install(app, args.lang or load_settings().language)  # the passphrase dialog's
    try:
        ctx = build_context(args.workspace, args.date)
    except CatalogError as exc:
        QMessageBox.critical(
            None,
            "申报助手",
            "政策目录无法加载 / the policy catalog cannot be loaded:\n"
            + exc.message(args.lang or load_settings().language),
        )
        return 3
    except WorkspaceError as exc:
        shown = args.lang or load_settings().language
        QMessageBox.critical(
            None,
            "申报助手",
            f"工作区无法打开 / the workspace cannot be opened:\n{exc.message(shown)}",
        )
        return 2
    if ctx is None:
        return 1  # the passphrase was not given: nothing was opened or written
    if args.lang:
        language: Language = args.lang
        ctx.settings.language = language
    controller = Application(app, ctx)
    about.announce_refused_updates(controller.show(), ctx)
    try:
        return app.exec()
    finally:
        ctx.store.close()  # gives back the edit locks still held


if __name__ == "__main__":
    sys.exit(main())
