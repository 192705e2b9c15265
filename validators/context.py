"""What a check is run against, built in one place for every caller.

The wizard, the workspace overview, `shenbao check|package|demo` and the self-test all
judge a draft through `check_context` (or `check`, which also runs the rules), so none of
them can forget a part of it: the day (or the instant, for a submission window's hour),
the other drafts of the workspace (one project per unit and call), and how the draft's
attachment files are found. `files` has no default: a caller says how files are found
(`forms.draft.io.files_beside` for a JSON draft, the workspace's stored files for a
workspace draft), or passes None on purpose (`shenbao check --no-files`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from forms.catalog.model import Catalog, shanghai_day
from forms.draft.model import Attachment, Draft

#: Whether an attachment's file can be found (on disk beside a JSON draft, or stored in
#: the workspace).
FileCheck = Callable[[Attachment], bool]


@dataclass(frozen=True)
class CheckContext:
    catalog: Catalog
    on: date
    others: Sequence[Draft] = ()  # other drafts of the workspace (one project per call)
    files: FileCheck | None = None  # None: attachment files are not looked at
    at: datetime | None = None  # exact instant for the submission window, if known


def day_of(when: date | datetime) -> date:
    """The Shanghai day of a date or an instant (an instant given in another zone may fall
    on another Shanghai day)."""
    return shanghai_day(when)


def check_context(
    catalog: Catalog,
    when: date | datetime,
    *,
    files: FileCheck | None,
    others: Iterable[Draft] = (),
    draft: Draft | None = None,
) -> CheckContext:
    """The context to check `draft` in on a day, or at an instant (`--date
    2025-09-22T15:59+08:00`: the window closes at 16:00). `others` may include the draft
    itself; it is left out."""
    mine = draft.id if draft is not None else None
    return CheckContext(
        catalog=catalog,
        on=day_of(when),
        at=when if isinstance(when, datetime) else None,
        others=[d for d in others if d.id != mine],
        files=files,
    )
