"""The project's goals and milestones, on the project page.

Goals are a list of short texts (add, remove, reorder, edit in place); milestones are
date and text rows shown sorted by date, each date checked against the execution period
(the check is the validator's: `project.milestone_*` findings show under the table and
colour the row's date). Every change goes through the session, so it is undoable and
autosaved like any other field.

The table keeps the draft's order of milestones and only shows them sorted: a row knows
the index of its milestone, so typing a date never moves the row under the cursor; the
rows are re-sorted when the date editor is left (and on every reload).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.app import fmt
from desktop.app.widgets.date_edit import OptionalDateEdit
from desktop.app.widgets.field_message import COLOURS, FieldMessage
from desktop.app.wizard.pages.base import WizardPage
from forms.catalog.model import ConditionKind, Severity
from forms.draft.model import Draft, Milestone
from validators.findings import Finding

INDEX_ROLE = Qt.ItemDataRole.UserRole
_MILESTONE = "project.milestones."


class PlanSection(QObject):
    """Builds the goals and milestones groups on `page` (each where the page asks for it)
    and binds them to the draft."""

    def __init__(self, page: WizardPage) -> None:
        super().__init__(page)
        self.page = page

    @property
    def draft(self) -> Draft:
        return self.page.session.draft

    # --- goals ----------------------------------------------------------------------
    def build_goals(self) -> None:
        page = self.page
        form = page.group(self.tr("项目目标"))
        holder = QWidget(page.body)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(
            self.tr("每项一句话，按重要性排列；双击或按 F2 修改。考核指标在下方“绩效目标”中填写。"),
            holder,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666; font-size: 9pt;")
        column.addWidget(hint)
        self.goals = QListWidget(holder)
        self.goals.setAccessibleName(self.tr("项目目标"))
        self.goals.setMinimumHeight(90)
        self.goals.setMaximumHeight(140)
        self.goals.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        column.addWidget(self.goals)
        buttons = QHBoxLayout()
        self.add_goal = QPushButton(self.tr("添加目标(&G)"), holder)
        self.remove_goal = QPushButton(self.tr("删除所选目标(&X)"), holder)
        self.goal_up = QPushButton(self.tr("上移(&W)"), holder)
        self.goal_down = QPushButton(self.tr("下移(&Z)"), holder)
        for button in (self.add_goal, self.remove_goal, self.goal_up, self.goal_down):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.goal_message = FieldMessage(self.goals, holder)
        column.addWidget(self.goal_message)
        form.addRow(holder)
        page.register(("project.goals",), self.goals, self.goal_message)
        self.goals.itemChanged.connect(self._goal_edited)
        self.goals.currentRowChanged.connect(lambda _: self._goal_buttons())
        self.add_goal.clicked.connect(self._add_goal)
        self.remove_goal.clicked.connect(self._remove_goal)
        self.goal_up.clicked.connect(lambda: self._move_goal(-1))
        self.goal_down.clicked.connect(lambda: self._move_goal(1))
        page._loaders.append(self._load_goals)

    def _load_goals(self, draft: Draft) -> None:
        current = self.goals.currentRow()
        self.goals.blockSignals(True)
        self.goals.clear()
        for text in draft.project.goals:
            item = QListWidgetItem(text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.goals.addItem(item)
        if self.goals.count():
            self.goals.setCurrentRow(min(max(current, 0), self.goals.count() - 1))
        self.goals.blockSignals(False)
        self._goal_buttons()

    def _goal_buttons(self) -> None:
        row, count = self.goals.currentRow(), self.goals.count()
        self.remove_goal.setEnabled(row >= 0)
        self.goal_up.setEnabled(row > 0)
        self.goal_down.setEnabled(0 <= row < count - 1)

    def _goal_edited(self, item: QListWidgetItem) -> None:
        row = self.goals.row(item)
        text = item.text().strip()

        def change(d: Draft) -> None:
            goals = list(d.project.goals)
            if row < len(goals):
                goals[row] = text
            d.project.goals = goals

        self.page.apply(f"project.goals.{row}", change, self.goal_message)

    def _set_goals(self, goals: list[str], select: int) -> None:
        self.page.apply(
            "project.goals", lambda d: setattr(d.project, "goals", goals), self.goal_message
        )
        self.page.load()
        self.goals.setCurrentRow(select)

    def _add_goal(self) -> None:
        goals = [*self.draft.project.goals, ""]
        self._set_goals(goals, len(goals) - 1)
        item = self.goals.item(len(goals) - 1)
        if item is not None:
            self.goals.setFocus()
            self.goals.editItem(item)

    def _remove_goal(self) -> None:
        row = self.goals.currentRow()
        goals = list(self.draft.project.goals)
        if 0 <= row < len(goals):
            del goals[row]
            self._set_goals(goals, min(row, len(goals) - 1))

    def _move_goal(self, step: int) -> None:
        row = self.goals.currentRow()
        goals = list(self.draft.project.goals)
        target = row + step
        if 0 <= row < len(goals) and 0 <= target < len(goals):
            goals[row], goals[target] = goals[target], goals[row]
            self._set_goals(goals, target)
            self.goals.setFocus()

    # --- milestones -------------------------------------------------------------------
    def build_milestones(self) -> None:
        page = self.page
        form = page.group(self.tr("进度安排（里程碑）"))
        holder = QWidget(page.body)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        self.period = QLabel(holder)
        self.period.setWordWrap(True)
        self.period.setStyleSheet("color: #666; font-size: 9pt;")
        column.addWidget(self.period)
        self.milestones = QTableWidget(0, 2, holder)
        self.milestones.setAccessibleName(self.tr("里程碑"))
        self.milestones.verticalHeader().setVisible(False)
        self.milestones.horizontalHeader().setStretchLastSection(True)
        self.milestones.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.milestones.setMinimumHeight(150)
        column.addWidget(self.milestones)
        buttons = QHBoxLayout()
        self.add_milestone = QPushButton(self.tr("添加里程碑(&C)"), holder)
        self.remove_milestone = QPushButton(self.tr("删除所选里程碑(&V)"), holder)
        buttons.addWidget(self.add_milestone)
        buttons.addWidget(self.remove_milestone)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.milestone_message = FieldMessage(self.milestones, holder)
        column.addWidget(self.milestone_message)
        form.addRow(holder)
        page.register(("project.milestones",), self.milestones, self.milestone_message)
        # The draft index of the milestone shown in each row.
        self.rows: list[int] = []
        self.milestones.itemChanged.connect(self._milestone_text_edited)
        self.add_milestone.clicked.connect(self._add_milestone)
        self.remove_milestone.clicked.connect(self._remove_milestone)
        page._loaders.append(self._load_milestones)

    def _sorted(self, draft: Draft) -> list[int]:
        milestones = draft.project.milestones
        return sorted(range(len(milestones)), key=lambda i: (milestones[i].due, i))

    def _load_milestones(self, draft: Draft) -> None:
        table = self.milestones
        table.blockSignals(True)
        table.setHorizontalHeaderLabels([self.tr("完成日期"), self.tr("节点内容")])
        self.rows = self._sorted(draft)
        table.setRowCount(len(self.rows))
        for row, index in enumerate(self.rows):
            milestone = draft.project.milestones[index]
            edit = table.cellWidget(row, 0)
            if not isinstance(edit, OptionalDateEdit):
                edit = OptionalDateEdit(
                    self.page.ctx.lang,
                    self.tr("请选择日期"),
                    table,
                    today=self.page.ctx.today,
                    anchor=lambda: self.page.session.draft.project.start_date,
                )
                edit.date_edited.connect(lambda v, e=edit: self._milestone_date_edited(e, v))
                edit.invalid.connect(
                    lambda text: self.page.local_problem(
                        "project.milestones",
                        self.tr(
                            "“{text}”不是日期：请写成 2025-10-01、2025/10/1 或 20251001"
                        ).format(text=text),
                        self.milestone_message,
                    )
                )
                edit.editingFinished.connect(self._resort)
                table.setCellWidget(row, 0, edit)
            edit.setAccessibleName(self.tr("第{row}个里程碑的日期").format(row=row + 1))
            edit.setProperty("milestone", index)
            edit.set_value(milestone.due)
            text = QTableWidgetItem(milestone.text)
            text.setData(INDEX_ROLE, index)
            table.setItem(row, 1, text)
        table.setColumnWidth(0, 190)
        table.blockSignals(False)
        self.remove_milestone.setEnabled(bool(self.rows))

    def _milestone_date_edited(self, edit: OptionalDateEdit, value: date | None) -> None:
        index = edit.property("milestone")
        if not isinstance(index, int):
            return
        page = self.page
        if value is None:  # noted under the table until a date is chosen again
            page.local_problem(
                "project.milestones",
                self.tr("里程碑须有完成日期：请选择日期，或删除该里程碑"),
                self.milestone_message,
            )
            return
        if page.clear_local("project.milestones"):
            self.milestone_message.clear_message()
            page.show_findings(page.session.findings)

        def change(d: Draft) -> None:
            milestones = list(d.project.milestones)
            milestones[index] = Milestone(due=value, text=milestones[index].text)
            d.project.milestones = milestones

        page.apply(f"project.milestones.{index}.due", change, self.milestone_message)

    def _resort(self) -> None:
        """Show the rows in date order again once the date editor is left."""
        if self.rows != self._sorted(self.draft) and not self.page.loading:
            focused = self.milestones.focusWidget()
            index = focused.property("milestone") if focused is not None else None
            self.page.load()
            if isinstance(index, int) and index in self.rows:
                self.milestones.setCurrentCell(self.rows.index(index), 0)

    def _milestone_text_edited(self, item: QTableWidgetItem) -> None:
        index = item.data(INDEX_ROLE)
        if not isinstance(index, int):
            return
        text = item.text().strip()

        def change(d: Draft) -> None:
            milestones = list(d.project.milestones)
            milestones[index] = Milestone(due=milestones[index].due, text=text)
            d.project.milestones = milestones

        self.page.apply(f"project.milestones.{index}.text", change, self.milestone_message)

    def _new_due(self) -> date:
        """A new milestone is due at the project's end (or start, or today) unless one
        already is: then a month before it, so the new row lands where it is typed."""
        project = self.draft.project
        taken = {m.due for m in project.milestones}
        due = project.end_date or project.start_date or self.page.ctx.today()
        while due in taken:
            due = date.fromordinal(due.toordinal() - 30)
        return due

    def _add_milestone(self) -> None:
        due = self._new_due()
        milestones = [*self.draft.project.milestones, Milestone(due=due, text="")]
        self.page.apply(
            "project.milestones",
            lambda d: setattr(d.project, "milestones", milestones),
            self.milestone_message,
        )
        self.page.load()
        index = len(milestones) - 1
        if index in self.rows:
            row = self.rows.index(index)
            self.milestones.setFocus()
            self.milestones.setCurrentCell(row, 1)
            cell = self.milestones.item(row, 1)
            if cell is not None:
                self.milestones.editItem(cell)

    def _remove_milestone(self) -> None:
        row = self.milestones.currentRow()
        if not 0 <= row < len(self.rows):
            return
        index = self.rows[row]
        milestones = [m for i, m in enumerate(self.draft.project.milestones) if i != index]
        self.page.apply(
            "project.milestones",
            lambda d: setattr(d.project, "milestones", milestones),
            self.milestone_message,
        )
        self.page.load()
        if self.rows:
            self.milestones.setCurrentCell(min(row, len(self.rows) - 1), 1)

    # --- derived displays ---------------------------------------------------------------
    def refresh(self, draft: Draft) -> None:
        project = draft.project
        lang = self.page.ctx.lang
        latest = None
        q = self.page.ctx.catalog.lookup(draft.direction)
        if q is not None:
            latest = next(
                (
                    c.latest
                    for c in q.conditions
                    if c.kind is ConditionKind.LATEST_END and c.latest is not None
                ),
                None,
            )
        if project.start_date and project.end_date:
            text = self.tr("每个里程碑的日期须在项目执行期内：{start} 至 {end}。").format(
                start=fmt.day(project.start_date, lang), end=fmt.day(project.end_date, lang)
            )
        else:
            text = self.tr("先填写开始和结束日期；每个里程碑的日期须在执行期内。")
        if latest is not None:
            text += self.tr("本次申报要求项目最迟于 {date} 完成。").format(
                date=fmt.day(latest, lang)
            )
        self.period.setText(text)

    def show_findings(self, findings: Sequence[Finding]) -> None:
        """Colour the date of each milestone a finding names, with the message as tip."""
        lang = self.page.ctx.lang
        by_index: dict[int, list[Finding]] = {}
        for f in findings:
            if f.field.startswith(_MILESTONE) and f.field.endswith(".due"):
                part = f.field[len(_MILESTONE) :].split(".", 1)[0]
                if part.isdigit():
                    by_index.setdefault(int(part), []).append(f)
        for row, index in enumerate(self.rows):
            edit = self.milestones.cellWidget(row, 0)
            if not isinstance(edit, OptionalDateEdit):
                continue
            mine = by_index.get(index, [])
            errors = [f for f in mine if f.severity is Severity.ERROR]
            if errors:
                edit.setStyleSheet(f"color: {COLOURS[Severity.ERROR]};")
                edit.setToolTip("\n".join(f.message(lang) for f in errors))
                edit.setAccessibleDescription(errors[0].message(lang))
            else:
                edit.setStyleSheet("")
                edit.setToolTip("")
                edit.setAccessibleDescription("")
