"""The deadlines of open drafts as an .ics file: valid lines, no closed windows, stable UIDs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from forms.workspace.calendar import Deadline, calendar_text, write_calendar

CST = timezone(timedelta(hours=8))
OPENS = datetime(2025, 9, 3, 10, 0, tzinfo=CST)
CLOSES = datetime(2025, 9, 22, 16, 0, tzinfo=CST)


def _deadline(draft_id: str = "d1", company: str = "上海星语智创文化科技有限公司") -> Deadline:
    return Deadline(
        draft_id,
        company,
        "星语剧场：AI跨模态短剧创作平台规模化应用",
        "内容创作产品",
        "上海市经济和信息化委员会专项资金项目管理与服务平台",
        "https://zxzj.sheitc.sh.gov.cn",
        OPENS,
        CLOSES,
    )


def _unfold(text: str) -> list[str]:
    lines: list[str] = []
    for line in text.split("\r\n"):
        if line.startswith(" "):
            lines[-1] += line[1:]
        elif line:
            lines.append(line)
    return lines


def test_lines_are_crlf_and_folded_at_75_octets_without_cutting_a_character() -> None:
    text = calendar_text([_deadline()], now=datetime(2025, 9, 1, tzinfo=UTC))
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    unfolded = _unfold(text)
    assert (
        "SUMMARY:申报截止：上海星语智创文化科技有限公司 · 星语剧场：AI跨模态短剧创作平台规模化应用"
        in unfolded
    )
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-1] == "END:VCALENDAR"


def test_the_deadline_event_ends_when_the_portal_closes_with_reminders() -> None:
    lines = _unfold(calendar_text([_deadline()], now=datetime(2025, 9, 1, tzinfo=UTC)))
    assert "UID:d1-closes@shenbao" in lines and "UID:d1-opens@shenbao" in lines
    assert "DTEND:20250922T080000Z" in lines  # 16:00 Beijing time
    assert "DTSTART:20250903T020000Z" in lines  # the opening event, still ahead
    assert lines.count("TRIGGER:-PT168H") == 1 and lines.count("TRIGGER:-PT24H") == 1
    description = next(line for line in lines if line.startswith("DESCRIPTION:支持方向"))
    assert "2025-09-03 10:00 至 2025-09-22 16:00" in description and "\\n" in description


def test_open_windows_only_and_no_opening_event_once_open() -> None:
    inside = calendar_text([_deadline()], now=datetime(2025, 9, 10, tzinfo=UTC))
    assert "d1-closes" in inside and "d1-opens" not in inside
    after = calendar_text([_deadline()], now=datetime(2025, 9, 23, tzinfo=UTC))
    assert "BEGIN:VEVENT" not in after


def test_text_values_are_escaped(tmp_path: Path) -> None:
    path = write_calendar(
        tmp_path / "d.ics",
        [_deadline(company="A; B, C\\D")],
        lang="en",
        now=datetime(2025, 9, 10, tzinfo=UTC),
    )
    unfolded = _unfold(path.read_bytes().decode("utf-8"))
    assert any(line.startswith("SUMMARY:Deadline: A\\; B\\, C\\\\D") for line in unfolded)
