"""Every document's in-force interval and every window's instants, at, before and after
each boundary; and the verdict that keeps "meets the conditions" apart from "can apply
now", the same in the rules, the matcher and the command line."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from forms.catalog.model import Catalog, Status
from forms.draft.model import Draft, Profile
from tests.conftest import EXAMPLES
from validators.check import check
from validators.eligibility import Match, Verdict, match_profile
from validators.timing import timing

SHANGHAI = timezone(timedelta(hours=8))
MICRODRAMA = "shwl-2026-1/s2-1/compute"  # 支持微短剧企业租用智能算力
ADVERTISING = "samr-sh-2025-266/m2/private-deployment"  # 数字广告企业
CONTENT = "sheitc-ai-plus-2025/annex2-digital-content/content-creation"


@pytest.mark.parametrize(
    ("policy_id", "on", "status"),
    [
        # 沪文旅规〔2026〕1号: 2026年5月20日印发, 自印发之日起正式施行
        ("shwl-2026-1", date(2026, 5, 19), Status.NOT_YET_IN_FORCE),
        ("shwl-2026-1", date(2026, 5, 20), Status.ACTIVE),
        ("shwl-2026-1", date(2026, 5, 21), Status.ACTIVE),
        # 沪市监广告〔2025〕266号: 2025年9月5日 (in force from issue: the tool's inference)
        ("samr-sh-2025-266", date(2025, 9, 4), Status.NOT_YET_IN_FORCE),
        ("samr-sh-2025-266", date(2025, 9, 5), Status.ACTIVE),
        ("samr-sh-2025-266", date(2025, 9, 6), Status.ACTIVE),
        # 沪经信智〔2025〕489号: 2025年7月28日
        ("sheitc-2025-489", date(2025, 7, 27), Status.NOT_YET_IN_FORCE),
        ("sheitc-2025-489", date(2025, 7, 28), Status.ACTIVE),
        # 嘉府发〔2023〕2号（2023—2025年）
        ("jiading-2023-2", date(2022, 12, 31), Status.NOT_YET_IN_FORCE),
        ("jiading-2023-2", date(2023, 1, 1), Status.ACTIVE),
        ("jiading-2023-2", date(2025, 12, 31), Status.ACTIVE),
        ("jiading-2023-2", date(2026, 1, 1), Status.EXPIRED),
        # the 2024 micro-drama measures: issued 2024-07-10, abolished 2026-05-20
        ("shwl-2024-microdrama", date(2024, 7, 9), Status.NOT_YET_IN_FORCE),
        ("shwl-2024-microdrama", date(2024, 7, 10), Status.ACTIVE),
        ("shwl-2024-microdrama", date(2026, 5, 19), Status.ACTIVE),
        ("shwl-2024-microdrama", date(2026, 5, 20), Status.SUPERSEDED),
        # the 2025 call: its window decides; projects run to 2027-12-31 at the latest
        ("sheitc-ai-plus-2025", date(2025, 9, 2), Status.NOT_YET_OPEN),
        ("sheitc-ai-plus-2025", date(2025, 9, 3), Status.ACTIVE),
        ("sheitc-ai-plus-2025", date(2025, 9, 22), Status.ACTIVE),
        ("sheitc-ai-plus-2025", date(2025, 9, 23), Status.WINDOW_CLOSED),
        ("sheitc-ai-plus-2025", date(2027, 12, 31), Status.WINDOW_CLOSED),
        ("sheitc-ai-plus-2025", date(2028, 1, 1), Status.EXPIRED),
    ],
)
def test_in_force_interval_boundaries(
    catalog: Catalog, policy_id: str, on: date, status: Status
) -> None:
    assert catalog.policy(policy_id).status_on(on) is status


@pytest.mark.parametrize(
    ("when", "status"),
    [
        (datetime(2025, 9, 3, 9, 59, tzinfo=SHANGHAI), Status.NOT_YET_OPEN),
        (datetime(2025, 9, 3, 10, 0, tzinfo=SHANGHAI), Status.ACTIVE),
        (datetime(2025, 9, 22, 15, 59, tzinfo=SHANGHAI), Status.ACTIVE),
        (datetime(2025, 9, 22, 16, 0, tzinfo=SHANGHAI), Status.WINDOW_CLOSED),
        (datetime(2025, 9, 22, 16, 1, tzinfo=SHANGHAI), Status.WINDOW_CLOSED),
        # a naive instant is Shanghai time
        (datetime(2025, 9, 22, 15, 59), Status.ACTIVE),
        (datetime(2025, 9, 22, 16, 0), Status.WINDOW_CLOSED),
        # the same instant given in UTC
        (datetime(2025, 9, 22, 7, 59, tzinfo=UTC), Status.ACTIVE),
        (datetime(2025, 9, 22, 8, 0, tzinfo=UTC), Status.WINDOW_CLOSED),
    ],
)
def test_the_window_at_its_instants(catalog: Catalog, when: datetime, status: Status) -> None:
    assert catalog.policy("sheitc-ai-plus-2025").status_on(when) is status


def test_a_late_utc_instant_is_the_next_shanghai_day(catalog: Catalog) -> None:
    """2026-05-19 17:00 UTC is 2026-05-20 01:00 in Shanghai: 沪文旅规〔2026〕1号 is in force."""
    policy = catalog.policy("shwl-2026-1")
    assert policy.status_on(datetime(2026, 5, 19, 15, 59, tzinfo=UTC)) is (Status.NOT_YET_IN_FORCE)
    assert policy.status_on(datetime(2026, 5, 19, 17, 0, tzinfo=UTC)) is Status.ACTIVE


def test_every_document_states_or_infers_its_in_force_start(catalog: Catalog) -> None:
    """A start the text does not state is the tool's inference, with its reasoning."""
    for policy in catalog.policies:
        if "effective_from" not in policy.inferred:  # stated: a date and the words saying so
            assert policy.effective_from is not None and policy.validity_words, policy.id
        else:
            assert policy.inferred["effective_from"].reasoning, policy.id
        if policy.effective_until is not None and policy.superseded_on is None:
            assert "effective_until" in policy.inferred, policy.id


