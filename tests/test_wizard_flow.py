"""The wizard's flow table, without Qt: next rules, field routing, completeness, settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forms.catalog.model import Catalog
from forms.draft.flow import (
    CONTENT_STEPS,
    FLOW,
    StepId,
    WizardState,
    advance,
    back,
    can_enter,
    completeness,
    go_to,
    next_step,
    reachable,
    step_for_field,
)
from forms.draft.model import Draft
from forms.draft.money import MoneyUnit
from forms.system.settings import Settings, load_settings, save_settings

CONTENT = "sheitc-ai-plus-2025/annex2-digital-content/content-creation"


def test_every_step_has_one_row() -> None:
    assert [s.id for s in FLOW] == list(StepId)


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        (StepId.COMPANY, StepId.DIRECTION),
        (StepId.DIRECTION_DATA, StepId.PROJECT),
        (StepId.PROJECT, StepId.ATTACHMENTS),
        (StepId.ATTACHMENTS, StepId.REVIEW),
        (StepId.EXPORT, None),
    ],
)
def test_fixed_next_steps(catalog: Catalog, step: StepId, expected: StepId | None) -> None:
    assert next_step(WizardState(step=step), catalog) == expected


def test_direction_data_follows_a_direction_with_thresholds(catalog: Catalog) -> None:
    state = WizardState(draft=Draft(direction=CONTENT), step=StepId.DIRECTION)
    assert next_step(state, catalog) is StepId.DIRECTION_DATA
    assert StepId.DIRECTION_DATA in reachable(state, catalog)


def test_without_a_direction_the_data_page_is_skipped(catalog: Catalog) -> None:
    state = WizardState(step=StepId.DIRECTION)
    assert next_step(state, catalog) is StepId.PROJECT
    assert StepId.DIRECTION_DATA not in reachable(state, catalog)
    assert not can_enter(StepId.DIRECTION_DATA, state, catalog)


def test_a_direction_asking_nothing_skips_the_data_page(catalog: Catalog) -> None:
    silent = next(
        q
        for q in catalog.directions()
        if not q.direction.thresholds
        and not any(
            c.kind.value in ("builder_and_owner", "no_other_municipal_funding", "declaration")
            for c in q.conditions
        )
    )
    state = WizardState(draft=Draft(direction=silent.key), step=StepId.DIRECTION)
    assert next_step(state, catalog) is StepId.PROJECT


@pytest.mark.parametrize(("errors", "expected"), [(0, StepId.EXPORT), (1, None), (7, None)])
def test_export_only_without_errors(catalog: Catalog, errors: int, expected: StepId | None) -> None:
    state = WizardState(step=StepId.REVIEW, errors=errors)
    assert next_step(state, catalog) == expected
    assert can_enter(StepId.EXPORT, state, catalog) is (expected is not None)


def test_warnings_never_block_moving_between_content_pages(catalog: Catalog) -> None:
    state = WizardState(errors=5)
    for step in CONTENT_STEPS:
        if step is not StepId.DIRECTION_DATA:
            assert can_enter(step, state, catalog)


def test_back_restores_the_previous_step_as_a_copy(catalog: Catalog) -> None:
    start = WizardState(draft=Draft(direction=CONTENT))
    second = advance(start, catalog)
    assert second is not None and second.step is StepId.DIRECTION
    third = advance(second, catalog)
    assert third is not None and third.history == [StepId.COMPANY, StepId.DIRECTION]
    third.draft.title = "changed later"
    assert second.draft.title == ""  # moving copied the state: no aliasing
    previous = back(third)
    assert previous is not None
    assert previous.step is StepId.DIRECTION and previous.history == [StepId.COMPANY]
    assert back(start) is None


def test_go_to_remembers_where_it_came_from() -> None:
    state = go_to(WizardState(), StepId.REVIEW)
    assert state.step is StepId.REVIEW and state.history == [StepId.COMPANY]
    assert go_to(state, StepId.REVIEW) is state


@pytest.mark.parametrize(
    ("path", "step"),
    [
        ("company.name", StepId.COMPANY),
        ("company.contact", StepId.COMPANY),
        ("financials.0.revenue", StepId.COMPANY),
        ("direction", StepId.DIRECTION),
        ("project.metrics.c_end_users", StepId.DIRECTION_DATA),
        ("declarations.builder_and_owner", StepId.DIRECTION_DATA),
        ("declarations.confirmed", StepId.DIRECTION_DATA),
        ("project.requested_support", StepId.PROJECT),
        ("project.base_amounts.approved_contract_amount", StepId.PROJECT),
        ("project.budget.2.amount", StepId.PROJECT),
        ("attachments[user_evidence]", StepId.ATTACHMENTS),
        ("attachments.3.file", StepId.ATTACHMENTS),
        ("declarations.materials_true", StepId.REVIEW),
        ("something.unknown", StepId.REVIEW),
        ("projects.name", StepId.REVIEW),  # a prefix must end at a separator
    ],
)
def test_findings_go_to_the_page_that_fixes_them(path: str, step: StepId) -> None:
    assert step_for_field(path) is step


def test_completeness_counts_pages_without_errors() -> None:
    assert completeness([]) == 100
    assert completeness(["company.name", "company.contact"]) == 83
    assert completeness(["company.name", "direction", "project.name"]) == 50
    assert completeness(["direction"], skipped=[StepId.DIRECTION_DATA]) == 80


def test_settings_round_trip_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert load_settings(path) == Settings()
    settings = Settings(language="en", money_unit=MoneyUnit.YUAN, last_workspace=tmp_path)
    save_settings(settings, path)
    assert load_settings(path) == settings


def test_a_bad_settings_value_keeps_the_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"language": "fr", "money_unit": "元", "extra": 1}), "utf-8")
    settings = load_settings(path)
    assert settings.language == "zh" and settings.money_unit is MoneyUnit.YUAN
    path.write_text("{not json", "utf-8")
    assert load_settings(path) == Settings()


def test_settings_live_under_the_data_home(isolated_home: Path) -> None:
    save_settings(Settings(language="en"))
    assert (isolated_home / "settings.json").is_file()
    assert load_settings().language == "en"
