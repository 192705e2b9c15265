"""Drafts: exact money, round trips, half-filled drafts, version refusal, JSON Schema."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from forms.draft.io import InputError, load_draft, save_json_atomic
from forms.draft.model import BudgetCategory, BudgetLine, Draft, Profile, Project
from forms.draft.money import MoneyUnit, format_cny, to_cny
from forms.system.resources import resource_path
from tests.conftest import EXAMPLES


@pytest.mark.parametrize(
    ("typed", "cny"),
    [
        ("300万元", Decimal("3000000")),
        ("300万", Decimal("3000000")),
        ("1,200.5万元", Decimal("12005000")),
        ("3,000,000元", Decimal("3000000")),
        ("1.2亿元", Decimal("120000000")),
        (1200, Decimal("1200")),
        ("0.1", Decimal("0.1")),
        (0.1, Decimal("0.1")),
    ],
)
def test_money_units_are_explicit_and_exact(typed: object, cny: Decimal) -> None:
    line = BudgetLine.model_validate({"category": "other", "amount": typed})
    assert line.amount == cny


@pytest.mark.parametrize("bad", ["三百万", "12abc", "万元", True])
def test_bad_amounts_are_refused_with_advice(bad: object) -> None:
    with pytest.raises(ValidationError, match=r"amount|number"):
        BudgetLine.model_validate({"category": "other", "amount": bad})


def test_unit_conversion_round_trips() -> None:
    assert to_cny("1200", MoneyUnit.WAN_YUAN) == Decimal("12000000.00")
    assert format_cny(Decimal(12_000_000)) == "1,200万元"
    assert format_cny(Decimal("12345.6"), MoneyUnit.YUAN) == "12,345.6元"


def test_money_serialises_as_exact_strings(clean_draft: Draft) -> None:
    data = json.loads(clean_draft.model_dump_json())
    assert data["project"]["requested_support"] == "3000000.00"
    assert data["project"]["metrics"]["c_end_users"] == "420000"


def test_example_draft_round_trips_exactly(clean_draft: Draft) -> None:
    again = Draft.model_validate_json(clean_draft.model_dump_json())
    assert again == clean_draft
    assert again.model_dump_json() == clean_draft.model_dump_json()


amounts = st.decimals(
    min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False
)


@given(
    lines=st.lists(st.tuples(st.sampled_from(list(BudgetCategory)), amounts), max_size=8),
    requested=st.none() | amounts,
    start=st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    name=st.text(max_size=30),
)
def test_any_project_round_trips(
    lines: list[tuple[BudgetCategory, Decimal]],
    requested: Decimal | None,
    start: date | None,
    name: str,
) -> None:
    draft = Draft(
        project=Project(
            name=name,
            start_date=start,
            requested_support=requested,
            budget=[BudgetLine(category=c, amount=a) for c, a in lines],
        )
    )
    assert Draft.model_validate_json(draft.model_dump_json()) == draft


def test_half_filled_draft_loads(tmp_path: Path) -> None:
    path = tmp_path / "half.json"
    path.write_text(
        json.dumps({"format": "shenbao.draft", "company": {"name": "某公司"}}), encoding="utf-8"
    )
    draft = load_draft(path)
    assert draft.company.name == "某公司" and draft.project.budget == []


def test_credit_code_is_normalised_not_refused() -> None:
    draft = Draft.model_validate({"company": {"credit_code": " 9131 0104ma1fr6k2xf "}})
    assert draft.company.credit_code == "91310104MA1FR6K2XF"
    assert (
        Draft.model_validate({"company": {"credit_code": "nonsense"}}).company.credit_code
        == "NONSENSE"
    )


def test_newer_schema_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "future.json"
    path.write_text(json.dumps({"format": "shenbao.draft", "schema_version": 9}), encoding="utf-8")
    with pytest.raises(InputError, match="update shenbao"):
        load_draft(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "line 1"),
        ('{"format": "shenbao.profile"}', "not a draft"),
        (
            '{"format": "shenbao.draft", "project": {"start_date": "2025-13-01"}}',
            "project.start_date",
        ),
        ('{"format": "shenbao.draft", "compnay": {}}', "compnay"),
        ("[1, 2]", "not a draft"),
    ],
)
def test_bad_files_get_precise_messages(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        load_draft(path)
    assert str(path) in str(info.value)


def test_missing_file_message(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_draft(tmp_path / "nope.json")


def test_atomic_save_keeps_the_old_file_on_failure(
    tmp_path: Path, clean_draft: Draft, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "d.json"
    save_json_atomic(path, clean_draft)
    before = path.read_bytes()

    def boom(self: Path, target: Path) -> Path:
        raise OSError("disk full")

    monkeypatch.setattr(Path, "replace", boom)
    clean_draft.title = "changed"
    with pytest.raises(OSError, match="disk full"):
        save_json_atomic(path, clean_draft)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["d.json"]


def test_published_json_schema_is_current() -> None:
    models: dict[str, type[Draft] | type[Profile]] = {"draft": Draft, "profile": Profile}
    for kind, model in models.items():
        published = resource_path("schema", f"{kind}.schema.json")
        advice = f"run: shenbao schema --kind {kind} --out {published}"
        assert published.is_file(), advice
        assert json.loads(published.read_text(encoding="utf-8")) == model.model_json_schema(), (
            advice
        )


#: The example drafts `shenbao demo`, the docs and the tests rely on.
EXAMPLE_DRAFTS = ("bad-credit-code.json", "content-creation.json", "game-below-threshold.json")


def test_the_examples_are_there_and_each_loads_and_round_trips() -> None:
    found = sorted(p.name for p in (EXAMPLES / "drafts").glob("*.json"))
    assert found == sorted(EXAMPLE_DRAFTS)  # a missing or stray example is a failure
    for name in found:
        draft = load_draft(EXAMPLES / "drafts" / name)
        assert draft.company.name and draft.direction, name
        again = Draft.model_validate_json(draft.model_dump_json())
        assert again == draft, name
