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

from forms.catalog.model import Catalog, QualifiedDirection
from forms.catalog.support import estimate_support, reference_label, support_summary
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
from forms.package.order import planned_uploads


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


def _staff(w: Words, staff: int | None, rd_staff: int | None) -> str:
    if staff is None and rd_staff is None:
        return w.none  # optional: nothing to report
    return f"{staff if staff is not None else '—'}（{rd_staff if rd_staff is not None else '—'}）"


def company_section(f: FormInput) -> list[Block]:
    """一、申报单位基本情况"""
    w, company = f.w, f.draft.company
    return [
        Heading(w("form.1_applicant")),
        Fields(
            (
                (w("form.name"), w.text(company.name)),
                (w("form.credit_code"), w.text(company.credit_code)),
                (w("form.registered_address"), w.text(company.registered_address)),
                (w("form.district"), w.text(company.district)),
                (w("form.legal_representative"), w.text(company.legal_representative)),
                (w("form.registered_on"), w.optional(w.day(company.registration_date))),
                (w("form.registered_capital"), w.optional(w.money(company.registered_capital))),
                (
                    w("form.ownership"),
                    w.label(company.ownership) if company.ownership else w.none,
                ),
                (w("form.staff_of_which_r_d"), _staff(w, company.staff, company.rd_staff)),
                (w("form.contact_person"), w.text(company.contact.name)),
                (w("form.phone"), w.text(company.contact.phone)),
                (w("form.e_mail"), w.optional(w.text(company.contact.email))),
            )
        ),
    ]


