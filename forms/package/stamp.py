"""The optional footer stamp: company, item and "page x of y" on attachment pages."""

from __future__ import annotations

import io

import pikepdf
from reportlab.pdfgen.canvas import Canvas

from forms.documents.pdf import register_font


def stamp_pages(boxes: list[tuple[float, float]], company: str, title: str) -> pikepdf.Pdf:
    """One overlay page per item page (`boxes`: each page's width and height in points)
    with company, item and "page x of y" at its foot, to lay over the pages as they are
    written into parts."""
    total = len(boxes)
    font = register_font([company, title, "第页共0123456789 "])
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    for number, (width, height) in enumerate(boxes, 1):
        canvas.setPageSize((width, height))
        canvas.setFont(font, 8)
        canvas.setFillColorRGB(0.35, 0.35, 0.35)
        canvas.drawCentredString(
            width / 2, 10, f"{company} · {title} · 第 {number} 页 共 {total} 页"
        )
        canvas.showPage()
    canvas.save()
    return pikepdf.open(io.BytesIO(buffer.getvalue()))


def page_box(page: pikepdf.Page) -> tuple[float, float]:
    box = page.mediabox
    return float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
