"""When a direction can be applied for: one judgement for the command line, the JSON and
the wizard.

A document is in force over an interval (from its `effective_from`, until its
`effective_until` or the day before it was superseded); before it, it is not yet in force
(nothing to apply for yet, with the day it starts), after it expired or superseded. Inside
it, a call's submission window decides whether the portal accepts applications now: the
instant matters on the window's own days (`--date 2025-09-22T15:59+08:00`). Where the
text states no date the catalog's inference is carried along, so the answer can say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from forms.catalog.figures import local_time
from forms.catalog.model import Catalog, Inference, Policy, Status
from forms.text import Text
from validators.outcome import Outcome, cite


@dataclass(frozen=True)
class Timing:
    """A document's standing at a moment, with the dates behind it."""

    policy: Policy
    status: Status
    when: date | datetime
    successor: Policy | None = None  # the document that superseded it, when known

    @property
    def can_apply_now(self) -> bool:
        """In force, and its window (if it has one) open at this moment."""
        return self.status is Status.ACTIVE

    @property
    def in_force_from(self) -> date | None:
        return self.policy.effective_from

    @property
    def in_force_until(self) -> date | None:
        return self.policy.last_day_in_force

    @property
    def opens(self) -> datetime | None:
        return self.policy.submission.opens if self.policy.submission else None

    @property
    def closes(self) -> datetime | None:
        return self.policy.submission.closes if self.policy.submission else None

    def inferred(self, field: str) -> Inference | None:
        return self.policy.inferred.get(field)

    def parts(self, reasoning: bool = False) -> list[Text]:
        """What to say about when: the in-force interval (marked where it is the tool's
        inference, with the reasoning when asked), the supersession, the window."""
        policy = self.policy
        start, end = policy.effective_from, policy.effective_until
        if start is not None and end is not None:
            interval = Text.of("timing.in_force_between", start=start, end=end)
        elif start is not None:
            interval = Text.of("timing.in_force_from", start=start)
        elif end is not None:
            interval = Text.of("timing.in_force_until", end=end)
        else:
            interval = Text.of("timing.in_force_unstated")
        out = [interval]
        inferences = [i for i in map(self.inferred, ("effective_from", "effective_until")) if i]
        if inferences and not reasoning:
            out.append(Text.of("timing.inferred_mark"))
        for inference in inferences if reasoning else ():
            out.append(
                Text.of(
                    "timing.inferred",
                    reasoning=inference.reasoning,
                    reasoning_en=inference.reasoning_en,
                )
            )
        if policy.superseded_on is not None:
            successor = self.successor
            by = (successor.doc_number or successor.title) if successor else None
            by_en = (successor.doc_number or successor.title_en) if successor else None
            fallback = policy.superseded_by or ""
            out.append(
                Text.of(
                    "timing.superseded",
                    date=policy.superseded_on,
                    by=by or fallback,
                    by_en=by_en or fallback,
                )
            )
        if policy.submission is not None:
            out.append(
                Text.of(
                    "timing.window",
                    opens=local_time(policy.submission.opens),
                    closes=local_time(policy.submission.closes),
                )
            )
        return out

    def describe(self, lang: str = "zh", *, reasoning: bool = False) -> str:
        """One line: "2025-09-05起施行（本工具推断）；受理…至…"; with `reasoning`, the
        tool's reasoning for each inferred date in place of the mark."""
        pieces = self.parts(reasoning)
        text = pieces[0].render(lang)
        for piece in pieces[1:]:
            rendered = piece.render(lang)
            if piece.code in ("timing.inferred", "timing.inferred_mark"):
                text += rendered
            else:
                text = Text.of("timing.join", first=text, second=rendered).render(lang)
        return text

    def outcome(self) -> Outcome | None:
        """What to tell the user about the status, unless the document is simply open.

        Expired, superseded and not yet in force are not met (nothing to apply for
        today); a closed or not yet open window is unknown (timing, not eligibility)."""
        policy, status = self.policy, self.status
        names = {"policy": policy.title, "policy_en": policy.title_en}
        if status is Status.EXPIRED:
            clause = cite(policy, policy.validity_words)
            params = {**names, "date": str(policy.effective_until)}
            return Outcome(False, "policy.expired", params, "direction", clause)
        if status is Status.SUPERSEDED:
            clause = cite(policy, policy.validity_words or policy.note)
            params = {**names, "date": str(policy.superseded_on)}
            return Outcome(False, "policy.superseded", params, "direction", clause)
        if status is Status.NOT_YET_IN_FORCE:
            clause = cite(policy, policy.validity_words)
            params = {**names, "date": str(policy.effective_from)}
            return Outcome(False, "policy.not_yet_in_force", params, "direction", clause)
        window = policy.submission
        if window is not None and status is Status.WINDOW_CLOSED:
            clause = cite(policy, window.clause)
            return Outcome(
                None,
                "policy.window_closed",
                {"closes": local_time(window.closes)},
                "direction",
                clause,
            )
        if window is not None and status is Status.NOT_YET_OPEN:
            clause = cite(policy, window.clause)
            return Outcome(
                None,
                "policy.not_yet_open",
                {"opens": local_time(window.opens)},
                "direction",
                clause,
            )
        return None

    def as_json(self) -> dict[str, object]:
        def inference(name: str) -> dict[str, str] | None:
            found = self.inferred(name)
            if found is None:
                return None
            return {"reasoning_zh": found.reasoning, "reasoning_en": found.reasoning_en}

        return {
            "status": self.status.value,
            "can_apply_now": self.can_apply_now,
            "in_force_from": _iso(self.in_force_from),
            "in_force_from_inferred": inference("effective_from"),
            "in_force_until": _iso(self.in_force_until),
            "in_force_until_inferred": inference("effective_until"),
            "superseded_on": _iso(self.policy.superseded_on),
            "superseded_by": self.policy.superseded_by,
            "window_opens": self.opens.isoformat() if self.opens else None,
            "window_closes": self.closes.isoformat() if self.closes else None,
            "text_zh": self.describe("zh"),
            "text_en": self.describe("en"),
            "reasoning_zh": self.describe("zh", reasoning=True),
            "reasoning_en": self.describe("en", reasoning=True),
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def timing(policy: Policy, when: date | datetime, catalog: Catalog | None = None) -> Timing:
    """The standing of `policy` on a day, or at an instant (`Policy.status_on`); with the
    catalog, the document that superseded it is named."""
    successor = None
    if catalog is not None and policy.superseded_by is not None:
        successor = next((p for p in catalog.policies if p.id == policy.superseded_by), None)
    return Timing(policy, policy.status_on(when), when, successor)
