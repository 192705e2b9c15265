"""The wizard's flow as data: step ids, which fields each page owns, and `next` rules.

The desktop binds one page widget per step id and asks this table where Next leads,
whether a step can be entered, and which page a finding belongs to; nothing here
imports Qt, so the flow is tested with plain pytest. The state the wizard keeps is one
typed model (`WizardState`); Back restores a copy of the navigation state, while the
draft stays as edited (it is the user's document: autosaved, with undo for reverting).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from forms.catalog.model import Catalog, ConditionKind, QualifiedDirection
from forms.draft.model import Draft


class StepId(StrEnum):
    COMPANY = "company"
    DIRECTION = "direction"
    DIRECTION_DATA = "direction_data"
    PROJECT = "project"
    ATTACHMENTS = "attachments"
    REVIEW = "review"
    EXPORT = "export"


class WizardState(BaseModel):
    """Where one draft's wizard stands: the draft, the step, how it got there."""

    model_config = ConfigDict(validate_assignment=True)

    draft: Draft = Field(default_factory=Draft)
    step: StepId = StepId.COMPANY
    history: list[StepId] = Field(default_factory=list)
    #: Blocking findings at the last check; export opens only at zero.
    errors: int = Field(default=0, ge=0)


#: Conditions the applicant answers on the direction-data page (declarations), as
#: opposed to company facts asked on the company page.
DECLARED = frozenset(
    {
        ConditionKind.BUILDER_AND_OWNER,
        ConditionKind.NO_OTHER_MUNICIPAL_FUNDING,
        ConditionKind.DECLARATION,
    }
)


def asks_for_data(q: QualifiedDirection) -> bool:
    """Whether a direction has thresholds to measure or declarations to make."""
    return bool(q.direction.thresholds) or any(c.kind in DECLARED for c in q.conditions)


def _after_direction(state: WizardState, catalog: Catalog) -> StepId:
    q = catalog.lookup(state.draft.direction)
    return StepId.DIRECTION_DATA if q is not None and asks_for_data(q) else StepId.PROJECT


def _after_review(state: WizardState, catalog: Catalog) -> StepId | None:
    return StepId.EXPORT if state.errors == 0 else None


NextRule = Callable[[WizardState, Catalog], StepId | None]


@dataclass(frozen=True)
class Step:
    id: StepId
    #: Finding field paths this page shows ("company" covers "company.contact.phone").
    fields: tuple[str, ...]
    next: NextRule


FLOW: tuple[Step, ...] = (
    Step(StepId.COMPANY, ("company", "financials"), lambda s, c: StepId.DIRECTION),
    # the written reasons for departing from a norm are given beside the direction's terms
    Step(StepId.DIRECTION, ("direction", "declarations.justifications"), _after_direction),
    Step(
        StepId.DIRECTION_DATA,
        (
            "project.metrics",
            "declarations.confirmed",
            "declarations.builder_and_owner",
            "declarations.other_municipal_funding",
        ),
        lambda s, c: StepId.PROJECT,
    ),
    Step(StepId.PROJECT, ("project",), lambda s, c: StepId.ATTACHMENTS),
    Step(StepId.ATTACHMENTS, ("attachments",), lambda s, c: StepId.REVIEW),
    Step(StepId.REVIEW, ("declarations",), _after_review),
    Step(StepId.EXPORT, (), lambda s, c: None),
)

_BY_ID = {step.id: step for step in FLOW}
FIRST = FLOW[0].id
#: Pages whose errors count towards completeness (export is the result, not an input).
CONTENT_STEPS = tuple(step.id for step in FLOW if step.id is not StepId.EXPORT)


def step(step_id: StepId) -> Step:
    return _BY_ID[step_id]


def next_step(state: WizardState, catalog: Catalog) -> StepId | None:
    """Where Next leads from the current step; None when Next is not available."""
    return _BY_ID[state.step].next(state, catalog)


def _covers(prefix: str, path: str) -> bool:
    return path == prefix or path.startswith((prefix + ".", prefix + "["))


def step_for_field(path: str) -> StepId:
    """The page that shows a finding's field: the longest matching prefix wins."""
    best: tuple[int, StepId] = (-1, StepId.REVIEW)
    for s in FLOW:
        for prefix in s.fields:
            if _covers(prefix, path) and len(prefix) > best[0]:
                best = (len(prefix), s.id)
    return best[1]


def reachable(state: WizardState, catalog: Catalog) -> list[StepId]:
    """Steps on the way from the first step, following the rules (the sidebar's list)."""
    path = [FIRST]
    probe = state.model_copy(update={"step": FIRST})
    while True:
        following = next_step(probe, catalog)
        if following is None or following in path:
            return path
        path.append(following)
        probe = probe.model_copy(update={"step": following})


def can_enter(target: StepId, state: WizardState, catalog: Catalog) -> bool:
    """Any step on the path may be entered directly, except export while errors remain."""
    if target is StepId.EXPORT:
        return state.errors == 0
    if target is StepId.DIRECTION_DATA:
        return StepId.DIRECTION_DATA in reachable(state, catalog)
    return True


def advance(state: WizardState, catalog: Catalog) -> WizardState | None:
    following = next_step(state, catalog)
    return None if following is None else go_to(state, following)


def go_to(state: WizardState, target: StepId) -> WizardState:
    """Move to `target`, remembering where we were (a copy: later edits cannot alias)."""
    if target is state.step:
        return state
    return state.model_copy(
        update={"step": target, "history": [*state.history, state.step]}, deep=True
    )


def back(state: WizardState) -> WizardState | None:
    """The previous step, with the history as it was there; None at the start."""
    if not state.history:
        return None
    return state.model_copy(update={"step": state.history[-1], "history": state.history[:-1]})


def completeness(error_fields: Iterable[str], skipped: Iterable[StepId] = ()) -> int:
    """Percent of content pages without errors (skipped pages do not count)."""
    pages = [s for s in CONTENT_STEPS if s not in set(skipped)]
    bad = {step_for_field(path) for path in error_fields}
    done = sum(1 for s in pages if s not in bad)
    return round(100 * done / len(pages)) if pages else 100
