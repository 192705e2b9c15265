"""Page 4: the project plan and its money: dates, the investment table with running
sums, the funding sources, and the requested support beside the allowed maximum."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.app import fmt, labels
from desktop.app.context import AppContext
from desktop.app.session import DraftSession
from desktop.app.widgets.cell_editor import ShortcutFriendlyDelegate
from desktop.app.widgets.field_message import FieldMessage
from desktop.app.widgets.money_edit import MoneyEdit
from desktop.app.wizard.pages.base import WizardPage
from desktop.app.wizard.pages.project_plan import PlanSection
from forms.catalog.model import ConditionKind, SupportBase
from forms.catalog.support import estimate_support
from forms.draft.flow import StepId
from forms.draft.model import BudgetCategory, BudgetLine, Draft, Kpi, base_amounts
from validators.conditions import latest_end_for
from validators.findings import Finding

#: Bases the budget cannot give; the applicant states them.
STATED_BASES = (SupportBase.APPROVED_CONTRACT_AMOUNT, SupportBase.RENT, SupportBase.LPR)
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ProjectPage(WizardPage):
    step_id = StepId.PROJECT

    def __init__(self, session: DraftSession, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(session, ctx, parent)
        self.set_header(
            self.tr("4  项目与预算"),
            self.tr(
                "项目执行期、投资预算明细和资金来源。合计随输入即时更新；申请支持额旁显示按政策估算的允许上限。"
            ),
        )
        form = self.group(self.tr("项目概况"))
        self.name = self.line(
            form, self.tr("项目名称(&M)："), "project.name",
            lambda d: d.project.name, lambda d, v: setattr(d.project, "name", v),
        )  # fmt: skip
        self.summary = QPlainTextEdit(self.body)
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(84)
        self.summary.setPlaceholderText(self.tr("建设内容、技术路线与应用成效"))
        summary_message = self.add_field(
            form, self.tr("项目简介(&J)："), self.summary, ("project.summary",)
        )
        self.summary.textChanged.connect(
            lambda: self.apply(
                "project.summary",
                lambda d: setattr(d.project, "summary", self.summary.toPlainText()),
                summary_message,
            )
        )

        def load_summary(d: Draft) -> None:
            if self.summary.toPlainText() != d.project.summary:
                self.summary.setPlainText(d.project.summary)

        self._loaders.append(load_summary)
        self.start = self.date(
            form, self.tr("开始日期(&T)："), "project.start_date",
            lambda d: d.project.start_date, lambda d, v: setattr(d.project, "start_date", v),
            anchor=self._start_anchor,
        )  # fmt: skip
        self.end = self.date(
            form, self.tr("结束日期(&D)："), "project.end_date",
            lambda d: d.project.end_date, lambda d, v: setattr(d.project, "end_date", v),
            anchor=self._end_anchor,
        )  # fmt: skip
        self.end_hint = QLabel(self.body)
        self.end_hint.setStyleSheet("color: #555;")
        form.addRow("", self.end_hint)
        self.start.date_edited.connect(lambda _: self.refresh())
        self.end.date_edited.connect(lambda _: self.refresh())

        self.plan = PlanSection(self)
        self.plan.build_milestones()
        self._build_budget()

        form = self.group(self.tr("资金来源"))
        self.own = self.money(
            form, self.tr("自筹资金(&O)："), "project.own_funds",
            lambda d: d.project.own_funds, lambda d, v: setattr(d.project, "own_funds", v),
        )  # fmt: skip
        self.other = self.money(
            form, self.tr("其他资金(&Q)："), "project.other_funding",
            lambda d: d.project.other_funding, lambda d, v: setattr(d.project, "other_funding", v),
        )  # fmt: skip
        self.requested = self.money(
            form, self.tr("申请支持(&P)："), "project.requested_support",
            lambda d: d.project.requested_support,
            lambda d, v: setattr(d.project, "requested_support", v),
        )  # fmt: skip
        self.allowed = QLabel(self.body)
        self.allowed.setWordWrap(True)
        self.allowed.setStyleSheet("font-weight: 600;")
        self.allowed.setAccessibleName(self.tr("允许的最高支持"))
        form.addRow(self.tr("允许最高："), self.allowed)
        self.sources = QLabel(self.body)
        self.sources.setWordWrap(True)
        form.addRow(self.tr("来源合计："), self.sources)
        self.base_edit = MoneyEdit(self.ctx.unit, self.ctx.lang, self.body)
        self.base_caption = QLabel(self.tr("支持基数："), self.body)
        self.base_caption.setBuddy(self.base_edit)
        self.base_message = FieldMessage(self.base_edit, self.body)
        form.addRow(self.base_caption, self.base_edit)
        form.addRow("", self.base_message)
        self.register(("project.base_amounts",), self.base_edit, self.base_message)
        self._stated_base: SupportBase | None = None
        self.base_edit.value_edited.connect(self._base_typed)
        for edit in (self.own, self.other, self.requested):
            edit.value_edited.connect(lambda _: self.refresh())

        self.plan.build_goals()
        self._build_kpis()
        self.outer.addStretch(1)

    def focus_first(self) -> None:
        project = self.session.draft.project
        for widget, empty in (
            (self.name, not project.name.strip()),
            (self.start, project.start_date is None),
            (self.end, project.end_date is None),
        ):
            if empty:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    # --- where the calendars open -----------------------------------------------------------
    def _start_anchor(self) -> date | None:
        """A project starts after it is applied for: the call's closing day."""
        q = self.ctx.catalog.lookup(self.session.draft.direction)
        submission = q.policy.submission if q is not None else None
        return submission.closes.date() if submission is not None else None

    def _end_anchor(self) -> date | None:
        """The latest end the direction allows, else two years after the start."""
        draft = self.session.draft
        start = draft.project.start_date
        q = self.ctx.catalog.lookup(draft.direction)
        latest = [c.latest for c in (q.conditions if q is not None else ()) if c.latest is not None]
        if start is not None:
            two_years = date(start.year + 2, start.month, 1) - timedelta(days=1)
            return min([two_years, *latest])
        return min(latest) if latest else None

    # --- budget table -------------------------------------------------------------------
    def _build_budget(self) -> None:
        form = self.group(self.tr("投资预算"))
        holder = QWidget(self.body)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        self.budget = QTableWidget(0, 4, holder)
        self.budget.setItemDelegate(ShortcutFriendlyDelegate(self.budget))
        self.budget.setAccessibleName(self.tr("投资预算明细"))
        self.budget.verticalHeader().setVisible(False)
        self.budget.setMinimumHeight(220)
        self.budget.horizontalHeader().setStretchLastSection(False)
        # The note takes the width left over (no blank strip right of the last column).
        self.budget.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        column.addWidget(self.budget)
        buttons = QHBoxLayout()
        self.add_line = QPushButton(self.tr("添加一行(&A)"), holder)
        self.remove_line = QPushButton(self.tr("删除所选行(&R)"), holder)
        buttons.addWidget(self.add_line)
        buttons.addWidget(self.remove_line)
        buttons.addStretch(1)
        self.budget_sum = QLabel(holder)
        self.budget_sum.setStyleSheet("font-weight: 600;")
        buttons.addWidget(self.budget_sum)
        column.addLayout(buttons)
        self.budget_message = FieldMessage(self.budget, holder)
        column.addWidget(self.budget_message)
        form.addRow(holder)
        self.register(("project.budget",), self.budget, self.budget_message)
        self.budget.itemChanged.connect(self._budget_item_changed)
        self.add_line.clicked.connect(self._add_line)
        self.remove_line.clicked.connect(self._remove_line)
        self._loaders.append(self._load_budget)

        self.total = self.money(
            form, self.tr("项目总投资(&I)："), "project.total_investment",
            lambda d: d.project.total_investment,
            lambda d, v: setattr(d.project, "total_investment", v),
        )  # fmt: skip
        self.use_sum = QPushButton(self.tr("按明细合计填入(&U)"), self.body)
        form.addRow("", self.use_sum)
        self.use_sum.clicked.connect(self._fill_total)
        self.total.value_edited.connect(lambda _: self.refresh())

    def _budget_headers(self) -> list[str]:
        unit = fmt.unit_label(self.ctx.unit, self.ctx.lang)
        return [
            self.tr("类别"),
            self.tr("金额（{unit}）").format(unit=unit),
            self.tr("说明"),
            self.tr("累计（{unit}）").format(unit=unit),
        ]

    def _load_budget(self, draft: Draft) -> None:
        table = self.budget
        table.blockSignals(True)
        table.setHorizontalHeaderLabels(self._budget_headers())
        table.setRowCount(len(draft.project.budget))
        for row, line in enumerate(draft.project.budget):
            combo = QComboBox(table)
            combo.setAccessibleName(self.tr("第{row}行类别").format(row=row + 1))
            for category in BudgetCategory:
                combo.addItem(labels.name(category), category)
            combo.setCurrentIndex(combo.findData(line.category))
            combo.activated.connect(lambda _, r=row: self._budget_row_changed(r))
            table.setCellWidget(row, 0, combo)
            amount = QTableWidgetItem(fmt.money_number(line.amount, self.ctx.unit))
            amount.setTextAlignment(RIGHT)
            table.setItem(row, 1, amount)
            table.setItem(row, 2, QTableWidgetItem(line.note))
            running = QTableWidgetItem()
            running.setFlags(Qt.ItemFlag.ItemIsEnabled)
            running.setTextAlignment(RIGHT)
            table.setItem(row, 3, running)
        table.setColumnWidth(0, 170)
        table.setColumnWidth(1, 140)
        table.setColumnWidth(2, 300)
        table.setColumnWidth(3, 180)
        table.blockSignals(False)

    def _budget_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() in (1, 2):
            self._budget_row_changed(item.row())

    def _budget_row_changed(self, row: int) -> None:
        table = self.budget
        combo = table.cellWidget(row, 0)
        amount_item, note_item = table.item(row, 1), table.item(row, 2)
        if not isinstance(combo, QComboBox) or amount_item is None:
            return
        text = amount_item.text()
        try:
            amount = fmt.parse_money(text, self.ctx.unit)
        except ValueError:
            amount = None
        if amount is None:
            self.local_problem(
                "project.budget",
                self.tr("第{row}行金额“{text}”不是金额：请填写数字，如 180 或 180万元").format(
                    row=row + 1, text=text
                ),
                self.budget_message,
            )
            return
        category = combo.currentData()
        note = note_item.text() if note_item is not None else ""

        def change(d: Draft) -> None:
            lines = list(d.project.budget)
            lines[row] = BudgetLine(category=category, amount=amount, note=note)
            d.project.budget = lines

        self.apply("project.budget", change, self.budget_message)
        self.refresh()

    def _add_line(self) -> None:
        def change(d: Draft) -> None:
            d.project.budget = [
                *d.project.budget,
                BudgetLine(category=BudgetCategory.OTHER, amount=Decimal(0)),
            ]

        self.apply("project.budget", change, self.budget_message)
        self.load()
        row = self.budget.rowCount() - 1
        self.budget.setCurrentCell(row, 1)
        cell = self.budget.item(row, 1)
        if cell is not None:
            self.budget.editItem(cell)

    def _remove_line(self) -> None:
        row = self.budget.currentRow()
        if row < 0:
            return

        def change(d: Draft) -> None:
            d.project.budget = [line for i, line in enumerate(d.project.budget) if i != row]

        self.apply("project.budget", change, self.budget_message)
        self.load()

    def _fill_total(self) -> None:
        total = self.session.draft.project.budget_total()
        self.apply(
            "project.total_investment",
            lambda d: setattr(d.project, "total_investment", total),
            self.budget_message,
        )
        self.load()

    # --- KPIs -------------------------------------------------------------------------
    def _build_kpis(self) -> None:
        form = self.group(self.tr("绩效目标"))
        holder = QWidget(self.body)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        self.kpis = QTableWidget(0, 3, holder)
        self.kpis.setAccessibleName(self.tr("绩效目标"))
        self.kpis.verticalHeader().setVisible(False)
        self.kpis.setMinimumHeight(130)
        self.kpis.horizontalHeader().setStretchLastSection(True)
        column.addWidget(self.kpis)
        buttons = QHBoxLayout()
        self.add_kpi = QPushButton(self.tr("添加指标(&K)"), holder)
        self.remove_kpi = QPushButton(self.tr("删除所选指标(&L)"), holder)
        buttons.addWidget(self.add_kpi)
        buttons.addWidget(self.remove_kpi)
        buttons.addStretch(1)
        column.addLayout(buttons)
        message = FieldMessage(self.kpis, holder)
        column.addWidget(message)
        form.addRow(holder)
        self.register(("project.kpis",), self.kpis, message)
        self._kpi_message = message
        self.kpis.itemChanged.connect(lambda _: self._kpis_changed())
        self.add_kpi.clicked.connect(self._add_kpi)
        self.remove_kpi.clicked.connect(self._remove_kpi)
        self._loaders.append(self._load_kpis)

    def _load_kpis(self, draft: Draft) -> None:
        table = self.kpis
        table.blockSignals(True)
        table.setHorizontalHeaderLabels([self.tr("指标"), self.tr("目标值"), self.tr("单位")])
        table.setRowCount(len(draft.project.kpis))
        for row, kpi in enumerate(draft.project.kpis):
            for col, text in enumerate((kpi.name, kpi.target, kpi.unit)):
                table.setItem(row, col, QTableWidgetItem(text))
        table.setColumnWidth(0, 260)
        table.setColumnWidth(1, 160)
        table.blockSignals(False)

    def _kpis_changed(self) -> None:
        rows = []
        for row in range(self.kpis.rowCount()):
            cells = [self.kpis.item(row, c) for c in range(3)]
            name, target, unit = (c.text() if c is not None else "" for c in cells)
            rows.append(Kpi(name=name, target=target, unit=unit))
        self.apply("project.kpis", lambda d: setattr(d.project, "kpis", rows), self._kpi_message)

    def _add_kpi(self) -> None:
        self.apply(
            "project.kpis",
            lambda d: setattr(d.project, "kpis", [*d.project.kpis, Kpi(name="", target="")]),
            self._kpi_message,
        )
        self.load()
        self.kpis.setCurrentCell(self.kpis.rowCount() - 1, 0)

    def _remove_kpi(self) -> None:
        row = self.kpis.currentRow()
        if row >= 0:
            self.apply(
                "project.kpis",
                lambda d: setattr(
                    d.project, "kpis", [k for i, k in enumerate(d.project.kpis) if i != row]
                ),
                self._kpi_message,
            )
            self.load()

    # --- derived displays ---------------------------------------------------------------
    def _base_typed(self, value: Decimal | None) -> None:
        base = self._stated_base
        if base is None:
            return

        def change(d: Draft) -> None:
            amounts = dict(d.project.base_amounts)
            if value is None:
                amounts.pop(base, None)
            else:
                amounts[base] = value
            d.project.base_amounts = amounts

        self.apply(f"project.base_amounts.{base.value}", change, self.base_message)
        self.refresh()

    def refresh(self) -> None:
        draft = self.session.draft
        project = draft.project
        unit, lang = self.ctx.unit, self.ctx.lang
        running = Decimal(0)
        for row, line in enumerate(project.budget):
            running += line.amount
            item = self.budget.item(row, 3)
            if item is not None:
                item.setText(fmt.money_number(running, unit))
        total_lines = project.budget_total()
        self.budget_sum.setText(
            self.tr("明细合计：{sum}").format(sum=fmt.money(total_lines, unit, lang))
        )
        total = project.investment_total()
        own, other = project.own_funds, project.other_funding or Decimal(0)
        requested = project.requested_support
        if total is not None and own is not None and requested is not None:
            sources = own + other + requested
            ok = sources == total
            self.sources.setText(
                ("✔ " if ok else "✖ ")
                + self.tr("自筹 + 其他 + 申请 = {sum}，项目总投资 {total}").format(
                    sum=fmt.money(sources, unit, lang), total=fmt.money(total, unit, lang)
                )
            )
            self.sources.setStyleSheet(f"color: {'#2e7d32' if ok else '#c62828'};")
        else:
            self.sources.setText(self.tr("填写自筹、其他资金和申请支持后显示合计"))
            self.sources.setStyleSheet("color: #666;")
        self._refresh_allowed(draft)
        self._refresh_end_hint(draft)
        self.plan.refresh(draft)

    def show_findings(self, findings: Sequence[Finding]) -> None:
        super().show_findings(findings)
        self.plan.show_findings(findings)

    def _refresh_allowed(self, draft: Draft) -> None:
        unit, lang = self.ctx.unit, self.ctx.lang
        q = self.ctx.catalog.lookup(draft.direction)
        self._stated_base = None
        if q is None:
            self.allowed.setText(self.tr("选择支持方向后显示"))
            self._show_base(None)
            return
        bases = base_amounts(draft.project)
        estimate = estimate_support(self.ctx.catalog, q, bases.get)
        support = estimate.support
        if support.base in STATED_BASES:
            self._stated_base = support.base
        self._show_base(self._stated_base)
        if estimate.maximum is not None:
            text = fmt.money(estimate.maximum, unit, lang)
            detail = []
            if support.rate_max_pct is not None and support.base is not None:
                detail.append(
                    f"{support.rate_max_pct.normalize():f}% × {labels.name(support.base)}"
                )
            if support.cap_cny is not None:
                detail.append(
                    self.tr("上限 {cap}").format(cap=fmt.money(support.cap_cny, unit, lang))
                )
            if estimate.reference is not None:
                detail.append(self.tr("估算，以评审核定为准"))
            text += f"（{'，'.join(detail)}）" if detail else ""
            requested = draft.project.requested_support
            over = requested is not None and requested > estimate.maximum
            self.allowed.setStyleSheet(
                f"font-weight: 600; color: {'#c62828' if over else '#2e7d32'};"
            )
        elif estimate.unspecified or not support.monetary:
            text = self.tr("通知未规定支持比例和上限，以评审核定为准")
            self.allowed.setStyleSheet("font-weight: 600; color: #555;")
        else:
            text = self.tr("填写支持基数后计算")
            self.allowed.setStyleSheet("font-weight: 600; color: #a15c00;")
        self.allowed.setText(text)

    def _show_base(self, base: SupportBase | None) -> None:
        visible = base is not None
        self.base_edit.setVisible(visible)
        self.base_caption.setVisible(visible)
        if base is None:
            self.base_message.clear_message()
            return
        caption = labels.name(base) + "："
        self.base_caption.setText(caption)
        self.base_edit.setAccessibleName(caption.rstrip("："))
        if self.base_edit.unit is not self.ctx.unit:
            self.base_edit.set_unit(self.ctx.unit)
        self.base_edit.set_value(self.session.draft.project.base_amounts.get(base))

    def _refresh_end_hint(self, draft: Draft) -> None:
        q = self.ctx.catalog.lookup(draft.direction)
        start = draft.project.start_date
        limits = []
        if q is not None:
            for condition in q.conditions:
                if (
                    condition.kind is ConditionKind.MAX_DURATION_MONTHS
                    and start
                    and condition.months
                    and not condition.norm  # "一般在两年内": a norm, not the latest end
                ):
                    limits.append(latest_end_for(start, condition.months))
                if condition.kind is ConditionKind.LATEST_END and condition.latest:
                    limits.append(condition.latest)
        if limits:
            self.end_hint.setText(
                self.tr("本方向要求最迟于 {date} 结束").format(
                    date=fmt.day(min(limits), self.ctx.lang)
                )
            )
        else:
            self.end_hint.setText("")
