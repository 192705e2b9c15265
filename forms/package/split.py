"""Writing an item's pages into parts within the limit, as the pages come.

Pages arrive one at a time, already recompressed (`forms.package.output`); a part is
written as soon as the next page would take it over the limit, so only one part's pages
and new image data are ever held, however long the attachment. Page sizes are
estimated (objects shared between pages, such as fonts, counted once per part) only to
choose where a part ends: every part is then written and its real size measured, and a
part that comes out over the limit is written again with fewer pages. Parts break only
at page boundaries; a greedy fill in page order needs no more parts than any other cut.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from forms.package.images import Weights, apply_result
from forms.package.outline import Mark, part_marks, write_outline
from forms.package.recompress import ImageResult
from forms.system.atomic import atomic_file
from forms.system.memory import release_free_memory

#: Estimates of part sizes are only used to choose page ranges; this margin keeps the
#: first write of a part usually under the limit, so few parts are written twice.
FILL = 0.97
PART_OVERHEAD = 2_500  # catalog, page tree, outline, trailer of an empty part
PAGE_OVERHEAD = 200  # page dictionary, its entry in the page tree and the xref


@dataclass
class Page:
    """One source page on its way to a part: where it comes from, its number in the
    item (0-based), the new versions of its images (by the source's object id) and the
    objects it brings along with their estimated sizes."""

    source: pikepdf.Pdf
    index: int
    number: int
    #: The source's file, when its pages can be copied from a fresh opening of it.
    reopen: Path | None = None
    results: dict[tuple[int, int], ImageResult] = field(default_factory=dict)
    objects: dict[tuple[int, int, int], int] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(self.objects.values()) + PAGE_OVERHEAD


def page_record(
    source: pikepdf.Pdf,
    ordinal: int,
    index: int,
    number: int,
    weights: Weights,
    reopen: Path | None = None,
) -> Page:
    """A page with the objects it brings along, keyed by (`ordinal` of the source in the
    item, object id), sized from the source's `weights`."""
    objects = {(ordinal, *k): weights.sizes[k] for k in weights.keys[index]}
    return Page(source, index, number, objects=objects, reopen=reopen)


def write_pages(
    pages: list[Page],
    title: str,
    marks: list[Mark],
    path: Path,
    stamps: pikepdf.Pdf | None = None,
) -> int:
    """Write `pages` as one PDF file with the item's bookmarks that fall in it; returns
    its size. The sources' pages are copied (qpdf reads their streams only while
    saving) and their images replaced in the copy: the sources stay as they are.

    A source that qpdf copied pages from keeps what it read for them until it is closed
    (measured: 61 MB more per 48-page part of a 300-dpi scan, 320 MB after five parts),
    so the pages of a file on disk are copied from a fresh opening of it, closed with
    the part: memory then holds one part's pages (88 MB after five parts)."""
    with contextlib.ExitStack() as opened:
        fresh: dict[Path, pikepdf.Pdf] = {}

        def origin(page: Page) -> pikepdf.Pdf:
            if page.reopen is None:
                return page.source
            if page.reopen not in fresh:
                fresh[page.reopen] = opened.enter_context(pikepdf.open(page.reopen, password=""))
            return fresh[page.reopen]

        size = _write_pages(pages, title, marks, path, stamps, origin)
    # The part's pages and image data are freed now; hand the memory back before the
    # next part's pages are read (see `forms.system.memory`).
    release_free_memory()
    return size


def _write_pages(
    pages: list[Page],
    title: str,
    marks: list[Mark],
    path: Path,
    stamps: pikepdf.Pdf | None,
    origin: Callable[[Page], pikepdf.Pdf],
) -> int:
    out = pikepdf.new()
    replaced: set[tuple[int, tuple[int, int]]] = set()
    for page in pages:
        source = origin(page)
        original = source.pages[page.index]
        # A fresh opening, closed with the part, gets its images replaced before the
        # page is copied, so qpdf copies the new data and never reads the old (it reads
        # a copied page's streams whole: 84 MB for 60 pages of a 300-dpi scan, against
        # 5 MB this way). A source held open across parts keeps its images.
        fresh = source is not page.source
        if page.results and fresh:
            _replace_images(source, original, original, page.results, replaced)
        out.pages.append(original)
        copied = out.pages[-1]
        if page.results and not fresh:
            _replace_images(out, original, copied, page.results, replaced)
        if stamps is not None:
            copied.add_overlay(stamps.pages[page.number], pikepdf.Rectangle(copied.mediabox))
    numbers = range(pages[0].number, pages[-1].number + 1)
    write_outline(out, title, part_marks(numbers, marks))
    out.docinfo["/Title"] = title
    out.docinfo["/Producer"] = "shenbao"
    with atomic_file(path, shared=True) as handle:
        out.save(
            handle,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            deterministic_id=True,
        )
    out.close()
    return path.stat().st_size


def _replace_images(
    out: pikepdf.Pdf,
    original: pikepdf.Page,
    copied: pikepdf.Page,
    results: dict[tuple[int, int], ImageResult],
    done: set[tuple[int, tuple[int, int]]],
) -> None:
    """The images of `original` that have results, replaced in `copied` (a page of
    `out`; `original` itself where `out` is its own file). `done` holds the (file,
    object id) of streams already replaced: an image drawn on several pages is one
    stream."""
    resources = original.obj.get("/Resources")
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    target = copied.obj.Resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary) or not isinstance(target, pikepdf.Dictionary):
        return
    for name, obj in xobjects.items():
        result = results.get(obj.objgen) if obj.is_indirect else None
        if result is None:
            continue
        stream = target[name]
        if not isinstance(stream, pikepdf.Stream) or (id(out), stream.objgen) in done:
            continue
        apply_result(out, stream, result)
        done.add((id(out), stream.objgen))


