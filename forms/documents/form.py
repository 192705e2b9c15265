"""The application form (申报书) of a draft: a table of section builders.

Each section is a small function of one `FormInput` that returns its blocks; `SECTIONS`
is the whole form in order, as `validators.check.RULES` is the whole rulebook. Empty
fields are printed as such, never skipped, so a reviewer sees what is missing rather
than a shorter form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from forms.catalog.figures import format_metric
from forms.catalog.model import Catalog, QualifiedDirection
from forms.catalog.support import estimate_support, reference_label
from forms.documents.content import (
    Block,
    Bullets,
    Fields,
    FormDocument,
    Heading,
    Para,
    Signature,
    Table,
)
from forms.documents.words import Words
from forms.draft.model import Draft, base_amounts


@dataclass(frozen=True)
class FormInput:
    """What every section reads: the draft, its direction, the language and the day."""

    draft: Draft
    catalog: Catalog
    q: QualifiedDirection | None
    w: Words
    today: date

    @property
    def title(self) -> str:
        return self.w.text(self.draft.project.name or self.draft.title)


Section = Callable[[FormInput], list[Block]]


def direction_label(q: QualifiedDirection | None, w: Words) -> str:
    if q is None:
        return w.blank
    if w.en:
        return f"{q.policy.title_en} · {q.measure.title_en} · {q.direction.title_en}"
    return f"{q.policy.title} · {q.measure.title} · {q.direction.title}"


def company_section(f: FormInput) -> list[Block]:
    """一、申报单位基本情况"""
    w, company = f.w, f.draft.company
    return [
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
                    w.label(company.ownership) if company.ownership else w.blank,
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


def finance_section(f: FormInput) -> list[Block]:
    """二、近年财务状况"""
    w = f.w
    years = sorted(f.draft.financials, key=lambda y: y.year)
    blocks: list[Block] = [Heading(w("二、近年财务状况", "2. Financial situation"))]
    if not years:
        return [*blocks, Para(w.blank)]
    blocks.append(
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
                    str(y.year),
                    w.wan(y.revenue),
                    w.wan(y.profit),
                    w.wan(y.rd_spend),
                    w.wan(y.total_assets),
                    w.wan(y.total_liabilities),
                    w.wan(y.tax_paid),
                )
                for y in years
            ),
            widths=(0.8, 1, 1, 1, 1, 1, 1),
            numeric=frozenset(range(1, 7)),
        )
    )
    blocks.append(Para(w("单位：万元。", "Amounts in 10,000 CNY."), indent=False))
    return blocks


def project_section(f: FormInput) -> list[Block]:
    """三、项目基本情况, with the direction's thresholds and the values given for them."""
    w, q, project = f.w, f.q, f.draft.project
    blocks: list[Block] = [
        Heading(w("三、项目基本情况", "3. The project")),
        Fields(
            (
                (w("项目名称", "Project"), f.title),
                (w("申报方向", "Direction"), direction_label(q, w)),
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
    if q is None or not q.direction.thresholds:
        return blocks
    metrics = dict(project.metrics)
    rows = []
    for threshold in q.direction.thresholds:
        metric = f.catalog.metric(threshold.metric)
        actual = metrics.get(metric.id)
        shown = w.blank if actual is None else format_metric(metric, actual, english=w.en)
        met = {True: w("达到", "met"), False: w("未达到", "not met"), None: w("待填写", "missing")}[
            threshold.met_by(metrics)
        ]
        rows.append((metric.label_en if w.en else metric.label, shown, threshold.words, met))
    return [
        *blocks,
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


def _estimate_text(f: FormInput) -> str:
    """The most the policy allows for this project, with the basis it was computed on."""
    w, q = f.w, f.q
    if q is None:
        return w.blank
    estimate = estimate_support(f.catalog, q, base_amounts(f.draft.project).get)
    if estimate.maximum is None:
        if estimate.unspecified:
            return w(
                "政策未明确支持比例，以主管部门核定为准",
                "not stated by the policy; set by the department",
            )
        return w.blank
    text = w.money(estimate.maximum)
    if estimate.support.base is None:
        return text
    base = w.label(estimate.support.base)
    text += w(f"（按{base}测算", f" (on the {base}")
    if estimate.reference is None:
        return text + w("）", ")")
    ref = reference_label(estimate.reference)
    return text + w(f"，参照{ref}）", f", following {ref})")


def budget_section(f: FormInput) -> list[Block]:
    """四、投资预算与资金来源"""
    w, project = f.w, f.draft.project
    budget_total = project.budget_total()
    rows = tuple(
        (
            w.label(line.category),
            w.wan(line.amount),
            f"{line.amount / budget_total * 100:.1f}%" if budget_total else "—",
            line.note,
        )
        for line in project.budget
    )
    blocks: list[Block] = [Heading(w("四、投资预算与资金来源", "4. Budget and funding"))]
    if rows:
        blocks.append(
            Table(
                header=(
                    w("支出类别", "Category"),
                    w("金额（万元）", "Amount (10k CNY)"),
                    w("占比", "Share"),
                    w("说明", "Note"),
                ),
                rows=rows,
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
        blocks.append(Para(w.blank))
    blocks.append(
        Fields(
            (
                (w("项目总投资", "Total investment"), w.money(project.investment_total())),
                (w("自有资金", "Own funds"), w.money(project.own_funds)),
                (w("其他资金", "Other funding"), w.money(project.other_funding)),
                (w("申请支持金额", "Support requested"), w.money(project.requested_support)),
                (w("政策允许的最高支持（测算）", "Maximum allowed (estimate)"), _estimate_text(f)),
            )
        )
    )
    return blocks


def schedule_section(f: FormInput) -> list[Block]:
    """五、实施进度安排"""
    w, project = f.w, f.draft.project
    start, end = w.day(project.start_date), w.day(project.end_date)
    blocks: list[Block] = [
        Heading(w("五、实施进度安排", "5. Schedule")),
        Para(w(f"项目建设期自{start}至{end}。", f"From {start} to {end}.")),
    ]
    if project.milestones:
        blocks.append(
            Table(
                header=(w("序号", "No."), w("完成时间", "Due"), w("节点内容", "Milestone")),
                rows=tuple(
                    (str(i), w.day(m.due), m.text)
                    for i, m in enumerate(sorted(project.milestones, key=lambda m: m.due), 1)
                ),
                widths=(0.5, 1.3, 4),
            )
        )
    return blocks


def goals_section(f: FormInput) -> list[Block]:
    """六、项目目标与考核指标"""
    w, project = f.w, f.draft.project
    blocks: list[Block] = [Heading(w("六、项目目标与考核指标", "6. Goals and KPIs"))]
    blocks.append(Bullets(tuple(project.goals)) if project.goals else Para(w.blank))
    if project.kpis:
        blocks.append(
            Table(
                header=(w("考核指标", "KPI"), w("目标值", "Target"), w("单位", "Unit")),
                rows=tuple((k.name, k.target, k.unit) for k in project.kpis),
                widths=(2.5, 1.5, 1),
                numeric=frozenset({1}),
            )
        )
    return blocks


def declarations_section(f: FormInput) -> list[Block]:
    """七、声明与信用承诺: the declarations and the credit commitment letter."""
    w, d = f.w, f.draft.declarations
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
        *letter_blocks(f),
    ]


def attachments_section(f: FormInput) -> list[Block]:
    """八、附件清单"""
    w = f.w
    rows = []
    for i, attachment in enumerate(f.draft.attachments, 1):
        try:
            item = f.catalog.checklist_item(attachment.item)
            item_title = item.title_en if w.en else item.title
        except KeyError:
            item_title = attachment.item
        rows.append((str(i), item_title, attachment.file.replace("\\", "/").rsplit("/", 1)[-1]))
    blocks: list[Block] = [Heading(w("八、附件清单", "8. Attachments"))]
    if not rows:
        return [*blocks, Para(w("尚未添加附件。", "No attachments yet."), indent=False)]
    return [
        *blocks,
        Table(
            header=(w("序号", "No."), w("材料名称", "Item"), w("文件", "File")),
            rows=tuple(rows),
            widths=(0.5, 2.2, 3),
        ),
    ]


#: The form, in order.
SECTIONS: tuple[Section, ...] = (
    company_section,
    finance_section,
    project_section,
    budget_section,
    schedule_section,
    goals_section,
    declarations_section,
    attachments_section,
)


def form_input(
    draft: Draft, catalog: Catalog, *, lang: str = "zh", on: date | None = None
) -> FormInput:
    return FormInput(
        draft, catalog, catalog.lookup(draft.direction), Words(lang), on or date.today()
    )


def build_form(
    draft: Draft, catalog: Catalog, *, lang: str = "zh", on: date | None = None
) -> FormDocument:
    """The application form of `draft`: the cover, then every section of `SECTIONS`."""
    f = form_input(draft, catalog, lang=lang, on=on)
    w, company = f.w, draft.company
    return FormDocument(
        title=w("项目申报书", "Application form"),
        subtitle=f.title,
        cover=(
            (w("项目名称", "Project"), f.title),
            (w("申报单位（盖章）", "Applicant (seal)"), w.text(company.name)),
            (w("统一社会信用代码", "Unified social credit code"), w.text(company.credit_code)),
            (w("申报方向", "Direction"), direction_label(f.q, w)),
            (
                w("联系人及电话", "Contact"),
                w.text(" ".join(p for p in (company.contact.name, company.contact.phone) if p)),
            ),
            (w("填报日期", "Date"), w.day(f.today)),
        ),
        sections=[section(f) for section in SECTIONS],
        lang=lang,
        footer=w.text(company.name),
    )


def letter_blocks(f: FormInput) -> list[Block]:
    """The credit commitment letter and its seal lines."""
    w = f.w
    name = w.text(f.draft.company.name)
    return [
        Para(
            w(
                f"本单位{name}郑重承诺：所报送的“{f.title}”项目申报材料真实、准确、完整，"
                "不存在弄虚作假行为；本单位信用记录良好，未被列入严重失信主体名单；"
                "本项目未获得其他市级财政资金支持，不重复申报。"
                "如有违反，本单位愿意承担相应法律责任，并接受主管部门依法依规作出的处理。",
                f"We, {name}, solemnly declare that the application materials for “{f.title}” "
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
                w("日期：", "Date: ") + w.day(f.today),
            )
        ),
    ]


def commitment_letter(draft: Draft, catalog: Catalog, *, on: date | None = None) -> FormDocument:
    """The credit commitment letter on its own, as the package issues it (its own
    checklist item, sealed in the portal)."""
    f = form_input(draft, catalog, on=on)
    return FormDocument(
        title=f.w("信用承诺书", "Credit commitment letter"),
        subtitle="",
        cover=(),
        sections=[letter_blocks(f)],
        footer=draft.company.name,
    )
