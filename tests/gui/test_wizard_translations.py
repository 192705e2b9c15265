"""Translations: every interface text has English, the .ts matches the sources, the .qm
is built from the current .ts, and switching language changes what the window says."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.app import i18n, labels
from desktop.app.demo import demo_context, seed_workspace
from desktop.app.main import Application
from forms.catalog.model import Catalog, Status
from tests.conftest import ROOT

TS = ROOT / "resources" / "translations" / "shenbao_en.ts"
QM = ROOT / "resources" / "translations" / "shenbao_en.qm"
BIN = Path(sys.executable).parent


pytestmark = pytest.mark.usefixtures("cheap_scrypt")


def _tool(name: str) -> str:
    found = BIN / name
    if found.is_file():
        return str(found)
    which = shutil.which(name)
    if which is None:
        pytest.skip(f"{name} is not installed")
    return which


def _sources() -> list[str]:
    """The Qt app's modules (the command line has no Qt translations)."""
    return [
        str(path.relative_to(ROOT)) for path in sorted((ROOT / "desktop" / "app").rglob("*.py"))
    ]


def _messages(path: Path) -> list[ET.Element]:
    return [m for ctx in ET.parse(path).getroot() for m in ctx.findall("message")]


def test_every_entry_is_translated() -> None:
    messages = _messages(TS)
    assert len(messages) > 300
    for message in messages:
        source = message.findtext("source")
        translation = message.find("translation")
        assert translation is not None and translation.text, f"untranslated: {source}"
        assert translation.get("type") not in ("unfinished", "vanished", "obsolete"), source
        for placeholder in ("{n}", "{name}", "{date}", "{text}", "{words}"):
            if source and placeholder in source:
                assert placeholder in translation.text, f"{source}: {placeholder} lost"


def test_the_ts_holds_every_text_of_the_sources(tmp_path: Path) -> None:
    copy = tmp_path / "check.ts"
    shutil.copy(TS, copy)
    subprocess.run(
        [
            _tool("pyside6-lupdate"),
            *_sources(),
            "-source-language",
            "zh_CN",
            "-target-language",
            "en",
            "-locations",
            "none",
            "-no-obsolete",
            "-ts",
            str(copy),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    untranslated = [
        m.findtext("source")
        for m in _messages(copy)
        if m.find("translation") is not None and m.find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
    ]
    assert untranslated == [], "run lupdate and translate these (resources/translations/README.md)"
    assert len(_messages(copy)) == len(_messages(TS)), "the .ts holds texts the sources dropped"


def test_the_qm_is_built_from_the_current_ts(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), str(TS), "-qm", str(fresh)], check=True, capture_output=True
    )
    assert fresh.read_bytes() == QM.read_bytes(), "rebuild shenbao_en.qm with pyside6-lrelease"


def test_english_interface_and_back(qtbot: QtBot, tmp_path: Path, catalog: Catalog) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    ctx = demo_context(seed_workspace(tmp_path / "ws"), catalog=catalog)
    controller = Application(app, ctx)
    try:
        window = controller.show()
        qtbot.addWidget(window)
        # Qt puts the application's name after every window's title, in its language.
        assert window.windowTitle() == "上海“人工智能+”政策申报"
        assert app.applicationDisplayName() == "申报助手"
        assert labels.name(Status.EXPIRED) == "已过期"
        editor = window.open_draft("demo-content-creation-xingyu")
        assert editor is not None
        controller.switch_language("en")
        english = controller.window
        assert english is not None and english is not window
        qtbot.addWidget(english)
        assert english.windowTitle() == "Shanghai AI+ policy applications"
        assert app.applicationDisplayName() == "shenbao"
        assert labels.name(Status.EXPIRED) == "expired"
        assert english.tabs.tabText(0) == "Workspace"
        reopened = english.editors["demo-content-creation-xingyu"]  # drafts reopen
        assert reopened.next_button.text() == "&Next"
        english.shutdown()
    finally:
        i18n.install(app, "zh")
    assert labels.name(Status.EXPIRED) == "已过期"


_CJK = re.compile(r"[\u3400-\u9fff]")
_DOC_NUMBER = re.compile(r"[\u3400-\u9fff]+〔\d{4}〕\d+号")  # 沪经信规范〔2025〕2号: an identifier


def test_english_direction_reasons_quote_chinese_only_as_source(
    qtbot: QtBot, tmp_path: Path, catalog: Catalog
) -> None:
    from desktop.app.main_window import MainWindow
    from desktop.app.wizard.pages.direction import DirectionPage
    from forms.draft.flow import StepId

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    ctx = demo_context(seed_workspace(tmp_path / "ws"), catalog=catalog)
    ctx.settings.language = "en"
    i18n.install(app, "en")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    try:
        editor = window.open_draft("demo-content-creation-xingyu")
        assert editor is not None
        editor.go(StepId.DIRECTION)
        page = editor.pages[StepId.DIRECTION]
        assert isinstance(page, DirectionPage)
        checked = 0
        for leaf in page._leaves():
            page.tree.setCurrentItem(leaf)
            lines = page.detail.toPlainText().splitlines()
            for line in lines:
                if _CJK.search(_DOC_NUMBER.sub("", line)):
                    # Chinese only where it is quoted as the source, and labelled so.
                    assert line.startswith(("Source text", "Source clause")), line
            checked += 1
        assert checked > 20
        chosen = page._item(page.session.draft.direction or "")
        assert chosen is not None
        page.tree.setCurrentItem(chosen)
        text = page.detail.toPlainText()
        assert "Met: The applicant must have a good credit record." in text
        assert "Source text (Chinese): 信用记录良好" in text
        assert (
            "Consumer (C-end) users 420,000 users meets Consumer (C-end) users > 300,000 users"
            in text
        )
        assert "Verdict: ✔ Meets the conditions and can apply now" in text
        assert "Source clause: 2025 " in text or "Source clause: " in text
        assert "：" not in text.split("\n", 1)[1]  # English punctuation for labels
        window.shutdown()
    finally:
        i18n.install(app, "zh")


def test_about_labels_come_from_the_translation_file(tmp_path: Path, catalog: Catalog) -> None:
    from desktop.app import about

    ctx = demo_context(seed_workspace(tmp_path / "ws", drafts=False), catalog=catalog)
    chinese = dict(about.about_rows(ctx))
    assert {"版本", "政策目录", "数据文件夹", "运行环境"} <= set(chinese)
    ctx.settings.language = "en"
    english = dict(about.about_rows(ctx))
    assert {"Version", "Policy catalog", "Data folder", "Runtime"} <= set(english)
    texts = {m.findtext("source") for m in _messages(TS)}
    assert {"版本", "数据文件夹", "复制"} <= texts  # in the .ts, not in the code
    source = (ROOT / "desktop" / "app" / "about.py").read_text("utf-8")
    assert '"Data folder"' not in source and '"Policy catalog"' not in source
    ctx.store.close()
