"""The application form (申报书) as content, before it becomes PDF or DOCX.

Both renderers draw the same `FormDocument`, so the PDF and the editable DOCX can never
disagree about a figure, and tests can compare the text a PDF yields with the text this
model holds. Everything a reviewer reads is decided here: order of sections, labels,
how money is written (万元 with 元 where not round), what an empty field looks like.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from forms.catalog.model import Catalog, QualifiedDirection
from forms.draft.model import BudgetCategory, Draft, base_amounts
from forms.draft.money import MoneyUnit, format_cny

BLANK = "（未填写）"
BLANK_EN = "(not filled in)"

BUDGET_LABELS: dict[BudgetCategory, tuple[str, str]] = {
    BudgetCategory.EQUIPMENT: ("设备购置", "Equipment"),
    BudgetCategory.SOFTWARE: ("软件购置", "Software"),
    BudgetCategory.RD_LABOUR: ("研发人员费用", "R&D staff"),
    BudgetCategory.COMPUTE: ("算力租用", "Compute rental"),
    BudgetCategory.DATA: ("语料、数据采购", "Data and corpora"),
    BudgetCategory.TESTING: ("测试、中试验证", "Testing and pilot"),
    BudgetCategory.SERVICES: ("外包与技术服务", "Technical services"),
    BudgetCategory.PREMISES: ("场地", "Premises"),
    BudgetCategory.OTHER: ("其他", "Other"),
}

OWNERSHIP_LABELS = {
    "private": ("民营", "private"),
    "state_owned": ("国有", "state-owned"),
    "foreign": ("外资", "foreign"),
    "hk_macao_taiwan": ("港澳台资", "Hong Kong, Macao, Taiwan"),
    "mixed": ("混合所有制", "mixed"),
    "collective": ("集体", "collective"),
    "other": ("其他", "other"),
}


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: section (in the table of contents), 2: subsection


@dataclass(frozen=True)
class Para:
    text: str
    indent: bool = True  # first-line indent of two characters, as Chinese forms do


@dataclass(frozen=True)
class Fields:
    """Label/value rows drawn as a two-column grid."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths
    numeric: frozenset[int] = frozenset()  # right-aligned columns
    total: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Signature:
    """Seal and signature lines at the end of the commitment letter."""

    lines: tuple[str, ...]


Block = Heading | Para | Fields | Table | Bullets | Signature


@dataclass
class FormDocument:
    title: str
    subtitle: str
    cover: tuple[tuple[str, str], ...]
    sections: list[list[Block]] = field(default_factory=list)
    lang: str = "zh"
    footer: str = ""

    def blocks(self) -> Iterator[Block]:
        for section in self.sections:
            yield from section

    def texts(self) -> Iterator[str]:
        """Every string that will be printed (font coverage, extraction tests)."""
        yield self.title
        yield self.subtitle
        yield self.footer
        for label, value in self.cover:
            yield label
            yield value
        for block in self.blocks():
            if isinstance(block, Heading | Para):
                yield block.text
            elif isinstance(block, Fields):
                for label, value in block.rows:
                    yield label
                    yield value
            elif isinstance(block, Table):
                yield from block.header
                for row in block.rows:
                    yield from row
                if block.total:
                    yield from block.total
            elif isinstance(block, Bullets):
                yield from block.items
            else:
                yield from block.lines


class _Words:
    """Chinese or English labels; the form the portal receives is Chinese."""

    def __init__(self, lang: str) -> None:
        self.en = lang == "en"

    def __call__(self, zh: str, en: str) -> str:
        return en if self.en else zh

    def money(self, amount: Decimal | None, unit: MoneyUnit = MoneyUnit.WAN_YUAN) -> str:
        if amount is None:
            return self.blank
        if self.en:
            return f"CNY {amount:,.2f}".removesuffix(".00")
        return format_cny(amount, unit)

    def wan(self, amount: Decimal | None) -> str:
        """A table cell in 万元 with up to four decimals (exact to the yuan)."""
        if amount is None:
            return "—"
        value = amount / 10_000
        text = f"{value:,.4f}".rstrip("0").rstrip(".")
        return text

    def day(self, day: date | None) -> str:
        if day is None:
            return self.blank
        return day.isoformat() if self.en else f"{day.year}年{day.month}月{day.day}日"

    def yes_no(self, value: bool | None) -> str:
        if value is None:
            return self("未作答", "not answered")
        return self("是", "yes") if value else self("否", "no")

    @property
    def blank(self) -> str:
        return BLANK_EN if self.en else BLANK

    def text(self, value: str | None) -> str:
        return value.strip() if value and value.strip() else self.blank


