"""The desktop application as a whole: it starts, renders, and shows the catalog honestly
(expired policies greyed with why, never hidden)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.app.demo import demo_context, seed_workspace
from desktop.app.main import build_context, parse_args
from desktop.app.main_window import MainWindow
from desktop.app.wizard.pages.direction import GREY, DirectionPage
from forms.catalog.model import Catalog
from forms.draft.flow import StepId
from tests.workspace_helpers import MemoryStore

pytestmark = pytest.mark.usefixtures("cheap_scrypt")


def test_command_line_of_the_gui(tmp_path: Path) -> None:
    args = parse_args(["--workspace", str(tmp_path), "--date", "2025-09-10", "--lang", "en"])
    assert args.workspace == tmp_path and args.date == date(2025, 9, 10) and args.lang == "en"
    ctx = build_context(tmp_path, date(2025, 9, 10), key_store=MemoryStore())
    assert ctx is not None and ctx.today() == date(2025, 9, 10)
    assert ctx.store.folder == tmp_path and (tmp_path / "workspace.json").is_file()
    ctx.store.close()


def test_the_bundled_chinese_font_is_registered_where_none_is_installed(qtbot: QtBot) -> None:
    from PySide6.QtGui import QFontDatabase

    from desktop.app import cjk_font

    if not cjk_font.has_chinese_font():  # a bare CI runner: start-up must register it
        assert cjk_font.ensure_chinese_font() is not None
        assert cjk_font.has_chinese_font()
    family = cjk_font.ensure_chinese_font(force=True)  # what a bare machine gets
    assert family is not None and "WenQuanYi" in family
    assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)


def test_window_renders(qtbot: QtBot, tmp_path: Path, catalog: Catalog) -> None:
    from desktop.app.cjk_font import ensure_chinese_font

    ensure_chinese_font()
    window = MainWindow(demo_context(seed_workspace(tmp_path / "ws"), catalog=catalog))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    image = window.grab()
    assert image.width() > 800 and image.height() > 600
    window.shutdown()


def test_expired_policies_are_greyed_with_why(
    qtbot: QtBot, tmp_path: Path, catalog: Catalog
) -> None:
    ctx = demo_context(seed_workspace(tmp_path / "ws"), on=date(2026, 11, 23), catalog=catalog)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    editor = window.open_draft("demo-content-creation-xingyu")
    assert editor is not None
    editor.go(StepId.DIRECTION)
    page = editor.pages[StepId.DIRECTION]
    assert isinstance(page, DirectionPage)
    tops = page._tops()
    assert len(tops) == len(catalog.policies)
    jiading = next(t for t in tops if "嘉定区" in t.text(0))
    assert jiading.text(1) == "已过期"
    assert jiading.foreground(0).color() == GREY
    assert "到期" in jiading.toolTip(1)
    assert not jiading.isExpanded()
    leaf = page._leaves()[0]
    assert leaf.text(2)  # every direction carries a verdict
    window.shutdown()
