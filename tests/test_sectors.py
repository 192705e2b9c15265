"""The applicant-sector rule: a company with the sector, without it, and with one the
profile does not say; through the matcher, the rules and the command line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from forms.catalog.model import Catalog, ConditionKind
from forms.draft.model import Company, Draft, Profile
from tests.conftest import EXAMPLES
from tests.test_cli import run
from validators.check import check
from validators.eligibility import Verdict, match_profile

IN_FORCE = date(2026, 6, 1)  # every 2025/2026 document in force (the call's window closed)
DIGITAL_AD = "samr-sh-2025-266/m2/private-deployment"  # 数字广告企业 (第2条)
AD_PRIZE = "samr-sh-2025-266/m9/award-prize"  # 本市广告企业 (第9条)
MICRODRAMA = "shwl-2026-1/s2-2/model-api"  # 微短剧企业 (二、2)
STUDIO = "shwl-2026-1/s5-2/label-award"  # 微短剧创制主体 (五、2)
EXPORTER = "shwl-2026-1/s6-2/export-award"  # 微短剧出海企业 (六、2)


def _profile(sectors: list[str]) -> Profile:
    profile = Profile.model_validate_json(
        (EXAMPLES / "profiles" / "game-below-threshold.json").read_text(encoding="utf-8")
    )
    profile.company.sectors = sectors
    return profile


def _verdicts(catalog: Catalog, sectors: list[str]) -> dict[str, Verdict]:
    return {m.key: m.verdict for m in match_profile(catalog, _profile(sectors), IN_FORCE)}


@pytest.mark.parametrize(
    ("sectors", "key", "verdict"),
    [
        # a game company is not an advertising or micro-drama company
        (["games"], DIGITAL_AD, Verdict.NOT_ELIGIBLE),
        (["games"], AD_PRIZE, Verdict.NOT_ELIGIBLE),
        (["games"], MICRODRAMA, Verdict.NOT_ELIGIBLE),
        # with the sector
        (["digital_advertising"], DIGITAL_AD, Verdict.ELIGIBLE),
        (["games", "digital_advertising"], DIGITAL_AD, Verdict.ELIGIBLE),
        (["microdrama"], MICRODRAMA, Verdict.ELIGIBLE),
        (["microdrama_studio"], STUDIO, Verdict.ELIGIBLE),
        (["microdrama_export"], EXPORTER, Verdict.ELIGIBLE),
        # a narrower sector meets the broader: 数字广告企业 are 本市广告企业
        (["digital_advertising"], AD_PRIZE, Verdict.ELIGIBLE),
        (["microdrama_studio"], MICRODRAMA, Verdict.ELIGIBLE),
        # a broader one does not tell: an advertising company may not be digital
        (["advertising"], DIGITAL_AD, Verdict.UNKNOWN),
        (["microdrama"], STUDIO, Verdict.UNKNOWN),
        # the profile does not say
        ([], DIGITAL_AD, Verdict.UNKNOWN),
        ([], MICRODRAMA, Verdict.UNKNOWN),
        # free text the vocabulary does not hold: cannot rule it out
        (["游戏发行与广告投放"], DIGITAL_AD, Verdict.UNKNOWN),
        # labels work as well as ids
        (["数字广告企业"], DIGITAL_AD, Verdict.ELIGIBLE),
        (["Micro-drama company"], MICRODRAMA, Verdict.ELIGIBLE),
    ],
)
def test_sector_verdicts(catalog: Catalog, sectors: list[str], key: str, verdict: Verdict) -> None:
    assert _verdicts(catalog, sectors)[key] is verdict


def test_unknown_sector_says_what_to_confirm(catalog: Catalog) -> None:
    m = next(m for m in match_profile(catalog, _profile([]), IN_FORCE) if m.key == DIGITAL_AD)
    text = m.verdict_text().render("zh")
    assert text.startswith("待确认：请确认单位属于“数字广告企业”")
    assert "推进大模型广告垂类应用的数字广告企业" in text  # the seed's words
    assert (
        "Confirm that the applicant is a 'Digital advertising company'"
        in m.verdict_text().render("en")
    )


def test_sector_failure_and_met_texts(catalog: Catalog) -> None:
    games = {m.key: m for m in match_profile(catalog, _profile(["games"]), IN_FORCE)}
    reason = next(r for r in games[DIGITAL_AD].reasons if r.code == "condition.sector")
    assert reason.met is False and "游戏企业" in reason.message("zh")
    ads = {m.key: m for m in match_profile(catalog, _profile(["digital_advertising"]), IN_FORCE)}
    met = next(r for r in ads[DIGITAL_AD].reasons if r.code == "condition.sector")
    assert met.met is True and met.message("zh").startswith("单位属于“数字广告企业”")


def test_every_sector_condition_is_where_the_seed_names_the_sector(catalog: Catalog) -> None:
    """266号 第1、2、3、5、7、9条 and 沪文旅规〔2026〕1号 二、1–4, 五、1–2, 六、2 (and 489号
    第7条 本市人工智能企业, the Jiading plan for 数字广告业) address a sector in their words."""
    found = {
        q.key: c
        for q in catalog.directions()
        for c in q.conditions
        if c.kind is ConditionKind.APPLICANT_SECTOR
    }
    for key in (DIGITAL_AD, AD_PRIZE, MICRODRAMA, STUDIO, EXPORTER):
        assert key in found, key
    for key, condition in found.items():
        labels = [catalog.sector(s) for s in condition.sectors]
        assert all(labels), key
        # the words name the sector (企业, 主体, 平台, 个体工商户, 业)
        assert any(w in condition.words for w in ("企业", "主体", "平台", "工商户", "业")), key
    # directions whose words name no applicant sector carry none
    assert "samr-sh-2025-266/m1/agent-rd" not in found
    assert "shwl-2026-1/s1-2/agent-projects" not in found


def test_check_asks_for_the_sector_and_refuses_the_wrong_one(
    catalog: Catalog, clean_draft: Draft
) -> None:
    draft = clean_draft.model_copy(deep=True)
    draft.direction = MICRODRAMA
    draft.company.sectors = []
    hit = next(
        f
        for f in check(draft, catalog, IN_FORCE, files=None)
        if f.code.startswith("condition.sector")
    )
    assert hit.code == "condition.sector_unknown" and hit.severity.value == "warning"
    assert hit.field == "company.sectors"
    draft.company.sectors = ["games"]
    hit = next(
        f
        for f in check(draft, catalog, IN_FORCE, files=None)
        if f.code.startswith("condition.sector")
    )
    assert hit.code == "condition.sector" and hit.severity.value == "error"
    draft.company.sectors = ["microdrama"]
    assert not [
        f
        for f in check(draft, catalog, IN_FORCE, files=None)
        if f.code.startswith("condition.sector")
    ]


def test_old_drafts_without_sectors_load_and_a_string_is_a_list() -> None:
    old = json.loads((EXAMPLES / "drafts" / "bad-credit-code.json").read_text(encoding="utf-8"))
    assert "sectors" not in old["company"]
    assert Draft.model_validate(old).company.sectors == []
    assert Company.model_validate({"sectors": " games "}).sectors == ["games"]
    assert Company.model_validate({"sectors": ["ai", "", "ai", "短视频"]}).sectors == [
        "ai",
        "短视频",
    ]


def test_match_command_shows_the_sector_verdicts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads((EXAMPLES / "profiles" / "game-below-threshold.json").read_text("utf-8"))
    data["company"]["sectors"] = []
    profile = tmp_path / "nosector.json"
    profile.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "match", str(profile), "--date", "2026-06-01", "--json")
    matches = {m["key"]: m for m in json.loads(out)["matches"]}
    assert code == 0 and matches[DIGITAL_AD]["verdict"] == "unknown"
    assert matches[DIGITAL_AD]["meets_conditions"] is None
    code, out, _ = run(
        capsys,
        "match",
        str(EXAMPLES / "profiles" / "game-below-threshold.json"),
        "--date",
        "2026-06-01",
        "--json",
    )
    matches = {m["key"]: m for m in json.loads(out)["matches"]}
    assert matches[DIGITAL_AD]["verdict"] == "not_eligible"
    assert matches[DIGITAL_AD]["meets_conditions"] is False
