"""`shenbao match` and `shenbao check` for people choosing what to apply for: when each
direction can be applied for, what is missing and by how much, met reasons in met words,
and "meets the conditions" apart from "can apply now", in the text and the JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from forms.catalog.model import Catalog
from forms.draft.model import Profile
from tests.conftest import EXAMPLES, IN_WINDOW
from tests.test_cli import DRAFTS, PROFILES, run
from validators.eligibility import match_profile

CONTENT = "sheitc-ai-plus-2025/annex2-digital-content/content-creation"


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, dict[str, object]]:
    code, out, _ = run(capsys, *argv, "--json")
    assert code == 0
    return {m["key"]: m for m in json.loads(out)["matches"]}


def test_met_reasons_carry_met_text_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    """A company with good credit was told "信用记录不良…不符合申报条件" in --json."""
    matches = _json(
        capsys, "match", str(PROFILES / "content-creation-company.json"), "--date", "2025-09-10"
    )
    reasons = matches[CONTENT]["reasons"]
    assert isinstance(reasons, list)
    credit = next(r for r in reasons if r["code"] == "condition.credit")
    assert credit["met"] is True
    assert credit["message_zh"] == "满足：信用记录良好"
    assert credit["message_en"] == "Met: The applicant must have a good credit record."
    assert "不良" not in credit["message_zh"] and "dishonesty" not in credit["message_en"]
    users = next(r for r in reasons if r["code"] == "threshold.not_met" and r["met"])
    assert users["message_zh"].startswith("C端用户数 420,000人，满足")
    for reason in reasons:
        if reason["met"] is True:
            assert "不符合" not in reason["message_zh"] and "未达到" not in reason["message_zh"]


def test_the_nearest_unmet_threshold_says_how_far(catalog: Catalog) -> None:
    profile = Profile.model_validate_json(
        (EXAMPLES / "profiles" / "content-creation-company.json").read_text(encoding="utf-8")
    )
    profile.metrics["c_end_users"] = Decimal(280_000)
    m = next(m for m in match_profile(catalog, profile, IN_WINDOW) if m.key == CONTENT)
    nearest = m.nearest
    assert nearest is not None and nearest.params["gap"] == "还差20,001人"
    assert "C端用户数”为280,000人" in nearest.message("zh") and "还差20,001人" in nearest.message(
        "zh"
    )
    assert "short by 20,001 users" in nearest.message("en")
    profile.metrics["c_end_users"] = Decimal(300_000)  # at the boundary: 超 is strictly more
    m = next(m for m in match_profile(catalog, profile, IN_WINDOW) if m.key == CONTENT)
    assert m.nearest is not None and m.nearest.params["gap"] == "还差1人"
    profile.metrics["c_end_users"] = Decimal(300_001)
    m = next(m for m in match_profile(catalog, profile, IN_WINDOW) if m.key == CONTENT)
    assert m.nearest is None
    profile.metrics["product_annual_revenue"] = Decimal(2_800_000)
    m = next(m for m in match_profile(catalog, profile, IN_WINDOW) if m.key == CONTENT)
    assert m.nearest is not None and m.nearest.params["gap"] == "须再增加超过20万元"


def test_match_text_shows_when_and_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads((PROFILES / "content-creation-company.json").read_text("utf-8"))
    data["metrics"]["c_end_users"] = "280000"
    profile = tmp_path / "short.json"
    profile.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "match", str(profile), "--date", "2025-09-10")
    block = out[out.index(f"  {CONTENT}") :].split("\n* ")[0]
    assert code == 0
    assert "何时：施行至2027-12-31（本工具推断）；受理2025-09-03 10:00至2025-09-22 16:00" in block
    assert "最接近的未达门槛：C端用户数 280,000人，还差20,001人" in block
    code, out, _ = run(capsys, "match", str(profile), "--date", "2025-09-10", "--lang", "en")
    assert (
        "Nearest unmet threshold: Consumer (C-end) users 280,000 users, short by 20,001 users"
        in out
    )
    assert "When: in force until 2027-12-31 (the tool's inference)" in out


@pytest.mark.parametrize(
    ("when", "group", "verdict", "can_apply"),
    [
        ("2025-09-22T15:59+08:00", "== 符合（", "eligible", True),
        ("2025-09-22T16:00+08:00", "== 符合条件，暂不能申报（", "meets_conditions", False),
        ("2025-09-22T16:00", "== 符合条件，暂不能申报（", "meets_conditions", False),  # Shanghai
    ],
)
def test_match_at_the_windows_hour(
    capsys: pytest.CaptureFixture[str], when: str, group: str, verdict: str, can_apply: bool
) -> None:
    profile = str(PROFILES / "content-creation-company.json")
    matches = _json(capsys, "match", profile, "--date", when)
    content = matches[CONTENT]
    assert content["verdict"] == verdict and content["can_apply_now"] is can_apply
    assert content["meets_conditions"] is True
    timing = content["timing"]
    assert isinstance(timing, dict) and timing["window_closes"] == "2025-09-22T16:00:00+08:00"
    assert timing["in_force_until_inferred"] is not None
    code, out, _ = run(capsys, "match", profile, "--date", when)
    section = out[out.index(group) :]
    assert code == 0 and CONTENT in section.split("\n== ")[0]


def test_check_says_whether_the_draft_can_be_submitted_now(
    capsys: pytest.CaptureFixture[str],
) -> None:
    draft = str(DRAFTS / "content-creation.json")
    code, out, _ = run(capsys, "check", draft, "--no-files", "--date", "2025-09-22T15:59+08:00")
    assert code == 0 and "现在可以提交" in out
    code, out, _ = run(capsys, "check", draft, "--no-files", "--date", "2025-09-22T16:00+08:00")
    assert code == 0 and "现在不能提交：受理已截止" in out and "可为下一次申报准备草稿" in out
    code, out, _ = run(
        capsys, "check", draft, "--no-files", "--date", "2025-09-22T16:00+08:00", "--json"
    )
    (result,) = json.loads(out)
    assert result["exportable"] is True and result["can_apply_now"] is False
    assert result["timing"]["status"] == "window_closed"


def test_catalog_shows_each_documents_interval_and_inference(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "catalog", "--date", "2025-09-04")
    assert code == 0
    assert "[尚未施行] 上海市支持人工智能赋能广告业创新发展的若干措施" in out
    assert "2025-09-05起施行（本工具推断：文件未写明施行日期和有效期" in out
    assert "运动控制模型" in out and "核心零部件" in out
    code, out, _ = run(capsys, "catalog", "--json", "--date", "2025-09-04")
    policies = {p["id"]: p for p in json.loads(out)["policies"]}
    assert policies["samr-sh-2025-266"]["timing"]["status"] == "not_yet_in_force"
    assert policies["shwl-2024-microdrama"]["issuer"] is None
