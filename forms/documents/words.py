"""How the form writes values in its language: money in 万元, dates, yes/no, the blank."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

from forms.catalog.figures import format_metric
from forms.catalog.model import Metric
from forms.draft.money import MoneyUnit, format_cny
from forms.text import label, render


class Words:
    """Chinese or English labels; the form the portal receives is Chinese."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.en = lang == "en"

    def __call__(self, code: str, /, **params: object) -> str:
        """The form's text `code` (`forms.text.form`) in the form's language."""
        return render(code, params, self.lang)

    def money(self, amount: Decimal | None, unit: MoneyUnit = MoneyUnit.WAN_YUAN) -> str:
        if amount is None:
            return self.blank
        if self.en:
            return f"CNY {amount:,.2f}".removesuffix(".00")
        return format_cny(amount, unit)

    def wan(self, amount: Decimal | None) -> str:
        """A table cell in 万元 with up to four decimals (exact to the yuan)."""
        if amount is None:
            return "—"
        value = amount / 10_000
        text = f"{value:,.4f}".rstrip("0").rstrip(".")
        return text

    def metric(self, metric: Metric, value: Decimal) -> str:
        """A metric's value with its unit, as the catalog writes it (420,000人, 460万元)."""
        return format_metric(metric, value, english=self.en)

    def day(self, day: date | None) -> str:
        if day is None:
            return self.blank
        return day.isoformat() if self.en else f"{day.year}年{day.month}月{day.day}日"

    def label(self, value: Enum) -> str:
        return label(value, self.lang)

    def yes_no(self, value: bool | None) -> str:
        if value is None:
            return render("answer.not_answered", None, self.lang)
        return render("answer.yes" if value else "answer.no", None, self.lang)

    @property
    def blank(self) -> str:
        """A field the form needs and the draft lacks: it must show."""
        return render("form.blank", None, self.lang)

    @property
    def none(self) -> str:
        """An optional field left empty: nothing to report, nothing missing."""
        return "—"

    def optional(self, value: str) -> str:
        """`value`, or the quiet mark of an empty optional field instead of the blank."""
        return self.none if value == self.blank else value

    def text(self, value: str | None) -> str:
        return value.strip() if value and value.strip() else self.blank
