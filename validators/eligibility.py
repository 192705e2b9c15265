"""Eligibility matching: every direction of every policy, judged for one company.

A verdict is *eligible*, *not eligible* or *unknown* (decisive data missing), always
with its reasons, so the wizard can show why and the user can fill in what is missing.
Unanswered declarations (credit, builder-and-owner …) are listed "to confirm" without
turning an otherwise eligible verdict into unknown: they are the applicant's own word.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from forms.catalog.model import Catalog, ConditionKind, QualifiedDirection, Status
from forms.catalog.support import SupportEstimate, estimate_support
from forms.draft.model import Profile
from forms.text import Language, render
from validators.conditions import (
    Outcome,
    Subject,
    cite,
    evaluate_condition,
    evaluate_threshold,
    status_outcome,
)

# Conditions whose missing data makes the verdict unknown (facts, not declarations).
_DECISIVE = frozenset({ConditionKind.REGISTERED_IN_REGION})


class Verdict(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Reason:
    code: str
    met: bool | None
    clause: str
    decisive: bool
    params: dict[str, str] = field(default_factory=dict)
    words: str = ""  # the source words of the condition or threshold
    kind: str = "condition"  # condition | threshold | status | applicant

    def message(self, language: Language = "zh") -> str:
        return render(self.code, self.params, language)


@dataclass(frozen=True)
class Match:
    direction: QualifiedDirection
    status: Status
    verdict: Verdict
    reasons: tuple[Reason, ...]
    estimate: SupportEstimate

    @property
    def key(self) -> str:
        return self.direction.key

    @property
    def max_support(self) -> Decimal | None:
        return self.estimate.maximum

    @property
    def to_confirm(self) -> int:
        """Declarations and facts still unanswered: fewer open questions rank higher."""
        return sum(1 for r in self.reasons if r.met is None and r.kind != "status")

    @property
    def thresholds_met(self) -> int:
        """How many specific thresholds the company meets: a specific fit ranks first."""
        return sum(1 for r in self.reasons if r.kind == "threshold" and r.met is True)


_RANK = {Verdict.ELIGIBLE: 0, Verdict.UNKNOWN: 1, Verdict.NOT_ELIGIBLE: 2}


def _reason(outcome: Outcome, clause: str, decisive: bool, words: str, kind: str) -> Reason:
    return Reason(
        outcome.code,
        outcome.met,
        clause,
        decisive,
        {k: str(v) for k, v in outcome.params.items()},
        words,
        kind,
    )


def match_direction(catalog: Catalog, profile: Profile, q: QualifiedDirection, on: date) -> Match:
    status, outcome = status_outcome(q.policy, on)
    reasons: list[Reason] = []
    if outcome is not None:
        decisive = outcome.met is False
        reasons.append(_reason(outcome, outcome.clause, decisive, "", "status"))
    direction = q.direction
    clause = cite(q.policy, direction.clause)
    if not direction.applyable:
        reasons.append(
            Reason(
                "direction.not_applyable",
                False,
                clause,
                True,
                {"title": direction.title, "title_en": direction.title_en},
                kind="applicant",
            )
        )
    elif profile.company.applicant_type not in direction.applicants:
        allowed = [a.value for a in direction.applicants]
        reasons.append(
            Reason(
                "applicant.type_not_allowed",
                False,
                clause,
                True,
                {
                    "allowed": "、".join(allowed),
                    "allowed_en": ", ".join(allowed),
                    "actual": profile.company.applicant_type.value,
                },
                kind="applicant",
            )
        )
    subject = Subject(profile.company, profile.declarations, on)
    for condition in q.conditions:
        outcome = evaluate_condition(condition, subject)
        if outcome is not None:
            decisive = condition.kind in _DECISIVE
            reasons.append(
                _reason(
                    outcome,
                    cite(q.policy, condition.clause),
                    decisive,
                    condition.words,
                    "condition",
                )
            )
    metrics = dict(profile.metrics)
    for threshold in direction.thresholds:
        outcome = evaluate_threshold(catalog, threshold, metrics)
        reasons.append(_reason(outcome, clause, True, threshold.words, "threshold"))
    estimate = estimate_support(catalog, q, profile.base_amount)
    return Match(q, status, _verdict(reasons), tuple(reasons), estimate)


def _verdict(reasons: Iterable[Reason]) -> Verdict:
    listed = list(reasons)
    if any(r.met is False for r in listed):
        return Verdict.NOT_ELIGIBLE
    if any(r.met is None and r.decisive for r in listed):
        return Verdict.UNKNOWN
    return Verdict.ELIGIBLE


def match_profile(catalog: Catalog, profile: Profile, on: date) -> list[Match]:
    """Every direction of the catalog: eligible first; among them, directions whose
    specific thresholds the company meets, then larger estimated support."""
    matches = [match_direction(catalog, profile, q, on) for q in catalog.directions()]
    return sorted(
        matches,
        key=lambda m: (
            _RANK[m.verdict],
            -m.thresholds_met,
            m.to_confirm,
            -(m.max_support or Decimal(0)),
            m.key,
        ),
    )
