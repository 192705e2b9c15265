"""The package being written: its parts, where every source page went, the problems met."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from forms.catalog.model import ChecklistItem
from forms.package.images import (
    MIN_IMAGE_BYTES,
    OBJECT_OVERHEAD,
    ImageUse,
    find_images,
    make_job,
    weigh,
)
from forms.package.model import (
    OVERSIZED_DIR,
    UPLOAD_DIR,
    PackagePart,
    PackageSettings,
    PageRecord,
    Problem,
)
from forms.package.optimise import plan
from forms.package.outline import Mark, source_marks
from forms.package.pool import ImagePool
from forms.package.progress import Progress
from forms.package.recompress import EMERGENCY_QUALITIES, ImageJob, ImageResult, Level
from forms.package.split import FILL, PART_OVERHEAD, Page, PartWriter, page_record
from forms.package.stamp import page_box, stamp_pages
from forms.system.atomic import copy_atomic
from forms.system.naming import part_name, safe_stem


@dataclass
class Source:
    label: str  # the file name shown to the user
    pdf: pikepdf.Pdf
    generated: bool  # made by shenbao: its own sections are the item's bookmarks
    #: The file `pdf` was opened from (a converted or repaired file's copy in the work
    #: folder): each part copies its pages from a fresh opening of it (see
    #: `split.write_pages`). None: `pdf` lives only in memory.
    path: Path | None = None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Output:
    """The package being written into `staging`: its parts, where every source page went,
    and the problems met. One item at a time goes in, signed files or assembled pages."""

    def __init__(self, staging: Path, limit: int) -> None:
        self.upload = staging / UPLOAD_DIR
        self.upload.mkdir()
        self.oversized = staging / OVERSIZED_DIR
        self.limit = limit
        self.problems: list[Problem] = []
        self.records: list[PageRecord] = []
        self.parts: list[PackagePart] = []
        self.expected_pages = 0  # source pages read, for the conservation check

    def _set_aside(self) -> Path:
        self.oversized.mkdir(exist_ok=True)
        return self.oversized

    def pass_through(
        self, path: Path, count: int, item: ChecklistItem, sequence: int, *, named_apart: bool
    ) -> None:
        """A signed file travels byte for byte: any rewrite would break the signature."""
        label = path.name
        self.expected_pages += count
        size = path.stat().st_size
        if size > self.limit:
            self.problems.append(Problem.of(label, None, "package.signed_too_big"))
            copy_atomic(path, self._set_aside() / safe_stem(label))
            self.records.extend(
                PageRecord(label, n, item.id, None, None, None) for n in range(1, count + 1)
            )
            return
        title = f"{item.title}_{path.stem}" if named_apart else item.title
        name = part_name(sequence, title, 1, 1)
        target = self.upload / name
        copy_atomic(path, target)
        self.parts.append(
            PackagePart(target, size, count, item.id, item.title, 1, 1, sha256_of(target))
        )
        self.records.extend(
            PageRecord(label, n, item.id, name, n, None) for n in range(1, count + 1)
        )
        self.problems.append(
            Problem.of(label, None, "package.signed_passed_through", severity="warning")
        )

    def assemble(
        self,
        item: ChecklistItem,
        sequence: int,
        sources: list[Source],
        settings: PackageSettings,
        pool: ImagePool,
        progress: Progress,
        company: str,
    ) -> int:
        """Stream the item's pages into parts within the limit, recompressing its scans
        where it does not fit in one file; returns how many parts were written. No
        document is ever merged: each page is copied from its source into the part
        being written, with its new images, and a part is written as soon as it is full,
        so memory holds one part's worth of pages whatever the page count."""
        title = item.title
        marks: list[Mark] = []
        origin: list[tuple[str, int]] = []
        offsets: list[int] = []
        for source in sources:
            first = len(origin)
            offsets.append(first)
            # A generated document's own sections are the item's bookmarks; an
            # attachment gets one bookmark by file name, its own bookmarks below it.
            if not source.generated:
                marks.append(Mark(first, source.label, 1))
            marks += source_marks(source.pdf, first, 1 if source.generated else 2)
            origin += [(source.label, n) for n in range(1, len(source.pdf.pages) + 1)]
        self.expected_pages += len(origin)

        found = [find_images(source.pdf) for source in sources]
        uses = [
            (ordinal, use)
            for ordinal, images in enumerate(found)
            for use in images.values()
            if use.raw_bytes >= MIN_IMAGE_BYTES
        ]
        weights = [weigh(source.pdf) for source in sources]
        total = sum(w.total for w in weights)
        chosen = plan(total, [u for _, u in uses], self.limit, settings, pool, progress, title)
        starts: dict[int, list[int]] = {}  # item page -> images first drawn there
        drawn: dict[int, list[int]] = {}  # item page -> images drawn there
        last: dict[int, int] = {}  # image -> the item page that draws it last
        if chosen.level is not None:
            for i, (ordinal, use) in enumerate(uses):
                numbers = sorted(offsets[ordinal] + p for p in use.pages)
                starts.setdefault(numbers[0], []).append(i)
                for number in numbers:
                    drawn.setdefault(number, []).append(i)
                last[i] = numbers[-1]
        level = chosen.level

        sampled = set(chosen.known)  # made while choosing the rung: no job for them

        def jobs() -> Iterator[ImageJob]:
            assert level is not None
            for number in range(len(origin)):
                for i in starts.get(number, []):
                    if i not in sampled:
                        yield make_job(uses[i][1], i, level, settings.min_dpi)

        results = pool.map(jobs()) if level is not None else iter(())
        made: dict[int, ImageResult] = {}
        stamps = None
        if settings.stamp and item.id != "application_form":
            boxes = [page_box(page) for source in sources for page in source.pdf.pages]
            stamps = stamp_pages(boxes, company, title)

        def set_aside(page: Page) -> Path:
            label, n = origin[page.number]
            return self._set_aside() / f"{safe_stem(label)}_p{n}.pdf"

        writer = PartWriter(self.upload, str(sequence), title, marks, self.limit, set_aside, stamps)
        budget = self.limit * FILL - PART_OVERHEAD
        page_dpi: dict[int, float] = {}
        encoding: dict[int, str] = {}
        for ordinal, source in enumerate(sources):
            for index in range(len(source.pdf.pages)):
                number = offsets[ordinal] + index
                for i in starts.get(number, []):
                    made[i] = chosen.known.pop(i) if i in sampled else next(results)
                    assert made[i].key == i, "results come in the order of their jobs"
                    progress.step("compress", f"{title}: {number + 1}/{len(origin)}")
                page = page_record(
                    source.pdf, ordinal, index, number, weights[ordinal], source.path
                )
                mine = drawn.get(number, [])
                self._attach(page, ordinal, [(uses[i][1], made[i]) for i in mine])
                if level is not None and page.size > budget and mine:
                    self._rescue(
                        page, ordinal, [(i, uses[i][1]) for i in mine], made, settings, pool
                    )
                for use in found[ordinal].values():
                    if index in use.pages and use.covers_page:
                        result = next((made[i] for i in mine if uses[i][1] is use), None)
                        dpi = result.dpi if result is not None and result.size else use.dpi
                        page_dpi[number] = min(page_dpi.get(number, dpi), dpi)
                        if result is not None and result.size and level is not None:
                            encoding[number] = _encoding(result, level)
                writer.add(page)
                for i in mine:
                    if last[i] == number:
                        del made[i]
        writer.finish()
        progress.step("split", f"拆分 / splitting {title}", 1)
        for number, (pages, path, size) in enumerate(writer.written, 1):
            name = part_name(sequence, title, number, len(writer.written))
            final = self.upload / name
            path.rename(final)
            self.parts.append(
                PackagePart(
                    final,
                    size,
                    len(pages),
                    item.id,
                    title,
                    number,
                    len(writer.written),
                    sha256_of(final),
                )
            )
            for local, index in enumerate(pages, 1):
                label, n = origin[index]
                self.records.append(
                    PageRecord(
                        label, n, item.id, name, local, page_dpi.get(index), encoding.get(index)
                    )
                )
        for index in writer.oversized:
            label, n = origin[index]
            self.records.append(
                PageRecord(label, n, item.id, None, None, page_dpi.get(index), encoding.get(index))
            )
            self.problems.append(
                Problem.of(
                    label,
                    n,
                    "package.page_oversized",
                    dpi=f"{settings.min_dpi:.0f}",
                    limit=f"{self.limit:,}",
                )
            )
        if stamps is not None:
            stamps.close()
        for source in sources:
            source.pdf.close()
        return len(writer.written)

    @staticmethod
    def _attach(page: Page, ordinal: int, images: list[tuple[ImageUse, ImageResult]]) -> None:
        """The page's new images and their sizes in place of the old ones."""
        for use, result in images:
            if result.data is None and result.layers is None:
                continue
            page.results[use.objgen] = result
            page.objects[(ordinal, *use.objgen)] = result.size + OBJECT_OVERHEAD

    def _rescue(
        self,
        page: Page,
        ordinal: int,
        mine: list[tuple[int, ImageUse]],
        made: dict[int, ImageResult],
        settings: PackageSettings,
        pool: ImagePool,
    ) -> None:
        """A page too big on its own gets the emergency qualities, at the floor."""
        budget = self.limit * FILL - PART_OVERHEAD
        for quality in EMERGENCY_QUALITIES:
            level = Level(settings.min_dpi, quality, 50, quality)
            jobs = (make_job(use, i, level, settings.min_dpi) for i, use in mine)
            for (i, use), result in zip(mine, pool.map(jobs), strict=True):
                made[i] = result
                self._attach(page, ordinal, [(use, result)])
            if page.size <= budget:
                return


def _encoding(result: ImageResult, level: Level) -> str:
    """How a page's scan was re-encoded, for the manifest (and the benchmark)."""
    if result.layers is not None:
        return (
            f"mrc {result.dpi:.0f}dpi bg {level.background_dpi:.0f}dpi q{level.background_quality}"
        )
    return f"jpeg {result.dpi:.0f}dpi q{result.quality}"
