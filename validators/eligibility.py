"""Eligibility matching: every direction of every policy, judged for one company.

Two questions are answered apart and shown together. *Does the company meet the
conditions?* (`Match.conditions`: eligible, not eligible, or unknown when decisive data
is missing — a threshold's metric, the region, the sector the text addresses.) *Can it
apply now?* (`Match.timing`: the document in force and its window open.) The verdict of
the day combines them: ELIGIBLE only when both hold; MEETS_CONDITIONS when the company
qualifies but the window is closed, not yet open, or the document not yet in force (the
draft can be prepared); NOT_ELIGIBLE when a condition fails or the document is dead.

Every reason renders in words that fit it: a met reason says what is met, a failed one
what fails and by how much, an open one what to confirm. Unanswered declarations are
listed "to confirm" without making an otherwise eligible verdict unknown: they are the
applicant's own word. A departure from a norm ("原则上", "一般") is a warning that needs
a written reason, never a failure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from forms.catalog.figures import local_time
from forms.catalog.model import Catalog, ConditionKind, QualifiedDirection, Status
from forms.catalog.support import SupportEstimate, estimate_support
from forms.draft.model import Profile
from forms.text import Language, Text, label
from validators.conditions import (
    Outcome,
    Subject,
    cite,
    evaluate_condition,
    evaluate_threshold,
)
from validators.context import day_of
from validators.timing import Timing, timing

# Conditions whose missing data makes the verdict unknown (facts, not declarations).
_DECISIVE = frozenset({ConditionKind.REGISTERED_IN_REGION, ConditionKind.APPLICANT_SECTOR})


class Verdict(StrEnum):
    ELIGIBLE = "eligible"  # meets the conditions and can apply now
    MEETS_CONDITIONS = "meets_conditions"  # meets them, but cannot apply now
    UNKNOWN = "unknown"
    NOT_ELIGIBLE = "not_eligible"


@dataclass(frozen=True)
class Reason:
    code: str
    met: bool | None
    clause: str
    decisive: bool
    params: dict[str, str] = field(default_factory=dict)
    words: str = ""  # the source words of the condition or threshold
    kind: str = "condition"  # condition | threshold | status | applicant | norm

    def message(self, language: Language = "zh") -> str:
        """The reason in words that fit it: met reasons are stated as met (the failure
        templates describe failures), the others by their code's template."""
        return self.text().render(language)

    def text(self) -> Text:
        if self.met is True and self.kind == "threshold":
            p = self.params
            return Text.of(
                "met.threshold",
                label=p["label"],
                label_en=p["label_en"],
                actual=p["actual"],
                actual_en=p["actual_en"],
                words=p["words"],
                words_en=p["requirement_en"],
            )
        if self.met is True and self.code == "condition.sector":
            p = self.params
            return Text.of(
                "met.sector",
                required=p["required"],
                required_en=p["required_en"],
                words=p["words"],
                words_en=p.get("words_en", p["words"]),
            )
        if self.met is True and self.code == "condition.region":
            p = self.params
            return Text.of(
                "met.region",
                region_name=p["region_name"],
                region_name_en=p["region_name_en"],
                region=p["region"],
            )
        if self.met is True:
            english = self.params.get("text_en") or self.words
            return Text.of("met.condition", words=self.words, words_en=english)
        return Text(self.code, self.params)


