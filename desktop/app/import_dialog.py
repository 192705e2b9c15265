"""Importing a list of clients: every row and what it will do, before anything is written.

The list is read and judged first (`forms.workspace.spreadsheet.plan_import`): new
client, update of an existing one (same credit code), merged into an earlier row of the
same list, or left out, with the reasons. Only "Import" writes, and only the good rows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.app.context import AppContext
from forms.workspace import WorkspaceError
from forms.workspace.spreadsheet import ImportOutcome, ImportPlan, ImportRow, SpreadsheetError
from validators.check import credit_code_texts


class ImportDialog(QDialog):
    """`plan` is None when the file could not be read (the user was told why)."""

    def __init__(self, ctx: AppContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.outcome: ImportOutcome | None = None
        self.setWindowTitle(self.tr("导入单位：{name}").format(name=path.name))
        self.resize(980, 620)
        try:
            self.plan: ImportPlan | None = ctx.store.plan_import(path, credit_code_texts)
        except SpreadsheetError as exc:
            self.plan = None
            QMessageBox.warning(parent, self.tr("导入单位"), exc.message(ctx.lang))
            return
        plan = self.plan
        column = QVBoxLayout(self)
        summary = QLabel(
            self.tr(
                "共 {rows} 行：新增 {new} 个单位，更新 {updates} 个已有单位，"
                "{merged} 行与前面的行是同一单位（合并），{bad} 行有误不导入。"
            ).format(
                rows=len(plan.rows),
                new=len(plan.new),
                updates=len(plan.updates),
                merged=sum(1 for r in plan.rows if r.ok and r.merged_into is not None),
                bad=len(plan.bad),
            ),
            self,
        )
        summary.setWordWrap(True)
        column.addWidget(summary)
        self.table = QTableWidget(len(plan.rows), 5, self)
        self.table.setAccessibleName(self.tr("导入预览"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("行"),
                self.tr("处理"),
                self.tr("单位名称"),
                self.tr("信用代码"),
                self.tr("说明"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for index, row in enumerate(plan.rows):
            what, colour = self._action(row)
            why = [t.render(ctx.lang) for t in (*row.problems, *row.notes)]
            cells = [
                str(row.row),
                what,
                row.company.name or "—",
                row.company.credit_code or "—",
                "；".join(why),
            ]
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if col in (1, 4):
                    cell.setForeground(QBrush(QColor(colour)))
                cell.setToolTip(text)
                self.table.setItem(index, col, cell)
        self.table.setColumnWidth(0, 48)
        self.table.setColumnWidth(1, 90)
        self.table.setColumnWidth(2, 260)
        self.table.setColumnWidth(3, 170)
        self.table.resizeRowsToContents()
        column.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        count = len(plan.new) + len(plan.updates)
        self.go = buttons.addButton(
            self.tr("导入 {n} 个单位(&I)").format(n=count), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.go.setEnabled(count > 0)
        buttons.accepted.connect(self._import)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)

    def _action(self, row: ImportRow) -> tuple[str, str]:
        if not row.ok:
            return "✖ " + self.tr("有误"), "#c62828"
        if row.merged_into is not None:
            return "＝ " + self.tr("合并"), "#555555"
        if row.existing is not None:
            return "↻ " + self.tr("更新"), "#1f5f9e"
        if row.notes:
            return "＋ " + self.tr("新增"), "#a15c00"
        return "＋ " + self.tr("新增"), "#2e7d32"

    def _import(self) -> None:
        if self.plan is None:
            return
        try:
            self.outcome = self.ctx.store.apply_import(self.plan)
        except (WorkspaceError, OSError) as exc:
            QMessageBox.warning(self, self.tr("导入单位"), str(exc))
            return
        self.accept()
