"""Page 6: every finding of the draft, grouped by the page that can fix it.

Activating a finding (double-click, Enter, or the link) opens its page with the cursor
in the field. The credit commitment is confirmed here, last, and the export button
stays disabled while any error remains.

Signals:
    go_to_field(str): the user asked to fix the finding at this field path.
    export_requested(): the user pressed the export button.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from desktop.app import labels
from desktop.app.context import AppContext
from desktop.app.session import DraftSession
from desktop.app.widgets.field_message import COLOURS, MARKS, FieldMessage
from desktop.app.wizard.pages.base import WizardPage
from forms.catalog.model import Severity
from forms.draft.flow import FLOW, StepId, step_for_field
from validators.findings import Finding

FIELD_ROLE = Qt.ItemDataRole.UserRole


class ReviewPage(WizardPage):
    step_id = StepId.REVIEW
    go_to_field = Signal(str)
    export_requested = Signal()

    def __init__(self, session: DraftSession, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(session, ctx, parent)
        self.set_header(
            self.tr("6  检查"),
            self.tr(
                "按页面列出全部检查结果。双击或按回车跳到对应栏目修改；有错误时不能导出，警告和提示不影响导出。"
            ),
        )
        self.summary = QLabel(self.body)
        self.summary.setStyleSheet("font-size: 12pt; font-weight: 600;")
        self.summary.setAccessibleName(self.tr("检查结果摘要"))
        self.outer.addWidget(self.summary)
        self.tree = QTreeWidget(self.body)
        self.tree.setAccessibleName(self.tr("检查结果"))
        self.tree.setHeaderLabels([self.tr("问题"), self.tr("依据")])
        self.tree.setColumnWidth(0, 680)
        self.tree.setWordWrap(True)
        self.tree.setMinimumHeight(380)
        self.tree.setUniformRowHeights(False)
        self.outer.addWidget(self.tree, 1)
        self.commit = QCheckBox(
            self.tr("信用承诺(&C)：本单位承诺所填内容和所附材料真实、准确、完整。"), self.body
        )
        self.commit.setAccessibleName(self.tr("信用承诺"))
        self.commit_message = FieldMessage(self.commit, self.body)
        self.outer.addWidget(self.commit)
        self.outer.addWidget(self.commit_message)
        self.register(("declarations.materials_true",), self.commit, self.commit_message)
        self.commit.toggled.connect(
            lambda on: self.apply(
                "declarations.materials_true",
                lambda d: setattr(d.declarations, "materials_true", True if on else None),
                self.commit_message,
            )
        )
        self._loaders.append(
            lambda d: self.commit.setChecked(d.declarations.materials_true is True)
        )
        row = QHBoxLayout()
        self.status = QLabel(self.body)
        self.status.setWordWrap(True)
        self.export = QPushButton(self.tr("前往导出(&X)"), self.body)
        self.export.setMinimumWidth(160)
        row.addWidget(self.status, 1)
        row.addWidget(self.export)
        self.outer.addLayout(row)
        self.tree.itemActivated.connect(self._activated)
        self.export.clicked.connect(self.export_requested.emit)

    def focus_first(self) -> None:
        if not self.commit.isChecked():
            self.commit.setFocus(Qt.FocusReason.OtherFocusReason)  # Space confirms it

    def set_read_only(self, read_only: bool) -> None:
        # The findings stay usable as links; only the commitment is an edit.
        self.commit.setEnabled(not read_only)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        path = item.data(0, FIELD_ROLE)
        if path:
            self.go_to_field.emit(path)

    def show_findings(self, findings: list[Finding]) -> None:  # type: ignore[override]
        super().show_findings(findings)
        self._fill(findings)

    def _fill(self, findings: list[Finding]) -> None:
        lang = self.ctx.lang
        self.tree.clear()
        counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
        by_step: dict[StepId, list[Finding]] = {}
        for f in findings:
            by_step.setdefault(step_for_field(f.field), []).append(f)
        # Typed text that is not a value yet (kept in its field): an error until corrected.
        typed: dict[StepId, list[tuple[str, str]]] = {}
        for path, problem in self.session.local.items():
            typed.setdefault(step_for_field(path), []).append((path, problem))
        counts[Severity.ERROR] += len(self.session.local)
        for step in FLOW:
            mine = by_step.get(step.id, [])
            unread = typed.get(step.id, [])
            if not mine and not unread:
                continue
            errors = sum(1 for f in mine if f.severity is Severity.ERROR) + len(unread)
            top = QTreeWidgetItem(
                [
                    self.tr("{page}（{n} 项）").format(
                        page=labels.name(step.id), n=len(mine) + len(unread)
                    ),
                    "",
                ]
            )
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            if errors:
                top.setForeground(0, QBrush(QColor(COLOURS[Severity.ERROR])))
            self.tree.addTopLevelItem(top)
            for path, problem in unread:
                child = QTreeWidgetItem(
                    [f"{MARKS[Severity.ERROR]} {labels.name(Severity.ERROR)}：{problem}", ""]
                )
                child.setForeground(0, QBrush(QColor(COLOURS[Severity.ERROR])))
                child.setData(0, FIELD_ROLE, path)
                child.setToolTip(0, problem)
                top.addChild(child)
            for f in mine:
                child = QTreeWidgetItem(
                    [f"{MARKS[f.severity]} {labels.name(f.severity)}：{f.message(lang)}", f.clause]
                )
                child.setForeground(0, QBrush(QColor(COLOURS[f.severity])))
                child.setData(0, FIELD_ROLE, f.field)
                child.setToolTip(0, f.message(lang))
                child.setToolTip(1, f.clause)
                top.addChild(child)
            top.setExpanded(True)
        errors = counts[Severity.ERROR]
        self.summary.setText(
            self.tr("错误 {e} · 警告 {w} · 提示 {i}").format(
                e=errors, w=counts[Severity.WARNING], i=counts[Severity.INFO]
            )
        )
        self.export.setEnabled(errors == 0)
        if errors:
            self.status.setText(self.tr("还有 {n} 个错误，修改后才能导出。").format(n=errors))
            self.status.setStyleSheet(f"color: {COLOURS[Severity.ERROR]};")
        else:
            self.status.setText(self.tr("没有错误，可以导出申报包。"))
            self.status.setStyleSheet(f"color: {COLOURS[None]};")
