"""Issue 11: from nothing to an upload package without getting stuck (offscreen tests;
scripts/walkthrough.py walks the same path in a real X11 window)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.app import fmt
from desktop.app.context import AppContext
from desktop.app.demo import example_attachments
from desktop.app.dialogs import ClientDialog
from desktop.app.import_dialog import ImportDialog
from desktop.app.main_window import MainWindow
from desktop.app.portal_view import PortalView
from desktop.app.preview import PreviewDialog, file_source
from desktop.app.wizard.pages.company import CompanyPage
from desktop.app.wizard.pages.direction import DirectionPage, measure_number
from desktop.app.wizard.pages.export import ExportPage
from desktop.app.wizard.pages.project import ProjectPage
from desktop.app.wizard.pages.review import ReviewPage
from forms.catalog.model import Severity
from forms.draft.flow import StepId
from forms.draft.io import load_draft
from forms.draft.model import Company, Contact, Draft, Profile
from forms.system.paths import documents_home
from tests.conftest import EXAMPLES
from tests.gui.test_wizard import CONTENT, type_text
from validators.credit_code import complete_code

pytestmark = pytest.mark.usefixtures("cheap_scrypt")
XINGYU = "上海星语智创文化科技有限公司"
CODE = "91310104MA1FR6K2XF"


def fill(dialog: ClientDialog, name: str = XINGYU, code: str = CODE) -> bool:
    dialog.name.setText(name)
    dialog.code.setText(code)
    return True


def _client(ctx: AppContext, **company: object) -> str:
    profile = Profile(company=Company(name=XINGYU, credit_code=CODE, **company))
    return ctx.store.add_client(profile).id


def test_a_new_client_is_selected_and_its_first_draft_starts_from_it(
    window: MainWindow, ctx: AppContext
) -> None:
    window._run_client_dialog = fill  # type: ignore[method-assign]
    client_id = window.new_client()
    assert client_id is not None
    assert window.workspace.current_client_id() == client_id
    assert window.workspace.clients.item(0).text() == "全部单位（1）"
    [editor] = window.editors.values()
    draft = editor.session.draft
    assert (draft.company.name, draft.company.credit_code) == (XINGYU, CODE)
    assert ctx.store.load(draft.id).client_id == client_id == editor.session.client_id
    assert editor.display_title() == XINGYU  # no project yet: the company names the tab
    # The next draft of the same client starts from it too.
    window.tabs.setCurrentIndex(0)
    second = window.new_draft()
    assert window.editors[second].session.draft.company.credit_code == CODE


def test_the_client_dialog_normalises_the_code_and_warns_outside_shanghai(
    qtbot: QtBot, ctx: AppContext
) -> None:
    dialog = ClientDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("北京某某科技有限公司")
    dialog.code.setText(" ".join(complete_code("91110108MA01ABCD")).replace("1", "１"))
    message = dialog.code_message
    severity = message.severity
    assert message.isVisible() and severity is Severity.WARNING
    assert "不在上海市" in message.text()
    assert dialog.profile().company.credit_code == complete_code("91110108MA01ABCD")
    dialog.code.setText("91310104MA1FR6K2XG")  # a two-line error: the dialog makes room
    qtbot.wait(10)
    severity = message.severity
    assert severity is Severity.ERROR
    assert message.height() >= message.heightForWidth(message.width())


def test_an_edited_client_updates_its_drafts_on_request(
    window: MainWindow, ctx: AppContext
) -> None:
    client_id = _client(ctx)
    window.workspace.reload()
    window.workspace.select_client(client_id)
    draft_id = window.new_draft()

    def edit(dialog: ClientDialog) -> bool:
        assert not dialog.update_drafts.isHidden() and dialog.update_drafts.isChecked()
        dialog.legal.setText("林晓岚")
        dialog.phone.setText("13816612345")
        return True

    window.tabs.setCurrentIndex(0)
    window._run_client_dialog = edit  # type: ignore[method-assign]
    window.edit_client()
    profile = next(c.profile for c in ctx.store.clients() if c.id == client_id)
    assert profile.company.legal_representative == "林晓岚"
    assert ctx.store.load(draft_id).draft.company.contact.phone == "13816612345"
    # The open draft was reloaded, not overwritten by its next autosave.
    assert window.editors[draft_id].session.draft.company.legal_representative == "林晓岚"


def test_company_data_typed_in_a_draft_is_offered_to_the_client(
    window: MainWindow, ctx: AppContext
) -> None:
    client_id = _client(ctx)
    window.workspace.reload()
    window.workspace.select_client(client_id)
    editor = window.editors[window.new_draft()]
    page = editor.pages[StepId.COMPANY]
    assert isinstance(page, CompanyPage)
    assert not page.carry_banner.isVisibleTo(page)
    type_text(page.legal, "林晓岚")
    assert page.carry_banner.isVisibleTo(page) and "单位资料" in page.carry_banner.label.text()

    def save(box: QMessageBox) -> int:
        return int(QMessageBox.StandardButton.Save)

    page.run_box = save  # type: ignore[method-assign]
    page.carry_banner.button.click()
    profile = next(c.profile for c in ctx.store.clients() if c.id == client_id)
    assert profile.company.legal_representative == "林晓岚"
    assert not page.carry_banner.isVisibleTo(page)


def test_deleting_names_the_draft_and_its_client(window: MainWindow, ctx: AppContext) -> None:
    client_id = _client(ctx)
    window.workspace.reload()
    window.workspace.select_client(client_id)
    draft_id = window.new_draft()
    window.tabs.setCurrentIndex(0)
    asked: list[str] = []
    window.confirm = lambda title, text: asked.append(text) or True  # type: ignore[func-returns-value]
    window.workspace.select_draft(draft_id)
    window.delete_selected()
    assert XINGYU in asked[0] and "新建的草稿" in asked[0] and draft_id[:8] not in asked[0]
    window.workspace.select_client(client_id)
    window.delete_client()
    assert XINGYU in asked[1]
    assert ctx.store.clients() == []


def _project(window: MainWindow, ctx: AppContext) -> tuple[object, ProjectPage]:
    draft = Draft(direction=CONTENT, company=Company(name=XINGYU, credit_code=CODE))
    info = ctx.store.save(draft)
    editor = window.open_draft(info.id)
    assert editor is not None
    editor.go(StepId.PROJECT)
    page = editor.pages[StepId.PROJECT]
    assert isinstance(page, ProjectPage)
    return editor, page


@pytest.mark.parametrize("typed", ["2025-10-01", "2025/10/1", "20251001", "２０２５年１０月１日"])
def test_a_date_is_typed_into_an_empty_field(
    window: MainWindow, ctx: AppContext, typed: str
) -> None:
    editor, page = _project(window, ctx)
    type_text(page.start, typed)
    page.start.editingFinished.emit()
    assert editor.session.draft.project.start_date == date(2025, 10, 1)  # type: ignore[attr-defined]
    assert page.start.text() == "2025年10月1日"


def test_a_date_that_is_no_date_stays_as_typed_and_marks_the_page(
    window: MainWindow, ctx: AppContext
) -> None:
    editor, page = _project(window, ctx)
    session = editor.session  # type: ignore[attr-defined]
    type_text(page.start, "2025-13-01")
    page.start.editingFinished.emit()
    assert page.start.text() == "2025-13-01" and session.draft.project.start_date is None
    assert "不是日期" in page.start.accessibleDescription()
    item = editor.steps.item(3)  # type: ignore[attr-defined]
    errors = session.state.errors
    assert "✖" in item.text() and errors >= 1
    page.start.clear()
    type_text(page.start, "2025-10-01")
    page.start.editingFinished.emit()
    assert (
        session.state.errors == errors - 1 and "不是日期" not in page.start.accessibleDescription()
    )


def test_the_calendar_opens_at_the_calls_window_and_arrows_start_at_the_apps_today(
    window: MainWindow, ctx: AppContext
) -> None:
    _, page = _project(window, ctx)
    assert page.start.opening_day() == date(2025, 9, 22)  # the call closes on 22 September
    assert page.end.opening_day() == date(2027, 12, 31)  # the latest end the call allows
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.keyClick(page.end, Qt.Key.Key_Up)
    assert page.end.value() == ctx.today()  # --date, not the machine's clock, not 1900


def test_a_refused_amount_stays_as_typed_until_it_is_fixed(
    window: MainWindow, ctx: AppContext
) -> None:
    editor, page = _project(window, ctx)
    session = editor.session  # type: ignore[attr-defined]
    type_text(page.requested.line, "1000")
    page.requested.line.clear()
    type_text(page.requested.line, "三百万")
    assert session.draft.project.requested_support == 10_000_000
    editor.go(StepId.COMPANY)  # type: ignore[attr-defined]
    editor.go(StepId.PROJECT)  # type: ignore[attr-defined]
    assert page.requested.line.text() == "三百万"  # not reverted to 1,000
    assert "不是金额" in page.requested.line.accessibleDescription()
    assert "✖" in editor.steps.item(3).text()  # type: ignore[attr-defined]
    editor.go(StepId.REVIEW)  # type: ignore[attr-defined]
    review = editor.pages[StepId.REVIEW]  # type: ignore[attr-defined]
    assert isinstance(review, ReviewPage)
    texts = [
        review.tree.topLevelItem(i).child(j).text(0)  # type: ignore[union-attr]
        for i in range(review.tree.topLevelItemCount())
        for j in range(review.tree.topLevelItem(i).childCount())  # type: ignore[union-attr]
    ]
    assert any("三百万" in t for t in texts)


def test_messages_keep_their_room_so_fields_do_not_move(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.editors[window.new_draft()]
    page = editor.pages[StepId.COMPANY]
    assert isinstance(page, CompanyPage)
    qtbot.wait(20)
    below = page.legal.mapTo(page.body, page.legal.rect().topLeft()).y()
    type_text(page.credit, "9131")  # a message appears under the code
    qtbot.wait(20)
    assert page.credit_message.isVisible()
    assert page.legal.mapTo(page.body, page.legal.rect().topLeft()).y() == below
    page.credit.clear()
    page._check_code_now("")
    qtbot.wait(20)
    assert page.legal.mapTo(page.body, page.legal.rect().topLeft()).y() == below


def test_choosing_a_direction_keeps_the_title_and_open_calls_come_first(
    window: MainWindow, ctx: AppContext
) -> None:
    editor = window.editors[window.new_draft()]
    page = editor.pages[StepId.DIRECTION]
    assert isinstance(page, DirectionPage)
    editor.go(StepId.DIRECTION)
    first = page.tree.topLevelItem(0)
    # On 2025-09-10 the AI+ call is open: first, not the expired 2023 Jiading plan.
    assert first is not None and first.text(1) == "有效" and "人工智能" in first.text(0)
    statuses = [page.tree.topLevelItem(i).text(1) for i in range(page.tree.topLevelItemCount())]  # type: ignore[union-attr]
    # What opens later (沪文旅规〔2026〕1号 is not yet in force on 2025-09-10) comes after
    # everything in force.
    later = [i for i, s in enumerate(statuses) if s in ("未开始受理", "尚未施行")]
    in_force = [i for i, s in enumerate(statuses) if s == "有效"]
    assert later and max(in_force) < min(later)
    page.search.setText("内容创作")
    page.search.returnPressed.emit()  # Enter: choose the first match and go on
    assert editor.session.draft.direction == CONTENT
    assert editor.session.draft.title == ""  # not renamed
    assert editor.current_step() is StepId.DIRECTION_DATA
    assert measure_number("附件2 · 一", "zh") == "附件2（一）"
    assert measure_number("附件2 · 一", "en") == "Annex 2 (1)"


def test_the_package_goes_to_documents_and_is_never_overwritten_silently(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    draft = load_draft(EXAMPLES / "drafts" / "content-creation.json")
    from forms.workspace.files import store_attachments

    store_attachments(ctx.store.workspace, draft, EXAMPLES / "drafts")  # type: ignore[attr-defined]
    ctx.store.save(draft)
    editor = window.open_draft(draft.id)
    assert editor is not None
    editor.go(StepId.EXPORT)
    page = editor.pages[StepId.EXPORT]
    assert isinstance(page, ExportPage)
    folder = documents_home() / "申报材料" / f"{XINGYU}-星语剧场：AI跨模态短剧创作平台规模化应用"
    assert Path(page.folder.text()) == folder
    page.run()
    qtbot.waitUntil(lambda: page.job is None, timeout=120_000)
    assert (folder / "manifest.json").is_file()
    asked: list[str] = []

    def elsewhere(box: QMessageBox) -> None:
        asked.append(box.text())
        new = next(b for b in box.buttons() if "另存" in b.text())
        new.click()

    page.ask = elsewhere  # type: ignore[method-assign]
    page.run()
    qtbot.waitUntil(lambda: page.job is None, timeout=120_000)
    assert asked and "已有一个申报包" in asked[0]
    assert page.result is not None and page.result.out_dir == folder.with_name(folder.name + "-2")


def test_a_real_page_preview_with_pages_and_zoom(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = PreviewDialog("audit", file_source(example_attachments() / "audit-report-2025.pdf"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.pages == 2 and not dialog._busy, timeout=20_000)
    pixmap = dialog.picture.pixmap()
    assert not pixmap.isNull() and pixmap.width() > 300
    dialog.go(1)
    qtbot.waitUntil(lambda: not dialog._busy and dialog.page_box.value() == 2, timeout=20_000)
    width = dialog.picture.pixmap().width()
    dialog.step_zoom(1)
    qtbot.waitUntil(lambda: dialog.picture.pixmap().width() != width, timeout=20_000)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
    dialog.open_url = lambda url: False
    dialog.open_external()
    assert told and "没有可以打开PDF" in told[0]
    dialog.close()


def test_the_portal_view_copies_in_order_and_ticks(qtbot: QtBot, ctx: AppContext) -> None:
    draft = load_draft(EXAMPLES / "drafts" / "content-creation.json")
    ticks: set[str] = set()
    view = PortalView(ctx, draft, (), ticks)
    qtbot.addWidget(view)
    view.copy_current()
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None and clipboard.text() == XINGYU
    assert view.table.item(1, 0).text() == "✔"  # type: ignore[union-attr]  # row 0: the heading
    view.copy_current()
    assert clipboard.text() == CODE and len(ticks) == 2
    assert "已复制 2 /" in view.progress.text()
    names = [view.upload_table.item(r, 2).text() for r in range(view.upload_table.rowCount())]  # type: ignore[union-attr]
    assert names[:3] == ["01_项目申报书.pdf", "02_信用承诺书.pdf", "03_营业执照.pdf"]
    assert view.upload_table.item(0, 5).text() == "须在门户加盖电子签章"  # type: ignore[union-attr]


def test_importing_clients_shows_every_row_first(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    source = tmp_path / "list.csv"
    source.write_text(
        f"单位名称,统一社会信用代码,所在区\n{XINGYU},{CODE},徐汇\n,{CODE},\n坏代码,91310104MA1FR6K2XG,\n",
        encoding="utf-8",
    )
    dialog = ImportDialog(ctx, source)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 3 and ctx.store.clients() == []
    assert "没有单位名称" in dialog.table.item(1, 4).text()  # type: ignore[union-attr]
    assert dialog.go.text().startswith("导入 1 个单位")
    dialog._import()
    assert dialog.outcome is not None and [c.profile.company.name for c in ctx.store.clients()] == [
        XINGYU
    ]


def test_the_overview_sorts_by_deadline_and_says_dash_without_a_direction(
    window: MainWindow, ctx: AppContext
) -> None:
    ctx.store.save(Draft(company=Company(name="甲", contact=Contact(name="x"))))
    content = load_draft(EXAMPLES / "drafts" / "content-creation.json")
    ctx.store.save(content)
    window.workspace.reload()
    proxy = window.workspace.proxy
    windows = [proxy.index(r, 5).data() for r in range(proxy.rowCount())]
    assert "剩 12 天" in windows[0] and windows[-1] == "—"


def test_sizes_use_one_set_of_units() -> None:
    assert [fmt.size(n, "zh") for n in (668, 1_076, 62_000, 100_960_000)] == [
        "668 B",
        "1.1 KB",
        "62 KB",
        "100.96 MB",
    ]


def test_help_has_more_than_about_and_lists_have_context_menus(window: MainWindow) -> None:
    from PySide6.QtCore import Qt

    help_menu = window.menuBar().actions()[-1].menu()
    assert isinstance(help_menu, QMenu)
    texts = [a.text() for a in help_menu.actions()]
    assert "快速入门(&G)" in texts and "键盘操作(&K)" in texts and "关于(&A)" in texts
    for view in (window.workspace.table, window.workspace.clients):
        assert view.contextMenuPolicy() is Qt.ContextMenuPolicy.CustomContextMenu
    assert window.portal_action.shortcut().toString() == "Ctrl+Shift+P"
