"""Small generated inputs for document and package tests: scans, photos, odd PDFs."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pikepdf
from PIL import Image, ImageDraw

from forms.package.attachments import add_image_page
from forms.package.recompress import Level


def noisy_page(size: tuple[int, int], mode: str = "L", seed: int = 0) -> Image.Image:
    """A text-like page with sensor noise (so JPEG sizes are realistic, not trivial)."""
    rng = random.Random(seed)
    page = Image.new("L", size, 245)
    draw = ImageDraw.Draw(page)
    for y in range(size[1] // 12, size[1] - size[1] // 12, max(4, size[1] // 60)):
        x = size[0] // 10
        while x < size[0] * 0.9:
            w = rng.randint(size[0] // 80, size[0] // 30)
            draw.rectangle((x, y, x + w, y + max(2, size[1] // 150)), fill=rng.randint(10, 60))
            x += w + size[0] // 100
    noise = Image.effect_noise(size, 40)
    page = Image.blend(page, noise, 0.25)
    return page.convert(mode)


def jpeg_bytes(
    image: Image.Image, quality: int = 92, orientation: int = 1, dpi: int | None = None
) -> bytes:
    buffer = io.BytesIO()
    exif = Image.Exif()
    if orientation != 1:
        exif[0x0112] = orientation
    extra = {"dpi": (dpi, dpi)} if dpi else {}
    image.save(buffer, "JPEG", quality=quality, exif=exif.tobytes(), **extra)
    return buffer.getvalue()


def scan_pdf(
    path: Path,
    pages: int,
    size: tuple[int, int] = (1240, 1754),
    dpi: int = 150,
    mode: str = "L",
    quality: int = 92,
) -> Path:
    """A scanner's PDF: one full-page JPEG per page (1240x1754 is A4 at 150 dpi)."""
    pdf = pikepdf.new()
    for n in range(pages):
        image = noisy_page(size, mode, seed=n)
        add_image_page(pdf, image, jpeg_bytes(image, quality), (dpi, dpi))
    pdf.save(path)
    return path


def text_scan(colour: bool = False) -> Image.Image:
    """A 300-dpi A4 page of black lines of text and, in colour, a red ring like a
    company seal."""
    page = Image.new("RGB", (2480, 3508), (250, 250, 246))
    draw = ImageDraw.Draw(page)
    for y in range(300, 3300, 60):
        draw.rectangle((250, y, 2200, y + 14), fill=(20, 20, 20))
    if colour:
        draw.ellipse((1500, 2500, 2100, 3100), outline=(210, 30, 30), width=30)
    return page if colour else page.convert("L")


def text_scan_pdf(path: Path, pages: int) -> Path:
    """A 300-dpi grey scan of text lines on slightly noisy paper: ink and paper and
    little between (a text scan to `forms.package.mrc`), about 2.6 MB a page."""
    pdf = pikepdf.new()
    for n in range(pages):
        rng = random.Random(n)
        page = Image.new("L", (2480, 3508), 245)
        draw = ImageDraw.Draw(page)
        for y in range(300, 3300, 60):
            x = 250
            while x < 2200:
                w = rng.randint(20, 60)
                draw.rectangle((x, y, x + w, y + 30), fill=30)
                x += w + 15
        image = Image.blend(page, Image.effect_noise(page.size, 60), 0.08)
        add_image_page(pdf, image, jpeg_bytes(image, 92), (300, 300))
    pdf.save(path)
    return path


def text_pdf(path: Path, pages: int, lines: int = 40, seed: int = 1) -> Path:
    """A born-digital PDF whose pages share one embedded CJK font subset."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from forms.documents.pdf import register_font

    chars = "申报材料项目投资预算合同金额万元审计报告上海人工智能" + "".join(
        chr(0x4E00 + i * 37) for i in range(300)
    )
    font = register_font([chars])
    rng = random.Random(seed)
    canvas = Canvas(str(path), pagesize=A4, invariant=True)
    for number in range(1, pages + 1):
        canvas.setFont(font, 10)
        canvas.drawString(72, 800, f"第{number}页 项目投资预算")
        for row in range(lines):
            canvas.drawString(60, 780 - row * 18, "".join(rng.choice(chars) for _ in range(40)))
        canvas.showPage()
    canvas.save()
    return path


__all__ = ["Level", "jpeg_bytes", "noisy_page", "scan_pdf", "text_pdf"]