@dataclass(frozen=True)
class Match:
    direction: QualifiedDirection
    timing: Timing
    conditions: Verdict  # ELIGIBLE, NOT_ELIGIBLE or UNKNOWN: the company's facts only
    reasons: tuple[Reason, ...]
    estimate: SupportEstimate

    @property
    def key(self) -> str:
        return self.direction.key

    @property
    def status(self) -> Status:
        return self.timing.status

    @property
    def can_apply_now(self) -> bool:
        return self.timing.can_apply_now

    @property
    def meets_conditions(self) -> bool | None:
        """True, False, or None while decisive data is missing."""
        return {Verdict.ELIGIBLE: True, Verdict.NOT_ELIGIBLE: False}.get(self.conditions)

    @property
    def verdict(self) -> Verdict:
        """The verdict of the day: the conditions and the timing together."""
        dead = self.status in (Status.EXPIRED, Status.SUPERSEDED)
        if self.conditions is Verdict.NOT_ELIGIBLE or dead:
            return Verdict.NOT_ELIGIBLE
        if self.conditions is Verdict.UNKNOWN:
            return Verdict.UNKNOWN
        return Verdict.ELIGIBLE if self.can_apply_now else Verdict.MEETS_CONDITIONS

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

    @property
    def missing(self) -> tuple[Reason, ...]:
        """What the company lacks to qualify: failed and open reasons, thresholds first,
        the nearest unmet threshold before the others."""
        open_ = [r for r in self.reasons if r.met is not True and r.kind not in ("status", "norm")]
        return tuple(sorted(open_, key=_closeness))

    @property
    def nearest(self) -> Reason | None:
        """The unmet threshold closest to being met (relative gap), if any."""
        short = [r for r in self.reasons if r.kind == "threshold" and r.met is False]
        return min(short, key=_closeness) if short else None

    def verdict_text(self) -> Text:
        """The verdict in one sentence, the same in the command line, the JSON and the
        wizard: whether the conditions are met and whether one can apply now."""
        verdict, t = self.verdict, self.timing
        if verdict is Verdict.NOT_ELIGIBLE:
            why = next(
                (r for r in self.reasons if r.met is False and r.kind != "norm"),
                next((r for r in self.reasons if r.kind == "status"), None),
            )
            return Text.of(
                "verdict_text.not_eligible",
                why=why.message("zh") if why else label(self.status, "zh"),
                why_en=why.message("en") if why else label(self.status, "en"),
            )
        if verdict is Verdict.UNKNOWN:
            open_ = [r for r in self.missing if r.met is None and r.decisive]
            what = open_[0] if open_ else self.missing[0]
            text = Text.of(
                "verdict_text.unknown", what=what.message("zh"), what_en=what.message("en")
            )
            status = next((r for r in self.reasons if r.kind == "status"), None)
            if status is None:
                return text
            return Text.of(
                "verdict_text.also",
                first=text.render("zh"),
                first_en=text.render("en"),
                second=status.message("zh"),
                second_en=status.message("en"),
            )
        if verdict is Verdict.ELIGIBLE:
            if t.closes is not None:
                return Text.of("verdict_text.eligible_until", closes=local_time(t.closes))
            return Text.of("verdict_text.eligible")
        if self.status is Status.NOT_YET_IN_FORCE:
            return Text.of("verdict_text.not_yet_in_force", date=t.in_force_from)
        if self.status is Status.NOT_YET_OPEN and t.opens is not None:
            return Text.of("verdict_text.not_yet_open", opens=local_time(t.opens))
        assert t.closes is not None
        return Text.of("verdict_text.window_closed", closes=local_time(t.closes))


def _closeness(reason: Reason) -> tuple[int, float]:
    share = reason.params.get("gap_share")
    rank = 0 if reason.kind == "threshold" and reason.met is False else 1
    return rank, float(share) if share else 0.0


_RANK = {
    Verdict.ELIGIBLE: 0,
    Verdict.MEETS_CONDITIONS: 1,
    Verdict.UNKNOWN: 2,
    Verdict.NOT_ELIGIBLE: 3,
}


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


def match_direction(
    catalog: Catalog,
    profile: Profile,
    q: QualifiedDirection,
    when: date | datetime,
    subject: Subject | None = None,
) -> Match:
    """One direction judged for one company on a day, or at an instant (`subject`: the
    company as `match_profile` prepares it once for every direction)."""
    standing = timing(q.policy, when, catalog)
    on = day_of(when)
    reasons: list[Reason] = []
    status = standing.outcome()
    if status is not None:
        reasons.append(_reason(status, status.clause, status.met is False, "", "status"))
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
        reasons.append(
            Reason(
                "applicant.type_not_allowed",
                False,
                clause,
                True,
                {
                    "allowed": "、".join(label(a, "zh") for a in direction.applicants),
                    "allowed_en": ", ".join(label(a, "en") for a in direction.applicants),
                    "actual": label(profile.company.applicant_type, "zh"),
                    "actual_en": label(profile.company.applicant_type, "en"),
                },
                kind="applicant",
            )
        )
    if subject is None:
        subject = Subject(profile.company, profile.declarations, on, catalog=catalog)
    for condition in q.conditions:
        outcome = evaluate_condition(condition, subject)
        if outcome is None:
            continue
        norm = condition.norm and outcome.met is False
        reason = _reason(
            outcome,
            cite(q.policy, condition.clause),
            condition.kind in _DECISIVE and not condition.norm,
            condition.words,
            "norm" if norm else "condition",
        )
        if condition.text_en:
            reason.params["text_en"] = condition.text_en
        reasons.append(reason)
    metrics = dict(profile.metrics)
    for threshold in direction.thresholds:
        outcome = evaluate_threshold(catalog, threshold, metrics)
        reasons.append(_reason(outcome, clause, True, threshold.words, "threshold"))
    estimate = estimate_support(catalog, q, profile.base_amount)
    return Match(q, standing, _conditions(reasons), tuple(reasons), estimate)


def _conditions(reasons: Iterable[Reason]) -> Verdict:
    """Whether the company's facts meet the direction's conditions (timing aside)."""
    listed = [r for r in reasons if r.kind not in ("status", "norm")]
    if any(r.met is False for r in listed):
        return Verdict.NOT_ELIGIBLE
    if any(r.met is None and r.decisive for r in listed):
        return Verdict.UNKNOWN
    return Verdict.ELIGIBLE


def match_profile(catalog: Catalog, profile: Profile, when: date | datetime) -> list[Match]:
    """Every direction of the catalog, on a day or at an instant: eligible first, then
    those that meet the conditions but cannot be applied for now; among them,
    directions whose specific thresholds the company meets, then larger estimated
    support."""
    subject = Subject(profile.company, profile.declarations, day_of(when), catalog=catalog)
    matches = [match_direction(catalog, profile, q, when, subject) for q in catalog.directions()]
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
