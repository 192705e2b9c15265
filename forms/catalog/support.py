"""How much support a direction allows: rate x base, capped, following references; and
how a support measure is written for people.

The 2025 call states no rates itself and maps none of its directions to a clause of
489号; where the catalog follows a 489号 measure for an estimate (`support_ref`), that is
the tool's inference, and every output says so with its reasoning, so nobody mistakes an
estimate for an entitlement. A rate or an amount is written with the seed's own
qualifier ("最高50%", "不超过30%", a fixed "5%" or "5万元"), never a "最高" the text does
not say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from forms.catalog.figures import format_money, format_money_en
from forms.catalog.model import (
    Bound,
    Catalog,
    Inference,
    QualifiedDirection,
    Support,
    SupportBase,
    SupportForm,
)
from forms.text import Text, label


@dataclass(frozen=True)
class SupportEstimate:
    support: Support  # the support that applies (after following support_ref)
    reference: QualifiedDirection | None  # where it came from, when not the direction itself
    base_amount: Decimal | None
    maximum: Decimal | None  # None: not computable (unspecified, or base unknown)
    inference: Inference | None = None  # why the reference, when there is one

    @property
    def unspecified(self) -> bool:
        return self.support.form is SupportForm.UNSPECIFIED and self.support.cap_cny is None


def estimate_support(
    catalog: Catalog,
    q: QualifiedDirection,
    base_amount: Callable[[SupportBase], Decimal | None],
) -> SupportEstimate:
    own = q.direction.support
    reference = catalog.direction(own.support_ref) if own.support_ref else None
    support = catalog.effective_support(q)
    amount = base_amount(support.base) if support.base is not None else None
    return SupportEstimate(support, reference, amount, support.maximum(amount), own.inference)


def reference_label(reference: QualifiedDirection, lang: str = "zh") -> str:
    """ "沪经信智〔2025〕489号 第4条 开展关键技术创新"; in English the measure's English title."""
    policy, measure = reference.policy, reference.measure
    if lang == "en":
        return (
            f"{policy.doc_number or policy.title_en}, clause {measure.number} ({measure.title_en})"
        )
    return f"{policy.doc_number or policy.title} {measure.clause}"


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def bounded(bound: Bound | None, zh: str, en: str) -> tuple[str, str]:
    """A rate or an amount with the text's own qualifier, in Chinese and English; a fixed
    one bare."""
    if bound is None or bound is Bound.EXACT:
        return zh, en
    text = Text.of(f"support.bound.{bound.value}", value=zh, value_en=en)
    return text.render("zh"), text.render("en")


def _pair(text: Text) -> tuple[str, str]:
    return text.render("zh"), text.render("en")


def support_terms(catalog: Catalog, q: QualifiedDirection) -> list[tuple[str, str]]:
    """The parts of a support measure as the text states them, each in Chinese and
    English: rate (of its base), amount (with its scope), duration (the inference behind
    an estimate is `inferred_reference`)."""
    support = catalog.effective_support(q)
    parts: list[tuple[str, str]] = []
    if support.rate_max_pct is not None:
        rate = _percent(support.rate_max_pct)
        if support.rate_min_pct is not None:
            rate = f"{_percent(support.rate_min_pct)}—{rate}"
        rate_zh, rate_en = bounded(support.rate_bound, rate, rate)
        if support.base is not None:
            base_zh, base_en = label(support.base, "zh"), label(support.base, "en")
            parts.append(
                _pair(
                    Text.of(
                        "support.rate_of",
                        base=base_zh,
                        base_en=base_en,
                        rate=rate_zh,
                        rate_en=rate_en,
                    )
                )
            )
        else:
            parts.append(_pair(Text.of("support.rate_no_base", rate=rate_zh, rate_en=rate_en)))
    if support.cap_cny is not None:
        cap = bounded(
            support.cap_bound, format_money(support.cap_cny), format_money_en(support.cap_cny)
        )
        if support.cap_scope:
            scope = Text.of(
                "support.cap_scope",
                scope=support.cap_scope,
                scope_en=support.cap_scope_en or support.cap_scope,
                cap=cap[0],
                cap_en=cap[1],
            )
            cap = _pair(scope)
        parts.append(cap)
    if support.max_duration_months is not None:
        parts.append(_pair(Text.of("support.duration", months=support.max_duration_months)))
    if not parts:
        code = "support.non_monetary" if support.form is SupportForm.NON_MONETARY else ""
        parts.append(_pair(Text.of(code or "support.not_stated")))
    return parts


def inferred_reference(catalog: Catalog, q: QualifiedDirection) -> Text | None:
    """ "（本工具推断：参照…估算）" for a direction whose estimate follows another measure."""
    ref = q.direction.support.support_ref
    if ref is None:
        return None
    target = catalog.direction(ref)
    return Text.of(
        "support.inferred_ref",
        ref=reference_label(target),
        ref_en=reference_label(target, "en"),
    )


def support_summary(catalog: Catalog, q: QualifiedDirection, lang: str = "zh") -> str:
    """One line: "核定总投资的最高20%，最高1,000万元（本工具推断：参照…估算）"."""
    index = 0 if lang == "zh" else 1
    body = [pair[index] for pair in support_terms(catalog, q)]
    text = ("，" if lang == "zh" else ", ").join(body)
    support = catalog.effective_support(q)
    if support.funded_by and lang == "zh":
        text += Text.of("support.funded_by", funded_by=support.funded_by).render(lang)
    inferred = inferred_reference(catalog, q)
    return text + (inferred.render(lang) if inferred else "")
