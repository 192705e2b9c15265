"""A realistic attachment corpus for the package benchmark (and nothing else).

What staff really bring: a 60-page 300-dpi grey scan of an audit report, a 30-page
colour scan of a contract with red seals, eight 12-megapixel phone photos (some with
EXIF rotation), one 600-dpi colour page that alone exceeds 5 MB, and a 30-page
born-digital form with Chinese text. Scans carry sensor noise so JPEG cannot cheat.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import pikepdf
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from forms.documents.fonts import choose_font
from forms.package.attachments import add_image_page

A4_300 = (2480, 3508)
TEXT = "上海市人工智能加行动项目申报材料审计报告合同条款甲方乙方金额万元签章日期第条款"


def _font(size: int) -> ImageFont.FreeTypeFont:
    font, _ = choose_font([TEXT])
    return ImageFont.truetype(str(font.path), size, index=font.subfont)


def _page(size: tuple[int, int], mode: str, seed: int, dpi: int, seal: bool) -> Image.Image:
    rng = random.Random(seed)
    scale = dpi / 300
    page = Image.new("RGB", size, (250, 249, 244))
    draw = ImageDraw.Draw(page)
    font = _font(int(34 * scale))
    title = _font(int(56 * scale))
    margin = int(220 * scale)
    draw.text(
        (margin, int(260 * scale)), f"第{seed % 97 + 1}页 审计报告", font=title, fill=(20, 20, 20)
    )
    y = int(420 * scale)
    while y < size[1] - margin:
        length = rng.randint(20, 40)
        line = "".join(rng.choice(TEXT) for _ in range(length))
        draw.text((margin, y), line, font=font, fill=(30, 30, 30))
        y += int(58 * scale)
    if rng.random() < 0.5:  # a table
        top = int(1800 * scale)
        for r in range(8):
            draw.line(
                (margin, top + r * 70 * scale, size[0] - margin, top + r * 70 * scale),
                fill=(40, 40, 40),
                width=3,
            )
    if seal:
        cx, cy, rad = size[0] - int(700 * scale), size[1] - int(900 * scale), int(260 * scale)
        draw.ellipse(
            (cx - rad, cy - rad, cx + rad, cy + rad), outline=(210, 30, 30), width=int(14 * scale)
        )
        draw.text((cx - rad // 2, cy - 20), "合同专用章", font=font, fill=(210, 30, 30))
    page = page.filter(ImageFilter.GaussianBlur(0.8 * scale))
    noise = Image.effect_noise(size, 18).convert("RGB")
    page = Image.blend(page, noise, 0.10)
    page = page.rotate(
        rng.uniform(-0.6, 0.6), fillcolor=(250, 249, 244), resample=Image.Resampling.BILINEAR
    )
    return page.convert(mode)


def _jpeg(image: Image.Image, quality: int, dpi: int, exif_orientation: int = 1) -> bytes:
    buffer = io.BytesIO()
    exif = Image.Exif()
    if exif_orientation != 1:
        exif[0x0112] = exif_orientation
    image.save(buffer, "JPEG", quality=quality, dpi=(dpi, dpi), exif=exif.tobytes())
    return buffer.getvalue()


def _scan_pdf(path: Path, pages: list[bytes], size: tuple[int, int], mode: str, dpi: int) -> None:
    pdf = pikepdf.new()
    blank = Image.new(mode, size)  # only its size and mode describe the JPEG
    for data in pages:
        add_image_page(pdf, blank, data, (dpi, dpi))
    pdf.save(path)


def _born_digital(path: Path, pages: int) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from forms.documents.pdf import register_font

    font = register_font([TEXT + "项目投资预算明细表0123456789"])
    canvas = Canvas(str(path), pagesize=A4, invariant=True)
    rng = random.Random(7)
    for number in range(1, pages + 1):
        canvas.setFont(font, 16)
        canvas.drawString(72, 780, f"项目投资预算明细表 第{number}页")
        canvas.setFont(font, 10)
        for row in range(60):
            canvas.drawString(72, 740 - row * 11, "".join(rng.choice(TEXT) for _ in range(36)))
        canvas.showPage()
    canvas.save()


def make_corpus(folder: Path, *, scale: float = 1.0) -> dict[str, list[Path]]:
    """Write the corpus into `folder`; `scale` < 1 shrinks page counts for quick runs.
    Returns checklist item id -> files."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, list[Path]] = {}
    bases = [_page(A4_300, "L", s, 300, False) for s in range(3)]
    report_pages = []
    for n in range(max(2, int(60 * scale))):
        noise = Image.effect_noise(A4_300, 10)
        page = Image.blend(bases[n % 3], noise, 0.06)
        report_pages.append(_jpeg(page, 92, 300))
    report = folder / "audit-report-scan.pdf"
    _scan_pdf(report, report_pages, A4_300, "L", 300)
    out["audit_report"] = [report]
    contract_bases = [_page(A4_300, "RGB", 10 + s, 300, True) for s in range(3)]
    contract_pages = []
    for n in range(max(2, int(30 * scale))):
        noise = Image.effect_noise(A4_300, 10).convert("RGB")
        contract_pages.append(_jpeg(Image.blend(contract_bases[n % 3], noise, 0.06), 92, 300))
    contract = folder / "contract-scan.pdf"
    _scan_pdf(contract, contract_pages, A4_300, "RGB", 300)
    out["contracts_invoices"] = [contract]
    photos = []
    base_photo = _page((4000, 3000), "RGB", 99, 300, True)
    for n in range(max(1, int(8 * scale))):
        noise = Image.merge("RGB", [Image.effect_noise((4000, 3000), 40) for _ in range(3)])
        photo = folder / f"phone-photo-{n + 1}.jpg"
        photo.write_bytes(_jpeg(Image.blend(base_photo, noise, 0.18), 95, 72, 6 if n % 2 else 1))
        photos.append(photo)
    out["user_evidence"] = photos
    big_size = (4960, 7016)
    big = _page(big_size, "RGB", 500, 600, True)
    noise = Image.effect_noise(big_size, 16).convert("RGB")
    big_page = folder / "licence-600dpi.pdf"
    _scan_pdf(big_page, [_jpeg(Image.blend(big, noise, 0.08), 95, 600)], big_size, "RGB", 600)
    out["business_licence"] = [big_page]
    born = folder / "budget-born-digital.pdf"
    _born_digital(born, max(2, int(30 * scale)))
    out["investment_plan"] = [born]
    return out
