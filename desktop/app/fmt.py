"""How the interface writes amounts, dates, sizes and days: one place, both languages.

Amounts follow the user's unit (万元 or 元); dates are written the Chinese way
(2025年9月10日) in the Chinese interface and ISO in the English one.
"""

from __future__ import annotations

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
    """Bytes as people read them; decimal MB, as the portal's "5M" is read."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.2f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.0f} KB"
    return f"{n} B" if lang == "en" else f"{n} 字节"
