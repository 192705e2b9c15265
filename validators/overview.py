"""One line of the drafts overview: how far a draft is and how long its window stays open.

The workspace view, `shenbao drafts --xlsx` and the deadline calendar (`.ics`) all show
the same figures, so they are computed here once (and turned into the sheet's lines and
the calendar's entries here too), Qt-free, judged exactly as the wizard
judges the draft (the same check context: the day, the other drafts, how files are found).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from forms.catalog.figures import local_time
from forms.catalog.model import Catalog, QualifiedDirection, Status
from forms.draft.flow import StepId, asks_for_data, completeness
from forms.draft.model import Draft, DraftStatus
from forms.text import label, render
from forms.workspace.calendar import Deadline
from forms.workspace.spreadsheet import OverviewLine
from validators.check import check
from validators.context import FileCheck
from validators.findings import blocking

#: Policy states in which nothing can be submitted any more.
CLOSED = (Status.EXPIRED, Status.SUPERSEDED, Status.WINDOW_CLOSED)


@dataclass(frozen=True)
class OverviewRow:
    draft: Draft
    errors: int  # blocking findings
    percent: int  # content pages without errors
    status: DraftStatus  # a draft without errors reads "ready"
    direction: QualifiedDirection | None
    opens: datetime | None  # the call's submission window, when it has one
    closes: datetime | None
    #: Days until the window closes (or the policy ends), negative once it has; None
    #: without a direction, or for a policy without an end.
    days_left: int | None

    @property
    def open(self) -> bool:
        """Still to be submitted: not exported, and its window not closed."""
        return self.status is not DraftStatus.EXPORTED and (
            self.days_left is None or self.days_left >= 0
        )


def overview_row(
    draft: Draft, catalog: Catalog, on: date, others: list[Draft], files: FileCheck
) -> OverviewRow:
    findings = check(draft, catalog, on, files=files, others=others)
    errors = blocking(findings)
    q = catalog.lookup(draft.direction)
    skipped = [] if q is not None and asks_for_data(q) else [StepId.DIRECTION_DATA]
    percent = completeness([f.field for f in errors], skipped)
    status = draft.status
    if status is DraftStatus.DRAFT and not errors:
        status = DraftStatus.READY
    opens = closes = None
    days: int | None = None
    if q is not None:
        policy = q.policy
        if policy.submission is not None:
            opens, closes = policy.submission.opens, policy.submission.closes
            days = (closes.date() - on).days
        elif policy.effective_until is not None:
            days = (policy.effective_until - on).days
        if policy.status_on(on) in CLOSED:
            days = min(days, -1) if days is not None else -1
    return OverviewRow(draft, len(errors), percent, status, q, opens, closes, days)


def deadline_order(row: OverviewRow) -> tuple[int, int]:
    """Sort key: open windows by days left (soonest first), then drafts without a
    deadline, then closed ones (most recently closed first)."""
    days = row.days_left
    if days is None:
        return (1, 0)
    if days < 0:
        return (2, -days)
    return (0, days)


def direction_title(row: OverviewRow, lang: str) -> str:
    q = row.direction
    if q is None:
        return render("overview.no_direction", None, lang)
    return q.direction.title_en if lang == "en" else q.direction.title


def window_text(row: OverviewRow) -> str:
    """The submission window in Beijing time, e.g. "2025-09-03 10:00 — 2025-09-22 16:00"."""
    if row.opens is None or row.closes is None:
        return ""
    return f"{local_time(row.opens)} — {local_time(row.closes)}"


def overview_line(row: OverviewRow, client: str, lang: str) -> OverviewLine:
    """The row as the overview sheet lists it, in `lang`."""
    draft = row.draft
    project = draft.project.name or draft.title or render("overview.untitled", None, lang)
    window = window_text(row)
    if not window and row.direction is not None:
        window = render("overview.no_window", None, lang)
    return OverviewLine(
        client or draft.company.name or render("overview.no_client", None, lang),
        project,
        direction_title(row, lang),
        label(row.status, lang),
        row.percent,
        window,
        row.days_left,
    )


def overview_header(lang: str) -> list[str]:
    names = ("client", "project", "direction", "status", "completeness", "window", "days_left")
    return [render(f"overview.{name}", None, lang) for name in names]


def deadline_of(row: OverviewRow, client: str, lang: str) -> Deadline | None:
    """The calendar entry of an open draft with a submission window; None otherwise."""
    q = row.direction
    if not row.open or q is None or q.policy.submission is None:
        return None
    submission = q.policy.submission
    draft = row.draft
    return Deadline(
        draft.id,
        client or draft.company.name,
        draft.project.name or draft.title,
        direction_title(row, lang),
        submission.portal,
        submission.portal_url,
        submission.opens,
        submission.closes,
    )
