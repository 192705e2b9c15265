"""Every threshold of the catalog at, just below and just above its boundary."""

from __future__ import annotations

from decimal import Decimal

import pytest

from forms.catalog.loader import load_catalog
from forms.catalog.model import Catalog, Comparison, MetricKind, Threshold
from forms.draft.model import Draft
from tests.conftest import IN_WINDOW
from validators.check import check
from validators.conditions import evaluate_threshold

_CATALOG = load_catalog()
CASES = [(q.key, t) for q in _CATALOG.directions() for t in q.direction.thresholds]


def _step(catalog: Catalog, threshold: Threshold) -> Decimal:
    kind = catalog.metric(threshold.metric).kind
    return Decimal("0.01") if kind is MetricKind.PERCENT else Decimal(1)


def _expected(op: Comparison, delta: int) -> bool:
    return {
        Comparison.GT: delta > 0,
        Comparison.GE: delta >= 0,
        Comparison.LT: delta < 0,
        Comparison.LE: delta <= 0,
    }[op]


def test_the_catalog_has_the_annex2_thresholds() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize(("key", "threshold"), CASES, ids=[f"{k}:{t.metric}" for k, t in CASES])
@pytest.mark.parametrize("delta", [-1, 0, 1], ids=["below", "at", "above"])
def test_boundary(catalog: Catalog, key: str, threshold: Threshold, delta: int) -> None:
    value = threshold.value + delta * _step(catalog, threshold)
    outcome = evaluate_threshold(catalog, threshold, {threshold.metric: value})
    assert outcome.met is _expected(threshold.op, delta)


@pytest.mark.parametrize(("key", "threshold"), CASES, ids=[f"{k}:{t.metric}" for k, t in CASES])
@pytest.mark.parametrize("delta", [-1, 0, 1], ids=["below", "at", "above"])
def test_boundary_through_check(
    catalog: Catalog, clean_draft: Draft, key: str, threshold: Threshold, delta: int
) -> None:
    """The same boundary seen by a user: an error on the metric's field, or none."""
    clean_draft.direction = key
    q = catalog.direction(key)
    for other in q.direction.thresholds:  # every other threshold comfortably met
        clean_draft.project.metrics[other.metric] = other.value * 2 + 1
    clean_draft.project.metrics[threshold.metric] = threshold.value + delta * _step(
        catalog, threshold
    )
    findings = check(clean_draft, catalog, IN_WINDOW, files=None)
    field = f"project.metrics.{threshold.metric}"
    errors = [f for f in findings if f.field == field and f.code == "threshold.not_met"]
    assert bool(errors) is not _expected(threshold.op, delta)
