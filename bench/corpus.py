"""A realistic attachment corpus for the package benchmark (and nothing else).

What staff really bring (137 pages, about 160 MB): a 60-page 300-dpi grey scan of an
audit report, a 30-page 300-dpi colour scan of a contract with red seals and blue
signatures, six 200-dpi colour invoices, one 600-dpi colour page that alone exceeds
5 MB, a licence scanned to JPEG, eight 12-megapixel phone photos (some with EXIF
rotation), a PNG screenshot and a 30-page born-digital form with Chinese text. Scans
carry blur and sensor noise so JPEG cannot cheat.

The scanned pages print known text in three classes, so legibility is measured, not
guessed (`bench/legibility.py`): body text (10.5 pt), table figures (9 pt, between
rules) and footnotes (7.5 pt), drawn with the bundled CJK font. `make_corpus` returns
the files per checklist item and, per page that carries known text, where each class
sits on the page (fractions of its width and height) and what it says.
"""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

import pikepdf
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from forms.package.attachments import add_image_page
from forms.system.resources import resource_path

A4_300 = (2480, 3508)
FONT = resource_path("fonts", "wqy-microhei.ttc")

#: Sentences an audit report or a contract really contains (the body text).
SENTENCES = (
    "我们审计了上海星语智创文化科技有限公司财务报表，包括资产负债表、利润表、现金流量表以及财务报表附注。",
    "我们认为，后附的财务报表在所有重大方面按照企业会计准则的规定编制，公允反映了公司的财务状况以及经营成果。",
    "我们按照中国注册会计师审计准则的规定执行了审计工作，审计报告的注册会计师对财务报表审计的责任部分进一步阐述了我们在这些准则下的责任。",
    "按照中国注册会计师职业道德守则，我们独立于公司，并履行了职业道德方面的其他责任。",
    "管理层负责按照企业会计准则的规定编制财务报表，使其实现公允反映，并设计、执行和维护必要的内部控制。",
    "甲方委托乙方开发人工智能内容生成平台，乙方应按照本合同约定的技术要求、进度和质量标准完成开发任务。",
    "合同总金额为人民币壹佰贰拾万元整，甲方应在合同签订后十个工作日内支付百分之三十的预付款。",
    "乙方交付的软件应通过甲方组织的验收测试，验收合格后甲方支付剩余款项，质量保证期为十二个月。",
    "双方因履行本合同发生争议的，应协商解决；协商不成的，任何一方均可向上海市有管辖权的人民法院提起诉讼。",
    "本合同一式四份，甲乙双方各执两份，自双方法定代表人或授权代表签字并加盖公章之日起生效。",
)
FOOTNOTES = (
    "注1：本报告仅供公司申报人工智能专项资金使用，不得用于其他目的。",
    "注2：财务报表附注中的金额单位除特别注明外均为人民币元。",
    "注3：上年同期数已按本年度的列报要求重新分类。",
    "注4：合同附件包括技术规格书、验收标准和付款计划，与本合同具有同等法律效力。",
)
ROWS = ("营业收入", "营业成本", "研发投入", "净利润", "资产总计", "负债合计")


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size, index=0)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, line = [], ""
    for char in text:
        if font.getlength(line + char) > width:
            lines.append(line)
            line = char
        else:
            line += char
    if line:
        lines.append(line)
    return lines


def _box(x0: int, y0: int, x1: int, y1: int, size: tuple[int, int]) -> list[float]:
    return [x0 / size[0], y0 / size[1], x1 / size[0], y1 / size[1]]


def _seal(
    draw: ImageDraw.ImageDraw,
    centre: tuple[int, int],
    radius: int,
    colour: tuple[int, int, int],
    scale: float,
) -> None:
    cx, cy = centre
    draw.ellipse(
        (cx - radius, cy - radius, cx + radius, cy + radius), outline=colour, width=int(12 * scale)
    )
    star = _font(int(90 * scale))
    draw.text((cx, cy), "★", font=star, fill=colour, anchor="mm")
    small = _font(int(40 * scale))
    draw.text((cx, cy + int(radius * 0.55)), "合同专用章", font=small, fill=colour, anchor="mm")


