"""`shenbao-gui`: the desktop application's entry point.

Builds the application context (catalog, workspace store, settings), installs the
interface language, opens the main window and reopens the drafts of the last session.
A language switch rebuilds the main window with the new translations; open drafts
reopen on the same steps (they are saved first).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import i18n
from desktop.context import AppContext
from desktop.main_window import MainWindow
from desktop.store import open_store
from forms.catalog_loader import CatalogError, load_catalog
from forms.paths import default_workspace
from forms.resources import resource_path
from forms.settings import Language, load_settings


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


def build_context(workspace: Path | None, on: date | None) -> AppContext:
    settings = load_settings()
    folder = workspace or settings.last_workspace or default_workspace()
    ctx = AppContext(load_catalog(), open_store(folder), settings)
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
    app.setApplicationName("shenbao")
    app.setApplicationDisplayName("申报助手")
    icon = resource_path("icons", "shenbao.svg")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    try:
        ctx = build_context(args.workspace, args.date)
    except CatalogError as exc:
        QMessageBox.critical(
            None, "申报助手", f"政策目录无法加载 / the policy catalog cannot be loaded:\n{exc}"
        )
        return 3
    if args.lang:
        language: Language = args.lang
        ctx.settings.language = language
    controller = Application(app, ctx)
    controller.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
