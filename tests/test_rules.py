"""Every rule of `check_draft`, driven by one mutation of the clean example draft."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal

import pytest

from forms.catalog.model import ApplicantType, Catalog, Severity
from forms.draft.model import (
    Attachment,
    AttachmentRepair,
    BudgetCategory,
    BudgetLine,
    CreditStanding,
    Draft,
    Milestone,
    OperatingStatus,
    YearFinancials,
)
from tests.conftest import IN_WINDOW
from validators.check import check
from validators.context import FileCheck
from validators.findings import Finding, Language, blocking

TODAY = date(2026, 11, 23)
CONTENT = "sheitc-ai-plus-2025/annex2-digital-content/content-creation"
PLATFORM = "sheitc-ai-plus-2025/annex2-new-applications/industry-platform"
KEY_TECH = "sheitc-ai-plus-2025/annex1-model-foundation/llm"


def run(
    draft: Draft,
    catalog: Catalog,
    on: date | datetime = IN_WINDOW,
    *,
    others: Sequence[Draft] = (),
    files: FileCheck | None = None,
) -> list[Finding]:
    return check(draft, catalog, on, files=files, others=others)


def test_clean_draft_has_no_findings_in_window(clean_draft: Draft, catalog: Catalog) -> None:
    findings = run(clean_draft, catalog)
    assert [f.code for f in findings if f.severity is not Severity.INFO] == []
    assert [f.code for f in findings] == ["support.unspecified"]


def test_clean_draft_today_only_warns_about_the_closed_window(
    clean_draft: Draft, catalog: Catalog
) -> None:
    findings = run(clean_draft, catalog, on=TODAY)
    assert not blocking(findings)
    closed = [f for f in findings if f.code == "policy.window_closed"]
    assert closed and closed[0].severity is Severity.WARNING
    assert "2025-09-22 16:00" in closed[0].message("zh")


def _set(path: str, value: object) -> Callable[[Draft], None]:
    def mutate(draft: Draft) -> None:
        *parents, leaf = path.split(".")
        target: object = draft
        for name in parents:
            target = getattr(target, name)
        setattr(target, leaf, value)

    return mutate


def _metric(name: str, value: str | None) -> Callable[[Draft], None]:
    def mutate(draft: Draft) -> None:
        if value is None:
            draft.project.metrics.pop(name, None)
        else:
            draft.project.metrics[name] = Decimal(value)

    return mutate


def _drop_attachment(item: str) -> Callable[[Draft], None]:
    def mutate(draft: Draft) -> None:
        draft.attachments = [a for a in draft.attachments if a.item != item]

    return mutate


def _add_financials(row: YearFinancials) -> Callable[[Draft], None]:
    def mutate(draft: Draft) -> None:
        draft.financials = [*draft.financials, row]

    return mutate


def _budget(lines: list[BudgetLine]) -> Callable[[Draft], None]:
    def mutate(draft: Draft) -> None:
        draft.project.budget = lines

    return mutate


def _both(*mutations: Callable[[Draft], None]) -> Callable[[Draft], None]:
    def mutate(draft: Draft) -> None:
        for m in mutations:
            m(draft)

    return mutate


CASES: list[tuple[str, Callable[[Draft], None], str, Severity, str]] = [
    ("no name", _set("company.name", ""), "company.name_missing", Severity.ERROR, "company.name"),
    (
        "no legal rep",
        _set("company.legal_representative", " "),
        "company.legal_rep_missing",
        Severity.ERROR,
        "company.legal_representative",
    ),
    (
        "no district",
        _set("company.district", ""),
        "company.address_missing",
        Severity.WARNING,
        "company.registered_address",
    ),
    (
        "no contact",
        _set("company.contact.phone", ""),
        "company.contact_missing",
        Severity.ERROR,
        "company.contact",
    ),
    (
        "bad phone",
        _set("company.contact.phone", "12345"),
        "company.phone_format",
        Severity.WARNING,
        "company.contact.phone",
    ),
    (
        "bad email",
        _set("company.contact.email", "zhou@"),
        "company.email_format",
        Severity.WARNING,
        "company.contact.email",
    ),
    (
        "future registration",
        _set("company.registration_date", date(2030, 1, 1)),
        "company.registration_future",
        Severity.ERROR,
        "company.registration_date",
    ),
    (
        "rd > staff",
        _set("company.rd_staff", 500),
        "company.rd_staff_exceeds",
        Severity.ERROR,
        "company.rd_staff",
    ),
    (
        "empty code",
        _set("company.credit_code", ""),
        "credit_code.empty",
        Severity.ERROR,
        "company.credit_code",
    ),
    (
        "short code",
        _set("company.credit_code", "9131010"),
        "credit_code.length",
        Severity.ERROR,
        "company.credit_code",
    ),
    (
        "bad check",
        _set("company.credit_code", "91310104MA1FR6K2XG"),
        "credit_code.check_char",
        Severity.ERROR,
        "company.credit_code",
    ),
    (
        "bad check -> region unknown",
        _set("company.credit_code", "91310104MA1FR6K2XG"),
        "condition.region_unknown",
        Severity.WARNING,
        "company.credit_code",
    ),
    (
        "not Shanghai",
        _set("company.credit_code", "91330106MA2H3KD85D"),
        "condition.region",
        Severity.ERROR,
        "company.credit_code",
    ),
    (
        "individual business",
        _set("company.credit_code", "92310104MA1FR6K2XF"),
        "credit_code.check_char",
        Severity.ERROR,
        "company.credit_code",
    ),
    (
        "branch",
        _set("company.independent_legal_entity", False),
        "condition.legal_entity",
        Severity.ERROR,
        "company.independent_legal_entity",
    ),
    (
        "legal entity unknown",
        _set("company.independent_legal_entity", None),
        "condition.legal_entity_unknown",
        Severity.WARNING,
        "company.independent_legal_entity",
    ),
    (
        "abnormal operation",
        _set("company.operating_status", OperatingStatus.ABNORMAL),
        "condition.operating",
        Severity.ERROR,
        "company.operating_status",
    ),
    (
        "operation unknown",
        _set("company.operating_status", None),
        "condition.operating_unknown",
        Severity.WARNING,
        "company.operating_status",
    ),
    (
        "dishonest",
        _set("company.credit_standing", CreditStanding.DISHONEST),
        "condition.credit",
        Severity.ERROR,
        "company.credit_standing",
    ),
    (
        "credit unknown",
        _set("company.credit_standing", None),
        "condition.credit_unknown",
        Severity.WARNING,
        "company.credit_standing",
    ),
    (
        "not owner",
        _set("declarations.builder_and_owner", False),
        "condition.builder_owner",
        Severity.ERROR,
        "declarations.builder_and_owner",
    ),
    (
        "owner unknown",
        _set("declarations.builder_and_owner", None),
        "condition.builder_owner_unknown",
        Severity.WARNING,
        "declarations.builder_and_owner",
    ),
    (
        "other funding",
        _set("declarations.other_municipal_funding", True),
        "condition.other_funding",
        Severity.WARNING,  # 原则上: a norm, the missing written reason is the error
        "declarations.other_municipal_funding",
    ),
    (
        "other funding unknown",
        _set("declarations.other_municipal_funding", None),
        "condition.other_funding_unknown",
        Severity.WARNING,
        "declarations.other_municipal_funding",
    ),
    (
        "no commitment",
        _set("declarations.materials_true", None),
        "declaration.materials_true",
        Severity.ERROR,
        "declarations.materials_true",
    ),
    (
        "over two years",
        _set("project.end_date", date(2027, 10, 1)),
        "condition.duration",
        Severity.WARNING,  # 一般在两年内: a norm
        "project.end_date",
    ),
    (
        "after 2027",
        _both(
            _set("project.start_date", date(2026, 6, 1)),
            _set("project.end_date", date(2028, 1, 31)),
        ),
        "condition.latest_end",
        Severity.ERROR,
        "project.end_date",
    ),
    (
        "completed",
        _both(
            _set("project.start_date", date(2023, 1, 1)),
            _set("project.end_date", date(2024, 12, 31)),
        ),
        "condition.completed",
        Severity.WARNING,  # 原则上: a norm
        "project.end_date",
    ),
    (
        "no dates",
        _set("project.end_date", None),
        "project.dates_missing",
        Severity.ERROR,
        "project.start_date",
    ),
    (
        "end before start",
        _set("project.end_date", date(2025, 9, 30)),
        "project.end_before_start",
        Severity.ERROR,
        "project.end_date",
    ),
    (
        "no project name",
        _set("project.name", ""),
        "project.name_missing",
        Severity.ERROR,
        "project.name",
    ),
    (
        "no summary",
        _set("project.summary", ""),
        "project.summary_missing",
        Severity.WARNING,
        "project.summary",
    ),
    ("no kpis", _set("project.kpis", []), "project.kpis_missing", Severity.WARNING, "project.kpis"),
    (
        "empty goal",
        _set("project.goals", ["用户达到100万", " "]),
        "project.goal_empty",
        Severity.WARNING,
        "project.goals.1",
    ),
    (
        "milestone before start",
        _set("project.milestones", [Milestone(due=date(2025, 9, 30), text="立项")]),
        "project.milestone_before_start",
        Severity.ERROR,
        "project.milestones.0.due",
    ),
    (
        "milestone after end",
        _set(
            "project.milestones",
            [
                Milestone(due=date(2027, 9, 30), text="验收"),
                Milestone(due=date(2027, 10, 1), text="推广"),
            ],
        ),
        "project.milestone_after_end",
        Severity.ERROR,
        "project.milestones.1.due",
    ),
    (
        "milestone after the call's latest end",
        _set("project.milestones", [Milestone(due=date(2028, 1, 1), text="推广")]),
        "project.milestone_after_latest",
        Severity.ERROR,
        "project.milestones.0.due",
    ),
    (
        "milestone after 2027 while the end date is missing",
        _both(
            _set("project.end_date", None),
            _set("project.milestones", [Milestone(due=date(2028, 3, 1), text="推广")]),
        ),
        "project.milestone_after_latest",
        Severity.ERROR,
        "project.milestones.0.due",
    ),
    (
        "milestone without text",
        _set("project.milestones", [Milestone(due=date(2026, 6, 30), text=" ")]),
        "project.milestone_text_missing",
        Severity.WARNING,
        "project.milestones.0.text",
    ),
    (
        "milestones on the first and the last day",
        _set(
            "project.milestones",
            [
                Milestone(due=date(2025, 10, 1), text="启动"),
                Milestone(due=date(2027, 9, 30), text="验收"),
            ],
        ),
        "",
        Severity.ERROR,
        "",
    ),
    (
        "users at threshold",
        _metric("c_end_users", "300000"),
        "threshold.not_met",
        Severity.ERROR,
        "project.metrics.c_end_users",
    ),
    (
        "users missing",
        _metric("c_end_users", None),
        "threshold.missing",
        Severity.ERROR,
        "project.metrics.c_end_users",
    ),
    (
        "unknown metric",
        _metric("c_users", "1"),
        "metric.unknown",
        Severity.WARNING,
        "project.metrics.c_users",
    ),
    (
        "negative metric",
        _metric("game_users", "-1"),
        "metric.negative",
        Severity.ERROR,
        "project.metrics.game_users",
    ),
    (
        "budget mismatch",
        _set("project.total_investment", Decimal(12_500_000)),
        "budget.total_mismatch",
        Severity.ERROR,
        "project.total_investment",
    ),
    ("no budget", _budget([]), "budget.empty", Severity.ERROR, "project.budget"),
    (
        "zero line",
        _budget([BudgetLine(category=BudgetCategory.OTHER, amount=Decimal(0))]),
        "budget.nonpositive_line",
        Severity.ERROR,
        "project.budget.0.amount",
    ),
    (
        "sources mismatch",
        _set("project.own_funds", Decimal(8_000_000)),
        "funding.sources_mismatch",
        Severity.ERROR,
        "project.own_funds",
    ),
    (
        "no own funds",
        _set("project.own_funds", None),
        "funding.own_missing",
        Severity.WARNING,
        "project.own_funds",
    ),
    (
        "no request",
        _set("project.requested_support", None),
        "support.requested_missing",
        Severity.ERROR,
        "project.requested_support",
    ),
    (
        "zero request",
        _set("project.requested_support", Decimal(0)),
        "support.nonpositive",
        Severity.ERROR,
        "project.requested_support",
    ),
    (
        "request > investment",
        _both(
            _set("project.requested_support", Decimal(13_000_000)),
            _set("project.own_funds", Decimal(-1_000_000)),
        ),
        "support.exceeds_investment",
        Severity.ERROR,
        "project.requested_support",
    ),
    ("no direction", _set("direction", None), "direction.missing", Severity.ERROR, "direction"),
    (
        "unknown direction",
        _set("direction", "nope/nope/nope"),
        "direction.unknown",
        Severity.ERROR,
        "direction",
    ),
    (
        "wrong applicant",
        _set("company.applicant_type", ApplicantType.INDIVIDUAL),
        "applicant.type_not_allowed",
        Severity.ERROR,
        "company.applicant_type",
    ),
    (
        "missing licence",
        _drop_attachment("business_licence"),
        "attachment.required_missing",
        Severity.ERROR,
        "attachments[business_licence]",
    ),
    ("optional ip missing is fine", _drop_attachment("ip_evidence"), "", Severity.INFO, ""),
    (
        "wrong item",
        _set("attachments", [Attachment(item="availability_report", file="a.pdf")]),
        "attachment.not_in_checklist",
        Severity.WARNING,
        "attachments.0.item",
    ),
    (
        "unknown item",
        _set("attachments", [Attachment(item="passport", file="a.pdf")]),
        "attachment.unknown_item",
        Severity.WARNING,
        "attachments.0.item",
    ),
    (
        "generated item",
        _set("attachments", [Attachment(item="application_form", file="a.pdf")]),
        "attachment.generated",
        Severity.INFO,
        "attachments.0.item",
    ),
    (
        "duplicate year",
        _add_financials(YearFinancials(year=2025)),
        "financials.duplicate_year",
        Severity.ERROR,
        "financials",
    ),
    (
        "negative revenue",
        _add_financials(YearFinancials(year=2023, revenue=Decimal(-5))),
        "financials.negative",
        Severity.ERROR,
        "financials.2.revenue",
    ),
    (
        "insolvent",
        _add_financials(
            YearFinancials(year=2023, total_assets=Decimal(1), total_liabilities=Decimal(2))
        ),
        "financials.insolvent",
        Severity.WARNING,
        "financials.2.total_liabilities",
    ),
    (
        "repaired pdf not confirmed",
        _set(
            "attachments",
            [Attachment(item="audit_report", file="a.pdf", repair=AttachmentRepair(pages=3))],
        ),
        "attachment.repaired_unconfirmed",
        Severity.ERROR,
        "attachments.0.repair",
    ),
    (
        "repaired pdf with pages missing",
        _set(
            "attachments",
            [
                Attachment(
                    item="audit_report", file="a.pdf", repair=AttachmentRepair(pages=3, declared=8)
                )
            ],
        ),
        "attachment.repaired_unconfirmed_of",
        Severity.ERROR,
        "attachments.0.repair",
    ),
    ("no financials", _set("financials", []), "financials.missing", Severity.WARNING, "financials"),
    (
        "old financials",
        _set("financials", [YearFinancials(year=2021, revenue=Decimal(1))]),
        "financials.latest_old",
        Severity.WARNING,
        "financials",
    ),
]


@pytest.mark.parametrize(
    ("label", "mutate", "code", "severity", "field"), CASES, ids=[c[0] for c in CASES]
)
def test_rule(
    clean_draft: Draft,
    catalog: Catalog,
    label: str,
    mutate: Callable[[Draft], None],
    code: str,
    severity: Severity,
    field: str,
) -> None:
    mutate(clean_draft)
    findings = run(clean_draft, catalog)
    if not code:
        assert not blocking(findings), [f.code for f in blocking(findings)]
        return
    hits = [f for f in findings if f.code == code]
    assert hits, f"expected {code}, got {[f.code for f in findings]}"
    assert hits[0].severity is severity
    assert hits[0].field == field
    assert hits[0].clause, "every finding cites its clause"
    languages: tuple[Language, ...] = ("zh", "en")
    for language in languages:
        text = hits[0].message(language)
        assert text and "{" not in text


def test_threshold_finding_cites_clause_and_reading(clean_draft: Draft, catalog: Catalog) -> None:
    clean_draft.project.metrics["c_end_users"] = Decimal(300_000)
    hit = next(f for f in run(clean_draft, catalog) if f.code == "threshold.not_met")
    assert "附件2 · AI+数字内容 · 内容创作产品" in hit.clause
    assert "300,000" in hit.message("zh") and "超30万" in hit.message("zh")
    assert "严格大于" in hit.message("zh")
    assert "Consumer (C-end) users" in hit.message("en")


def test_duration_limit_is_two_years_inclusive(clean_draft: Draft, catalog: Catalog) -> None:
    clean_draft.project.start_date = date(2025, 10, 1)
    clean_draft.project.end_date = date(2027, 9, 30)
    assert not [f for f in run(clean_draft, catalog) if f.code == "condition.duration"]
    clean_draft.project.end_date = date(2027, 10, 1)
    hit = next(f for f in run(clean_draft, catalog) if f.code == "condition.duration")
    assert "2027-09-30" in hit.message("zh")


def test_milestone_findings_cite_the_execution_period_clause(
    clean_draft: Draft, catalog: Catalog
) -> None:
    clean_draft.project.milestones = [
        Milestone(due=date(2027, 10, 1), text="推广"),
        Milestone(due=date(2028, 1, 1), text="复盘"),
    ]
    hits = {f.code: f for f in run(clean_draft, catalog) if f.code.startswith("project.mile")}
    after_end, after_latest = (
        hits["project.milestone_after_end"],
        hits["project.milestone_after_latest"],
    )
    for hit in (after_end, after_latest):
        assert hit.clause.endswith("四、(一)4"), hit.clause  # 执行期两年内，最迟2027年12月31日
    assert "2027-12-31" in after_latest.message("zh") and "2028-01-01" in after_latest.message("en")
    assert "推广" in after_end.message("zh") and "2027-09-30" in after_end.message("en")
    clean_draft.direction = None  # without a direction, only the form's own consistency
    hit = next(f for f in run(clean_draft, catalog) if f.code == "project.milestone_after_end")
    assert hit.clause == "申报书填写要求"
    assert not [f for f in run(clean_draft, catalog) if f.code == "project.milestone_after_latest"]


def test_one_project_per_company_across_the_workspace(clean_draft: Draft, catalog: Catalog) -> None:
    sibling = clean_draft.model_copy(deep=True)
    sibling.id = "another"
    sibling.title = "另一个项目"
    sibling.direction = PLATFORM
    hit = next(
        f for f in run(clean_draft, catalog, others=[sibling]) if f.code == "condition.one_project"
    )
    assert hit.severity is Severity.WARNING and "另一个项目" in hit.message("zh")
    other_company = sibling.model_copy(deep=True)
    other_company.company.credit_code = "91310114MA7B4N0C2M"
    assert not [
        f
        for f in run(clean_draft, catalog, others=[other_company])
        if f.code == "condition.one_project"
    ]


def test_requested_support_over_rate_and_cap(clean_draft: Draft, catalog: Catalog) -> None:
    clean_draft.direction = (
        KEY_TECH  # estimated from 489号 第4条: 30% of investment, at most 5000万
    )
    clean_draft.project.requested_support = Decimal(3_600_001)
    clean_draft.project.own_funds = Decimal(12_000_000) - Decimal(3_600_001)
    codes = {f.code: f for f in run(clean_draft, catalog)}
    assert "support.over_rate" in codes and codes["support.over_rate"].severity is Severity.ERROR
    assert "360万元" in codes["support.over_rate"].message("zh")
    assert "support.estimated" in codes
    clean_draft.project.requested_support = Decimal(3_600_000)
    clean_draft.project.own_funds = Decimal(8_400_000)
    assert "support.over_rate" not in {f.code for f in run(clean_draft, catalog)}


def test_cap_applies_when_rate_allows_more(clean_draft: Draft, catalog: Catalog) -> None:
    clean_draft.direction = "sheitc-ai-plus-2025/annex1-key-actions/industry"  # 20%, at most 1000万
    line = BudgetLine(category=BudgetCategory.EQUIPMENT, amount=Decimal(100_000_000))
    clean_draft.project.budget = [line]
    clean_draft.project.total_investment = Decimal(100_000_000)
    clean_draft.project.requested_support = Decimal(10_000_001)
    clean_draft.project.own_funds = Decimal(100_000_000 - 10_000_001)
    codes = {f.code for f in run(clean_draft, catalog)}
    assert "support.over_cap" in codes and "support.over_rate" not in codes


def test_warnings_do_not_block(clean_draft: Draft, catalog: Catalog) -> None:
    clean_draft.project.summary = ""
    clean_draft.company.contact.email = "bad"
    findings = run(clean_draft, catalog)
    assert findings and not blocking(findings)


def test_missing_attachment_files_are_errors(clean_draft: Draft, catalog: Catalog) -> None:
    findings = run(clean_draft, catalog, files=lambda attachment: "licence" not in attachment.file)
    hit = next(f for f in findings if f.code == "attachment.file_missing")
    assert hit.severity is Severity.ERROR and "business-licence.pdf" in hit.message("zh")


def test_half_filled_draft_reports_instead_of_crashing(catalog: Catalog) -> None:
    findings = run(Draft(), catalog)
    codes = {f.code for f in findings}
    assert {
        "company.name_missing",
        "credit_code.empty",
        "direction.missing",
        "budget.empty",
    } <= codes


def test_findings_are_sorted_errors_first(catalog: Catalog) -> None:
    findings = run(Draft(), catalog)
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    ranks = [order[f.severity] for f in findings]
    assert ranks == sorted(ranks)