def test_the_tool_says_where_a_date_is_its_inference(catalog: Catalog) -> None:
    t = timing(catalog.policy("samr-sh-2025-266"), date(2025, 9, 10))
    assert t.describe("zh") == "2025-09-05起施行（本工具推断）"
    assert "按印发日期2025年9月5日起施行" in t.describe("zh", reasoning=True)
    assert "the tool's inference" in t.describe("en")
    t = timing(catalog.policy("shwl-2026-1"), date(2025, 9, 10))
    assert t.describe("zh") == "2026-05-20起施行"  # stated by the text: no mark
    old = timing(catalog.policy("shwl-2024-microdrama"), date(2025, 9, 10), catalog)
    assert "2026-05-20起被《沪文旅规〔2026〕1号》废止" in old.describe("zh")


def _profile(sectors: list[str], name: str = "content-creation-company") -> Profile:
    profile = Profile.model_validate_json(
        (EXAMPLES / "profiles" / f"{name}.json").read_text(encoding="utf-8")
    )
    profile.company.sectors = sectors
    return profile


def _match(catalog: Catalog, profile: Profile, key: str, when: date | datetime) -> Match:
    return next(m for m in match_profile(catalog, profile, when) if m.key == key)


@pytest.mark.parametrize(
    ("on", "verdict", "can_apply"),
    [
        (date(2025, 9, 10), Verdict.MEETS_CONDITIONS, False),
        (date(2026, 5, 19), Verdict.MEETS_CONDITIONS, False),
        (date(2026, 5, 20), Verdict.ELIGIBLE, True),
    ],
)
def test_a_micro_drama_company_before_the_2026_measures(
    catalog: Catalog, on: date, verdict: Verdict, can_apply: bool
) -> None:
    """It was "eligible" for 沪文旅规〔2026〕1号 on 2025-09-10, eight months early."""
    m = _match(catalog, _profile(["microdrama"]), MICRODRAMA, on)
    assert m.verdict is verdict and m.can_apply_now is can_apply
    assert m.meets_conditions is True
    if not can_apply:
        text = m.verdict_text().render("zh")
        assert "2026-05-20起施行" in text and "今日不能申报" in text


