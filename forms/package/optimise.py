"""Recompressing the scans of an item that does not fit in one file: the best rung of the
quality ladder that needs no more files than the smallest rung would."""

from __future__ import annotations

import math
from collections.abc import Callable

import pikepdf

from forms.package.images import (
    MIN_IMAGE_BYTES,
    ImageUse,
    apply_result,
    find_images,
    make_job,
    page_objects,
)
from forms.package.model import PackageSettings
from forms.package.pool import ImagePool
from forms.package.progress import Progress
from forms.package.recompress import EMERGENCY_QUALITIES, LADDER, ImageResult, Level
from forms.package.split import FILL, PART_OVERHEAD


def pdf_size(pdf: pikepdf.Pdf) -> int:
    sizes: dict[tuple[int, int], int] = {}
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        seen |= page_objects(page, sizes)
    return sum(sizes[k] for k in seen)


def optimise(
    pdf: pikepdf.Pdf,
    limit: int,
    settings: PackageSettings,
    pool: ImagePool,
    progress: Progress,
    label: str,
) -> None:
    """Recompress the scans of an item that does not fit in one file (`limit` bytes): the
    best rung of the ladder that needs no more files than the smallest rung would."""
    budget = limit * FILL - PART_OVERHEAD
    total = pdf_size(pdf)
    if total <= budget:
        return
    uses = [u for u in find_images(pdf).values() if u.raw_bytes >= MIN_IMAGE_BYTES]
    if not uses:
        return
    image_bytes = sum(u.raw_bytes for u in uses)
    fixed = total - image_bytes
    # Rungs below the floor are lifted to it; a floor the user lowered adds rungs at it.
    rungs = {(max(level.dpi, settings.min_dpi), level.quality) for level in LADDER}
    if settings.min_dpi < LADDER[-1].dpi:
        rungs |= {(settings.min_dpi, 60), (settings.min_dpi, 45)}
    levels = [Level(dpi, quality) for dpi, quality in sorted(rungs, reverse=True)]

    def encode(selection: list[ImageUse], level: Level) -> list[ImageResult]:
        jobs = (make_job(u, i, level, settings.min_dpi) for i, u in enumerate(selection))
        results = []
        for result in pool.map(jobs):
            progress.step("compress", f"{label}: {level.dpi:.0f} dpi, q{level.quality}")
            results.append(result)
        return results

    def encoded_size(use: ImageUse, result: ImageResult) -> int:
        return len(result.data) if result.data is not None else use.raw_bytes

    def parts_for(estimate: float) -> int:
        return max(1, math.ceil(estimate / budget))

    if len(uses) <= 8:
        # A few photos or one huge page: try the best rung on everything first; it
        # usually fits, and then no sampling is needed.
        results = encode(uses, levels[0])
        if (
            parts_for(fixed + sum(encoded_size(u, r) for u, r in zip(uses, results, strict=True)))
            == 1
        ):
            for use, result in zip(uses, results, strict=True):
                apply_result(use, result)
            rescue_big_pages(pdf, uses, budget, settings, encode)
            return
    # Sample to choose the rung, then encode everything once at that rung.
    step = max(1, len(uses) // 6)
    sample = uses[::step][:6]
    sample_jobs = (make_job(u, i, levels[0], settings.min_dpi) for i, u in enumerate(sample))
    per_image = []
    for sizes in pool.measure(sample_jobs, tuple(levels)):
        progress.step("compress", f"{label}: 选择压缩级别 / choosing the level")
        per_image.append(sizes)
    sample_sizes = [sum(sizes[i] for sizes in per_image) for i in range(len(levels))]
    sample_raw = sum(u.raw_bytes for u in sample) or 1

    #: Band sampling (`forms.package.recompress.measure`) came out 4-5 % under the real total
    #: on scanned reports; erring large avoids the worst case, a low rung chosen to
    #: save a file that is then needed anyway (which costs a second encoding pass).
    margin = 1.08

    estimates = [(fixed + image_bytes * size / sample_raw) * margin for size in sample_sizes]
    fewest = min(parts_for(e) for e in estimates)
    index = next(i for i, e in enumerate(estimates) if parts_for(e) == fewest)

    def encode_all(level: Level) -> tuple[list[ImageResult], int]:
        results = encode(uses, level)
        return results, fixed + sum(encoded_size(u, r) for u, r in zip(uses, results, strict=True))

    results, actual = encode_all(levels[index])
    needed = parts_for(actual)
    if needed > fewest and index > 0:
        # The sample was optimistic and the lower rung bought nothing: take the best
        # rung that needs no more files than this one really does.
        correction = actual / estimates[index]
        better = next(i for i, e in enumerate(estimates) if parts_for(e * correction) <= needed)
        if better < index:
            retry, retry_size = encode_all(levels[better])
            if parts_for(retry_size) <= needed:
                results = retry
    for use, result in zip(uses, results, strict=True):
        apply_result(use, result)
    rescue_big_pages(pdf, uses, budget, settings, encode)


def rescue_big_pages(
    pdf: pikepdf.Pdf,
    uses: list[ImageUse],
    budget: float,
    settings: PackageSettings,
    encode: Callable[[list[ImageUse], Level], list[ImageResult]],
) -> None:
    """A page still too big on its own gets the emergency qualities, at the floor."""
    for index, page in enumerate(pdf.pages):
        sizes: dict[tuple[int, int], int] = {}
        objects = page_objects(page, sizes)
        if sum(sizes[k] for k in objects) <= budget:
            continue
        mine = [u for u in uses if index in u.pages]
        for quality in EMERGENCY_QUALITIES:
            level = Level(settings.min_dpi, quality)
            for use, result in zip(mine, encode(mine, level), strict=True):
                apply_result(use, result)
            sizes = {}
            objects = page_objects(page, sizes)
            if sum(sizes[k] for k in objects) <= budget:
                break
