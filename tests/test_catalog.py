"""The bundled catalog: loads, cross-references, matches its source texts and numbers."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel

from forms.catalog.loader import CatalogError, load_catalog
from forms.catalog.model import Bound, Catalog, Comparison, Status, SupportBase, SupportForm
from forms.catalog.support import support_summary
from forms.system.resources import resource_path
from tests.conftest import SEEDS, SHARED_SEEDS

SEED_POLICIES = {
    "000_b4a1cffce2938afa.txt": "samr-sh-2025-266",
    "001_c225274d5004a409.txt": "jiading-2023-2",
    "002_8414eaba4bc3e870.txt": "sheitc-2025-489",
    "003_1600f908690d1e36.txt": "sheitc-ai-plus-2025",
    "004_f35084be59be604d.txt": "shwl-2026-1",
}


def _normalise(text: str) -> str:
    """Seed texts wrap lines and mix full- and half-width punctuation and spaces."""
    text = re.sub(r"[\s*#]+", "", text)
    table = str.maketrans("，：；（）％＋", ",:;()%+")
    return text.translate(table)


@pytest.fixture(scope="module")
def seed_text() -> dict[str, str]:
    return {p.name: _normalise(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")}


def test_every_seed_has_its_policy(catalog: Catalog) -> None:
    ids = {p.id for p in catalog.policies}
    assert set(SEED_POLICIES.values()) <= ids
    for seed, policy_id in SEED_POLICIES.items():
        assert catalog.policy(policy_id).source.startswith(f"seeds/{seed}")


def test_bundled_seeds_are_the_shared_ones() -> None:
    if not SHARED_SEEDS.is_dir():
        pytest.skip("shared/ is not beside this checkout")
    for path in SHARED_SEEDS.glob("*.txt"):
        assert (SEEDS / path.name).read_bytes() == path.read_bytes(), path.name


@pytest.mark.parametrize(
    ("policy_id", "measures"),
    [("samr-sh-2025-266", 12), ("sheitc-2025-489", 12), ("jiading-2023-2", 11 + 4 + 4)],
)
def test_measure_counts(catalog: Catalog, policy_id: str, measures: int) -> None:
    assert len(catalog.policy(policy_id).measures) == measures


def test_jiading_tasks_keep_their_responsible_units(catalog: Catalog) -> None:
    policy = catalog.policy("jiading-2023-2")
    tasks = [m for m in policy.measures if m.id.startswith("task")]
    assert len(tasks) == 11
    for task in tasks:
        assert task.responsible_units, task.id
        assert task.directions, task.id
        for direction in task.directions:
            assert direction.responsible_units, f"{task.id}/{direction.id}"


def _words_fields(obj: object, path: str) -> Iterator[tuple[str, str]]:
    """Every field named `words` (or `*_words`) in a catalog record, however deep."""
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            if name == "words" or name.endswith("_words"):
                yield f"{path}.{name}", value
            else:
                yield from _words_fields(value, f"{path}.{name}")
    elif isinstance(obj, tuple):
        for index, item in enumerate(obj):
            yield from _words_fields(item, f"{path}[{index}]")
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from _words_fields(item, f"{path}.{key}")


def test_every_words_field_quotes_its_seed(catalog: Catalog, seed_text: dict[str, str]) -> None:
    """Every `words` field — of directions, supports, thresholds, conditions, readings,
    submissions, validity — is verbatim source text (ellipses mark elisions), so a
    reviewer can find it; what the tool adds is a reading, a note or an inference."""
    checked = 0
    for policy in catalog.policies:
        seed = policy.source.split("/")[1].split(" ")[0]
        source = seed_text[seed]
        for where, words in _words_fields(policy, policy.id):
            if not words:
                continue
            for fragment in re.split(r"……|…", words):
                fragment = _normalise(fragment).strip("。.")
                assert fragment in source, f"{where}: not in {seed}: {fragment[:40]}"
            checked += 1
    assert checked > 400


def test_the_words_test_sees_a_paraphrase(catalog: Catalog, seed_text: dict[str, str]) -> None:
    """The walk reaches conditions (where two paraphrases hid) and fails on one."""
    policy = catalog.policy("sheitc-2025-489")
    paraphrased = policy.model_copy(
        update={"conditions": (policy.conditions[0].model_copy(update={"words": "本市主体"}),)}
    )
    found = dict(_words_fields(paraphrased, policy.id))
    assert found[f"{policy.id}.conditions[0].words"] == "本市主体"
    assert _normalise("本市主体") not in seed_text["002_8414eaba4bc3e870.txt"]


_BOUND_WORDS = {
    Bound.UP_TO: ("最高",),
    Bound.NOT_OVER: ("不超过",),
    Bound.UP_TO_NOT_OVER: ("最高不超过",),
}


def test_every_rate_and_amount_keeps_the_seeds_qualifier(catalog: Catalog) -> None:
    """ "最高" is shown exactly where the seed says it: a fixed award (一次性给予…5 万元) and
    a fixed rate (按核定合同额的 5%) are bare, "不超过" stays "不超过"."""
    for q in catalog.directions():
        support = q.direction.support
        words = "|".join(
            _normalise(w) for w in (support.words, *(r.words for r in support.readings))
        )
        if support.rate_max_pct is not None:
            rate = f"{support.rate_max_pct.normalize():f}%"
            assert support.rate_bound is not None, q.key
            if support.rate_bound is Bound.EXACT:
                assert not re.search(f"(最高|不超过)[^,、%|]*?{re.escape(rate)}", words), q.key
            else:
                assert any(
                    re.search(f"{w}[^,、%|]*?{re.escape(rate)}", words)
                    for w in _BOUND_WORDS[support.rate_bound]
                ), (q.key, words)
        if support.cap_cny is not None and not support.readings:
            cap = _wan(support.cap_cny) + "万"
            assert support.cap_bound is not None, q.key
            if support.cap_bound is Bound.EXACT:
                assert not re.search(f"(最高|不超过){re.escape(cap)}", words), q.key
            else:
                qualifier = _BOUND_WORDS[support.cap_bound][0]
                assert re.search(f"{qualifier}{re.escape(cap)}", words), (q.key, words)


@pytest.mark.parametrize(
    ("key", "zh", "en"),
    [
        ("shwl-2026-1/s3-1/script-award", "5万元", "CNY 50,000"),
        ("sheitc-2025-489/m7/product-sales-award", "核定合同额的5%，最高500万元", "5% of"),
        ("samr-sh-2025-266/m2/private-deployment", "核定合同额的最高50%，最高500万元", "up to 50%"),
        (
            "samr-sh-2025-266/m2/compute-rent",
            "实际投入的不超过30%，单个主体年度最高2,000万元",
            "not over 30%",
        ),
        ("samr-sh-2025-266/m1/agent-rd", "最高不超过1,200万元", "at most CNY 12,000,000"),
        ("samr-sh-2025-266/m1/rd-spend", "实际研发投入的10%—50%，最高不超过500万元", "10%—50% of"),
        ("sheitc-2025-489/m4/strategic-key-project", "最高50%（原文未写明基数）", "names no base"),
    ],
)
def test_support_summaries_say_what_the_seed_says(
    catalog: Catalog, key: str, zh: str, en: str
) -> None:
    q = catalog.direction(key)
    assert support_summary(catalog, q, "zh").startswith(zh)
    assert en in support_summary(catalog, q, "en")
    if "最高" not in q.direction.support.words:  # no 最高 the text does not say
        assert "最高" not in support_summary(catalog, q, "zh")


def test_three_vouchers_of_one_million_each(catalog: Catalog) -> None:
    """489号 第9条: 100 万元算力券、100 万元模型券、100 万元语料券 — three supports, not one
    of 3,000,000: a company spending only on compute may get at most 1,000,000."""
    town = [q for q in catalog.directions() if q.key.startswith("sheitc-2025-489/m9/town-")]
    assert [q.direction.id for q in town] == [
        "town-compute-voucher",
        "town-model-voucher",
        "town-corpus-voucher",
    ]
    for q, kind in zip(town, ("算力券", "模型券", "语料券"), strict=True):
        support = q.direction.support
        assert support.cap_cny == 1_000_000 and support.maximum(None) == 1_000_000
        assert kind in support.words and kind in q.direction.title
    with pytest.raises(KeyError):
        catalog.direction("sheitc-2025-489/m9/town-vouchers")


def test_every_embodied_ai_topic_of_the_call_is_choosable(
    catalog: Catalog, seed_text: dict[str, str]
) -> None:
    """三、4 names six topics; annex 1 details only the first, and each says so."""
    topics = (
        "感知决策模型",
        "运动控制模型",
        "具身协同技术",
        "具身语料技术",
        "自主操作系统",
        "核心零部件",
    )
    assert (
        _normalise("支持" + "、".join(topics) + "等核心技术攻关")
        in seed_text["003_1600f908690d1e36.txt"]
    )
    measure = next(
        m for m in catalog.policy("sheitc-ai-plus-2025").measures if m.id == "annex1-embodied"
    )
    assert tuple(d.title for d in measure.directions) == topics
    for direction in measure.directions:
        assert direction.applyable and "三、4" in (direction.clause + direction.note)
        assert "附件1" in direction.note and direction.note_en
    assert "只细化了这一项" in measure.directions[0].note
    assert all("仅细化了第一项" in d.note for d in measure.directions[1:])


def test_annex1_estimates_are_the_tools_inference_with_reasoning(catalog: Catalog) -> None:
    refs = [q for q in catalog.directions() if q.direction.support.support_ref]
    assert len(refs) >= 20
    for q in refs:
        inference = q.direction.support.inference
        assert inference is not None and inference.reasoning and inference.reasoning_en, q.key
        assert "489号" in inference.reasoning and "未作此对应" in inference.reasoning
        assert "本工具推断" in support_summary(catalog, q, "zh")


def test_data_assumptions_are_marked_or_gone(catalog: Catalog) -> None:
    strategic = catalog.direction("sheitc-2025-489/m4/strategic-key-project").direction.support
    assert strategic.base is None and strategic.maximum(Decimal(10**8)) is None  # 50% of what?
    old = catalog.policy("shwl-2024-microdrama")
    assert old.issuer is None and old.issuer_en is None  # not in the seed
    assert "effective_from" in old.inferred
    helps = " ".join(m.help for m in catalog.metrics)
    for qualifier in ("注册用户", "累计", "最近一个完整年度", "同时在线"):
        assert qualifier not in helps, qualifier


def _wan(amount: Decimal) -> str:
    value = amount / 10_000
    return f"{value.normalize():f}"


def test_caps_and_rates_appear_in_their_source_words(catalog: Catalog) -> None:
    """Every number of the data is traceable to the words it was read from."""
    checked = 0
    for q in catalog.directions():
        support = q.direction.support
        words = _normalise(support.words + " ".join(r.words for r in support.readings))
        if support.cap_cny is not None and not support.readings:
            cap = support.cap_cny
            assert _wan(cap) + "万" in words or _wan(cap / 10_000) + "亿" in words, (
                q.key,
                cap,
                words,
            )
            checked += 1
        for rate in (support.rate_min_pct, support.rate_max_pct):
            if rate is not None and not support.readings:
                assert f"{rate.normalize():f}%" in words, (q.key, rate, words)
    assert checked > 20


ANNEX2 = "sheitc-ai-plus-2025/annex2"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (
            f"{ANNEX2}-digital-content/game-buyout",
            {("game_copies_sold", "gt", 50_000), ("product_annual_revenue", "gt", 1_000_000)},
        ),
        (
            f"{ANNEX2}-digital-content/game-non-buyout",
            {("game_users", "gt", 1_000_000), ("product_annual_revenue", "gt", 10_000_000)},
        ),
        (
            f"{ANNEX2}-digital-content/content-creation",
            {("c_end_users", "gt", 300_000), ("product_annual_revenue", "gt", 3_000_000)},
        ),
        (f"{ANNEX2}-fintech/fintech-product", {("product_annual_revenue", "gt", 2_000_000)}),
        (
            f"{ANNEX2}-new-applications/industry-platform",
            {
                ("platform_availability", "gt", Decimal("99.9")),
                ("platform_concurrent_users", "ge", 100_000),
                ("platform_revenue_target", "gt", 3_000_000),
            },
        ),
    ],
)
def test_annex2_thresholds_are_exact(
    catalog: Catalog, key: str, expected: set[tuple[str, str, object]]
) -> None:
    thresholds = catalog.direction(key).direction.thresholds
    assert {(t.metric, t.op.value, Decimal(str(t.value))) for t in thresholds} == {
        (m, op, Decimal(str(v))) for m, op, v in expected
    }
    for t in thresholds:
        assert t.reading is not None and t.reading.words, "every threshold states its reading"


def test_readings_of_ambiguous_words(catalog: Catalog) -> None:
    platform = catalog.direction(f"{ANNEX2}-new-applications/industry-platform").direction
    level = next(t for t in platform.thresholds if t.metric == "platform_concurrent_users")
    assert level.op is Comparison.GE and "十万级" in level.words
    game = catalog.direction(f"{ANNEX2}-digital-content/game-buyout").direction
    assert all(t.op is Comparison.GT and "超" in t.words for t in game.thresholds)
    rd = [
        q.direction.support
        for q in catalog.directions()
        if q.policy.id == "samr-sh-2025-266"
        and q.direction.support.base is SupportBase.ACTUAL_RD_SPEND
    ]
    assert any(s.rate_min_pct == 10 and s.rate_max_pct == 50 and s.cap_cny == 5_000_000 for s in rd)


@pytest.mark.parametrize(
    ("key", "rate", "cap", "base"),
    [
        ("sheitc-2025-489/m4/key-tech", 30, 50_000_000, SupportBase.APPROVED_TOTAL_INVESTMENT),
        (
            "sheitc-2025-489/m6/service-platform",
            50,
            20_000_000,
            SupportBase.APPROVED_TOTAL_INVESTMENT,
        ),
        (
            "sheitc-2025-489/m8/benchmark-scenario",
            20,
            10_000_000,
            SupportBase.APPROVED_TOTAL_INVESTMENT,
        ),
    ],
)
def test_489_levels_used_as_estimates(
    catalog: Catalog, key: str, rate: int, cap: int, base: SupportBase
) -> None:
    support = catalog.direction(key).direction.support
    assert support.form is SupportForm.RATE_OF_BASE
    assert support.rate_max_pct == Decimal(rate)
    assert support.cap_cny == Decimal(cap)
    assert support.base is base


def test_submission_rules_of_the_2025_call(catalog: Catalog) -> None:
    call = catalog.policy("sheitc-ai-plus-2025")
    sub = call.submission
    assert sub is not None
    assert sub.max_file_bytes == 5_000_000 and sub.file_format == "pdf" and sub.multiple_files
    assert sub.opens == datetime(2025, 9, 3, 10, tzinfo=timezone(timedelta(hours=8)))
    assert sub.closes == datetime(2025, 9, 22, 16, tzinfo=timezone(timedelta(hours=8)))
    assert sub.latest_project_end == date(2027, 12, 31)
    kinds = {c.kind.value for c in call.conditions}
    assert {
        "registered_in_region",
        "builder_and_owner",
        "one_project_per_company",
        "max_duration_months",
        "latest_end",
        "not_completed",
        "no_other_municipal_funding",
    } <= kinds


@pytest.mark.parametrize(
    ("policy_id", "on", "status"),
    [
        ("sheitc-ai-plus-2025", date(2025, 9, 1), Status.NOT_YET_OPEN),
        ("sheitc-ai-plus-2025", date(2025, 9, 3), Status.ACTIVE),
        ("sheitc-ai-plus-2025", date(2025, 9, 22), Status.ACTIVE),
        ("sheitc-ai-plus-2025", date(2025, 9, 23), Status.WINDOW_CLOSED),
        ("jiading-2023-2", date(2025, 12, 31), Status.ACTIVE),
        ("jiading-2023-2", date(2026, 1, 1), Status.EXPIRED),
        ("shwl-2024-microdrama", date(2026, 5, 19), Status.ACTIVE),
        ("shwl-2024-microdrama", date(2026, 5, 20), Status.SUPERSEDED),
        ("shwl-2026-1", date(2026, 11, 23), Status.ACTIVE),
        ("sheitc-2025-489", date(2026, 11, 23), Status.ACTIVE),
    ],
)
def test_status_on_a_date(catalog: Catalog, policy_id: str, on: date, status: Status) -> None:
    assert catalog.policy(policy_id).status_on(on) is status


def test_window_closes_at_the_minute(catalog: Catalog) -> None:
    call = catalog.policy("sheitc-ai-plus-2025")
    shanghai = timezone(timedelta(hours=8))
    assert call.status_on(datetime(2025, 9, 22, 15, 59, tzinfo=shanghai)) is Status.ACTIVE
    assert call.status_on(datetime(2025, 9, 22, 16, 0, tzinfo=shanghai)) is Status.WINDOW_CLOSED
    assert call.status_on(datetime(2025, 9, 3, 9, 59, tzinfo=shanghai)) is Status.NOT_YET_OPEN


def test_superseded_policy_is_kept_and_linked(catalog: Catalog) -> None:
    old = catalog.policy("shwl-2024-microdrama")
    assert old.superseded_by == "shwl-2026-1"
    assert "shwl-2024-microdrama" in catalog.policy("shwl-2026-1").supersedes


# --- loading other catalog folders ----------------------------------------------------


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(resource_path("catalog"), target)
    return target


def test_next_years_call_loads_without_code_change(catalog_copy: Path) -> None:
    text = (catalog_copy / "policies" / "sheitc-ai-plus-2025.yaml").read_text(encoding="utf-8")
    text = text.replace("id: sheitc-ai-plus-2025", "id: sheitc-ai-plus-2026")
    text = text.replace("2025-09-03T10:00:00+08:00", "2026-09-01T10:00:00+08:00")
    text = text.replace("2025-09-22T16:00:00+08:00", "2026-09-30T16:00:00+08:00")
    text = text.replace("effective_from: 2025-09-03", "effective_from: 2026-09-01")
    (catalog_copy / "policies" / "sheitc-ai-plus-2026.yaml").write_text(text, encoding="utf-8")
    loaded = load_catalog(catalog_copy)
    new = loaded.policy("sheitc-ai-plus-2026")
    assert new.status_on(date(2026, 9, 15)) is Status.ACTIVE
    assert loaded.direction("sheitc-ai-plus-2026/annex2-digital-content/content-creation")


MINIMAL_POLICY = """\
id: test-policy
title: 测试政策
title_en: Test policy
issuer: 测试局
issuer_en: Test bureau
doc_number: 测〔2026〕1号
issued: 2026-01-01
kind: measures
level: municipal
region_code: "310000"
source: test
measures:
  - id: m1
    number: "1"
    title: 测试措施
    title_en: Measure 1
    clause: 第1条
    directions:
      - id: d1
        title: 测试方向
        title_en: Direction 1
        clause: 第1条
        words: 给予最高1200万元支持
        applicants: [enterprise]
        support:
          form: rate_of_base
          base: approved_total_investment
          rate_max_pct: 30
          rate_bound: up_to
          cap_cny: 12000000
          cap_bound: up_to
          words: 给予最高30%、最高1200万元支持
        thresholds:
          - metric: c_end_users
            op: gt
            value: 10
            words: 超10
