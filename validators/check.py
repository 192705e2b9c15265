"""`check_draft`: every offline rule applied to one draft, as a list of findings.

Rules are small functions of (draft, context) that yield findings; the list at the
bottom is the whole rulebook. Errors block export, warnings and infos do not. A
departure from a norm ("一般", "原则上") is a warning; the written reason it needs is
required before export (an error while it is missing).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from forms.catalog.figures import money
from forms.catalog.model import Catalog, ConditionKind, Severity, SupportBase
from forms.catalog.support import estimate_support, reference_label, support_summary
from forms.draft.model import Draft, base_amounts
from forms.package.order import generated_items
from forms.text import Text, label, render
from validators.conditions import (
    Subject,
    cite,
    evaluate_condition,
    evaluate_threshold,
)
from validators.context import CheckContext, FileCheck, check_context
from validators.credit_code import CodeProblem, read_credit_code
from validators.findings import Finding, finding, sort_findings
from validators.timing import timing

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
FORM = "申报书填写要求"  # clause for completeness of the application form itself
GB32100 = "GB 32100-2015 法人和其他组织统一社会信用代码编码规则"
GB11714 = "GB 11714-1997 全国组织机构代码编制规则"

_MOBILE = re.compile(r"^(\+?86[- ]?)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(\+?86[- ]?)?0\d{2,3}[- ]?\d{7,8}([- ]?\d{1,6})?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


Rule = Callable[[Draft, CheckContext], Iterator[Finding]]

#: A policy no longer in force blocks export; one not yet in force, or a closed window,
#: warns (nothing can be submitted now; keep preparing); a window not yet open is only
#: information.
_STATUS_SEVERITY = {
    "policy.expired": ERROR,
    "policy.superseded": ERROR,
    "policy.not_yet_in_force": WARNING,
    "policy.window_closed": WARNING,
    "policy.not_yet_open": INFO,
}


def company_rules(draft: Draft, ctx: CheckContext) -> Iterator[Finding]:
    c = draft.company
    if not c.name.strip():
        yield finding("company.name_missing", ERROR, "company.name", FORM)
    if not c.legal_representative.strip():
        yield finding("company.legal_rep_missing", ERROR, "company.legal_representative", FORM)
    if not c.registered_address.strip() or not c.district.strip():
        yield finding("company.address_missing", WARNING, "company.registered_address", FORM)
    if not c.contact.name.strip() or not c.contact.phone.strip():
        yield finding("company.contact_missing", ERROR, "company.contact", FORM)
    phone = c.contact.phone.strip()
    if phone and not (_MOBILE.match(phone) or _LANDLINE.match(phone)):
        yield finding("company.phone_format", WARNING, "company.contact.phone", FORM, phone=phone)
    email = c.contact.email.strip()
    if email and not _EMAIL.match(email):
        yield finding("company.email_format", WARNING, "company.contact.email", FORM, email=email)
    if c.registration_date is not None and c.registration_date > ctx.on:
        yield finding(
            "company.registration_future",
            ERROR,
            "company.registration_date",
            FORM,
            date=c.registration_date.isoformat(),
        )
    if c.staff is not None and c.rd_staff is not None and c.rd_staff > c.staff:
        yield finding(
            "company.rd_staff_exceeds",
            ERROR,
            "company.rd_staff",
            FORM,
            rd=c.rd_staff,
            staff=c.staff,
        )
    yield from credit_code_rules(c.credit_code)


def credit_code_rules(raw: str) -> Iterator[Finding]:
    code = read_credit_code(raw)
    where = "company.credit_code"
    for problem in code.problems:
        if problem is CodeProblem.EMPTY:
            yield finding("credit_code.empty", ERROR, where, GB32100)
        elif problem is CodeProblem.LENGTH:
            yield finding("credit_code.length", ERROR, where, GB32100, length=len(code.text))
        elif problem is CodeProblem.CHARACTERS:
            yield finding("credit_code.characters", ERROR, where, GB32100, code=code.text)
        elif problem is CodeProblem.AUTHORITY:
            yield finding("credit_code.authority", ERROR, where, GB32100, char=code.text[0])
        elif problem is CodeProblem.REGION:
            yield finding("credit_code.region", ERROR, where, GB32100)
        elif problem is CodeProblem.ORG_CHECK:
            yield finding(
                "credit_code.org_check",
                ERROR,
                where,
                GB11714,
                expected=code.expected_org_check or "?",
            )
        elif problem is CodeProblem.CHECK_CHAR:
            yield finding(
                "credit_code.check_char", ERROR, where, GB32100, expected=code.expected_check or "?"
            )


def credit_code_notes(raw: str) -> Iterator[Finding]:
    """What a valid code says that matters where it is typed: registered outside Shanghai
    (every policy of the catalog asks for a company set up in Shanghai). A warning, not an
    error: the code itself is right, the company may not be eligible."""
    code = read_credit_code(raw)
    if code.valid and code.in_shanghai is False:
        yield finding(
            "credit_code.outside_shanghai",
            WARNING,
            "company.credit_code",
            GB32100,
            region=code.region or "—",
        )


def credit_code_texts(raw: str) -> list[tuple[bool, Text]]:
    """Everything to say about a typed code, as (is an error, what) pairs: the shape
    `forms.workspace.spreadsheet.CodeCheck` asks for when a list of clients is read."""
    found = [*credit_code_rules(raw), *credit_code_notes(raw)]
    return [(f.severity is ERROR, Text(f.code, f.params)) for f in found]


#: Financial fields checked for sign, named as the form names them.
_MONEY_FIELDS = (
    ("revenue", "form.revenue"),
    ("rd_spend", "form.r_d_spend"),
    ("total_assets", "form.assets"),
    ("total_liabilities", "form.liabilities"),
    ("tax_paid", "form.tax_paid"),
)


def financial_rules(draft: Draft, ctx: CheckContext) -> Iterator[Finding]:
    years = [f.year for f in draft.financials]
    if not years:
        yield finding("financials.missing", WARNING, "financials", FORM)
        return
    for year in sorted({y for y in years if years.count(y) > 1}):
        yield finding("financials.duplicate_year", ERROR, "financials", FORM, year=year)
    expected = ctx.on.year - 1
    if max(years) < expected:
        yield finding(
            "financials.latest_old", WARNING, "financials", FORM, year=max(years), expected=expected
        )
    for index, row in enumerate(draft.financials):
        for name, label_code in _MONEY_FIELDS:
            value = getattr(row, name)
            if value is not None and value < 0:
                yield finding(
                    "financials.negative",
                    ERROR,
                    f"financials.{index}.{name}",
                    FORM,
                    year=row.year,
                    label=render(label_code, None, "zh"),
                    label_en=render(label_code, None, "en"),
                )
        if (
            row.total_assets is not None
            and row.total_liabilities is not None
            and row.total_liabilities > row.total_assets
        ):
            yield finding(
                "financials.insolvent",
                WARNING,
                f"financials.{index}.total_liabilities",
                FORM,
                year=row.year,
                **money(liabilities=row.total_liabilities, assets=row.total_assets),
            )


def direction_rules(draft: Draft, ctx: CheckContext) -> Iterator[Finding]:
    if draft.direction is None:
        yield finding("direction.missing", ERROR, "direction", FORM)
        return
    q = ctx.catalog.lookup(draft.direction)
    if q is None:
        yield finding(
            "direction.unknown",
            ERROR,
            "direction",
            FORM,
            key=draft.direction,
            version=ctx.catalog.version,
        )
        return
    policy, direction = q.policy, q.direction
    if not direction.applyable:
        yield finding(
            "direction.not_applyable",
            ERROR,
            "direction",
            cite(policy, direction.clause),
            title=direction.title,
            title_en=direction.title_en,
        )
    outcome = timing(policy, ctx.at or ctx.on, ctx.catalog).outcome()
    if outcome is not None:
        yield finding(
            outcome.code,
            _STATUS_SEVERITY[outcome.code],
            outcome.field,
            outcome.clause,
            **outcome.params,
        )
    applicant = draft.company.applicant_type
    if direction.applyable and applicant not in direction.applicants:
        yield finding(
            "applicant.type_not_allowed",
            ERROR,
            "company.applicant_type",
            cite(policy, direction.clause),
            allowed="、".join(label(a, "zh") for a in direction.applicants),
            allowed_en=", ".join(label(a, "en") for a in direction.applicants),
            actual=label(applicant, "zh"),
            actual_en=label(applicant, "en"),
        )


def condition_rules(draft: Draft, ctx: CheckContext) -> Iterator[Finding]:
    q = ctx.catalog.lookup(draft.direction)
    if q is None:
        return
    subject = Subject(draft.company, draft.declarations, ctx.on, draft, ctx.others, ctx.catalog)
    for condition in q.conditions:
        outcome = evaluate_condition(condition, subject)
        if outcome is None or outcome.met is True:
            continue
        clause = cite(q.policy, condition.clause)
        if condition.norm and outcome.met is False:
            yield finding(outcome.code, WARNING, outcome.field, clause, **outcome.params)
            yield _justification(draft, condition.id, condition.words, condition.text_en, clause)
            continue
        if outcome.met is False:
            severity = condition.severity
        else:  # data missing: ask for it, but it does not block like a failed condition
            severity = WARNING if condition.severity is ERROR else condition.severity
            if condition.kind.value == "declaration":
                severity = condition.severity
        yield finding(outcome.code, severity, outcome.field, clause, **outcome.params)


def _justification(draft: Draft, cid: str, words: str, words_en: str, clause: str) -> Finding:
    """The written reason a norm departure needs: an error until it is given."""
    where = f"declarations.justifications.{cid}"
    text = draft.declarations.justifications.get(cid, "").strip()
    if not text:
        return finding(
            "norm.justification_missing", ERROR, where, clause, words=words, words_en=words_en
        )
    return finding("norm.justified", INFO, where, clause, words=words, words_en=words_en, text=text)


def threshold_rules(draft: Draft, ctx: CheckContext) -> Iterator[Finding]:
    known = {m.id for m in ctx.catalog.metrics}
    metrics = draft.project.metrics
    for name, value in metrics.items():
        if name not in known:
            yield finding("metric.unknown", WARNING, f"project.metrics.{name}", FORM, metric=name)
        elif value < 0:
            metric = ctx.catalog.metric(name)
            yield finding(
                "metric.negative",
                ERROR,
                f"project.metrics.{name}",
                FORM,
                label=metric.label,
                label_en=metric.label_en,
            )
    q = ctx.catalog.lookup(draft.direction)
    if q is None:
        return
    for threshold in q.direction.thresholds:
        outcome = evaluate_threshold(ctx.catalog, threshold, dict(metrics))
        if outcome.met is not True:
            yield finding(
                outcome.code,
                ERROR,
                outcome.field,
                cite(q.policy, q.direction.clause),
                **outcome.params,
            )


def project_rules(draft: Draft, ctx: CheckContext) -> Iterator[Finding]:
    p = draft.project
    if not p.name.strip():
        yield finding("project.name_missing", ERROR, "project.name", FORM)
    if not p.summary.strip():
        yield finding("project.summary_missing", WARNING, "project.summary", FORM)
    if p.start_date is None or p.end_date is None:
        yield finding("project.dates_missing", ERROR, "project.start_date", FORM)
    elif p.end_date < p.start_date:
        yield finding(
            "project.end_before_start",
            ERROR,
            "project.end_date",
            FORM,
            start=p.start_date.isoformat(),
            end=p.end_date.isoformat(),
        )
    if not p.kpis:
        yield finding("project.kpis_missing", WARNING, "project.kpis", FORM)


def plan_rules(draft: Draft, ctx: CheckContext) -> Iterator[Finding]:
    """Goals and milestones: every milestone falls inside the execution period (and never
    after the latest end the call allows, even before the end date is known)."""
    p = draft.project
    for index, goal in enumerate(p.goals):
        if not goal.strip():
            yield finding(
                "project.goal_empty", WARNING, f"project.goals.{index}", FORM, row=index + 1
            )
    q = ctx.catalog.lookup(draft.direction)
    period_clause, latest = FORM, None
    if q is not None:
        for condition in q.conditions:
            if condition.kind is ConditionKind.LATEST_END and condition.latest is not None:
                latest = condition.latest
                period_clause = cite(q.policy, condition.clause)
            elif condition.kind is ConditionKind.MAX_DURATION_MONTHS and period_clause == FORM:
                period_clause = cite(q.policy, condition.clause)
    start, end = p.start_date, p.end_date
    for index, milestone in enumerate(p.milestones):
        where = f"project.milestones.{index}"
        due = milestone.due
        params = {
            "due": due.isoformat(),
            "text": milestone.text.strip() or "—",
            "start": start.isoformat() if start else "",
            "end": end.isoformat() if end else "",
        }
        if start is not None and due < start:
            yield finding("project.milestone_before_start", ERROR, f"{where}.due", FORM, **params)
        elif latest is not None and due > latest:
            yield finding(
                "project.milestone_after_latest",
                ERROR,
                f"{where}.due",
                period_clause,
                latest=latest.isoformat(),
                **params,
            )
        elif end is not None and due > end:
            yield finding(
                "project.milestone_after_end", ERROR, f"{where}.due", period_clause, **params
            )
        if not milestone.text.strip():
            yield finding(
                "project.milestone_text_missing",
                WARNING,
                f"{where}.text",
                FORM,
                row=index + 1,
                due=due.isoformat(),
            )


def budget_rules(draft: Draft, ctx: CheckContext) -> Iterator[Finding]:
    p = draft.project
    if not p.budget:
        yield finding("budget.empty", ERROR, "project.budget", FORM)
        return
    for index, line in enumerate(p.budget):
        if line.amount <= 0:
            yield finding(
                "budget.nonpositive_line",
                ERROR,
                f"project.budget.{index}.amount",
                FORM,
                row=index + 1,
            )
    lines = p.budget_total()
    total = p.total_investment
    if total is not None and lines != total:
        yield finding(
            "budget.total_mismatch",
            ERROR,
            "project.total_investment",
            FORM,
            **money(sum=lines, total=total, diff=abs(lines - total)),
        )
    total = total if total is not None else lines
    if p.own_funds is None:
        yield finding("funding.own_missing", WARNING, "project.own_funds", FORM)
    elif p.requested_support is not None:
        other = p.other_funding or Decimal(0)
        sources = p.own_funds + other + p.requested_support
        if sources != total:
            yield finding(
                "funding.sources_mismatch",
                ERROR,
                "project.own_funds",
                FORM,
                **money(
                    own=p.own_funds,
                    other=other,
                    requested=p.requested_support,
                    sum=sources,
                    total=total,
                ),
            )


def _base_labels(base: SupportBase | None) -> tuple[str, str]:
    return (label(base, "zh"), label(base, "en")) if base is not None else ("", "")


def support_rules(draft: Draft, ctx: CheckContext) -> Iterator[Finding]:
    p = draft.project
    where = "project.requested_support"
    if p.requested_support is None:
        yield finding("support.requested_missing", ERROR, where, FORM)
        return
    requested = p.requested_support
    if requested <= 0:
        yield finding("support.nonpositive", ERROR, where, FORM)
        return
    total = p.investment_total()
    if total is not None and requested > total:
        yield finding(
            "support.exceeds_investment",
            ERROR,
            where,
            FORM,
            **money(requested=requested, total=total),
        )
    q = ctx.catalog.lookup(draft.direction)
    if q is None:
        return
    bases = base_amounts(p)
    estimate = estimate_support(ctx.catalog, q, bases.get)
    support = estimate.support
    clause = cite(q.policy, q.direction.clause)
    if estimate.reference is not None:
        clause = cite(estimate.reference.policy, estimate.reference.direction.clause)
        inference = estimate.inference
        yield finding(
            "support.estimated",
            INFO,
            where,
            cite(q.policy, q.direction.clause),
            ref=reference_label(estimate.reference),
            ref_en=reference_label(estimate.reference, "en"),
            terms=support_summary(ctx.catalog, estimate.reference, "zh"),
            terms_en=support_summary(ctx.catalog, estimate.reference, "en"),
            reasoning=inference.reasoning if inference else "",
            reasoning_en=inference.reasoning_en if inference else "",
        )
    if estimate.unspecified:
        yield finding("support.unspecified", INFO, where, clause)
        return
    if support.base is not None and support.rate_max_pct is not None:
        base_label, base_label_en = _base_labels(support.base)
        if estimate.base_amount is None:
            yield finding(
                "support.base_missing",
                WARNING,
                f"project.base_amounts.{support.base.value}",
                clause,
                base_label=base_label,
                base_label_en=base_label_en,
            )
        else:
            limit = support.rate_limit(estimate.base_amount)
            if limit is not None and requested > limit:
                yield finding(
                    "support.over_rate",
                    ERROR,
                    where,
                    clause,
                    **money(requested=requested, base=estimate.base_amount, limit=limit),
                    rate=support.rate_max_pct,
                    base_label=base_label,
                    base_label_en=base_label_en,
                )
    if support.cap_cny is not None and requested > support.cap_cny:
        yield finding(
            "support.over_cap",
            ERROR,
            where,
            clause,
            **money(requested=requested, cap=support.cap_cny),
            words=support.words,
        )


def declaration_rules(draft: Draft, ctx: CheckContext) -> Iterator[Finding]:
    if draft.declarations.materials_true is not True:
        item = _checklist_basis(ctx, "credit_commitment")
        yield finding("declaration.materials_true", ERROR, "declarations.materials_true", item)


def _checklist_basis(ctx: CheckContext, item_id: str) -> str:
    try:
        return ctx.catalog.checklist_item(item_id).basis
    except KeyError:
        return FORM


def attachment_rules(draft: Draft, ctx: CheckContext) -> Iterator[Finding]:
    q = ctx.catalog.lookup(draft.direction)
    known = {c.id for c in ctx.catalog.checklist}
    for index, attachment in enumerate(draft.attachments):
        where = f"attachments.{index}"
        if attachment.item not in known:
            yield finding(
                "attachment.unknown_item",
                WARNING,
                f"{where}.item",
                FORM,
                file=attachment.file,
                item=attachment.item,
            )
            continue
        item = ctx.catalog.checklist_item(attachment.item)
        if item.generated:
            yield finding(
                "attachment.generated",
                INFO,
                f"{where}.item",
                item.basis,
                title=item.title,
                title_en=item.title_en,
                file=attachment.file,
            )
        elif q is not None and attachment.item not in {r.item for r in q.direction.checklist}:
            yield finding(
                "attachment.not_in_checklist",
                WARNING,
                f"{where}.item",
                FORM,
                file=attachment.file,
                item=item.title,
            )
        if ctx.files is not None and not ctx.files(attachment):
            yield finding(
                "attachment.file_missing", ERROR, f"{where}.file", FORM, file=attachment.file
            )
        repair = attachment.repair
        if repair is not None and not repair.confirmed:
            # A broken download read after repair: confirmed against the original first.
            short = repair.declared is not None and repair.declared != repair.pages
            yield finding(
                "attachment.repaired_unconfirmed_of"
                if short
                else "attachment.repaired_unconfirmed",
                ERROR,
                f"{where}.repair",
                FORM,
                file=attachment.file,
                pages=repair.pages,
                declared=repair.declared or repair.pages,
            )
    if q is None:
        return
    attached = {a.item for a in draft.attachments}
    generated = generated_items(draft, ctx.catalog)  # e.g. the budget, from step 4
    for ref in q.direction.checklist:
        item = ctx.catalog.checklist_item(ref.item)
        if ref.required and ref.item not in generated and ref.item not in attached:
            yield finding(
                "attachment.required_missing",
                ERROR,
                f"attachments[{ref.item}]",
                item.basis,
                title=item.title,
                title_en=item.title_en,
                description=item.description,
                description_en=item.description_en,
            )


RULES: tuple[Rule, ...] = (
    company_rules,
    financial_rules,
    direction_rules,
    condition_rules,
    threshold_rules,
    project_rules,
    plan_rules,
    budget_rules,
    support_rules,
    declaration_rules,
    attachment_rules,
)


def check_draft(draft: Draft, ctx: CheckContext) -> list[Finding]:
    """All findings for a draft, errors first."""
    return sort_findings(f for rule in RULES for f in rule(draft, ctx))


def check(
    draft: Draft,
    catalog: Catalog,
    when: date | datetime,
    *,
    files: FileCheck | None,
    others: Iterable[Draft] = (),
) -> list[Finding]:
    """The findings of one draft on a day (or at an instant): `check_context` and the rules."""
    ctx = check_context(catalog, when, files=files, others=others, draft=draft)
    return check_draft(draft, ctx)
