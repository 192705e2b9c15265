"""Choosing how an item's scans are recompressed: the most legible rung of the quality
ladder that needs no more files than the smallest rung would.

An item that fits in one file as it is stays as it is. Otherwise a few of its images
(`SAMPLE`, spread over the item) are encoded at the ladder's JPEG rungs, and the item's
size at each rung is estimated from them. If one of those fits the item in one file
(the fewest there can be), the first such rung is taken and no mask is made. Otherwise
the samples are also made as mixed raster content at the mask rungs (text scans as
masks, whose size barely changes along them, so the estimate is nearly exact; photos as
JPEG), and the first rung with the fewest files is taken: the budget is used, never the
floor when the limit allows more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from forms.package.images import ImageUse, make_job
from forms.package.model import PackageSettings
from forms.package.pool import ImagePool
from forms.package.progress import Progress
from forms.package.recompress import LADDER, ImageResult, Level
from forms.package.split import FILL, PART_OVERHEAD

SAMPLE = 4
#: The sample's estimate errs large by this much: a rung chosen too low to save a file
#: that is needed anyway costs legibility for nothing.
MARGIN = 1.05


@dataclass
class Plan:
    """The rung an item's images are recompressed at (None: leave them as they are),
    and the results already made for the sampled images at that rung (by use index)."""

    level: Level | None
    known: dict[int, ImageResult] = field(default_factory=dict)
    files: int = 1  # the fewest files the estimate says the item needs


def levels(settings: PackageSettings) -> list[Level]:
    """The ladder for this floor, in the ladder's order (most legible first): rungs
    below the floor are lifted to it; a floor the user lowered adds rungs at it."""
    rungs = [replace(level, dpi=max(level.dpi, settings.min_dpi)) for level in LADDER]
    if settings.min_dpi < LADDER[-1].dpi:
        rungs += [Level(settings.min_dpi, 60, 50, 30), Level(settings.min_dpi, 45, 50, 25)]
    return list(dict.fromkeys(rungs))


def plan(
    total: int,
    uses: list[ImageUse],
    limit: int,
    settings: PackageSettings,
    pool: ImagePool,
    progress: Progress,
    label: str,
) -> Plan:
    """The rung for an item of `total` bytes (estimated) whose recompressible images are
    `uses`, for parts of at most `limit` bytes."""
    budget = limit * FILL - PART_OVERHEAD
    if total <= budget or not uses:
        return Plan(None)
    ladder = levels(settings)
    image_bytes = sum(u.raw_bytes for u in uses)
    fixed = total - image_bytes
    count = min(SAMPLE, len(uses))
    picked = sorted({round(i * (len(uses) - 1) / max(1, count - 1)) for i in range(count)})
    sample_raw = sum(uses[i].raw_bytes for i in picked) or 1

    def size(result: ImageResult, use: ImageUse) -> int:
        return result.size if result.data is not None or result.layers else use.raw_bytes

    measured: dict[Level, list[ImageResult]] = {}

    def sample(rungs: list[Level]) -> None:
        if not rungs:
            return
        jobs = (make_job(uses[i], i, rungs[0], settings.min_dpi) for i in picked)
        by_image = []
        for results in pool.measure(jobs, tuple(rungs)):
            progress.step("compress", f"{label}: 选择压缩级别 / choosing the level")
            by_image.append(results)
        for n, rung in enumerate(rungs):
            measured[rung] = [results[n] for results in by_image]

    files: dict[Level, int] = {}

    def count_files() -> None:
        for rung, results in measured.items():
            sampled = sum(size(m, uses[i]) for i, m in zip(picked, results, strict=True))
            estimate = (fixed + image_bytes * sampled / sample_raw) * MARGIN
            files[rung] = max(1, math.ceil(estimate / budget))

    # The JPEG rungs first: they are cheap to try (DCT-scaled decoding), and an item
    # they fit into one file needs no mask, whose sampling costs three times as much.
    sample([rung for rung in ladder if not rung.mrc])
    count_files()
    if min(files.values(), default=2) > 1:
        sample([rung for rung in ladder if rung.mrc])
        count_files()
    fewest = min(files.values())
    chosen = next(rung for rung in ladder if files.get(rung) == fewest)
    known = dict(zip(picked, measured[chosen], strict=True))
    return Plan(chosen, known, fewest)
