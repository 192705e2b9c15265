"""The wizard's side of issue 12: the business lines on the company page, the direction
page's "meets the conditions" apart from "can apply now" with when and what is missing,
the written reason a norm departure needs, and the catalog update announced with its
changes and the drafts they touch."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from desktop.app import about
from desktop.app.demo import demo_context, seed_workspace
from desktop.app.main_window import MainWindow
from desktop.app.wizard.pages.company import CompanyPage
from desktop.app.wizard.pages.direction import DirectionPage
from forms.catalog.model import Catalog
from forms.catalog.source import UPDATES_FOLDER
from forms.draft.flow import StepId, step_for_field
from forms.system.resources import resource_path
from forms.system.settings import Settings

pytestmark = pytest.mark.usefixtures("cheap_scrypt")
DRAFT = "demo-content-creation-xingyu"
CONTENT = "sheitc-ai-plus-2025/annex2-digital-content/content-creation"
DIGITAL_AD = "samr-sh-2025-266/m2/private-deployment"


def _window(qtbot: QtBot, tmp_path: Path, catalog: Catalog, on: date) -> MainWindow:
    ctx = demo_context(seed_workspace(tmp_path / "ws"), on=on, catalog=catalog)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    return window


def test_business_lines_are_ticked_and_typed(
    qtbot: QtBot, tmp_path: Path, catalog: Catalog
) -> None:
    window = _window(qtbot, tmp_path, catalog, date(2025, 9, 10))
    editor = window.open_draft(DRAFT)
    assert editor is not None
    page = editor.pages[StepId.COMPANY]
    assert isinstance(page, CompanyPage)
    picker = page.sectors
    ticked = {
        picker.list.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(picker.list.count())
        if picker.list.item(i).checkState() == Qt.CheckState.Checked
    }
    assert ticked == {"ai", "digital_content", "microdrama"}  # the example's lines
    ad = next(
        picker.list.item(i)
        for i in range(picker.list.count())
        if picker.list.item(i).data(Qt.ItemDataRole.UserRole) == "digital_advertising"
    )
    ad.setCheckState(Qt.CheckState.Checked)
    assert "digital_advertising" in editor.session.draft.company.sectors
    picker.other.setText("短视频MCN")
    picker.other.textEdited.emit("短视频MCN")
    assert editor.session.draft.company.sectors[-1] == "短视频MCN"
    editor.session.undo_stack.undo()  # one undoable step (edits of one field merge)
    assert editor.session.draft.company.sectors == ["ai", "digital_content", "microdrama"]
    ticked_again = [
        picker.list.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(picker.list.count())
        if picker.list.item(i).checkState() == Qt.CheckState.Checked
    ]
    assert set(ticked_again) == {"ai", "digital_content", "microdrama"}  # the widget follows
    window.shutdown()


def test_direction_page_keeps_meeting_the_conditions_apart_from_applying_now(
    qtbot: QtBot, tmp_path: Path, catalog: Catalog
) -> None:
    window = _window(qtbot, tmp_path, catalog, date(2026, 11, 23))  # the window closed
    editor = window.open_draft(DRAFT)
    assert editor is not None
    editor.go(StepId.DIRECTION)
    page = editor.pages[StepId.DIRECTION]
    assert isinstance(page, DirectionPage)
    item = page._item(CONTENT)
    assert item is not None and "符合条件，暂不能申报" in item.text(2)
    page.tree.setCurrentItem(item)
    text = page.detail.toPlainText()
    assert "是否符合条件：是" in text and "现在是否受理申报：不受理" in text
    assert "本次受理已于2025-09-22 16:00截止" in text and "下一次申报" in text
    assert "受理2025-09-03 10:00至2025-09-22 16:00" in text
    assert page.choose.isEnabled()  # a draft can be prepared for the next call
    ad = page._item(DIGITAL_AD)
    assert ad is not None and "不符合" in ad.text(2)  # not an advertising company
    page.tree.setCurrentItem(ad)
    assert "数字广告企业" in page.detail.toPlainText()
    window.shutdown()


def test_a_norm_departure_is_explained_on_the_direction_page(
    qtbot: QtBot, tmp_path: Path, catalog: Catalog
) -> None:
    window = _window(qtbot, tmp_path, catalog, date(2025, 9, 10))
    editor = window.open_draft(DRAFT)
    assert editor is not None
    session = editor.session
    session.edit("project.end_date", lambda d: setattr(d.project, "end_date", date(2027, 12, 31)))
    session.check_now()
    missing = [f for f in session.findings if f.code == "norm.justification_missing"]
    assert [f.field for f in missing] == ["declarations.justifications.max-two-years"]
    assert step_for_field(missing[0].field) is StepId.DIRECTION
    editor.go(StepId.DIRECTION)
    page = editor.pages[StepId.DIRECTION]
    assert isinstance(page, DirectionPage)
    assert page.norms.isVisibleTo(page) and set(page.norm_edits) >= {"max-two-years"}
    assert page.focus_field("declarations.justifications.max-two-years")
    page.norm_edits["max-two-years"].setPlainText("分两期建设，第二期须待第一期验收。")
    assert session.draft.declarations.justifications == {
        "max-two-years": "分两期建设，第二期须待第一期验收。"
    }
    session.check_now()
    assert not [f for f in session.findings if f.code == "norm.justification_missing"]
    window.shutdown()


def test_a_catalog_update_is_announced_with_its_changes_and_drafts(
    qtbot: QtBot, isolated_home: Path, tmp_path: Path
) -> None:
    update = isolated_home / UPDATES_FOLDER / "2027.1"
    shutil.copytree(resource_path("catalog"), update)
    manifest = update / "catalog.yaml"
    manifest.write_text(
        manifest.read_text("utf-8").replace('version: "2026.12.1"', 'version: "2027.1.0"'),
        "utf-8",
    )
    call = update / "policies" / "sheitc-ai-plus-2025.yaml"
    call.write_text(
        call.read_text("utf-8").replace(
            "            value: 300000\n", "            value: 250000\n"
        ),
        "utf-8",
    )
    catalog = about.start_catalog(Settings())
    assert catalog.version == "2027.1.0"
    ctx = demo_context(seed_workspace(tmp_path / "ws"), catalog=catalog)
    text = about.about_text(ctx)
    assert "政策目录 2026.12.1 → 2027.1.0：1项变更" in text
    assert "C端用户数 > 300,000人 → C端用户数 > 250,000人" in text
    assert "受影响的草稿" in text and "星语剧场" in text
    window = QMainWindow()
    qtbot.addWidget(window)
    about.announce_refused_updates(window, ctx)
    message = window.statusBar().currentMessage()
    assert "正在使用政策目录更新2027.1.0（内置2026.12.1）：1项变更，影响1份草稿" in message
    ctx.settings.language = "en"
    assert "Drafts affected" in about.about_text(ctx)
    ctx.store.close()
