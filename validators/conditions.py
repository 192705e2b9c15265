"""Evaluation of catalog conditions and thresholds, shared by `check` and `match`.

Each evaluation is tri-state: met, not met, or unknown (data missing). `check` turns
the outcome into findings for a draft; eligibility matching turns it into reasons for
a company profile. Keeping one evaluator means the two can never disagree.

A condition's outcome says whether it is met; whether a failure is an error or a norm
departure (a warning that needs a written reason) is the condition's `strength`, read by
the callers. A threshold that is not met says by how much ("还差20,001人").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from forms.catalog.figures import format_metric
from forms.catalog.model import (
    Catalog,
    Comparison,
    Condition,
    ConditionKind,
    Metric,
    MetricKind,
    Policy,
    Status,
    Threshold,
)
from forms.draft.model import Company, CreditStanding, Declarations, Draft, OperatingStatus
from forms.text import Text
from validators.credit_code import read_credit_code
from validators.outcome import Outcome, cite
from validators.timing import timing

T = TypeVar("T")

__all__ = [
    "Outcome",
    "Subject",
    "cite",
    "evaluate_condition",
    "evaluate_threshold",
    "status_outcome",
    "threshold_gap",
]

REGION_NAMES: dict[str, tuple[str, str]] = {
    "31": ("上海市", "Shanghai"),
    "310000": ("上海市", "Shanghai"),
    "310114": ("上海市嘉定区", "Jiading District, Shanghai"),
}


@dataclass(frozen=True)
class Subject:
    """What conditions are evaluated on; project facts are absent for a bare profile."""

    company: Company
    declarations: Declarations
    on: date
    draft: Draft | None = None
    others: Sequence[Draft] = ()
    catalog: Catalog | None = None  # resolves the others' directions (one project per call)
    #: What matching every direction for one company would otherwise work out again
    #: (the company's sectors resolved against the vocabulary, sector names).
    memo: dict[object, object] = field(default_factory=dict, compare=False, repr=False)


def status_outcome(policy: Policy, when: date | datetime) -> tuple[Status, Outcome | None]:
    """The policy's status and, unless it is simply active, what to tell the user
    (`validators.timing.Timing.outcome`)."""
    standing = timing(policy, when)
    return standing.status, standing.outcome()


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(f"cannot add {months} months to {day}")  # pragma: no cover


def latest_end_for(start: date, months: int) -> date:
    """Last allowed day of a period of at most `months` months starting on `start`."""
    return add_months(start, months) - timedelta(days=1)


def evaluate_condition(condition: Condition, subject: Subject) -> Outcome | None:
    """Outcome of one condition, or None where it does not apply to this subject."""
    kind = condition.kind
    company = subject.company
    if kind is ConditionKind.REGISTERED_IN_REGION:
        prefix = condition.region_prefix or ""
        zh, en = REGION_NAMES.get(prefix, (prefix, prefix))
        names = {"region_name": zh, "region_name_en": en}
        code = read_credit_code(company.credit_code)
        if not code.valid or code.region is None:
            return Outcome(None, "condition.region_unknown", names, "company.credit_code")
        met = code.region.startswith(prefix)
        return Outcome(
            met, "condition.region", {**names, "region": code.region}, "company.credit_code"
        )
    if kind is ConditionKind.INDEPENDENT_LEGAL_ENTITY:
        code = read_credit_code(company.credit_code)
        if code.valid and code.is_individual_business:
            return Outcome(False, "condition.legal_entity", {}, "company.credit_code")
        if company.independent_legal_entity is None:
            return Outcome(
                None, "condition.legal_entity_unknown", {}, "company.independent_legal_entity"
            )
        return Outcome(
            company.independent_legal_entity,
            "condition.legal_entity",
            {},
            "company.independent_legal_entity",
        )
    if kind is ConditionKind.OPERATING_NORMALLY:
        status = company.operating_status
        if status is None:
            return Outcome(None, "condition.operating_unknown", {}, "company.operating_status")
        return Outcome(
            status is OperatingStatus.NORMAL,
            "condition.operating",
            {"status": status.value},
            "company.operating_status",
        )
    if kind is ConditionKind.GOOD_CREDIT:
        standing = company.credit_standing
        if standing is None:
            return Outcome(None, "condition.credit_unknown", {}, "company.credit_standing")
        return Outcome(
            standing is not CreditStanding.DISHONEST,
            "condition.credit",
            {},
            "company.credit_standing",
        )
    if kind is ConditionKind.BUILDER_AND_OWNER:
        answer = subject.declarations.builder_and_owner
        if answer is None:
            return Outcome(
                None, "condition.builder_owner_unknown", {}, "declarations.builder_and_owner"
            )
        return Outcome(answer, "condition.builder_owner", {}, "declarations.builder_and_owner")
    if kind is ConditionKind.NO_OTHER_MUNICIPAL_FUNDING:
        funded = subject.declarations.other_municipal_funding
        if funded is None:
            return Outcome(
                None, "condition.other_funding_unknown", {}, "declarations.other_municipal_funding"
            )
        return Outcome(
            not funded, "condition.other_funding", {}, "declarations.other_municipal_funding"
        )
    if kind is ConditionKind.APPLICANT_SECTOR:
        return _sector(condition, company, subject.catalog, subject.memo)
    if kind is ConditionKind.DECLARATION:
        confirmed = condition.id in subject.declarations.confirmed
        params = {"words": condition.words, "words_en": condition.text_en or condition.words}
        return Outcome(
            True if confirmed else None, "condition.declaration", params, "declarations.confirmed"
        )
    return _project_condition(condition, subject)


def _memo(memo: dict[object, object], key: object, compute: Callable[[], T]) -> T:
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[return-value]


def _sector(
    condition: Condition, company: Company, catalog: Catalog | None, memo: dict[object, object]
) -> Outcome:
    """Whether the company's business lines include a sector the text addresses.

    Met when a declared sector is one of them or lies within one (a digital advertising
    company is an advertising company). Unknown when the profile names none, names only
    a broader sector (a micro-drama company may or may not be a 创制主体), or names lines
    the vocabulary does not hold (free text): the verdict asks the user to confirm. Not
    met when every line named is in the vocabulary and none qualifies."""
    wanted = set(condition.sectors)
    names = _memo(
        memo, ("names", condition.sectors), lambda: _sector_names(condition.sectors, catalog)
    )
    params: dict[str, object] = {
        **names,
        "words": condition.words,
        "words_en": condition.text_en or condition.words,
        "sectors": ",".join(condition.sectors),
    }
    where = "company.sectors"
    declared = [e for e in (s.strip() for s in company.sectors) if e]
    if not declared:
        return Outcome(None, "condition.sector_unknown", params, where)
    known = _memo(
        memo,
        ("declared", tuple(declared)),
        lambda: [catalog.sector(e) if catalog is not None else None for e in declared],
    )
    free = [e for e, s in zip(declared, known, strict=True) if s is None]
    sectors = [s for s in known if s is not None]
    assert catalog is not None or not sectors
    for sector in sectors:
        if catalog is not None and {s.id for s in catalog.broader(sector)} & wanted:
            return Outcome(True, "condition.sector", params, where)
    zh = "、".join([*(s.label for s in sectors), *free])
    en = ", ".join([*(s.label_en for s in sectors), *free])
    params = {**params, "declared": zh, "declared_en": en}
    broader = [
        s
        for s in sectors
        for target in wanted
        if catalog is not None
        and (found := catalog.sector(target)) is not None
        and s in catalog.broader(found)[1:]
    ]
    if broader or free:
        return Outcome(None, "condition.sector_confirm", params, where)
    return Outcome(False, "condition.sector", params, where)


def _sector_names(ids: Sequence[str], catalog: Catalog | None) -> dict[str, str]:
    found = [catalog.sector(i) if catalog is not None else None for i in ids]
    zh = "或".join(f"“{s.label}”" if s else i for s, i in zip(found, ids, strict=True))
    en = " or ".join(f"'{s.label_en}'" if s else i for s, i in zip(found, ids, strict=True))
    return {"required": zh, "required_en": en}


def _project_condition(condition: Condition, subject: Subject) -> Outcome | None:
    draft = subject.draft
    if draft is None:
        return None  # a profile has no project: these conditions are checked on drafts
    project = draft.project
    start, end = project.start_date, project.end_date
    kind = condition.kind
    if kind is ConditionKind.ONE_PROJECT_PER_COMPANY:
        return _one_project(draft, subject.others, subject.catalog)
    if start is None or end is None:
        return None  # reported once as project.dates_missing
    dates = {"start": start.isoformat(), "end": end.isoformat()}
    if kind is ConditionKind.MAX_DURATION_MONTHS and condition.months is not None:
        latest = latest_end_for(start, condition.months)
        params = {**dates, "months": condition.months, "latest": latest.isoformat()}
        return Outcome(end <= latest, "condition.duration", params, "project.end_date")
    if kind is ConditionKind.LATEST_END and condition.latest is not None:
        params = {**dates, "latest": condition.latest.isoformat()}
        return Outcome(end <= condition.latest, "condition.latest_end", params, "project.end_date")
    if kind is ConditionKind.NOT_COMPLETED:
        params = {**dates, "on": subject.on.isoformat()}
        return Outcome(end >= subject.on, "condition.completed", params, "project.end_date")
    return None


def _one_project(draft: Draft, others: Sequence[Draft], catalog: Catalog | None) -> Outcome:
    """Another draft of the same company under the same policy document (one project
    per unit and call); a draft whose direction the catalog does not hold counts for none."""
    code = draft.company.credit_code
    mine = catalog.lookup(draft.direction) if catalog is not None else None
    if not code or mine is None:
        return Outcome(True, "condition.one_project")
    for other in others:
        theirs = catalog.lookup(other.direction) if catalog is not None else None
        if (
            other.id != draft.id
            and other.company.credit_code == code
            and theirs is not None
            and theirs.policy.id == mine.policy.id
        ):
            label = other.title or other.project.name or other.id
            return Outcome(False, "condition.one_project", {"other": label}, "direction")
    return Outcome(True, "condition.one_project")


def threshold_requirement(metric: Metric, threshold: Threshold) -> tuple[str, str]:
    """Chinese source words and an English statement of a threshold."""
    limit = format_metric(metric, threshold.value, english=True)
    english = f"{metric.label_en} {threshold.op.symbol} {limit}"
    return threshold.words, english


def threshold_gap(metric: Metric, threshold: Threshold, actual: Decimal) -> Text | None:
    """How far a value is from meeting a threshold: "还差20,001人" for a count that must
    exceed 300,000 and is 280,000 (counts are whole); for amounts and shares that must
    exceed a limit, "须再增加超过…"; None when it is met."""
    if threshold.op.holds(actual, threshold.value):
        return None
    op, limit = threshold.op, threshold.value
    whole = metric.kind is MetricKind.COUNT
    if op in (Comparison.GT, Comparison.GE):
        gap = limit - actual
        if op is Comparison.GT and whole:
            gap += 1
        code = "gap.short_over" if op is Comparison.GT and not whole else "gap.short"
    else:
        gap = actual - limit
        if op is Comparison.LT and whole:
            gap += 1
        code = "gap.over"
    return Text.of(
        code,
        amount=format_metric(metric, gap),
        amount_en=format_metric(metric, gap, english=True),
    )


def evaluate_threshold(
    catalog: Catalog, threshold: Threshold, metrics: dict[str, Decimal]
) -> Outcome:
    metric = catalog.metric(threshold.metric)
    words, english = threshold_requirement(metric, threshold)
    params: dict[str, object] = {
        "label": metric.label,
        "label_en": metric.label_en,
        "words": words,
        "requirement_en": english,
        "words_en": english,
        "op": threshold.op.symbol,
        "limit": format_metric(metric, threshold.value),
        "limit_en": format_metric(metric, threshold.value, english=True),
        "reading": threshold.reading.meaning if threshold.reading else "",
        "reading_en": threshold.reading.meaning_en if threshold.reading else "",
        "metric": metric.id,
    }
    where = f"project.metrics.{metric.id}"
    actual = metrics.get(metric.id)
    if actual is None:
        return Outcome(None, "threshold.missing", params, where)
    params["actual"] = format_metric(metric, actual)
    params["actual_en"] = format_metric(metric, actual, english=True)
    gap = threshold_gap(metric, threshold, actual)
    params["gap"] = gap.render("zh") if gap else ""
    params["gap_en"] = gap.render("en") if gap else ""
    if gap is not None and threshold.value:
        params["gap_share"] = str(abs(threshold.value - actual) / abs(threshold.value))
    return Outcome(gap is None, "threshold.not_met", params, where)
