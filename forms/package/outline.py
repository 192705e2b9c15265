"""Bookmarks of the package's files: the item, each file, and the sources' own outlines."""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf


@dataclass(frozen=True)
class Mark:
    """A bookmark of the merged item: its page there, title and depth (1 = top)."""

    page: int
    title: str
    level: int


def source_marks(pdf: pikepdf.Pdf, first_page: int, level: int) -> list[Mark]:
    """The source's own bookmarks (e.g. the form's sections), shifted to where its pages
    sit in the merged item; entries whose target cannot be resolved are left out."""
    marks: list[Mark] = []

    def walk(items: list[pikepdf.OutlineItem], depth: int) -> None:
        for item in items:
            target: object = item.destination
            if target is None and item.action is not None:
                target = item.action.get("/D")
            page_index = None
            if (
                isinstance(target, pikepdf.Array)
                and len(target)
                and isinstance(target[0], pikepdf.Dictionary)
            ):
                try:
                    page_index = pikepdf.Page(target[0]).index
                except (ValueError, pikepdf.PdfError):
                    page_index = None
            if page_index is not None:
                marks.append(Mark(first_page + page_index, str(item.title), depth))
            walk(list(item.children), depth + 1)

    try:
        with pdf.open_outline() as outline:
            walk(list(outline.root), level)
    except (pikepdf.OutlineStructureError, pikepdf.PdfError):
        return []
    return marks


def write_outline(out: pikepdf.Pdf, title: str, marks: list[Mark]) -> None:
    with out.open_outline() as outline:
        root = pikepdf.OutlineItem(title, 0)
        stack: list[tuple[int, pikepdf.OutlineItem]] = [(0, root)]
        for mark in marks:
            while stack[-1][0] >= mark.level:
                stack.pop()
            entry = pikepdf.OutlineItem(mark.title, mark.page)
            stack[-1][1].children.append(entry)
            stack.append((mark.level, entry))
        outline.root.append(root)


def part_marks(indexes: range, marks: list[Mark]) -> list[Mark]:
    """The item's bookmarks that fall in this part, renumbered; a part that starts in
    the middle of a file says so, so every part's first page has a bookmark."""
    local = [Mark(m.page - indexes.start, m.title, m.level) for m in marks if m.page in indexes]
    if not local or local[0].page != 0:
        starts_here = [m for m in marks if m.page < indexes.start and m.level == 1]
        if starts_here:
            local.insert(0, Mark(0, f"{starts_here[-1].title}（续）", 1))
    return local
