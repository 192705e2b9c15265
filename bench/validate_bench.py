"""Benchmark: how long validating and matching take (target: a draft well under 10 ms).

Run: python bench/validate_bench.py [--rounds N]
Prints the median and 95th percentile of `check_draft` on the complete example draft,
of `match_profile` over the whole catalog, and the catalog load time, measured with
time.perf_counter over many rounds after a warm-up. Numbers go in closing notes, not
in timed unit tests.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from forms.catalog.loader import load_catalog
from forms.draft.io import load_draft
from validators.check import check_draft
from validators.context import check_context
from validators.eligibility import match_profile

ROOT = Path(__file__).resolve().parent.parent


def measure(fn: Callable[[], object], rounds: int) -> tuple[float, float]:
    for _ in range(min(50, rounds)):
        fn()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()

    start = time.perf_counter()
    catalog = load_catalog()
    load_ms = (time.perf_counter() - start) * 1000
    draft = load_draft(ROOT / "examples" / "drafts" / "content-creation.json")
    others = [load_draft(p) for p in sorted((ROOT / "examples" / "drafts").glob("*.json"))]
    ctx = check_context(catalog, date(2025, 9, 10), files=None, others=others, draft=draft)
    profile = draft.to_profile()
    directions = sum(1 for _ in catalog.directions())

    check_med, check_p95 = measure(lambda: check_draft(draft, ctx), args.rounds)
    match_med, match_p95 = measure(
        lambda: match_profile(catalog, profile, date(2025, 9, 10)), max(200, args.rounds // 10)
    )
    print(
        f"catalog load (cold, {len(catalog.policies)} policies, {directions} directions): {load_ms:.1f} ms"
    )
    print(
        f"check_draft, complete draft:  median {check_med:.3f} ms   p95 {check_p95:.3f} ms   (target < 10 ms)"
    )
    print(f"match_profile, whole catalog: median {match_med:.3f} ms   p95 {match_p95:.3f} ms")
    findings = check_draft(draft, ctx)
    print(f"findings on the example draft: {len(findings)}")


if __name__ == "__main__":
    main()
