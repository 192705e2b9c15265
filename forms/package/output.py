"""The package being written: its parts, where every source page went, the problems met."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from forms.catalog.model import ChecklistItem
from forms.package.images import find_images
from forms.package.model import (
    OVERSIZED_DIR,
    UPLOAD_DIR,
    PackagePart,
    PackageSettings,
    PageRecord,
    Problem,
)
from forms.package.optimise import optimise
from forms.package.outline import Mark, source_marks
from forms.package.pool import ImagePool
from forms.package.progress import Progress
from forms.package.split import estimate_ranges, write_part
from forms.package.stamp import stamp
from forms.system.atomic import copy_atomic
from forms.system.naming import part_name, safe_stem


@dataclass
class Source:
    label: str  # the file name shown to the user
    pdf: pikepdf.Pdf
    generated: bool  # made by shenbao: its own sections are the item's bookmarks


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
        """Merge the item's sources, recompress if it does not fit, split it into parts
        within the limit; returns how many parts were written."""
        title = item.title
        merged = pikepdf.new()
        marks: list[Mark] = []
        origin: list[tuple[str, int]] = []
        for source in sources:
            first = len(merged.pages)
            # A generated document's own sections are the item's bookmarks; an
            # attachment gets one bookmark by file name, its own bookmarks below it.
            if not source.generated:
                marks.append(Mark(first, source.label, 1))
            marks += source_marks(source.pdf, first, 1 if source.generated else 2)
            for n, page in enumerate(source.pdf.pages, 1):
                merged.pages.append(page)
                origin.append((source.label, n))
        self.expected_pages += len(origin)
        optimise(merged, self.limit, settings, pool, progress, title)
        if settings.stamp and item.id != "application_form":
            stamp(merged, company, title)
        page_dpi: dict[int, float] = {}
        for use in find_images(merged).values():
            if use.covers_page:
                for index in use.pages:
                    page_dpi[index] = min(page_dpi.get(index, use.dpi), use.dpi)
        progress.step("split", f"拆分 / splitting {title}", 1)
        written, oversized = self._write_within_limit(merged, title, marks, sequence)
        for number, (pages, path, size) in enumerate(written, 1):
            name = part_name(sequence, title, number, len(written))
            final = self.upload / name
            path.rename(final)
            self.parts.append(
                PackagePart(
                    final, size, len(pages), item.id, title, number, len(written), sha256_of(final)
                )
            )
            for local, index in enumerate(pages, 1):
                label, n = origin[index]
                self.records.append(PageRecord(label, n, item.id, name, local, page_dpi.get(index)))
        for index in oversized:
            label, n = origin[index]
            write_part(
                merged,
                range(index, index + 1),
                title,
                marks,
                self._set_aside() / f"{safe_stem(label)}_p{n}.pdf",
            )
            self.records.append(PageRecord(label, n, item.id, None, None, page_dpi.get(index)))
            self.problems.append(
                Problem.of(
                    label,
                    n,
                    "package.page_oversized",
                    dpi=f"{settings.min_dpi:.0f}",
                    limit=f"{self.limit:,}",
                )
            )
        merged.close()
        for source in sources:
            source.pdf.close()
        return len(written)

    def _write_within_limit(
        self, merged: pikepdf.Pdf, title: str, marks: list[Mark], sequence: int
    ) -> tuple[list[tuple[range, Path, int]], list[int]]:
        """Write the estimated ranges, measure each file, and split again any that came
        out over the limit; a single page still over it is returned as oversized."""
        written: list[tuple[range, Path, int]] = []
        oversized: list[int] = []
        queue = list(estimate_ranges(merged, self.limit))
        while queue:
            pages = queue.pop(0)
            path = self.upload / f".part-{sequence}-{len(written)}.pdf"
            size = write_part(merged, pages, title, marks, path)
            if size <= self.limit:
                written.append((pages, path, size))
                continue
            path.unlink()
            if len(pages) == 1:
                oversized.append(pages.start)
                continue
            keep = min(max(1, int(len(pages) * self.limit / size * 0.98)), len(pages) - 1)
            queue[0:0] = [
                range(pages.start, pages.start + keep),
                range(pages.start + keep, pages.stop),
            ]
        return written, oversized