@pytest.mark.parametrize(
    ("on", "verdict"),
    [
        (date(2025, 9, 4), Verdict.MEETS_CONDITIONS),  # the day before 266号 was issued
        (date(2025, 9, 5), Verdict.ELIGIBLE),
        (date(2025, 9, 6), Verdict.ELIGIBLE),
    ],
)
def test_an_advertising_company_around_the_266_issue_date(
    catalog: Catalog, on: date, verdict: Verdict
) -> None:
    m = _match(catalog, _profile(["digital_advertising"]), ADVERTISING, on)
    assert m.verdict is verdict


@pytest.mark.parametrize(
    ("when", "verdict", "closed"),
    [
        (datetime(2025, 9, 22, 15, 59, tzinfo=SHANGHAI), Verdict.ELIGIBLE, False),
        (datetime(2025, 9, 22, 16, 0, tzinfo=SHANGHAI), Verdict.MEETS_CONDITIONS, True),
        (date(2025, 9, 23), Verdict.MEETS_CONDITIONS, True),
    ],
)
def test_a_closed_call_meets_the_conditions_but_cannot_be_applied_for(
    catalog: Catalog, when: date | datetime, verdict: Verdict, closed: bool
) -> None:
    m = _match(catalog, _profile(["ai", "digital_content"]), CONTENT, when)
    assert m.verdict is verdict and m.conditions is Verdict.ELIGIBLE
    text = m.verdict_text().render("zh")
    if closed:
        assert "符合申报条件，但本次受理已于2025-09-22 16:00截止" in text
        assert "可为下一次申报准备草稿" in text
        assert "window closed at 2025-09-22 16:00" in m.verdict_text().render("en")
    else:
        assert text == "符合申报条件，现在可以申报（受理至2025-09-22 16:00）。"


def _draft_for(key: str, clean: Draft) -> Draft:
    draft = clean.model_copy(deep=True)
    draft.direction = key
    draft.company.sectors = ["microdrama"]
    return draft


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 5, 19), "policy.not_yet_in_force"),
        (date(2026, 5, 20), None),
    ],
)
def test_a_draft_under_the_2026_measures_before_they_are_in_force(
    catalog: Catalog, clean_draft: Draft, on: date, expected: str | None
) -> None:
    """A 004 draft checked before 2026-05-20 got no status finding at all."""
    findings = check(_draft_for(MICRODRAMA, clean_draft), catalog, on, files=None)
    status = [f for f in findings if f.code.startswith("policy.")]
    if expected is None:
        assert status == []
        return
    (hit,) = status
    assert hit.code == expected and hit.severity.value == "warning"
    assert "2026-05-20起施行" in hit.message("zh") and "from 2026-05-20" in hit.message("en")


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (datetime(2025, 9, 22, 15, 59, tzinfo=SHANGHAI), None),
        (datetime(2025, 9, 22, 16, 0, tzinfo=SHANGHAI), "policy.window_closed"),
        (date(2025, 9, 2), "policy.not_yet_open"),
        (date(2028, 1, 1), "policy.expired"),
    ],
)
def test_check_reports_the_window_at_its_instant(
    catalog: Catalog, clean_draft: Draft, when: date | datetime, expected: str | None
) -> None:
    codes = [f.code for f in check(clean_draft, catalog, when, files=None)]
    status = [c for c in codes if c.startswith("policy.")]
    assert status == ([expected] if expected else [])