"""


def test_minimal_policy_file_loads(catalog_copy: Path) -> None:
    (catalog_copy / "policies" / "zz-test.yaml").write_text(MINIMAL_POLICY, encoding="utf-8")
    assert (
        load_catalog(catalog_copy).direction("test-policy/m1/d1").direction.support.cap_cny
        == 12_000_000
    )


@pytest.mark.parametrize(
    ("old", "new", "location", "problem"),
    [
        (
            "cap_cny: 12000000",
            "cap_cny: lots",
            "measures.0.directions.0.support.cap_cny",
            "decimal",
        ),
        (
            "    title_en: Measure 1",
            "    titel_en: Measure 1",
            "measures.0.titel_en",
            "extra inputs",
        ),
        ("op: gt", "op: more", "measures.0.directions.0.thresholds.0.op", "'gt'"),
        (
            "rate_max_pct: 30",
            "rate_max_pct: 130",
            "measures.0.directions.0.support.rate_max_pct",
            "100",
        ),
        (
            "form: rate_of_base",
            "form: rate_of_base\n          base_typo: 1",
            "base_typo",
            "extra inputs",
        ),
    ],
)
def test_malformed_policy_is_refused_precisely(
    catalog_copy: Path, old: str, new: str, location: str, problem: str
) -> None:
    victim = catalog_copy / "policies" / "zz-test.yaml"
    assert old in MINIMAL_POLICY
    victim.write_text(MINIMAL_POLICY.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(catalog_copy)
    problems = info.value.problems
    assert all(p.file == victim for p in problems)
    assert any(
        location in p.location and problem in p.problem.render("en").lower() for p in problems
    ), problems
    assert str(victim) in str(info.value)


def test_yaml_syntax_error_names_line(catalog_copy: Path) -> None:
    victim = catalog_copy / "policies" / "sheitc-ai-plus-2025.yaml"
    victim.write_text("id: x\n  title: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(catalog_copy)
    assert "line" in info.value.problems[0].location


def test_duplicate_key_is_refused(catalog_copy: Path) -> None:
    victim = catalog_copy / "policies" / "sheitc-ai-plus-2025.yaml"
    victim.write_text(
        victim.read_text(encoding="utf-8").replace("revision: 1", "revision: 1\nrevision: 2"),
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match="duplicate key 'revision'"):
        load_catalog(catalog_copy)


def test_unknown_metric_reference_is_refused(catalog_copy: Path) -> None:
    victim = catalog_copy / "policies" / "sheitc-ai-plus-2025.yaml"
    victim.write_text(
        victim.read_text(encoding="utf-8").replace("metric: c_end_users", "metric: c_users"),
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match="c_users"):
        load_catalog(catalog_copy)


def test_newer_schema_is_refused_with_advice(catalog_copy: Path) -> None:
    manifest = catalog_copy / "catalog.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("schema_version: 2", "schema_version: 3"),
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match="update shenbao"):
        load_catalog(catalog_copy)


def test_money_in_yaml_is_exact(catalog: Catalog) -> None:
    availability = catalog.direction(
        f"{ANNEX2}-new-applications/industry-platform"
    ).direction.thresholds[0]
    assert availability.value == Decimal("99.9")
    assert type(availability.value) is Decimal


@pytest.mark.parametrize(
    ("old", "new", "chinese"),
    [
        ("          rate_bound: up_to\n", "", "rate_bound：up_to最高"),
        ("    title_en: Measure 1", "    titel_en: Measure 1", "不认识的字段"),
        ("cap_cny: 12000000", "cap_cny: lots", "应为数字"),
        ("rate_max_pct: 30", "rate_max_pct: 130", "不能大于100"),
    ],
)
def test_problems_are_told_to_policy_staff_in_chinese(
    catalog_copy: Path, old: str, new: str, chinese: str
) -> None:
    victim = catalog_copy / "policies" / "zz-test.yaml"
    victim.write_text(MINIMAL_POLICY.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(catalog_copy)
    message = info.value.message("zh")
    assert chinese in message and str(victim) in message, message
