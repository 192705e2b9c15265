"""How the interface writes amounts, dates, sizes and days: one place, both languages.

Amounts follow the user's unit (万元 or 元); dates are written the Chinese way
(2025年9月10日) in the Chinese interface and ISO in the English one.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from pydantic import TypeAdapter, ValidationError

from forms.catalog.figures import SHANGHAI
from forms.draft.model import Money
from forms.draft.money import MoneyUnit, from_cny, to_cny
from forms.system.settings import Language

_MONEY = TypeAdapter(Money)


def unit_label(unit: MoneyUnit, lang: Language) -> str:
    if lang == "en":
        return "CNY 10k" if unit is MoneyUnit.WAN_YUAN else "CNY"
    return unit.value


def money_number(cny: Decimal, unit: MoneyUnit) -> str:
    """The number alone, in `unit`, with thousands separators and no noise zeros."""
    value = from_cny(cny, unit)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def money(cny: Decimal | None, unit: MoneyUnit, lang: Language) -> str:
    if cny is None:
        return "—"
    return f"{money_number(cny, unit)} {unit_label(unit, lang)}".replace(" 万元", "万元").replace(
        " 元", "元"
    )


def parse_money(text: str, unit: MoneyUnit) -> Decimal | None:
    """A typed amount: a bare number is in `unit`; "300万元" or "3,000,000元" carry their own.

    Raises ValueError with a short reason when the text is not an amount."""
    cleaned = text.strip().replace("，", ",").replace(" ", "")
    if not cleaned:
        return None
    try:
        return to_cny(cleaned, unit)
    except ValueError:
        pass
    try:
        value: Decimal | None = _MONEY.validate_python(cleaned)
    except (ValidationError, InvalidOperation):
        raise ValueError(cleaned) from None
    return value


def day(value: date | datetime | None, lang: Language) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        local = value.astimezone(SHANGHAI)
        if lang == "en":
            return local.strftime("%Y-%m-%d %H:%M")
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    if lang == "en":
        return value.isoformat()
    return f"{value.year}年{value.month}月{value.day}日"


def size(n: int, lang: Language) -> str:
    """Bytes as people read them, in one set of units for every size and both languages
    (a column never mixes 字节 and MB); decimal, as the portal's "5M" is read."""
    del lang  # B, KB and MB read the same in Chinese
    if n >= 1_000_000:
        return f"{n / 1_000_000:.2f} MB"
    if n >= 10_000:
        return f"{n / 1_000:.0f} KB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} KB"
    return f"{n} B"


_DAY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_day(text: str) -> date | None:
    """A typed date: 2025-10-01, 2025/10/1, 2025.10.1, 20251001 or 2025年10月1日, with
    full-width digits too; None for an empty text. Raises ValueError otherwise."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        return None
    match = _DAY.match(cleaned) or _COMPACT_DAY.match(cleaned)
    if match is None:
        raise ValueError(cleaned)
    year, month, day_ = (int(part) for part in match.groups())
    return date(year, month, day_)  # ValueError for 2025-02-30


def day_text(value: date, lang: Language) -> str:
    """A date as a date field shows it."""
    return value.isoformat() if lang == "en" else f"{value.year}年{value.month}月{value.day}日"
