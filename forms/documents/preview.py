"""Real pages of a PDF as pictures, for the wizard's previews and thumbnails (PDFium).

PDFium (through pypdfium2, Apache-2.0/BSD-3-Clause, wheels for every platform shenbao
ships on) is Chrome's PDF engine: what it draws is what a reviewer's viewer shows, fonts
and scans included, which a text sketch never was. It is not thread-safe, not even across
documents (pypdfium2, "Incompatibility with Threading"), so every call here holds one
process-wide lock; callers run it on a worker thread.

A page is drawn at `scale` pixels per PDF point (1.0 is 72 dpi), capped so that no picture
exceeds `MAX_PIXELS`: a page of a hostile file declared 5 m wide cannot exhaust memory.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forms.text import TextError

MAX_PIXELS = 24_000_000
_LOCK = threading.Lock()


class PreviewError(TextError):
    """The file cannot be drawn (not a PDF, damaged, password-protected, no such page)."""


@dataclass(frozen=True)
class PageImage:
    png: bytes
    width: int  # pixels
    height: int
    index: int  # 0-based page
    pages: int  # of the document


def _open(path: Path) -> Any:
    # start-up: PDFium loads when the first page is drawn
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise PreviewError.of("preview.unreadable", file=path.name, detail=exc) from None
    except OSError as exc:
        raise PreviewError.of("preview.unreadable", file=path.name, detail=exc.strerror) from None


def _draw(page: Any, scale: float, path: Path) -> Any:
    # start-up: PDFium loads when the first page is drawn
    import pypdfium2 as pdfium

    try:
        return page.render(scale=scale).to_pil()
    except pdfium.PdfiumError as exc:
        raise PreviewError.of("preview.unreadable", file=path.name, detail=exc) from None


def page_count(path: Path) -> int:
    with _LOCK:
        pdf = _open(path)
        try:
            return len(pdf)
        finally:
            pdf.close()


def render_page(path: Path, index: int = 0, scale: float = 1.0) -> PageImage:
    """Page `index` (0-based) of the PDF at `path`, drawn at `scale`, as PNG."""
    with _LOCK:
        pdf = _open(path)
        try:
            pages = len(pdf)
            if not 0 <= index < pages:
                raise PreviewError.of(
                    "preview.no_page", file=path.name, page=index + 1, pages=pages
                )
            page = pdf[index]
            try:
                width, height = page.get_size()
                if width <= 0 or height <= 0:
                    raise PreviewError.of(
                        "preview.no_page", file=path.name, page=index + 1, pages=pages
                    )
                pixels = width * height * scale * scale
                if pixels > MAX_PIXELS:
                    scale *= (MAX_PIXELS / pixels) ** 0.5 * 0.999  # rounding up stays under
                image = _draw(page, max(scale, 0.01), path)
            finally:
                page.close()
        finally:
            pdf.close()
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False)
    return PageImage(buffer.getvalue(), image.width, image.height, index, pages)


def thumbnail(path: Path, max_px: int) -> bytes:
    """The first page fitted into a `max_px` square, as PNG."""
    with _LOCK:
        pdf = _open(path)
        try:
            if len(pdf) == 0:
                raise PreviewError.of("preview.no_page", file=path.name, page=1, pages=0)
            page = pdf[0]
            width, height = page.get_size()
            page.close()
        finally:
            pdf.close()
    scale = max_px / max(width, height, 1)
    return render_page(path, 0, scale).png