def _direction_label(q: QualifiedDirection | None, w: _Words) -> str:
    if q is None:
        return w.blank
    if w.en:
        return f"{q.policy.title_en} · {q.measure.title_en} · {q.direction.title_en}"
    return f"{q.policy.title} · {q.measure.title} · {q.direction.title}"


def build_form(
    draft: Draft, catalog: Catalog, *, lang: str = "zh", on: date | None = None
) -> FormDocument:
    """The application form of `draft`; empty fields are printed as such, never skipped,
    so a reviewer sees what is missing rather than a shorter form."""
    from validators.conditions import evaluate_threshold
    from validators.support import BASE_LABELS, estimate_support, reference_label

    w = _Words(lang)
    q: QualifiedDirection | None = None
    if draft.direction:
        try:
            q = catalog.direction(draft.direction)
        except KeyError:
            q = None
    company, project = draft.company, draft.project
    today = on or date.today()
    title = w.text(project.name or draft.title)
    doc = FormDocument(
        title=w("项目申报书", "Application form"),
        subtitle=title,
        cover=(
            (w("项目名称", "Project"), title),
            (w("申报单位（盖章）", "Applicant (seal)"), w.text(company.name)),
            (w("统一社会信用代码", "Unified social credit code"), w.text(company.credit_code)),
            (w("申报方向", "Direction"), _direction_label(q, w)),
            (
                w("联系人及电话", "Contact"),
                w.text(" ".join(p for p in (company.contact.name, company.contact.phone) if p)),
            ),
            (w("填报日期", "Date"), w.day(today)),
        ),
        lang=lang,
        footer=w.text(company.name),
    )

    # 一、申报单位基本情况
    ownership = OWNERSHIP_LABELS.get(company.ownership.value) if company.ownership else None
    doc.sections.append(
        [
            Heading(w("一、申报单位基本情况", "1. Applicant")),
            Fields(
                (
                    (w("单位名称", "Name"), w.text(company.name)),
                    (w("统一社会信用代码", "Credit code"), w.text(company.credit_code)),
                    (w("注册地址", "Registered address"), w.text(company.registered_address)),
                    (w("所在区", "District"), w.text(company.district)),
                    (w("法定代表人", "Legal representative"), w.text(company.legal_representative)),
                    (w("成立日期", "Registered on"), w.day(company.registration_date)),
                    (w("注册资本", "Registered capital"), w.money(company.registered_capital)),
                    (
                        w("企业性质", "Ownership"),
                        (ownership[1] if w.en else ownership[0]) if ownership else w.blank,
                    ),
                    (
                        w("职工人数（其中研发人员）", "Staff (of which R&D)"),
                        f"{company.staff if company.staff is not None else '—'}"
                        f"（{company.rd_staff if company.rd_staff is not None else '—'}）",
                    ),
                    (w("联系人", "Contact person"), w.text(company.contact.name)),
                    (w("联系电话", "Phone"), w.text(company.contact.phone)),
                    (w("电子邮箱", "E-mail"), w.text(company.contact.email)),
                )
            ),
        ]
    )

    # 二、财务状况
    years = sorted(draft.financials, key=lambda f: f.year)
    finance: list[Block] = [Heading(w("二、近年财务状况", "2. Financial situation"))]
    if years:
        finance.append(
            Table(
                header=(
                    w("年度", "Year"),
                    w("营业收入", "Revenue"),
                    w("利润总额", "Profit"),
                    w("研发投入", "R&D spend"),
                    w("资产总额", "Assets"),
                    w("负债总额", "Liabilities"),
                    w("纳税总额", "Tax paid"),
                ),
                rows=tuple(
                    (
                        str(f.year),
                        w.wan(f.revenue),
                        w.wan(f.profit),
                        w.wan(f.rd_spend),
                        w.wan(f.total_assets),
                        w.wan(f.total_liabilities),
                        w.wan(f.tax_paid),
                    )
                    for f in years
                ),
                widths=(0.8, 1, 1, 1, 1, 1, 1),
                numeric=frozenset(range(1, 7)),
            )
        )
        finance.append(Para(w("单位：万元。", "Amounts in 10,000 CNY."), indent=False))
    else:
        finance.append(Para(w.blank))
    doc.sections.append(finance)

    # 三、项目内容
    content: list[Block] = [
        Heading(w("三、项目基本情况", "3. The project")),
        Fields(
            (
                (w("项目名称", "Project"), title),
                (w("申报方向", "Direction"), _direction_label(q, w)),
                (
                    w("政策依据", "Policy basis"),
                    f"{q.policy.doc_number or q.policy.title} {q.direction.clause}"
                    if q
                    else w.blank,
                ),
                (
                    w("建设周期", "Period"),
                    f"{w.day(project.start_date)} — {w.day(project.end_date)}",
                ),
            )
        ),
        Heading(w("项目简介", "Summary"), level=2),
        Para(w.text(project.summary)),
    ]
    if q is not None and q.direction.thresholds:
        metrics = dict(project.metrics)
        rows = []
        for threshold in q.direction.thresholds:
            metric = catalog.metric(threshold.metric)
            outcome = evaluate_threshold(catalog, threshold, metrics)
            actual = outcome.params.get("actual_en" if w.en else "actual", w.blank)
            met = {
                True: w("达到", "met"),
                False: w("未达到", "not met"),
                None: w("待填写", "missing"),
            }[outcome.met]
            rows.append(
                (
                    metric.label_en if w.en else metric.label,
                    str(actual),
                    threshold.words,
                    met,
                )
            )
        content += [
            Heading(w("申报门槛指标", "Thresholds"), level=2),
            Table(
                header=(
                    w("指标", "Metric"),
                    w("申报值", "Value"),
                    w("门槛（原文）", "Threshold"),
                    w("是否达到", "Met"),
                ),
                rows=tuple(rows),
                widths=(1.3, 1.2, 2.2, 0.8),
            ),
        ]
    doc.sections.append(content)

    # 四、投资预算与资金来源
    total = project.investment_total()
    budget_total = project.budget_total()
    budget_rows = tuple(
        (
            BUDGET_LABELS[line.category][1 if w.en else 0],
            w.wan(line.amount),
            f"{line.amount / budget_total * 100:.1f}%" if budget_total else "—",
            line.note,
        )
        for line in project.budget
    )
    budget: list[Block] = [Heading(w("四、投资预算与资金来源", "4. Budget and funding"))]
    if budget_rows:
        budget.append(
            Table(
                header=(
                    w("支出类别", "Category"),
                    w("金额（万元）", "Amount (10k CNY)"),
                    w("占比", "Share"),
                    w("说明", "Note"),
                ),
                rows=budget_rows,
                widths=(1.3, 1, 0.7, 2.4),
                numeric=frozenset({1, 2}),
                total=(
                    w("合计", "Total"),
                    w.wan(budget_total),
                    "100%" if budget_total else "—",
                    "",
                ),
            )
        )
    else:
        budget.append(Para(w.blank))
    estimate_text = w.blank
    if q is not None:
        amounts = base_amounts(project)
        estimate = estimate_support(catalog, q, amounts.get)
        if estimate.maximum is not None:
            base = (
                BASE_LABELS[estimate.support.base][1 if w.en else 0]
                if estimate.support.base
                else ""
            )
            estimate_text = w.money(estimate.maximum)
            if base:
                estimate_text += w(f"（按{base}测算", f" (on the {base}")
                if estimate.reference is not None:
                    estimate_text += w(
                        f"，参照{reference_label(estimate.reference)}）",
                        f", following {reference_label(estimate.reference)})",
                    )
                else:
                    estimate_text += w("）", ")")
        elif estimate.unspecified:
            estimate_text = w(
                "政策未明确支持比例，以主管部门核定为准",
                "not stated by the policy; set by the department",
            )
    budget.append(
        Fields(
            (
                (w("项目总投资", "Total investment"), w.money(total)),
                (w("自有资金", "Own funds"), w.money(project.own_funds)),
                (w("其他资金", "Other funding"), w.money(project.other_funding)),
                (w("申请支持金额", "Support requested"), w.money(project.requested_support)),
                (w("政策允许的最高支持（测算）", "Maximum allowed (estimate)"), estimate_text),
            )
        )
    )
    doc.sections.append(budget)

    # 五、实施进度
    schedule: list[Block] = [
        Heading(w("五、实施进度安排", "5. Schedule")),
        Para(
            w(
                f"项目建设期自{w.day(project.start_date)}至{w.day(project.end_date)}。",
                f"From {w.day(project.start_date)} to {w.day(project.end_date)}.",
            )
        ),
    ]
    if project.milestones:
        schedule.append(
            Table(
                header=(w("序号", "No."), w("完成时间", "Due"), w("节点内容", "Milestone")),
                rows=tuple(
                    (str(i), w.day(m.due), m.text)
                    for i, m in enumerate(sorted(project.milestones, key=lambda m: m.due), 1)
                ),
                widths=(0.5, 1.3, 4),
            )
        )
    doc.sections.append(schedule)

    # 六、目标与考核指标
    goals: list[Block] = [Heading(w("六、项目目标与考核指标", "6. Goals and KPIs"))]
    goals.append(Bullets(tuple(project.goals)) if project.goals else Para(w.blank))
    if project.kpis:
        goals.append(
            Table(
                header=(w("考核指标", "KPI"), w("目标值", "Target"), w("单位", "Unit")),
                rows=tuple((k.name, k.target, k.unit) for k in project.kpis),
                widths=(2.5, 1.5, 1),
                numeric=frozenset({1}),
            )
        )
    doc.sections.append(goals)

    # 七、声明与信用承诺
    doc.sections.append(commitment_blocks(draft, lang=lang, on=today))

    # 八、附件清单
    rows_att = []
    for i, attachment in enumerate(draft.attachments, 1):
        try:
            item = catalog.checklist_item(attachment.item)
            item_title = item.title_en if w.en else item.title
        except KeyError:
            item_title = attachment.item
        rows_att.append((str(i), item_title, attachment.file.replace("\\", "/").rsplit("/", 1)[-1]))
    attachments: list[Block] = [Heading(w("八、附件清单", "8. Attachments"))]
    if rows_att:
        attachments.append(
            Table(
                header=(w("序号", "No."), w("材料名称", "Item"), w("文件", "File")),
                rows=tuple(rows_att),
                widths=(0.5, 2.2, 3),
            )
        )
    else:
        attachments.append(Para(w("尚未添加附件。", "No attachments yet."), indent=False))
    doc.sections.append(attachments)
    return doc


