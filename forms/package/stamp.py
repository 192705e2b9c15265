"""The optional footer stamp: company, item and "page x of y" on attachment pages."""

from __future__ import annotations

import io

import pikepdf
from reportlab.pdfgen.canvas import Canvas

from forms.documents.pdf import register_font


def stamp(pdf: pikepdf.Pdf, company: str, title: str) -> None:
    """Company, item and "page x of y" at the foot of every page, as an overlay."""
    total = len(pdf.pages)
    font = register_font([company, title, "第页共0123456789 "])
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    for number, page in enumerate(pdf.pages, 1):
        box = page.mediabox
        width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
        canvas.setPageSize((width, height))
        canvas.setFont(font, 8)
        canvas.setFillColorRGB(0.35, 0.35, 0.35)
        canvas.drawCentredString(
            width / 2, 10, f"{company} · {title} · 第 {number} 页 共 {total} 页"
        )
        canvas.showPage()
    canvas.save()
    stamps = pikepdf.open(io.BytesIO(buffer.getvalue()))
    for page, stamp in zip(pdf.pages, stamps.pages, strict=True):
        page.add_overlay(stamp, pikepdf.Rectangle(page.mediabox))
