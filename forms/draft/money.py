"""Money is Decimal CNY everywhere; this module is where 万元 and 元 meet.

Policy texts state amounts in 万元 and users type either unit, so conversion must be
explicit and exact: a float would turn 1200万元 into 11999999.999….
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

WAN = Decimal(10_000)
YI = Decimal(100_000_000)
FEN = Decimal("0.01")


class MoneyUnit(StrEnum):
    YUAN = "元"
    WAN_YUAN = "万元"


def to_cny(amount: Decimal | int | str, unit: MoneyUnit) -> Decimal:
    """Convert an amount typed in `unit` to CNY, rounded to the fen."""
    try:
        value = Decimal(str(amount).replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {amount!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not a finite amount: {amount!r}")
    factor = WAN if unit is MoneyUnit.WAN_YUAN else Decimal(1)
    return (value * factor).quantize(FEN, rounding=ROUND_HALF_UP)


def from_cny(cny: Decimal, unit: MoneyUnit) -> Decimal:
    """Express a CNY amount in `unit` without losing digits."""
    if unit is MoneyUnit.WAN_YUAN:
        return (cny / WAN).normalize()
    return cny


def format_cny(cny: Decimal, unit: MoneyUnit = MoneyUnit.WAN_YUAN) -> str:
    """Human text such as "1,200万元" or "3,000,000元" (trailing zeros dropped)."""
    value = from_cny(cny, unit)
    if value == value.to_integral_value():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return f"{text}{unit.value}"