def _signature(
    draw: ImageDraw.ImageDraw,
    origin: tuple[int, int],
    colour: tuple[int, int, int],
    rng: random.Random,
    scale: float,
) -> None:
    x, y = float(origin[0]), float(origin[1])
    points = [(x, y)]
    for _ in range(26):
        x += rng.randint(10, 26) * scale
        y += rng.randint(-30, 30) * scale
        points.append((x, y))
    draw.line(points, fill=colour, width=max(2, int(5 * scale)), joint="curve")


def text_page(
    size: tuple[int, int],
    dpi: int,
    seed: int,
    title: str,
    colour: bool,
) -> tuple[Image.Image, dict[str, Any]]:
    """A scanned page with known text; returns the page (RGB) and its ground truth:
    {"regions": {class: [box, ...]}, "truth": {class: text}}, the text being the boxes'
    texts in order."""
    rng = random.Random(seed)
    scale = dpi / 300
    page = Image.new("RGB", size, (250, 249, 244))
    draw = ImageDraw.Draw(page)
    ink = (25, 25, 25)
    margin = int(230 * scale)
    width = size[0] - 2 * margin
    draw.text((margin, int(230 * scale)), title, font=_font(int(62 * scale)), fill=ink)
    # Body text, 10.5 pt (五号): 44 px at 300 dpi.
    body_font = _font(round(10.5 / 72 * dpi))
    top = int(400 * scale)
    y = top
    text = "".join(rng.choices(SENTENCES, k=9))
    lines = _wrap(text, body_font, width)
    line_height = int(72 * scale)
    for line in lines:
        draw.text((margin, y), line, font=body_font, fill=ink)
        y += line_height
    body_box = _box(margin - 20, top - 20, size[0] - margin + 20, y + 10, size)
    # A table of figures, 9 pt between rules.
    table_font = _font(round(9 / 72 * dpi))
    y += int(60 * scale)
    table_top = y
    columns = [margin, margin + int(width * 0.34), margin + int(width * 0.67), margin + width]
    row_height = int(70 * scale)
    figures: list[list[str]] = []
    for r in range(len(ROWS) + 1):
        draw.line((margin, y, margin + width, y), fill=ink, width=max(2, int(3 * scale)))
        if r == len(ROWS):
            break
        values = [
            f"{rng.randint(1_000_000, 99_999_999):,}.{rng.randint(0, 99):02d}" for _ in range(2)
        ]
        draw.text((columns[0] + 20, y + 14 * scale), ROWS[r], font=table_font, fill=ink)
        for c, value in enumerate(values):
            draw.text(
                (columns[c + 2] - 20, y + 14 * scale), value, font=table_font, fill=ink, anchor="ra"
            )
        figures.append(values)
        y += row_height
    for x in columns:
        draw.line((x, table_top, x, y), fill=ink, width=max(2, int(3 * scale)))
    # One region per column of figures (inside its vertical rules): OCR reads columns.
    inset = int(12 * scale)
    table_boxes = [
        _box(columns[c] + inset, table_top - 10, columns[c + 1] - inset, y + 10, size)
        for c in (1, 2)
    ]
    # Seal and signature, in colour (or the grey a grey scanner makes of them).
    red = (200, 35, 40)
    blue = (30, 50, 160)
    _seal(draw, (size[0] - int(620 * scale), y + int(330 * scale)), int(230 * scale), red, scale)
    draw.text((margin, y + int(200 * scale)), "授权代表（签字）：", font=body_font, fill=ink)
    _signature(draw, (margin + int(480 * scale), y + int(240 * scale)), blue, rng, scale)
    # More running text down to the footnotes (not measured: the page's bulk).
    y += int(620 * scale)
    for line in _wrap("".join(rng.choices(SENTENCES, k=6)), body_font, width):
        if y > size[1] - int(560 * scale):
            break
        draw.text((margin, y), line, font=body_font, fill=ink)
        y += line_height
    # Footnotes, 7.5 pt: 31 px at 300 dpi.
    note_font = _font(round(7.5 / 72 * dpi))
    notes = [FOOTNOTES[(seed + k) % len(FOOTNOTES)] for k in range(3)]
    note_top = size[1] - int(420 * scale)
    draw.line(
        (margin, note_top - 20 * scale, margin + width // 3, note_top - 20 * scale),
        fill=ink,
        width=2,
    )
    y = note_top
    note_lines = []
    for note in notes:
        for line in _wrap(note, note_font, width):
            draw.text((margin, y), line, font=note_font, fill=ink)
            note_lines.append(line)
            y += int(46 * scale)
    note_box = _box(margin - 20, note_top - 10, size[0] - margin + 20, y + 10, size)
    page = page.filter(ImageFilter.GaussianBlur(0.8 * scale))
    noise = Image.effect_noise(size, 18).convert("RGB")
    page = Image.blend(page, noise, 0.10)
    page = page.rotate(
        rng.uniform(-0.3, 0.3), fillcolor=(250, 249, 244), resample=Image.Resampling.BILINEAR
    )
    truth = {
        "regions": {"body": [body_box], "table": table_boxes, "footnote": [note_box]},
        "truth": {
            "body": "".join(lines),
            "table": "".join(row[0] for row in figures) + "".join(row[1] for row in figures),
            "footnote": "".join(note_lines),
        },
    }
    return (page if colour else page.convert("L")), truth


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


def _scan(
    path: Path,
    count: int,
    size: tuple[int, int],
    dpi: int,
    colour: bool,
    title: str,
    seed: int,
    bases: int = 4,
) -> list[dict[str, Any]]:
    """A scanned document of `count` pages (`bases` distinct pages, each page with its
    own noise); returns the ground truth of its pages (1-based page numbers)."""
    mode = "RGB" if colour else "L"
    made = [text_page(size, dpi, seed + b, f"{title}（第{b + 1}页）", colour) for b in range(bases)]
    pages = []
    truths = []
    for n in range(count):
        base, truth = made[n % bases]
        noise = Image.effect_noise(size, 10).convert(mode)
        pages.append(_jpeg(Image.blend(base, noise, 0.06), 92, dpi))
        truths.append({"file": str(path), "page": n + 1, **truth})
    _scan_pdf(path, pages, size, mode, dpi)
    return truths


def _born_digital(path: Path, pages: int) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from forms.documents.pdf import register_font

    chars = "".join(sorted(set("".join(SENTENCES)))) + "项目投资预算明细表0123456789"
    font = register_font([chars])
    canvas = Canvas(str(path), pagesize=A4, invariant=True)
    rng = random.Random(7)
    for number in range(1, pages + 1):
        canvas.setFont(font, 16)
        canvas.drawString(72, 780, f"项目投资预算明细表 第{number}页")
        canvas.setFont(font, 10)
        for row in range(60):
            canvas.drawString(72, 740 - row * 11, "".join(rng.choice(chars) for _ in range(36)))
        canvas.showPage()
    canvas.save()


def _screenshot(path: Path) -> None:
    """A 2560x1440 screenshot of the software: flat panels, text, a chart and a
    photo thumbnail; PNG as the operating system saves it (about 1.9 MB)."""
    rng = random.Random(3)
    shot = Image.new("RGB", (2560, 1440), (243, 245, 248))
    draw = ImageDraw.Draw(shot)
    draw.rectangle((0, 0, 2560, 90), fill=(32, 84, 160))
    draw.rectangle((0, 90, 360, 1440), fill=(228, 232, 238))
    font = _font(30)
    draw.text((40, 28), "星语剧场 AI短剧创作平台 · 数据看板", font=font, fill="white")
    for n in range(14):
        draw.text((40, 130 + n * 70), f"菜单项目 {n + 1}", font=font, fill=(40, 40, 40))
    for n in range(40):
        x0, y0 = 420 + (n % 8) * 260, 760 + (n // 8) * 130
        draw.rectangle((x0, y0, x0 + 230, y0 + 100), outline=(200, 205, 215), fill="white")
        draw.text((x0 + 14, y0 + 30), f"{rng.randint(1000, 99999):,}", font=font, fill=(30, 30, 30))
    points = [(420 + i * 22, 640 - int(200 * abs(((i * 7) % 40) - 20) / 20)) for i in range(90)]
    draw.line(points, fill=(220, 80, 40), width=4)
    photo = Image.merge("RGB", [Image.effect_noise((900, 420), 50) for _ in range(3)])
    photo = photo.filter(ImageFilter.GaussianBlur(1.5))
    shot.paste(photo, (1600, 130))
    shot.save(path, "PNG", optimize=True)


def make_corpus(
    folder: Path, *, scale: float = 1.0
) -> tuple[dict[str, list[Path]], list[dict[str, Any]]]:
    """Write the corpus into `folder`; `scale` < 1 shrinks page counts for quick runs.
    Returns checklist item id -> files, and the ground truth of the scanned pages."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, list[Path]] = {}
    truths: list[dict[str, Any]] = []
    report = folder / "audit-report-scan.pdf"
    truths += _scan(report, max(2, int(60 * scale)), A4_300, 300, False, "审计报告", 1)
    out["audit_report"] = [report]
    contract = folder / "contract-scan.pdf"
    truths += _scan(contract, max(2, int(30 * scale)), A4_300, 300, True, "技术开发合同", 20, 3)
    invoices = folder / "invoices-scan.pdf"
    _scan(invoices, max(1, int(6 * scale)), (1890, 1102), 200, True, "增值税专用发票", 40, 2)
    out["contracts_invoices"] = [contract, invoices]
    big = folder / "bank-statement-600dpi.pdf"
    page, _ = text_page((4960, 7016), 600, 500, "银行对账单", True)
    noise = Image.effect_noise((4960, 7016), 16).convert("RGB")
    _scan_pdf(big, [_jpeg(Image.blend(page, noise, 0.08), 95, 600)], (4960, 7016), "RGB", 600)
    out["revenue_evidence"] = [big]
    licence_page, _ = text_page(A4_300, 300, 77, "营业执照（副本）", True)
    licence = folder / "business-licence.jpg"
    licence.write_bytes(_jpeg(licence_page, 90, 300))
    out["business_licence"] = [licence]
    photos = []
    base_photo, _ = text_page((4000, 3000), 300, 99, "用户活动现场", True)
    for n in range(max(1, int(8 * scale))):
        noise = Image.merge("RGB", [Image.effect_noise((4000, 3000), 40) for _ in range(3)])
        photo = folder / f"phone-photo-{n + 1}.jpg"
        photo.write_bytes(_jpeg(Image.blend(base_photo, noise, 0.18), 95, 72, 6 if n % 2 else 1))
        photos.append(photo)
    out["user_evidence"] = photos
    shot = folder / "software-screenshot.png"
    _screenshot(shot)
    out["ip_evidence"] = [shot]
    born = folder / "budget-born-digital.pdf"
    _born_digital(born, max(2, int(30 * scale)))
    out["investment_plan"] = [born]
    return out, truths


def long_scan(path: Path, source: Path, pages: int) -> None:
    """A scan attachment of `pages` pages, each its own image object, made from the
    pages of `source` in turn; written object by object, so making a 1,000-page file
    never holds it in memory."""
    with pikepdf.open(source) as pdf:
        images = []
        for page in pdf.pages:
            image = next(iter(page.images.values()))
            box = page.mediabox
            images.append(
                (
                    image.read_raw_bytes(),
                    int(image.Width),
                    int(image.Height),
                    str(image.ColorSpace),
                    float(box[2]),
                    float(box[3]),
                )
            )
    offsets: list[int] = []
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

        def put(number: int, body: bytes) -> None:
            while len(offsets) < number:
                offsets.append(0)
            offsets[number - 1] = handle.tell()
            handle.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")

        kids = " ".join(f"{3 + 3 * n} 0 R" for n in range(pages))
        put(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        put(2, f"<< /Type /Pages /Count {pages} /Kids [{kids}] >>".encode())
        for n in range(pages):
            data, width, height, space, w_pt, h_pt = images[n % len(images)]
            page_id, content_id, image_id = 3 + 3 * n, 4 + 3 * n, 5 + 3 * n
            put(
                page_id,
                (
                    f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w_pt} {h_pt}] "
                    f"/Resources << /XObject << /Im0 {image_id} 0 R >> >> "
                    f"/Contents {content_id} 0 R >>"
                ).encode(),
            )
            content = f"q {w_pt} 0 0 {h_pt} 0 0 cm /Im0 Do Q".encode()
            put(
                content_id,
                f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
            )
            put(
                image_id,
                (
                    f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} "
                    f"/ColorSpace {space} /BitsPerComponent 8 /Filter /DCTDecode "
                    f"/Length {len(data)} >>\nstream\n"
                ).encode()
                + data
                + b"\nendstream",
            )
        xref = handle.tell()
        handle.write(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
        for offset in offsets:
            handle.write(f"{offset:010d} 00000 n \n".encode())
        handle.write(
            f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
        )
