"""Goals and milestones on the project page, driven through the real widgets (offscreen):
edit, reorder, undo, autosave, the period check next to the table, and the form."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from desktop.app.context import AppContext
from desktop.app.main_window import MainWindow
from desktop.app.widgets.date_edit import OptionalDateEdit
from desktop.app.wizard.editor import DraftEditor
from desktop.app.wizard.pages.project import ProjectPage
from forms.catalog.model import Catalog
from forms.documents.form import build_form
from forms.draft.flow import StepId
from tests.gui.test_wizard import CONTENT, type_text

pytestmark = pytest.mark.usefixtures("cheap_scrypt")


def project_page(window: MainWindow) -> tuple[DraftEditor, ProjectPage]:
    editor = window.editors[window.new_draft()]
    editor.go(StepId.PROJECT)
    page = editor.pages[StepId.PROJECT]
    assert isinstance(page, ProjectPage)
    return editor, page


def type_into_editor(qtbot: QtBot, view: QAbstractItemView, text: str) -> None:
    """Type into the open item editor of a list or table and press Enter."""
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and view.isAncestorOf(editor)
    type_text(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits and closes the editor from the event loop.
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


def escape_editor() -> None:
    """Close the open item editor without a change."""
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    QTest.keyClick(editor, Qt.Key.Key_Escape)


def set_date(edit: OptionalDateEdit, day: date) -> None:
    """Pick a date as a user would, then leave the field."""
    edit.setFocus()
    edit.setDate(QDate(day.year, day.month, day.day))
    edit.editingFinished.emit()


def test_goals_are_added_edited_reordered_and_removed_undoably(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    editor, page = project_page(window)
    plan = page.plan
    session = editor.session
    QTest.mouseClick(plan.add_goal, Qt.MouseButton.LeftButton)
    type_into_editor(qtbot, plan.goals, "C端用户数达到100万")
    QTest.mouseClick(plan.add_goal, Qt.MouseButton.LeftButton)
    type_into_editor(qtbot, plan.goals, "形成3项发明专利")
    assert session.draft.project.goals == ["C端用户数达到100万", "形成3项发明专利"]
    assert not plan.goal_down.isEnabled() and plan.goal_up.isEnabled()

    QTest.mouseClick(plan.goal_up, Qt.MouseButton.LeftButton)
    assert session.draft.project.goals == ["形成3项发明专利", "C端用户数达到100万"]
    assert plan.goals.currentRow() == 0 and plan.goals.item(0).text() == "形成3项发明专利"

    window.undo_action.trigger()  # the move
    assert [plan.goals.item(i).text() for i in range(2)] == [
        "C端用户数达到100万",
        "形成3项发明专利",
    ]
    window.redo_action.trigger()
    assert session.draft.project.goals[0] == "形成3项发明专利"

    plan.goals.setCurrentRow(0)
    QTest.mouseClick(plan.remove_goal, Qt.MouseButton.LeftButton)
    assert session.draft.project.goals == ["C端用户数达到100万"]
    assert plan.goals.count() == 1

    assert session.save_now()  # autosave writes what the widgets show
    stored = ctx.store.load(session.draft.id).draft
    assert stored.project.goals == ["C端用户数达到100万"]


def test_an_empty_goal_is_named_under_the_list(qtbot: QtBot, window: MainWindow) -> None:
    editor, page = project_page(window)
    plan = page.plan
    QTest.mouseClick(plan.add_goal, Qt.MouseButton.LeftButton)
    escape_editor()
    qtbot.waitUntil(lambda: plan.goals.state() != QAbstractItemView.State.EditingState)
    editor.session.check_now()
    assert plan.goal_message.isVisible() and "第1项项目目标为空" in plan.goal_message.text()
    plan.goals.item(0).setText("年营收突破1500万元")
    editor.session.check_now()
    assert not plan.goal_message.isVisible()


def test_milestones_are_sorted_by_date_and_checked_against_the_period(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, catalog: Catalog
) -> None:
    editor, page = project_page(window)
    session = editor.session
    session.edit("direction", lambda d: setattr(d, "direction", CONTENT))
    plan = page.plan
    set_date(page.start, date(2025, 10, 1))
    set_date(page.end, date(2027, 9, 30))
    assert "2025年10月1日" in plan.period.text() and "2027年12月31日" in plan.period.text()

    QTest.mouseClick(plan.add_milestone, Qt.MouseButton.LeftButton)
    type_into_editor(qtbot, plan.milestones, "平台规模化运营，完成验收")
    QTest.mouseClick(plan.add_milestone, Qt.MouseButton.LeftButton)
    type_into_editor(qtbot, plan.milestones, "模型上线")
    # The second is due a month before the first, so it is shown first already.
    assert [m.text for m in session.draft.project.milestones] == [
        "平台规模化运营，完成验收",
        "模型上线",
    ]
    assert plan.milestones.item(0, 1).text() == "模型上线"  # type: ignore[union-attr]

    first = plan.milestones.cellWidget(0, 0)
    assert isinstance(first, OptionalDateEdit)
    set_date(first, date(2027, 11, 30))  # after the project's end
    session.check_now()
    message = plan.milestone_message
    assert message.isVisible()
    assert "模型上线" in message.text() and "晚于项目结束日期2027-09-30" in message.text()
    # Re-sorted once the field was left: the late milestone is now the last row.
    assert plan.milestones.item(1, 1).text() == "模型上线"  # type: ignore[union-attr]
    late = plan.milestones.cellWidget(1, 0)
    assert isinstance(late, OptionalDateEdit)
    assert "#c62828" in late.styleSheet() and "晚于" in late.toolTip()
    assert editor.session.state.errors > 0

    set_date(late, date(2028, 2, 1))  # after the latest end the call allows
    session.check_now()
    assert "2027-12-31" in message.text()

    set_date(late, date(2026, 3, 31))
    session.check_now()
    assert not message.isVisible() and late.styleSheet() == ""
    assert plan.milestones.item(0, 1).text() == "模型上线"  # type: ignore[union-attr]

    # Changing one date several times is one step (as typing in one field is).
    window.undo_action.trigger()
    assert session.draft.project.milestones[1].due == date(2027, 8, 31)
    window.redo_action.trigger()
    session.check_now()
    assert session.draft.project.milestones[1].due == date(2026, 3, 31)
    assert not message.isVisible()
    window.undo_action.trigger()  # the date
    window.undo_action.trigger()  # the milestone's text, typed before
    assert [m.text for m in session.draft.project.milestones] == ["平台规模化运营，完成验收", ""]
    assert plan.milestones.item(0, 1).text() == ""  # type: ignore[union-attr]
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert plan.milestones.item(0, 1).text() == "模型上线"  # type: ignore[union-attr]

    plan.milestones.setCurrentCell(1, 1)
    QTest.mouseClick(plan.remove_milestone, Qt.MouseButton.LeftButton)
    assert [m.text for m in session.draft.project.milestones] == ["模型上线"]

    form = "\n".join(build_form(session.draft, catalog).texts())
    assert "模型上线" in form and "2026年3月31日" in form
    assert session.save_now()
    assert ctx.store.load(session.draft.id).draft.project.milestones[0].due == date(2026, 3, 31)


def test_a_cleared_milestone_date_is_refused_at_the_table(qtbot: QtBot, window: MainWindow) -> None:
    editor, page = project_page(window)
    plan = page.plan
    QTest.mouseClick(plan.add_milestone, Qt.MouseButton.LeftButton)
    escape_editor()
    qtbot.waitUntil(lambda: plan.milestones.state() != QAbstractItemView.State.EditingState)
    edit = plan.milestones.cellWidget(0, 0)
    assert isinstance(edit, OptionalDateEdit)
    due = editor.session.draft.project.milestones[0].due
    edit.setFocus()
    edit.selectAll()  # as focusing the field does
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    assert "须有完成日期" in plan.milestone_message.text()
    assert editor.session.draft.project.milestones[0].due == due  # nothing half-done stored
    set_date(edit, date(2026, 6, 30))
    editor.session.check_now()
    assert "须有完成日期" not in plan.milestone_message.text()