def finance_section(f: FormInput) -> list[Block]:
    """二、近年财务状况"""
    w = f.w
    years = sorted(f.draft.financials, key=lambda y: y.year)
    blocks: list[Block] = [Heading(w("form.2_financial_situation"))]
    if not years:
        return [*blocks, Para(w.blank)]
    blocks.append(
        Table(
            header=(
                w("form.year"),
                w("form.revenue"),
                w("form.profit"),
                w("form.r_d_spend"),
                w("form.assets"),
                w("form.liabilities"),
                w("form.tax_paid"),
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
    blocks.append(Para(w("form.amounts_in_10_000_cny"), indent=False))
    return blocks


def project_section(f: FormInput) -> list[Block]:
    """三、项目基本情况, with the direction's thresholds and the values given for them."""
    w, q, project = f.w, f.q, f.draft.project
    blocks: list[Block] = [
        Heading(w("form.3_the_project")),
        Fields(
            (
                (w("form.project"), f.title),
                (w("form.direction"), direction_label(q, w)),
                (
                    w("form.policy_basis"),
                    f"{q.policy.doc_number or q.policy.title} {q.direction.clause}"
                    if q
                    else w.blank,
                ),
                (
                    w("form.period"),
                    f"{w.day(project.start_date)} — {w.day(project.end_date)}",
                ),
            )
        ),
        Heading(w("form.summary"), level=2),
        Para(w.text(project.summary)),
    ]
    if q is None or not q.direction.thresholds:
        return blocks
    metrics = dict(project.metrics)
    rows = []
    for threshold in q.direction.thresholds:
        metric = f.catalog.metric(threshold.metric)
        actual = metrics.get(metric.id)
        shown = w.blank if actual is None else w.metric(metric, actual)
        met = {True: w("form.met"), False: w("form.not_met"), None: w("form.missing")}[
            threshold.met_by(metrics)
        ]
        rows.append((metric.label_en if w.en else metric.label, shown, threshold.words, met))
    return [
        *blocks,
        Heading(w("form.thresholds"), level=2),
        Table(
            header=(
                w("form.metric"),
                w("form.value"),
                w("form.threshold"),
                w("form.met_header"),
            ),
            rows=tuple(rows),
            widths=(1.3, 1.2, 2.2, 0.8),
            derived=frozenset({2, 3}),
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
            return w("form.not_stated_by_the_policy_set_by_the_depa")
        return w.blank
    text = w.money(estimate.maximum)
    if estimate.support.base is None:
        return text
    base = w.label(estimate.support.base)
    text += w("form.estimate_on", base=base)
    if estimate.reference is None:
        return text + w("form.estimate_basis_end")
    ref = reference_label(estimate.reference)
    return text + w("form.estimate_following", ref=ref)


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
    blocks: list[Block] = [Heading(w("form.4_budget_and_funding"))]
    if rows:
        blocks.append(
            Table(
                header=(
                    w("form.category"),
                    w("form.amount_10k_cny"),
                    w("form.share"),
                    w("form.note"),
                ),
                rows=rows,
                widths=(1.3, 1, 0.7, 2.4),
                numeric=frozenset({1, 2}),
                derived=frozenset({2}),
                total=(
                    w("form.total"),
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
                (w("form.total_investment"), w.money(project.investment_total())),
                (w("form.own_funds"), w.money(project.own_funds)),
                (w("form.other_funding"), w.optional(w.money(project.other_funding))),
                (w("form.support_requested"), w.money(project.requested_support)),
                (
                    w("form.support_terms"),
                    support_summary(f.catalog, f.q, w.lang) if f.q else w.blank,
                ),
                (w("form.maximum_allowed_estimate"), _estimate_text(f)),
            ),
            derived=frozenset({4, 5}),  # the policy's terms and the estimate: shenbao's
        )
    )
    return blocks


def schedule_section(f: FormInput) -> list[Block]:
    """五、实施进度安排"""
    w, project = f.w, f.draft.project
    start, end = w.day(project.start_date), w.day(project.end_date)
    blocks: list[Block] = [
        Heading(w("form.5_schedule")),
        Para(w("form.schedule_period", start=start, end=end)),
    ]
    if project.milestones:
        blocks.append(
            Table(
                header=(w("form.no"), w("form.due"), w("form.milestone")),
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
    blocks: list[Block] = [Heading(w("form.6_goals_and_kpis"))]
    blocks.append(Bullets(tuple(project.goals)) if project.goals else Para(w.blank))
    if project.kpis:
        blocks.append(
            Table(
                header=(w("form.kpi"), w("form.target"), w("form.unit")),
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
        Heading(w("form.7_declarations_and_credit_commitment")),
        Fields(
            (
                (
                    w("form.other_municipal_funding"),
                    w.yes_no(d.other_municipal_funding),
                ),
                (
                    w("form.builder_and_owner"),
                    w.yes_no(d.builder_and_owner),
                ),
                (
                    w("form.materials_true_and_complete"),
                    w.yes_no(d.materials_true),
                ),
            )
        ),
        *justification_blocks(f),
        Heading(w("form.credit_commitment_letter"), level=2),
        *letter_blocks(f),
    ]


def justification_blocks(f: FormInput) -> list[Block]:
    """需要说明的事项: the written reasons for departing from a norm ("一般", "原则上"),
    each under the words of the norm, where a reviewer reads the declarations. Only norms
    the draft explains are printed (one that is met needs no reason)."""
    w, q = f.w, f.q
    reasons = f.draft.declarations.justifications
    if q is None:
        return []
    rows = tuple(
        (
            w("form.norm_departure", words=c.text_en if w.en and c.text_en else c.words),
            reasons[c.id].strip(),
        )
        for c in q.conditions
        if c.norm and reasons.get(c.id, "").strip()
    )
    if not rows:
        return []
    return [Heading(w("form.matters_to_explain"), level=2), Fields(rows)]


def attachments_section(f: FormInput) -> list[Block]:
    """八、附件清单: every file uploaded with the form, under the name it is uploaded as
    (the package's own names and order, `forms.package.order.planned_uploads`)."""
    w = f.w
    rows: list[tuple[str, ...]] = []
    uploads = [u for u in planned_uploads(f.draft, f.catalog) if u.item.id != "application_form"]
    for upload in uploads:  # the form itself is not its own attachment
        item = upload.item
        note = w("form.upload_generated") if upload.generated else ""
        rows.append((str(len(rows) + 1), item.title_en if w.en else item.title, upload.name, note))
    blocks: list[Block] = [Heading(w("form.8_attachments"))]
    if rows:
        blocks.append(
            Table(
                header=(w("form.no"), w("form.item"), w("form.upload_name"), w("form.note")),
                rows=tuple(rows),
                widths=(0.5, 1.8, 2.4, 1.8),
            )
        )
    if not any(u.files for u in uploads):
        blocks.append(Para(w("form.no_attachments_yet"), indent=False))
    return blocks


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
        title=w("form.application_form"),
        subtitle=f.title,
        cover=(
            (w("form.project"), f.title),
            (w("form.applicant_seal"), w.text(company.name)),
            (w("form.unified_social_credit_code"), w.text(company.credit_code)),
            (w("form.direction"), direction_label(f.q, w)),
            (
                w("form.contact"),
                w.text(" ".join(p for p in (company.contact.name, company.contact.phone) if p)),
            ),
            (w("form.date"), w.day(f.today)),
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
        Para(w("form.letter", name=name, project=f.title)),
        Signature(
            (
                w("form.seal_line") + name,
                w("form.legal_representative_signature"),
                w("form.date_line") + w.day(f.today),
            )
        ),
    ]


def commitment_letter(draft: Draft, catalog: Catalog, *, on: date | None = None) -> FormDocument:
    """The credit commitment letter on its own, as the package issues it (its own
    checklist item, sealed in the portal)."""
    f = form_input(draft, catalog, on=on)
    return FormDocument(
        title=f.w("form.credit_commitment_letter"),
        subtitle="",
        cover=(),
        sections=[letter_blocks(f)],
        footer=draft.company.name,
    )


def investment_plan(draft: Draft, catalog: Catalog, *, on: date | None = None) -> FormDocument:
    """项目投资预算明细 as its own upload, drawn from the budget of step 4: the form's
    budget section word for word (so the two cannot disagree), under the company and
    project it belongs to. A file the user attaches for the item replaces it."""
    f = form_input(draft, catalog, on=on)
    w = f.w
    budget = [block for block in budget_section(f) if not isinstance(block, Heading)]
    return FormDocument(
        title=w("form.investment_plan"),
        subtitle="",
        cover=(),
        sections=[
            [
                Fields(
                    (
                        (w("form.name"), w.text(draft.company.name)),
                        (w("form.project"), f.title),
                        (w("form.direction"), direction_label(f.q, w)),
                    )
                ),
                *budget,
                Signature(
                    (
                        w("form.seal_line") + w.text(draft.company.name),
                        w("form.date_line") + w.day(f.today),
                    )
                ),
            ]
        ],
        footer=draft.company.name,
    )
