""" "一般" and "原则上" are norms: a departure blocks nothing but needs a written reason
before export (shown in the 申报书); "最迟不超过" stays a hard limit."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest

from forms.catalog.model import Catalog, Severity, Strength
from forms.documents.content import Fields, Heading
from forms.documents.form import build_form
from forms.draft.model import Draft
from tests.conftest import IN_WINDOW
from validators.check import check
from validators.eligibility import Verdict, match_profile
from validators.findings import blocking

REASON = "本项目含两期硬件部署，第二期须待第一期验收，执行期27个月，仍于2027年12月31日前结束。"


def _codes(draft: Draft, catalog: Catalog, on: date = IN_WINDOW) -> dict[str, Severity]:
    return {f.code: f.severity for f in check(draft, catalog, on, files=None)}


def test_every_norm_word_is_a_norm_and_every_norm_has_its_reading(catalog: Catalog) -> None:
    for q in catalog.directions():
        for c in q.conditions:
            normative = bool(re.search("一般|原则上", c.words))
            assert (c.strength is Strength.NORM) == normative, (q.key, c.id)
            if c.norm:
                assert c.reading is not None and c.severity is Severity.WARNING
            if "最迟不超过" in c.words:
                assert c.strength is Strength.RULE and c.severity is Severity.ERROR


@pytest.mark.parametrize(
    ("end", "departs"),
    [
        (date(2027, 9, 30), False),  # 24 months to the day before: within two years
        (date(2027, 10, 1), True),  # one day over: a departure from 一般在两年内
        (date(2027, 12, 31), True),  # 27 months, on the latest end
    ],
)
def test_duration_is_a_norm_at_and_after_two_years(
    catalog: Catalog, clean_draft: Draft, end: date, departs: bool
) -> None:
    clean_draft.project.start_date = date(2025, 10, 1)
    clean_draft.project.end_date = end
    clean_draft.project.milestones = []
    codes = _codes(clean_draft, catalog)
    if not departs:
        assert "condition.duration" not in codes and "norm.justification_missing" not in codes
        return
    assert codes["condition.duration"] is Severity.WARNING
    assert codes["norm.justification_missing"] is Severity.ERROR  # export waits for the reason
    clean_draft.declarations.justifications["max-two-years"] = REASON
    findings = check(clean_draft, catalog, IN_WINDOW, files=None)
    assert not blocking(findings), [f.code for f in blocking(findings)]
    justified = next(f for f in findings if f.code == "norm.justified")
    assert justified.severity is Severity.INFO and REASON in justified.message("zh")


@pytest.mark.parametrize(
    ("end", "error"),
    [(date(2027, 12, 31), False), (date(2028, 1, 1), True)],
)
def test_the_latest_end_stays_a_hard_limit(
    catalog: Catalog, clean_draft: Draft, end: date, error: bool
) -> None:
    clean_draft.project.start_date = date(2026, 6, 1)
    clean_draft.project.end_date = end
    clean_draft.project.milestones = []
    codes = _codes(clean_draft, catalog)
    assert ("condition.latest_end" in codes) is error
    if error:
        assert codes["condition.latest_end"] is Severity.ERROR


def _funded(draft: Draft) -> None:
    draft.declarations.other_municipal_funding = True


def _completed(draft: Draft) -> None:
    draft.project.start_date = date(2024, 1, 1)
    draft.project.end_date = date(2025, 9, 9)
    draft.project.milestones = []


@pytest.mark.parametrize(
    ("mutate", "code", "condition"),
    [
        (_funded, "condition.other_funding", "no-other-municipal-funding"),
        (_completed, "condition.completed", "not-completed"),
    ],
)
def test_other_principles_warn_and_ask_for_a_reason(
    catalog: Catalog,
    clean_draft: Draft,
    mutate: Callable[[Draft], None],
    code: str,
    condition: str,
) -> None:
    mutate(clean_draft)
    codes = _codes(clean_draft, catalog)
    assert codes[code] is Severity.WARNING and codes["norm.justification_missing"] is Severity.ERROR
    clean_draft.declarations.justifications[condition] = REASON
    assert "norm.justification_missing" not in _codes(clean_draft, catalog)


def test_completed_boundary_is_the_check_day(catalog: Catalog, clean_draft: Draft) -> None:
    clean_draft.project.start_date = date(2024, 1, 1)
    clean_draft.project.milestones = []
    clean_draft.project.end_date = IN_WINDOW  # ends on the day: not completed yet
    assert "condition.completed" not in _codes(clean_draft, catalog)
    clean_draft.project.end_date = date(2025, 9, 9)
    assert "condition.completed" in _codes(clean_draft, catalog)


def test_one_project_per_unit_is_a_norm(catalog: Catalog, clean_draft: Draft) -> None:
    sibling = clean_draft.model_copy(deep=True)
    sibling.id, sibling.title = "sibling", "同一单位的第二个项目"
    sibling.direction = "sheitc-ai-plus-2025/annex2-fintech/fintech-product"
    findings = check(clean_draft, catalog, IN_WINDOW, files=None, others=[sibling])
    codes = {f.code: f.severity for f in findings}
    assert codes["condition.one_project"] is Severity.WARNING
    assert codes["norm.justification_missing"] is Severity.ERROR
    clean_draft.declarations.justifications["one-project"] = REASON
    findings = check(clean_draft, catalog, IN_WINDOW, files=None, others=[sibling])
    assert not blocking(findings)


def test_a_norm_departure_does_not_make_a_company_ineligible(catalog: Catalog) -> None:
    from tests.test_eligibility import _profile

    profile = _profile("content-creation-company")
    profile.declarations.other_municipal_funding = True
    content = "sheitc-ai-plus-2025/annex2-digital-content/content-creation"
    m = next(m for m in match_profile(catalog, profile, IN_WINDOW) if m.key == content)
    assert m.verdict is Verdict.ELIGIBLE
    norm = next(r for r in m.reasons if r.code == "condition.other_funding")
    assert norm.kind == "norm" and norm.met is False and "书面说明理由" in norm.message("zh")


def test_the_form_prints_the_written_reason(catalog: Catalog, clean_draft: Draft) -> None:
    clean_draft.declarations.justifications["max-two-years"] = REASON
    form = build_form(clean_draft, catalog, on=IN_WINDOW)
    blocks = [b for section in form.sections for b in section]
    index = next(
        i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == "需要说明的事项"
    )
    fields = blocks[index + 1]
    assert isinstance(fields, Fields)
    assert fields.rows == (("关于“项目执行期一般在两年内”", REASON),)
    english = build_form(clean_draft, catalog, lang="en", on=IN_WINDOW)
    text = repr(english.sections)
    assert "Matters to explain" in text and "generally within two years" in text
    clean_draft.declarations.justifications.clear()
    plain = repr(build_form(clean_draft, catalog, on=IN_WINDOW).sections)
    assert "需要说明的事项" not in plain
