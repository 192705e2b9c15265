"""How the catalog's figures are written for people: amounts, metric values, local times.

One writer for both languages, shared by the rules' messages, the application form, the
command line and the wizard, so an amount reads the same wherever it appears.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from forms.catalog.model import SHANGHAI, Metric, MetricKind
from forms.draft.money import MoneyUnit, format_cny

__all__ = ["SHANGHAI", "format_metric", "format_money", "format_money_en", "local_time", "money"]


def local_time(moment: datetime) -> str:
    """An instant as Shanghai writes it, e.g. "2025-09-22 16:00"."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def format_money(amount: Decimal) -> str:
    """Chinese display: 万元 for round amounts (as policy texts write them), else 元."""
    if amount % 100 == 0:
        return format_cny(amount, MoneyUnit.WAN_YUAN)
    return format_cny(amount, MoneyUnit.YUAN)


def format_money_en(amount: Decimal) -> str:
    text = f"{amount:,.2f}".removesuffix(".00")
    return f"CNY {text}"


def money(**amounts: Decimal) -> dict[str, str]:
    """Message parameters for amounts, with their English renderings as `name_en`."""
    out: dict[str, str] = {}
    for name, amount in amounts.items():
        out[name] = format_money(amount)
        out[f"{name}_en"] = format_money_en(amount)
    return out


def _number(value: Decimal) -> str:
    return f"{int(value):,}" if value == value.to_integral_value() else f"{value.normalize():f}"


def format_metric(metric: Metric, value: Decimal, english: bool = False) -> str:
    if metric.kind is MetricKind.MONEY:
        return format_money_en(value) if english else format_money(value)
    if metric.kind is MetricKind.PERCENT:
        return f"{value.normalize():f}%"
    return f"{_number(value)} {metric.unit_en}" if english else f"{_number(value)}{metric.unit}"
