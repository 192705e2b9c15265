"""Real pages of PDFs as pictures (PDFium): the size asked for, every page, clear errors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from forms.documents.preview import PreviewError, page_count, render_page, thumbnail
from tests.conftest import EXAMPLES

AUDIT = EXAMPLES / "attachments" / "audit-report-2025.pdf"  # two A4 pages


def test_pages_are_drawn_at_the_scale_asked_for() -> None:
    assert page_count(AUDIT) == 2
    page = render_page(AUDIT, 1, 2.0)
    image = Image.open(io.BytesIO(page.png))
    assert (image.width, image.height) == (page.width, page.height) == (1190, 1684)
    assert page.index == 1 and page.pages == 2
    # A real rendering: the page is mostly white with dark text on it.
    grey = image.convert("L")
    histogram = grey.histogram()
    assert histogram[255] > 0.5 * grey.width * grey.height
    assert sum(histogram[:128]) > 100


def test_a_thumbnail_fits_its_square() -> None:
    image = Image.open(io.BytesIO(thumbnail(AUDIT, 96)))
    assert max(image.size) == 96 and image.size[0] < 96


def test_a_huge_page_is_drawn_smaller_not_out_of_memory(tmp_path: Path) -> None:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(14_000, 14_000))  # about 5 m square
    pdf.save(tmp_path / "huge.pdf")
    page = render_page(tmp_path / "huge.pdf", 0, 4.0)
    assert page.width * page.height <= 24_000_000


@pytest.mark.parametrize("content", [b"", b"%PDF-1.7 truncated", "不是PDF".encode()])
def test_what_cannot_be_drawn_says_so(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(PreviewError) as failed:
        render_page(path)
    assert "bad.pdf" in failed.value.message("zh")


def test_no_such_page() -> None:
    with pytest.raises(PreviewError) as failed:
        render_page(AUDIT, 5)
    assert failed.value.message("en").endswith("there is no page 6 (it has 2)")
