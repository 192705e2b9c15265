"""The submission windows of open drafts as an iCalendar (.ics) file (RFC 5545).

One event per draft whose window has not closed: the last hour before the portal closes,
with reminders a week and a day before, and the window, the portal and the draft in its
description; plus an event when the window opens, if it has not yet. UIDs are derived
from the draft, so importing a newer file updates the events instead of doubling them.
Calendar programs need nothing else: no time-zone table is embedded, times are UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from forms.system.atomic import write_atomic
from forms.text import render


@dataclass(frozen=True)
class Deadline:
    """What the calendar needs of one draft."""

    draft_id: str
    company: str
    project: str
    direction: str
    portal: str
    portal_url: str
    opens: datetime
    closes: datetime


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> list[str]:
    """Lines of at most 75 octets, continuation lines starting with a space (RFC 5545 3.1);
    never cutting a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return out


def _event(
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    description: str,
    url: str,
    alarms: Iterable[timedelta],
    now: datetime,
) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(start)}",
        f"DTEND:{_stamp(end)}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
    ]
    if url:
        lines.append(f"URL:{url}")
    for before in alarms:
        hours = int(before.total_seconds() // 3600)
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{_escape(summary)}",
            f"TRIGGER:-PT{hours}H",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def calendar_text(
    deadlines: Iterable[Deadline], *, lang: str = "zh", now: datetime | None = None
) -> str:
    """The .ics text for `deadlines` (those already closed at `now` are left out)."""
    now = now or datetime.now(UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//shenbao//deadlines//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(render('calendar.name', None, lang))}",
    ]
    for d in deadlines:
        if d.closes <= now:
            continue
        params = {
            "company": d.company or "—",
            "project": d.project or "—",
            "direction": d.direction,
            "portal": d.portal,
            "opens": d.opens.strftime("%Y-%m-%d %H:%M"),
            "closes": d.closes.strftime("%Y-%m-%d %H:%M"),
        }
        description = render("calendar.description", params, lang)
        lines += _event(
            f"{d.draft_id}-closes@shenbao",
            d.closes - timedelta(hours=1),
            d.closes,
            render("calendar.closes", params, lang),
            description,
            d.portal_url,
            (timedelta(days=7), timedelta(days=1)),
            now,
        )
        if d.opens > now:
            lines += _event(
                f"{d.draft_id}-opens@shenbao",
                d.opens,
                d.opens + timedelta(hours=1),
                render("calendar.opens", params, lang),
                description,
                d.portal_url,
                (),
                now,
            )
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))


def write_calendar(
    path: Path, deadlines: Iterable[Deadline], *, lang: str = "zh", now: datetime | None = None
) -> Path:
    write_atomic(path, calendar_text(deadlines, lang=lang, now=now).encode("utf-8"), shared=True)
    return path
