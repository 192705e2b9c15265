"""Eligibility matching of the example companies, with reasons and estimates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from forms.catalog.model import Catalog, SupportBase
from forms.draft.io import load_profile_or_draft
from forms.draft.model import Profile
from tests.conftest import EXAMPLES, IN_WINDOW
from validators.eligibility import Match, Verdict, match_profile

CONTENT = "sheitc-ai-plus-2025/annex2-digital-content/content-creation"
BUYOUT = "sheitc-ai-plus-2025/annex2-digital-content/game-buyout"
PLATFORM = "sheitc-ai-plus-2025/annex2-new-applications/industry-platform"


def _profile(name: str) -> Profile:
    return load_profile_or_draft(EXAMPLES / "profiles" / f"{name}.json")


def _by_key(matches: list[Match]) -> dict[str, Match]:
    return {m.key: m for m in matches}


def test_every_direction_gets_a_verdict(catalog: Catalog) -> None:
    matches = match_profile(catalog, _profile("content-creation-company"), IN_WINDOW)
    assert len(matches) == sum(1 for _ in catalog.directions())
    assert all(m.reasons or m.verdict is Verdict.ELIGIBLE for m in matches)


def test_content_creation_company_is_eligible_and_ranked_first(catalog: Catalog) -> None:
    matches = match_profile(catalog, _profile("content-creation-company"), IN_WINDOW)
    assert matches[0].key == CONTENT
    content = _by_key(matches)[CONTENT]
    assert content.verdict is Verdict.ELIGIBLE
    met = [r for r in content.reasons if r.kind == "threshold"]
    assert {r.params["metric"] for r in met} == {"c_end_users", "product_annual_revenue"}
    assert all(r.met for r in met)


def test_game_company_below_threshold_is_not_eligible_with_reasons(catalog: Catalog) -> None:
    m = _by_key(match_profile(catalog, _profile("game-below-threshold"), IN_WINDOW))[BUYOUT]
    assert m.verdict is Verdict.NOT_ELIGIBLE
    failed = {r.params["metric"]: r for r in m.reasons if r.met is False}
    assert set(failed) == {"game_copies_sold", "product_annual_revenue"}
    assert "50,000份" in failed["game_copies_sold"].message("zh")
    assert "附件2 · AI+数字内容 · 本土游戏产品" in failed["game_copies_sold"].clause


def test_non_shanghai_company_is_not_eligible_for_shanghai_calls(catalog: Catalog) -> None:
    matches = _by_key(match_profile(catalog, _profile("non-shanghai-company"), IN_WINDOW))
    platform = matches[PLATFORM]
    assert platform.verdict is Verdict.NOT_ELIGIBLE
    region = next(r for r in platform.reasons if r.code == "condition.region")
    assert region.met is False and "330106" in region.message("zh")
    # its platform meets every threshold: only the region excludes it
    assert all(r.met for r in platform.reasons if r.kind == "threshold")


def test_missing_metric_makes_the_verdict_unknown(catalog: Catalog) -> None:
    profile = _profile("content-creation-company")
    profile.metrics.pop("c_end_users")
    m = _by_key(match_profile(catalog, profile, IN_WINDOW))[CONTENT]
    assert m.verdict is Verdict.UNKNOWN
    assert any(r.code == "threshold.missing" and r.met is None for r in m.reasons)


def test_invalid_credit_code_makes_region_unknown(catalog: Catalog) -> None:
    profile = _profile("content-creation-company")
    profile.company.credit_code = "91310104MA1FR6K2XG"
    assert _by_key(match_profile(catalog, profile, IN_WINDOW))[CONTENT].verdict is Verdict.UNKNOWN


def test_expired_policy_is_not_eligible_with_why(catalog: Catalog) -> None:
    matches = match_profile(catalog, _profile("game-below-threshold"), date(2026, 11, 23))
    jiading = [m for m in matches if m.direction.policy.id == "jiading-2023-2"]
    assert jiading and all(m.verdict is Verdict.NOT_ELIGIBLE for m in jiading)
    assert all(any(r.code == "policy.expired" for r in m.reasons) for m in jiading)


def test_closed_window_meets_the_conditions_but_cannot_apply_now(catalog: Catalog) -> None:
    m = _by_key(match_profile(catalog, _profile("content-creation-company"), date(2026, 11, 23)))[
        CONTENT
    ]
    assert m.conditions is Verdict.ELIGIBLE and m.meets_conditions is True
    assert m.verdict is Verdict.MEETS_CONDITIONS and not m.can_apply_now
    assert any(r.code == "policy.window_closed" for r in m.reasons)
    text = m.verdict_text().render("zh")
    assert "符合申报条件" in text and "2025-09-22 16:00截止" in text and "下一次申报" in text


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        # 1200万 total investment: 30% = 360万 (cap 5000万); 50% = 600万 (cap 2000万); 20% = 240万
        ("sheitc-ai-plus-2025/annex1-model-foundation/llm", Decimal("3600000")),
        ("sheitc-ai-plus-2025/annex1-platform/service-platform", Decimal("6000000")),
        ("sheitc-ai-plus-2025/annex1-key-actions/industry", Decimal("2400000")),
        (CONTENT, None),  # the call states no rate for 附件2
    ],
)
def test_estimated_maximum_support(catalog: Catalog, key: str, expected: Decimal | None) -> None:
    m = _by_key(match_profile(catalog, _profile("content-creation-company"), IN_WINDOW))[key]
    assert m.max_support == expected


def test_estimate_is_capped(catalog: Catalog) -> None:
    profile = _profile("content-creation-company")
    profile.base_amounts.clear()
    profile.base_amounts[SupportBase.APPROVED_TOTAL_INVESTMENT] = Decimal(1_000_000_000)
    m = _by_key(match_profile(catalog, profile, IN_WINDOW))[
        "sheitc-ai-plus-2025/annex1-key-actions/industry"
    ]
    assert m.max_support == Decimal(10_000_000)


def test_government_tasks_are_not_eligible(catalog: Catalog) -> None:
    matches = match_profile(catalog, _profile("content-creation-company"), IN_WINDOW)
    tasks = [m for m in matches if not m.direction.direction.applyable]
    assert tasks and all(m.verdict is Verdict.NOT_ELIGIBLE for m in tasks)
