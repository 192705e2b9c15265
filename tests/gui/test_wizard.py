"""The wizard driven through its real widgets, offscreen: an empty draft to a package,
through the encrypted workspace (a passphrase workspace: CI has no keyring)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QEvent, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.app.context import AppContext
from desktop.app.demo import example_attachments
from desktop.app.main_window import MainWindow
from desktop.app.wizard.editor import DraftEditor
from desktop.app.wizard.pages.attachments import AttachmentsPage
from desktop.app.wizard.pages.company import CompanyPage
from desktop.app.wizard.pages.direction import DirectionPage
from desktop.app.wizard.pages.direction_data import DirectionDataPage
from desktop.app.wizard.pages.export import ExportPage
from desktop.app.wizard.pages.project import ProjectPage
from desktop.app.wizard.pages.review import ReviewPage
from forms.draft.flow import StepId
from forms.system.paths import documents_home
from validators.credit_code import complete_code

pytestmark = pytest.mark.usefixtures("cheap_scrypt")
CONTENT = "sheitc-ai-plus-2025/annex2-digital-content/content-creation"
GOOD_CODE = "91310104MA1FR6K2XF"


def type_text(widget: QWidget, text: str) -> None:
    """Type as a keyboard (or an input method) would: one key event per character.

    QTest.keyClicks only knows Latin-1 keys; Chinese arrives as text-bearing key events."""
    target = widget.focusProxy() or widget
    target.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(target, event)


def choose(combo: QComboBox, data: object) -> None:
    """Pick an entry as a user would (activated is the user's signal)."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def settle(qtbot: QtBot, editor: DraftEditor) -> None:
    """Let the debounced check run."""
    editor.session.check_now()
    qtbot.wait(10)


def fill_company(qtbot: QtBot, page: CompanyPage) -> None:
    type_text(page.name, "上海星语智创文化科技有限公司")
    type_text(page.credit, GOOD_CODE)
    type_text(page.legal, "林晓岚")
    type_text(page.address, "上海市徐汇区漕溪北路88号")
    choose(page.district, "徐汇区")
    from forms.draft.model import CreditStanding, OperatingStatus

    choose(page.legal_entity, True)
    choose(page.operating, OperatingStatus.NORMAL)
    choose(page.credit_standing, CreditStanding.GOOD)
    type_text(page.contact, "周明")
    type_text(page.phone, "13816612345")
    QTest.mouseClick(page.add_year, Qt.MouseButton.LeftButton)
    assert page.fin.rowCount() == 1
    page.fin.item(0, 1).setText("5120")  # type: ignore[union-attr]  # 万元


def test_an_empty_draft_reaches_a_package_on_disk(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    draft_id = window.new_draft()
    editor = window.editors[draft_id]
    session = editor.session
    assert editor.current_step() is StepId.COMPANY

    company = editor.pages[StepId.COMPANY]
    assert isinstance(company, CompanyPage)
    fill_company(qtbot, company)
    assert session.draft.company.credit_code == GOOD_CODE
    assert session.draft.financials[0].revenue == Decimal("51200000")

    QTest.mouseClick(editor.next_button, Qt.MouseButton.LeftButton)
    assert editor.current_step() is StepId.DIRECTION
    direction = editor.pages[StepId.DIRECTION]
    assert isinstance(direction, DirectionPage)
    direction.search.setText("内容创作")
    item = direction._item(CONTENT)
    assert item is not None and not item.isHidden()
    direction.tree.setCurrentItem(item)
    assert direction.choose.isEnabled()
    QTest.mouseClick(direction.choose, Qt.MouseButton.LeftButton)
    assert session.draft.direction == CONTENT
    assert "内容创作产品" in direction.chosen.text()

    QTest.mouseClick(editor.next_button, Qt.MouseButton.LeftButton)
    assert editor.current_step() is StepId.DIRECTION_DATA
    data = editor.pages[StepId.DIRECTION_DATA]
    assert isinstance(data, DirectionDataPage)
    assert set(data.metric_edits) == {"c_end_users", "product_annual_revenue"}
    type_text(data.metric_edits["c_end_users"], "42万")
    type_text(data.metric_edits["product_annual_revenue"], "460")
    assert session.draft.project.metrics == {
        "c_end_users": Decimal(420000),
        "product_annual_revenue": Decimal(4600000),
    }
    assert "已达到" in data._status["c_end_users"].text()
    combos = [w for w in data.findChildren(QComboBox) if w.accessibleName() == "建设及产权"]
    choose(combos[0], True)
    funding = [w for w in data.findChildren(QComboBox) if w.accessibleName() == "已获其他市级资金"]
    choose(funding[0], False)

    QTest.mouseClick(editor.next_button, Qt.MouseButton.LeftButton)
    project = editor.pages[StepId.PROJECT]
    assert isinstance(project, ProjectPage)
    type_text(project.name, "星语剧场：AI跨模态短剧创作平台")
    type_text(project.summary, "基于自研多模态大模型建设短剧创作平台。")
    project.start.setDate(QDate(2025, 10, 1))
    project.end.setDate(QDate(2027, 9, 30))
    for amount in ("800", "400"):
        QTest.mouseClick(project.add_line, Qt.MouseButton.LeftButton)
        row = project.budget.rowCount() - 1
        project.budget.item(row, 1).setText(amount)  # type: ignore[union-attr]
    assert project.budget.item(1, 3).text() == "1,200"  # type: ignore[union-attr]  # running sum
    QTest.mouseClick(project.use_sum, Qt.MouseButton.LeftButton)
    assert session.draft.project.total_investment == Decimal(12_000_000)
    type_text(project.own.line, "900")
    type_text(project.other.line, "0")
    type_text(project.requested.line, "300")
    assert "✔" in project.sources.text()
    assert "评审核定" in project.allowed.text()
    QTest.mouseClick(project.add_kpi, Qt.MouseButton.LeftButton)
    project.kpis.item(0, 0).setText("C端用户数")  # type: ignore[union-attr]

    QTest.mouseClick(editor.next_button, Qt.MouseButton.LeftButton)
    attachments = editor.pages[StepId.ATTACHMENTS]
    assert isinstance(attachments, AttachmentsPage)
    # The budget of step 4 gives the investment budget; a file of its own replaces it.
    assert "还缺 4 项" in attachments.missing.text()
    assert "项目投资预算明细" not in attachments.missing.text()
    folder = example_attachments()
    files = {
        "business_licence": "business-licence.pdf",
        "audit_report": "audit-report-2025.pdf",
        "investment_plan": "investment-plan.pdf",
        "user_evidence": "user-statistics.pdf",
        "revenue_evidence": "revenue-ledger.pdf",
    }
    for item_id, name in files.items():
        attachments.add_files(item_id, [folder / name])
    qtbot.waitUntil(lambda: not attachments.storing, timeout=10_000)  # encrypted in a worker
    assert "齐全" in attachments.missing.text()
    first = session.draft.attachments[0]
    assert first.file == "business-licence.pdf" and first.sha256 and first.bytes
    assert ctx.store.has_file(first)  # stored in the workspace, encrypted
    assert ctx.store.read_file(first) == (folder / "business-licence.pdf").read_bytes()
    qtbot.waitUntil(lambda: attachments.files.item(1, 3).text() == "2", timeout=10_000)  # type: ignore[union-attr]

    QTest.mouseClick(editor.next_button, Qt.MouseButton.LeftButton)
    review = editor.pages[StepId.REVIEW]
    assert isinstance(review, ReviewPage)
    settle(qtbot, editor)
    assert not review.export.isEnabled()  # the credit commitment is still missing
    assert not editor.next_button.isEnabled()
    review.commit.setChecked(True)
    settle(qtbot, editor)
    assert review.export.isEnabled(), review.summary.text()
    assert session.state.errors == 0

    export = editor.pages[StepId.EXPORT]
    assert isinstance(export, ExportPage)
    opened: list[QUrl] = []
    export.open_url = opened.append
    QTest.mouseClick(review.export, Qt.MouseButton.LeftButton)  # "export" builds at once
    assert editor.current_step() is StepId.EXPORT
    assert export.cancel.isEnabled() and not export.start.isEnabled()
    # In the user's Documents, named by company and project: never hidden, never shared.
    assert Path(export.folder.text()) == (
        documents_home()
        / "申报材料"
        / "上海星语智创文化科技有限公司-星语剧场：AI跨模态短剧创作平台"
    )
    qtbot.waitUntil(lambda: export.job is None, timeout=120_000)
    assert export.result is not None, export.stage.text()
    parts = export.result.parts
    assert parts and all(p.path.is_file() for p in parts)
    assert export.result.ok and export.result.limit.bytes == 5_000_000
    assert export.result.limit.source.value == "policy"  # the call's "单个文件不超过5M"
    assert all(p.size <= export.result.limit.bytes for p in parts)
    assert export.parts.rowCount() == len(parts)
    assert "✔" in export.parts.item(0, 4).text()  # type: ignore[union-attr]
    QTest.mouseClick(export.open_folder, Qt.MouseButton.LeftButton)
    assert opened and opened[0].toLocalFile() == str(export.result.out_dir)
    assert session.draft.status.value == "exported"
    editor.shutdown()
    assert ctx.store.load(draft_id).draft.status.value == "exported"
    # Every autosave was a version in the workspace; the export is in the audit log.
    history = ctx.store.history(draft_id)
    assert len(history) >= 2 and history[-1].action == "create"
    assert any(e.action == "export" for e in ctx.store.workspace.audit(draft_id))  # type: ignore[attr-defined]
    # No clear-text attachment was left in a temporary folder.
    import tempfile

    leftovers = list(Path(tempfile.gettempdir()).glob("shenbao-export-*"))
    assert leftovers == []


def test_cancel_during_packaging_leaves_no_files(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    from forms.system.resources import examples_dir
    from forms.workspace.seed import add_examples

    add_examples(ctx.store.workspace, examples_dir())  # type: ignore[attr-defined]
    window.workspace.reload()
    editor = window.open_draft("demo-content-creation-xingyu", StepId.EXPORT)
    assert editor is not None
    page = editor.pages[StepId.EXPORT]
    assert isinstance(page, ExportPage)
    assert editor.current_step() is StepId.EXPORT
    out_dir = tmp_path / "exports" / "cancelled"
    page.folder.setText(str(out_dir))
    page.run()
    assert page.job is not None
    page.cancel_run()
    qtbot.waitUntil(lambda: page.job is None, timeout=60_000)
    assert page.result is None
    assert "取消" in page.stage.text()
    assert not out_dir.exists()
    leftovers = list(out_dir.parent.iterdir()) if out_dir.parent.exists() else []
    assert leftovers == [], leftovers


def test_an_incomplete_package_is_not_marked_exported(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    """The page decides from the package's own verdict (`ok`), as `shenbao package`
    does for its exit code: a file that cannot be read leaves the draft unexported."""
    from forms.draft.model import DraftStatus
    from forms.system.resources import examples_dir
    from forms.workspace.seed import add_examples

    add_examples(ctx.store.workspace, examples_dir())  # type: ignore[attr-defined]
    info = ctx.store.load("demo-content-creation-xingyu")
    draft = info.draft.model_copy(deep=True)
    broken = tmp_path / "licence.pdf"
    broken.write_bytes(b"%PDF-1.7\nthis is not a PDF any reader can repair\n")
    draft.attachments[0] = ctx.store.store_file(draft.attachments[0].item, broken)
    ctx.store.save(draft)
    window.workspace.reload()
    editor = window.open_draft(draft.id, StepId.EXPORT)
    assert editor is not None
    page = editor.pages[StepId.EXPORT]
    assert isinstance(page, ExportPage)
    page.folder.setText(str(tmp_path / "out"))
    page.run()
    qtbot.waitUntil(lambda: page.job is None, timeout=60_000)
    assert page.result is not None and not page.result.ok
    assert "不完整" in page.stage.text() and "✖" in page.problems.text()
    assert editor.session.draft.status is not DraftStatus.EXPORTED


def test_validation_messages_appear_and_clear(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.editors[window.new_draft()]
    page = editor.pages[StepId.COMPANY]
    assert isinstance(page, CompanyPage)
    message = page._message_for(page.phone)
    type_text(page.phone, "12345")
    settle(qtbot, editor)
    assert message.isVisible() and "12345" in message.text()
    assert page.phone.accessibleDescription()
    page.phone.clear()
    type_text(page.phone, "021-12345678")
    settle(qtbot, editor)
    assert not message.isVisible()
    assert page.phone.accessibleDescription() == ""


def test_the_credit_code_is_checked_as_it_is_typed(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.editors[window.new_draft()]
    page = editor.pages[StepId.COMPANY]
    assert isinstance(page, CompanyPage)
    wrong = GOOD_CODE[:-1] + ("Y" if GOOD_CODE[-1] != "Y" else "X")
    type_text(page.credit, wrong)  # no debounce: the message is there at once
    assert "校验位" in page.credit_message.text()
    page.credit.clear()
    type_text(page.credit, complete_code("91310114MA1GT3E"[:16].ljust(16, "0")))
    assert "校验通过" in page.credit_message.text()


def test_typed_amount_that_is_not_money_is_refused_at_the_field(
    qtbot: QtBot, window: MainWindow
) -> None:
    editor = window.editors[window.new_draft()]
    editor.go(StepId.PROJECT)
    page = editor.pages[StepId.PROJECT]
    assert isinstance(page, ProjectPage)
    type_text(page.requested.line, "三百万")
    message = page._bound[[b.widget for b in page._bound].index(page.requested)].message
    assert message.isVisible() and "不是金额" in message.text()
    assert editor.session.draft.project.requested_support is None
    page.requested.line.clear()
    type_text(page.requested.line, "300万元")
    assert editor.session.draft.project.requested_support == Decimal(3_000_000)


def test_undo_and_redo_through_the_edit_menu(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.editors[window.new_draft()]
    page = editor.pages[StepId.COMPANY]
    assert isinstance(page, CompanyPage)
    type_text(page.name, "甲公司")
    type_text(page.legal, "张三")
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert editor.session.draft.company.legal_representative == ""
    assert page.legal.text() == ""
    assert page.name.text() == "甲公司"  # typing in one field is one step
    window.undo_action.trigger()
    assert page.name.text() == ""
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert page.legal.text() == "张三" and editor.session.draft.company.name == "甲公司"


def test_review_links_open_the_field(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.editors[window.new_draft()]
    editor.go(StepId.REVIEW)
    review = editor.pages[StepId.REVIEW]
    assert isinstance(review, ReviewPage)
    settle(qtbot, editor)
    assert review.tree.topLevelItemCount() >= 3
    target = None
    for i in range(review.tree.topLevelItemCount()):
        top = review.tree.topLevelItem(i)
        for j in range(top.childCount()):  # type: ignore[union-attr]
            child = top.child(j)  # type: ignore[union-attr]
            if child.data(0, Qt.ItemDataRole.UserRole) == "company.name":  # type: ignore[union-attr]
                target = child
    assert target is not None
    review.tree.itemActivated.emit(target, 0)
    assert editor.current_step() is StepId.COMPANY
    company = editor.pages[StepId.COMPANY]
    assert isinstance(company, CompanyPage)
    assert editor.stack.currentWidget() is company
    assert QApplication.focusWidget() is company.name
    qtbot.wait(50)  # the page's queued first-field focus must not take the cursor back
    assert QApplication.focusWidget() is company.name


def test_files_dropped_on_a_checklist_item_are_attached(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    editor = window.editors[window.new_draft()]
    editor.session.edit("direction", lambda d: setattr(d, "direction", CONTENT))
    editor.go(StepId.ATTACHMENTS)
    page = editor.pages[StepId.ATTACHMENTS]
    assert isinstance(page, AttachmentsPage)
    row = next(
        r
        for r in range(page.checklist.rowCount())
        if page.checklist.item(r, 0).data(Qt.ItemDataRole.UserRole) == "user_evidence"  # type: ignore[union-attr]
    )
    rect = page.checklist.visualRect(page.checklist.model().index(row, 0))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(example_attachments() / "user-statistics.pdf"))])
    drop = QDropEvent(
        QPointF(rect.center()),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    page.checklist.dropEvent(drop)
    qtbot.waitUntil(lambda: bool(editor.session.draft.attachments), timeout=10_000)
    assert [(a.item, Path(a.file).name) for a in editor.session.draft.attachments] == [
        ("user_evidence", "user-statistics.pdf")
    ]
    qtbot.waitUntil(lambda: page.files.item(0, 3).text() == "1", timeout=10_000)  # type: ignore[union-attr]
    assert not page.files.item(0, 0).icon().isNull()  # type: ignore[union-attr]


def test_a_large_file_is_encrypted_in_a_worker_while_the_window_responds(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from PySide6.QtCore import QTimer

    editor = window.editors[window.new_draft()]
    editor.session.edit("direction", lambda d: setattr(d, "direction", CONTENT))
    editor.go(StepId.ATTACHMENTS)
    page = editor.pages[StepId.ATTACHMENTS]
    assert isinstance(page, AttachmentsPage)
    scan = tmp_path / "audit-scan.pdf"
    scan.write_bytes((example_attachments() / "audit-report-2025.pdf").read_bytes())
    release = threading.Event()
    threads: list[threading.Thread] = []
    store_file = ctx.store.store_file

    def slow_store(item: str, path: Path) -> object:  # a big scan: storing takes a while
        threads.append(threading.current_thread())
        assert release.wait(10)
        return store_file(item, path)

    monkeypatch.setattr(ctx.store, "store_file", slow_store)
    page.add_files("audit_report", [scan])
    row = page.files.rowCount() - 1
    assert page.files.item(row, 2).text() == "audit-scan.pdf"  # type: ignore[union-attr]
    assert "正在加密保存" in page.files.item(row, 5).text()  # type: ignore[union-attr]
    assert editor.session.draft.attachments == []  # attached only once stored
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 5)  # the event loop runs while the file is stored
    timer.stop()
    assert threads and threads[0] is not threading.main_thread()
    assert page.storing and editor.session.draft.attachments == []
    release.set()
    qtbot.waitUntil(lambda: not page.storing, timeout=10_000)
    assert [a.file for a in editor.session.draft.attachments] == ["audit-scan.pdf"]
    assert page.files.rowCount() == 1
    assert "正在加密保存" not in page.files.item(0, 5).text()  # type: ignore[union-attr]
    window.undo_action.trigger()  # attaching is one undoable step
    assert editor.session.draft.attachments == []


def test_money_unit_switch_redraws_amounts(qtbot: QtBot, window: MainWindow) -> None:
    from forms.draft.money import MoneyUnit

    editor = window.editors[window.new_draft()]
    editor.go(StepId.PROJECT)
    page = editor.pages[StepId.PROJECT]
    assert isinstance(page, ProjectPage)
    type_text(page.requested.line, "300")
    assert editor.session.draft.project.requested_support == Decimal(3_000_000)
    window.set_unit(MoneyUnit.YUAN)
    assert page.requested.line.text() == "3,000,000"
    assert page.requested.unit_label.text() == "元"
    window.set_unit(MoneyUnit.WAN_YUAN)
    assert page.requested.line.text() == "300"


def test_keyboard_use_mnemonics_and_accessible_names(window: MainWindow) -> None:
    from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

    editor = window.editors[window.new_draft()]
    for step, page in editor.pages.items():
        editor.go(step) if step is not StepId.EXPORT else None
        for line in page.findChildren(QLineEdit):
            if line.isVisibleTo(page) and line.parent() is not None:
                owner = line
                while owner is not None and not owner.accessibleName():
                    owner = owner.parentWidget()  # type: ignore[assignment]
                assert owner is not None, f"{step}: a line edit without a name"
        mnemonics = [
            label.text()
            for label in page.findChildren(QLabel)
            if "&" in label.text() and label.buddy() is not None
        ]
        buttons = [b.text() for b in page.findChildren(QPushButton) if "&" in b.text()]
        keys = [t[t.index("&") + 1].upper() for t in mnemonics + buttons]
        assert len(keys) == len(set(keys)), f"{step}: repeated mnemonic in {keys}"
        assert not set(keys) & {"N", "B", "F", "E", "S", "H"}, f"{step}: clashes with menus"
