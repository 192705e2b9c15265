"""Splitting an item into parts at page boundaries: estimated page ranges, each part
written and measured (pages share fonts and images, so sizes never add up)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pikepdf

from forms.package.images import page_objects
from forms.package.outline import Mark, part_marks, write_outline
from forms.system.atomic import atomic_file

#: Estimates of part sizes are only used to choose page ranges; this margin keeps the
#: first write of a part usually under the limit, so few parts are written twice.
FILL = 0.97
PART_OVERHEAD = 2_500  # catalog, page tree, outline, trailer of an empty part


def write_part(
    source: pikepdf.Pdf, indexes: range, title: str, marks: list[Mark], path: Path
) -> int:
    out = pikepdf.new()
    for i in indexes:
        out.pages.append(source.pages[i])
    out.remove_unreferenced_resources()
    write_outline(out, title, part_marks(indexes, marks))
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


def estimate_ranges(source: pikepdf.Pdf, limit: int) -> Iterator[range]:
    """Page ranges by estimated size (shared objects counted once per part); the caller
    writes each and shrinks it if the real file is over the limit."""
    sizes: dict[tuple[int, int], int] = {}
    per_page = [page_objects(page, sizes) for page in source.pages]
    start = 0
    count = len(per_page)
    while start < count:
        seen: set[tuple[int, int]] = set()
        estimate = PART_OVERHEAD
        end = start
        while end < count:
            new = per_page[end] - seen
            add = sum(sizes[k] for k in new) + 200
            if end > start and estimate + add > limit * FILL:
                break
            estimate += add
            seen |= new
            end += 1
        yield range(start, end)
        start = end
