"""How much support a direction allows: rate x base, capped, following references.

The 2025 call states no rates itself; where the catalog reads a measure of 489号 as
the applicable level (`support_ref`), the estimate says so, so nobody mistakes an
estimate for an entitlement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from forms.catalog.model import Catalog, QualifiedDirection, Support, SupportBase, SupportForm


@dataclass(frozen=True)
class SupportEstimate:
    support: Support  # the support that applies (after following support_ref)
    reference: QualifiedDirection | None  # where it came from, when not the direction itself
    base_amount: Decimal | None
    maximum: Decimal | None  # None: not computable (unspecified, or base unknown)

    @property
    def unspecified(self) -> bool:
        return self.support.form is SupportForm.UNSPECIFIED and self.support.cap_cny is None


def estimate_support(
    catalog: Catalog,
    q: QualifiedDirection,
    base_amount: Callable[[SupportBase], Decimal | None],
) -> SupportEstimate:
    ref = q.direction.support.support_ref
    reference = catalog.direction(ref) if ref else None
    support = catalog.effective_support(q)
    amount = base_amount(support.base) if support.base is not None else None
    return SupportEstimate(support, reference, amount, support.maximum(amount))


def reference_label(reference: QualifiedDirection) -> str:
    policy = reference.policy
    return f"{policy.doc_number or policy.title} {reference.measure.clause}"