def commitment_blocks(draft: Draft, *, lang: str = "zh", on: date | None = None) -> list[Block]:
    """Declarations and the credit commitment letter (信用承诺书)."""
    w = _Words(lang)
    d = draft.declarations
    return [
        Heading(w("七、声明与信用承诺", "7. Declarations and credit commitment")),
        Fields(
            (
                (
                    w("项目是否已获其他市级财政资金支持", "Other municipal funding"),
                    w.yes_no(d.other_municipal_funding),
                ),
                (
                    w("是否为项目建设单位和业主单位", "Builder and owner"),
                    w.yes_no(d.builder_and_owner),
                ),
                (
                    w("申报材料是否真实、准确、完整", "Materials true and complete"),
                    w.yes_no(d.materials_true),
                ),
            )
        ),
        Heading(w("信用承诺书", "Credit commitment letter"), level=2),
        *commitment_letter(draft, lang=lang, on=on),
    ]


def commitment_letter(draft: Draft, *, lang: str = "zh", on: date | None = None) -> list[Block]:
    """The letter and its seal lines, which the package also issues as its own
    checklist item."""
    w = _Words(lang)
    name = w.text(draft.company.name)
    project = w.text(draft.project.name or draft.title)
    return [
        Para(
            w(
                f"本单位{name}郑重承诺：所报送的“{project}”项目申报材料真实、准确、完整，"
                "不存在弄虚作假行为；本单位信用记录良好，未被列入严重失信主体名单；"
                "本项目未获得其他市级财政资金支持，不重复申报。"
                "如有违反，本单位愿意承担相应法律责任，并接受主管部门依法依规作出的处理。",
                f"We, {name}, solemnly declare that the application materials for “{project}” "
                "are true, accurate and complete; that our credit record is good and we are on "
                "no list of seriously dishonest entities; and that the project receives no other "
                "municipal fiscal support and is not filed twice. We accept legal responsibility "
                "and the department's decisions for any breach.",
            )
        ),
        Signature(
            (
                w("申报单位（盖章）：", "Applicant (seal): ") + name,
                w("法定代表人（签字）：", "Legal representative (signature): "),
                w("日期：", "Date: ") + w.day(on or date.today()),
            )
        ),
    ]