class PartWriter:
    """The parts of one item, written as its pages come (`add`, then `finish`).
    `written` holds (item page numbers, file, size) per part; `oversized` the pages
    that do not fit on their own, each written alone to the path `set_aside` gives."""

    def __init__(
        self,
        folder: Path,
        prefix: str,
        title: str,
        marks: list[Mark],
        limit: int,
        set_aside: Callable[[Page], Path],
        stamps: pikepdf.Pdf | None = None,
    ) -> None:
        self.folder, self.prefix, self.title, self.marks = folder, prefix, title, marks
        self.limit = limit
        self.set_aside = set_aside
        self.stamps = stamps
        self.written: list[tuple[range, Path, int]] = []
        self.oversized: list[int] = []
        self.pending: list[Page] = []
        self._seen: set[tuple[int, int, int]] = set()
        self._estimate = PART_OVERHEAD

    def _grow(self, page: Page) -> int:
        return sum(size for key, size in page.objects.items() if key not in self._seen) + (
            PAGE_OVERHEAD
        )

    def add(self, page: Page) -> None:
        grow = self._grow(page)
        if self.pending and self._estimate + grow > self.limit * FILL:
            self.pending = self._write_fitting(self.pending)
            self._recount()
            grow = self._grow(page)
        self.pending.append(page)
        self._seen |= page.objects.keys()
        self._estimate += grow

    def finish(self) -> None:
        while self.pending:
            self.pending = self._write_fitting(self.pending)
        self._recount()

    def _recount(self) -> None:
        self._seen = set()
        self._estimate = PART_OVERHEAD
        for page in self.pending:
            self._estimate += self._grow(page)
            self._seen |= page.objects.keys()

    def _write_fitting(self, pages: list[Page]) -> list[Page]:
        """Write the longest run of `pages` that fits (estimated first, then measured);
        returns the pages left over."""
        count = len(pages)
        while True:
            path = self.folder / f".part-{self.prefix}-{len(self.written)}.pdf"
            size = write_pages(pages[:count], self.title, self.marks, path, self.stamps)
            if size <= self.limit:
                numbers = range(pages[0].number, pages[count - 1].number + 1)
                self.written.append((numbers, path, size))
                return pages[count:]
            path.unlink()
            if count == 1:
                page = pages[0]
                write_pages([page], self.title, self.marks, self.set_aside(page), self.stamps)
                self.oversized.append(page.number)
                return pages[1:]
            count = min(max(1, int(count * self.limit / size * 0.98)), count - 1)
