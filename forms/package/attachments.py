"""Turning what users bring (PDFs, scans, phone photos, TIFFs, Word files) into PDF pages.

Files are recognised by their first bytes, not their extension: a JPEG renamed .pdf is
still used, and a text file renamed .pdf gets a message rather than a crash. Each
problem is an `AttachmentError` naming the file and what to do, so one bad file never
stops the others. Images are wrapped without re-encoding where possible (a JPEG keeps
its bytes; recompression is the package's decision, made with the size limit in view).
"""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import tempfile
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pikepdf
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from forms.package import png
from forms.system.scratch import private_folder
from forms.text import Text

A4_IN = (8.27, 11.69)
#: Images above this many pixels are refused before decoding (`open_image`): a 600-dpi
#: A3 scan is about 70 megapixels.
MAX_PIXELS = 180_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
#: Images up to this many pixels are decoded whole (at most 120 MB as RGB); bigger
#: PNGs are decoded in bands, bigger JPEGs through DCT scaling.
DECODE_PIXELS = 40_000_000


class Kind(StrEnum):
    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    TIFF = "tiff"
    DOCX = "docx"
    UNKNOWN = "unknown"


class AttachmentError(Exception):
    """A file that cannot be used as it is; `text` says what to do (a `forms.text` code)."""

    def __init__(self, path: Path, code: str, /, **params: object) -> None:
        self.path = path
        self.text = Text.of(code, **params)
        super().__init__(f"{path.name}: {self.text.render('en')}")

    def message(self, lang: str = "zh") -> str:
        return f"{self.path.name}: {self.text.render(lang)}"


#: What qpdf's refusals mean, in words for the user (never its own text with a path).
_DAMAGE = (
    ("pages tree", "attachment.damage.page_tree"),
    ("/Kids", "attachment.damage.page_tree"),
    ("trailer", "attachment.damage.trailer"),
    ("xref", "attachment.damage.xref"),
    ("startxref", "attachment.damage.xref"),
    ("header", "attachment.damage.header"),
    ("not a PDF", "attachment.damage.header"),
    ("stream", "attachment.damage.stream"),
)


def _reason(exc: BaseException, path: Path | None = None) -> str:
    """The library's own words, short, without the file's or any temporary folder's path,
    and cut at a word (never mid-word)."""
    text = str(exc)
    if path is not None:
        text = text.replace(str(path), path.name)
    text = text.replace(str(tempfile.gettempdir()), "…")
    text = re.sub(r"(?<![\w.])/(?:[^\s/:]+/)+", "", text)  # any other absolute folder
    if len(text) <= 120:
        return text
    cut = text[:117].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _damage(exc: BaseException, path: Path) -> dict[str, str]:
    """`detail` (and `detail_en`) of "damaged beyond repair": what is broken, in words."""
    raw = str(exc)
    for needle, code in _DAMAGE:
        if needle in raw:
            words = Text.of(code)
            return {"detail": words.render("zh"), "detail_en": words.render("en")}
    reason = _reason(exc, path)
    return {"detail": reason, "detail_en": reason}


def sniff(path: Path) -> Kind:
    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" in head:
        return Kind.PDF
    if head.startswith(b"\xff\xd8\xff"):
        return Kind.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind.PNG
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return Kind.TIFF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                if "word/document.xml" in archive.namelist():
                    return Kind.DOCX
        except zipfile.BadZipFile:
            pass
    return Kind.UNKNOWN


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise AttachmentError(path, "attachment.not_found")
    if not path.is_file():
        raise AttachmentError(path, "attachment.not_a_file")
    if path.stat().st_size == 0:
        raise AttachmentError(path, "attachment.empty")


@dataclass(frozen=True)
class Repair:
    """A PDF that could only be read after repair: qpdf rebuilt its cross-reference
    table, or its page tree had to be rebuilt from the pages found, or it says it has
    more pages than could be read. A broken download must not reach the portal as if it
    were whole: the user compares it with the original and confirms first."""

    pages: int  # pages recovered
    declared: int | None = None  # pages the file says it has, where it says so

    def text(self, confirmed: bool = False) -> Text:
        code = "attachment.pdf_repaired"
        if confirmed:
            code += "_confirmed"
        elif self.declared is not None and self.declared != self.pages:
            code += "_of"
        return Text.of(code, pages=self.pages, declared=self.declared or self.pages)


def open_pdf(path: Path) -> pikepdf.Pdf:
    """Open a PDF, repairing what qpdf can repair; empty-password encryption is opened
    (and removed on output) as the portal's viewer would."""
    return read_pdf(path)[0]


def read_pdf(path: Path) -> tuple[pikepdf.Pdf, Repair | None]:
    """The PDF and, when it needed repair to be read, what was recovered. A file whose
    page tree is gone (a download cut off before its end) is read the way mainstream
    readers read it: from the page objects that are there."""
    rebuilt = False
    try:
        pdf = pikepdf.open(path, password="")
    except pikepdf.PasswordError:
        raise AttachmentError(path, "attachment.pdf_password") from None
    except (pikepdf.PdfError, OSError) as exc:
        recovered = _with_page_tree(path)
        if recovered is None:
            raise AttachmentError(path, "attachment.pdf_damaged", **_damage(exc, path)) from None
        pdf, rebuilt = recovered, True
    try:
        count = len(pdf.pages)
    except pikepdf.PdfError:
        count = 0
    damaged = damaged_pages(pdf) if count else []
    if count == 0 or damaged:
        pdf.close()
        if damaged:
            raise AttachmentError(path, "attachment.pdf_truncated", page=damaged[0])
        raise AttachmentError(path, "attachment.pdf_no_pages")
    if not (rebuilt or pdf.get_warnings()):
        return pdf, None
    return pdf, Repair(count, _declared_pages(path))


#: Page objects and the catalog's page tree, found in a file's raw bytes.
_OBJECT = re.compile(rb"(?<![0-9])(\d+)\s+(\d+)\s+obj\b")
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_CATALOG_PAGES = re.compile(
    rb"/Type\s*/Catalog.*?/Pages\s+(\d+)\s+(\d+)\s+R|"
    rb"/Pages\s+(\d+)\s+(\d+)\s+R.*?/Type\s*/Catalog",
    re.S,
)
_COUNT = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b")
_LINEARIZED_PAGES = re.compile(rb"/Linearized\b[^>]*?/N\s+(\d+)")
#: Reading a whole file to repair it: only for files of a sensible size.
_MAX_REPAIR_BYTES = 300 * 1024 * 1024


def _objects(data: bytes) -> list[tuple[int, int, bytes]]:
    """(number, generation, the first bytes of its body) of every object in the file."""
    starts = list(_OBJECT.finditer(data))
    found = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(data)
        body = data[match.end() : min(end, match.end() + 4096)]
        found.append((int(match.group(1)), int(match.group(2)), body.split(b"endobj")[0]))
    return found


def _repairable_bytes(path: Path) -> bytes | None:
    """The whole file, to repair it from its raw bytes: only for files of a sensible size."""
    try:
        if path.stat().st_size > _MAX_REPAIR_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


def _with_page_tree(path: Path) -> pikepdf.Pdf | None:
    """The PDF with its page tree rebuilt from the page objects in the file (in file
    order), appended as the object the catalog points to; None if that does not help."""
    data = _repairable_bytes(path)
    if data is None:
        return None
    objects = _objects(data)
    pages: dict[tuple[int, int], None] = {}
    tree = None
    for number, generation, body in objects:
        head = body.split(b"stream")[0]
        if _PAGE.search(head):
            pages[(number, generation)] = None
        found = _CATALOG_PAGES.search(head)
        if found is not None:
            groups = [g for g in found.groups() if g is not None]
            tree = (int(groups[0]), int(groups[1]))
    if tree is None or not pages:
        return None
    kids = b" ".join(b"%d %d R" % key for key in pages)
    patch = b"\n%d %d obj\n<< /Type /Pages /Kids [ %s ] /Count %d >>\nendobj\n%%%%EOF\n" % (
        tree[0],
        tree[1],
        kids,
        len(pages),
    )
    try:
        pdf = pikepdf.open(io.BytesIO(data + patch))
        if len(pdf.pages) == 0:
            return None
    except (pikepdf.PdfError, OSError, ValueError):
        return None
    return pdf


def _declared_pages(path: Path) -> int | None:
    """How many pages the file says it has: its linearization header's count, else the
    largest /Count of a page tree node (the root's)."""
    data = _repairable_bytes(path)
    if data is None:
        return None
    linearized = _LINEARIZED_PAGES.search(data[:4096])
    if linearized is not None:
        return int(linearized.group(1))
    counts = [int(a or b) for a, b in _COUNT.findall(data)]
    return max(counts) if counts else None


def pdf_repair(path: Path) -> Repair | None:
    """Whether a PDF needed repair to be read (for a file as it is added): None for a
    sound PDF, and for anything that is not a PDF or cannot be read at all (the checks
    say so elsewhere)."""
    try:
        if sniff(path) is not Kind.PDF:
            return None
        pdf, repair = read_pdf(path)
    except (AttachmentError, OSError):
        return None
    pdf.close()
    return repair


def damaged_pages(pdf: pikepdf.Pdf) -> list[int]:
    """1-based pages whose content or images did not survive qpdf's repair: a truncated
    file comes back with blank pages, which must not reach the reviewer as if whole."""
    damaged = []
    for number, page in enumerate(pdf.pages, 1):
        contents = page.obj.get("/Contents")
        streams = contents if isinstance(contents, pikepdf.Array) else [contents]
        try:
            intact = bool(streams) and all(
                isinstance(s, pikepdf.Stream) and s.read_bytes() is not None for s in streams
            )
            resources = page.obj.get("/Resources")
            xobjects = (
                resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
            )
            if intact and isinstance(xobjects, pikepdf.Dictionary):
                intact = all(isinstance(x, pikepdf.Stream) for x in xobjects.values())
            if intact and isinstance(xobjects, pikepdf.Dictionary):
                names = {str(k) for k in xobjects}
                drawn = {
                    str(i.operands[0])
                    for i in pikepdf.parse_content_stream(page, "Do")
                    if isinstance(i, pikepdf.ContentStreamInstruction) and i.operands
                }
                intact = drawn <= names
            elif intact:
                drawn_any = any(
                    isinstance(i, pikepdf.ContentStreamInstruction)
                    for i in pikepdf.parse_content_stream(page, "Do")
                )
                intact = not drawn_any
        except pikepdf.PdfError:
            intact = False
        if not intact:
            damaged.append(number)
    return damaged


def is_signed(pdf: pikepdf.Pdf) -> bool:
    """Digitally signed or e-sealed: any rewrite would break the signature."""
    acroform = pdf.Root.get("/AcroForm")
    if not isinstance(acroform, pikepdf.Dictionary):
        return False
    flags = acroform.get("/SigFlags")
    if isinstance(flags, int) and flags & 1:
        return True
    fields = acroform.get("/Fields")
    if isinstance(fields, pikepdf.Array):
        for field in fields:
            if (
                isinstance(field, pikepdf.Dictionary)
                and field.get("/FT") == "/Sig"
                and "/V" in field
            ):
                return True
    return False


def _page_size(
    width: int, height: int, dpi: tuple[float, float] | None
) -> tuple[float, float, float]:
    """Page size in points for an image and the dpi it is shown at: its own dpi when it
    states a plausible one, else fitted to A4 in its orientation (phone photos)."""
    if dpi:
        dpi = (float(dpi[0]), float(dpi[1]))  # TIFF gives IFDRational
    if dpi and 100 <= dpi[0] <= 1200 and 0.9 < dpi[0] / max(dpi[1], 1) < 1.1:
        resolution = float(dpi[0])
        return width / resolution * 72, height / resolution * 72, resolution
    short, long = A4_IN
    page_w, page_h = (short, long) if height >= width else (long, short)
    resolution = max(width / page_w, height / page_h)
    return width / resolution * 72, height / resolution * 72, resolution


def _image_stream(pdf: pikepdf.Pdf, image: Image.Image, jpeg: bytes | None) -> pikepdf.Stream:
    if jpeg is not None:
        colour = "/DeviceGray" if image.mode == "L" else "/DeviceRGB"
        stream = pikepdf.Stream(pdf, jpeg)
        stream.Filter = pikepdf.Name.DCTDecode
        bpc = 8
    else:
        if image.mode not in ("1", "L", "RGB"):
            image = image.convert("RGB")
        data, info = png.encoded(image)
        return _png_stream(pdf, data, info)
    stream.Type = pikepdf.Name.XObject
    stream.Subtype = pikepdf.Name.Image
    stream.Width = image.width
    stream.Height = image.height
    stream.ColorSpace = pikepdf.Name(colour)
    stream.BitsPerComponent = bpc
    return stream


def _png_stream(pdf: pikepdf.Pdf, data: bytes, info: png.PngInfo) -> pikepdf.Stream:
    """A PNG's compressed rows as an image XObject, as they are (PNG predictors)."""
    stream = pikepdf.Stream(pdf, data)
    stream.Type = pikepdf.Name.XObject
    stream.Subtype = pikepdf.Name.Image
    stream.Width = info.width
    stream.Height = info.height
    stream.BitsPerComponent = info.bit_depth
    stream.Filter = pikepdf.Name.FlateDecode
    stream.DecodeParms = pikepdf.Dictionary(
        Predictor=15, Colors=info.channels, BitsPerComponent=info.bit_depth, Columns=info.width
    )
    if info.colour_type == 3 and info.palette is not None:
        stream.ColorSpace = pikepdf.Array(
            [
                pikepdf.Name.Indexed,
                pikepdf.Name.DeviceRGB,
                len(info.palette) // 3 - 1,
                pikepdf.String(info.palette),
            ]
        )
    else:
        stream.ColorSpace = (
            pikepdf.Name.DeviceGray if info.channels == 1 else pikepdf.Name.DeviceRGB
        )
    return stream


#: EXIF orientation -> clockwise page rotation (mirrored orientations are re-encoded).
_ROTATIONS = {1: 0, 3: 180, 6: 90, 8: 270}


def _add_page(
    pdf: pikepdf.Pdf,
    xobject: pikepdf.Stream,
    size: tuple[int, int],
    dpi: tuple[float, float] | None,
    rotate: int = 0,
) -> None:
    width, height = size
    if rotate in (90, 270):  # fit the page to A4 as it will be shown
        height_pt, width_pt, _ = _page_size(height, width, dpi)
    else:
        width_pt, height_pt, _ = _page_size(width, height, dpi)
    content = f"q {width_pt:.3f} 0 0 {height_pt:.3f} 0 0 cm /Im0 Do Q".encode()
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, round(width_pt, 3), round(height_pt, 3)],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=xobject)),
        Contents=pikepdf.Stream(pdf, content),
    )
    if rotate:
        page.Rotate = rotate
    pdf.pages.append(pikepdf.Page(page))


def add_image_page(
    pdf: pikepdf.Pdf,
    image: Image.Image,
    jpeg: bytes | None,
    dpi: tuple[float, float] | None,
    rotate: int = 0,
) -> None:
    """Append a page showing `image` (`jpeg`: its encoded bytes, used as they are) at
    `dpi`, or fitted to A4 without a plausible dpi; `rotate` is the page's /Rotate."""
    _add_page(pdf, _image_stream(pdf, image, jpeg), image.size, dpi, rotate)


def _too_many(path: Path, pixels: int | str) -> AttachmentError:
    megapixels = f"{pixels / 1e6:.0f}" if isinstance(pixels, int) else pixels
    return AttachmentError(
        path,
        "attachment.image_too_many_pixels",
        megapixels=megapixels,
        limit=MAX_PIXELS // 1_000_000,
    )


def open_image(path: Path) -> Image.Image:
    """The image opened (its header read, no pixel decoded), or an `AttachmentError`
    when it has more than `MAX_PIXELS`: checked here, before any decoding, so a small
    file that decodes to gigabytes never does, and Pillow's own bomb warning never
    reaches the user."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            source = Image.open(path)
        except Image.DecompressionBombError as exc:
            found = re.search(r"\((\d+) pixels\)", str(exc))
            raise _too_many(path, int(found.group(1)) if found else "?") from None
    if source.width * source.height > MAX_PIXELS:
        source.close()
        raise _too_many(path, source.width * source.height)
    return source


def _png_to_pdf(pdf: pikepdf.Pdf, path: Path) -> None:
    """A PNG as a page: its compressed rows as they are where PDF can hold them (never
    bigger than the file), else decoded (in bands when big) and stored losslessly."""
    try:
        info = png.read_info(path)
    except ValueError as exc:
        raise AttachmentError(path, "attachment.image_unreadable", detail=_reason(exc)) from None
    if info.pixels > MAX_PIXELS:
        raise _too_many(path, info.pixels)
    if info.passes_through:
        with path.open("rb") as handle:
            data = png.compressed(handle, info)
        _add_page(pdf, _png_stream(pdf, data, info), (info.width, info.height), info.dpi)
        return
    if info.pixels <= DECODE_PIXELS:
        with open_image(path) as source:
            add_image_page(pdf, _flattened(source), None, source.info.get("dpi"))
        return
    if not info.bands_decodable:
        raise AttachmentError(path, "attachment.image_too_big_to_convert")
    # Big, with transparency or alpha: flattened band by band into one Flate stream.
    squeeze = zlib.compressobj(6)
    parts = []
    mode = "L" if info.colour_type in (0, 4) else "RGB"
    for band in png.bands(path, info):
        parts.append(squeeze.compress(_flattened(band).convert(mode).tobytes()))
    parts.append(squeeze.flush())
    stream = pikepdf.Stream(pdf, b"".join(parts))
    stream.Type = pikepdf.Name.XObject
    stream.Subtype = pikepdf.Name.Image
    stream.Width, stream.Height = info.width, info.height
    stream.ColorSpace = pikepdf.Name.DeviceGray if mode == "L" else pikepdf.Name.DeviceRGB
    stream.BitsPerComponent = 8
    stream.Filter = pikepdf.Name.FlateDecode
    _add_page(pdf, stream, (info.width, info.height), info.dpi)


def _flattened(image: Image.Image) -> Image.Image:
    """Transparent parts on white paper, as a viewer shows them; "1", "L" or "RGB"."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, "white")
        flat = Image.alpha_composite(paper, rgba).convert("RGB")
        return flat.convert("L") if image.mode in ("LA", "L") else flat
    if image.mode in ("1", "L", "RGB"):
        return image
    return image.convert("L" if image.mode in ("I", "I;16", "F") else "RGB")


def image_to_pdf(path: Path, kind: Kind) -> pikepdf.Pdf:
    """One page per image (per frame of a TIFF), upright as the camera saw it. The
    pixel count is checked before anything is decoded; nothing bigger than
    `DECODE_PIXELS` is decoded whole."""
    pdf = pikepdf.new()
    try:
        if kind is Kind.PNG:
            _png_to_pdf(pdf, path)
            return pdf
        with open_image(path) as source:
            if kind is Kind.JPEG:
                orientation = source.getexif().get(0x0112, 1) or 1
                dpi = source.info.get("dpi")
                if orientation in _ROTATIONS and source.mode in ("L", "RGB"):
                    # The JPEG's bytes go in unchanged; the page's /Rotate shows it
                    # upright as the camera's orientation tag asks (no re-encoding).
                    add_image_page(pdf, source, path.read_bytes(), dpi, _ROTATIONS[orientation])
                else:
                    mode = "L" if source.mode == "L" else "RGB"
                    pixels = source.width * source.height
                    if pixels > DECODE_PIXELS:  # decoded smaller through DCT scaling
                        factor = math.ceil(math.sqrt(pixels / DECODE_PIXELS))
                        source.draft(mode, (source.width // factor, source.height // factor))
                    upright = ImageOps.exif_transpose(source).convert(mode)
                    if dpi and upright.width * upright.height < pixels * 0.99:
                        ratio = math.sqrt(upright.width * upright.height / pixels)
                        dpi = (float(dpi[0]) * ratio, float(dpi[1]) * ratio)
                    buffer = io.BytesIO()
                    upright.save(buffer, "JPEG", quality=92, optimize=True)
                    add_image_page(pdf, upright, buffer.getvalue(), dpi)
            else:
                for frame in ImageSequence.Iterator(source):
                    if frame.width * frame.height > MAX_PIXELS:
                        raise _too_many(path, frame.width * frame.height)
                    if frame.width * frame.height > DECODE_PIXELS:
                        raise AttachmentError(path, "attachment.image_too_big_to_convert")
                    upright = _flattened(ImageOps.exif_transpose(frame))
                    add_image_page(
                        pdf, upright, None, frame.info.get("dpi", source.info.get("dpi"))
                    )
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, zlib.error) as exc:
        raise AttachmentError(path, "attachment.image_unreadable", detail=_reason(exc)) from None
    return pdf


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(path: Path, timeout: float = 120) -> pikepdf.Pdf:
    """A Word file as PDF through LibreOffice. The converted copy (a workspace draft's
    attachment, decrypted) and LibreOffice's profile are written to a private folder
    under shenbao's data folder, never the shared temp folder; a killed run's folder is
    swept at the next start (`forms.system.scratch`)."""
    office = soffice()
    if office is None:
        raise AttachmentError(path, "attachment.word_needs_pdf")
    with private_folder("docx") as tmp:
        try:
            subprocess.run(
                [
                    office,
                    "--headless",
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(path),
                ],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        except (subprocess.SubprocessError, OSError):
            raise AttachmentError(path, "attachment.word_conversion_failed") from None
        converted = Path(tmp) / f"{path.stem}.pdf"
        if not converted.is_file():
            raise AttachmentError(path, "attachment.word_conversion_failed")
        data = converted.read_bytes()
    return pikepdf.open(io.BytesIO(data))


def load_attachment(path: Path) -> tuple[pikepdf.Pdf, Kind]:
    """The attachment as a PDF document, or an `AttachmentError` that says what to do."""
    pdf, kind, _repair = load_source(path)
    return pdf, kind


def load_source(path: Path) -> tuple[pikepdf.Pdf, Kind, Repair | None]:
    """`load_attachment`, and for a PDF that needed repair what was recovered."""
    _check_readable(path)
    kind = sniff(path)
    if kind is Kind.PDF:
        pdf, repair = read_pdf(path)
        return pdf, kind, repair
    return _load_other(path, kind), kind, None


def _load_other(path: Path, kind: Kind) -> pikepdf.Pdf:
    if kind in (Kind.JPEG, Kind.PNG, Kind.TIFF):
        return image_to_pdf(path, kind)
    if kind is Kind.DOCX:
        return docx_to_pdf(path)
    raise AttachmentError(path, "attachment.unknown_kind", suffix=path.suffix)


@dataclass(frozen=True)
class FileInfo:
    """What the attachments page shows beside a file."""

    path: Path
    kind: Kind
    size: int
    pages: int
    signed: bool = False
    problem: AttachmentError | None = None
    repair: Repair | None = None  # a PDF that needed repair: to confirm against the original


def inspect_file(path: Path) -> FileInfo:
    try:
        pdf, kind, repair = load_source(path)
    except AttachmentError as exc:
        size = path.stat().st_size if path.is_file() else 0
        return FileInfo(path, sniff(path) if path.is_file() else Kind.UNKNOWN, size, 0, problem=exc)
    with pdf:
        size = path.stat().st_size
        return FileInfo(path, kind, size, len(pdf.pages), is_signed(pdf), repair=repair)


def _png_thumbnail(path: Path, max_px: int) -> Image.Image | None:
    """A big PNG shrunk band by band, so memory holds one band, not the whole image."""
    info = png.read_info(path)
    if not info.bands_decodable:
        return None
    scale = max_px / max(info.width, info.height)
    size = (max(1, round(info.width * scale)), max(1, round(info.height * scale)))
    thumb = Image.new("RGB", size, "white")
    top = 0
    for band in png.bands(path, info):
        start, end = round(top * scale), round((top + band.height) * scale)
        top += band.height
        if end > start:
            thumb.paste(_flattened(band).convert("RGB").resize((size[0], end - start)), (0, start))
    return thumb


def thumbnail_png(path: Path, max_px: int = 160) -> bytes | None:
    """A small picture of the file's first page where one exists without a PDF renderer:
    images themselves, and PDFs whose first page is a scan (its largest image)."""
    try:
        kind = sniff(path)
        if kind in (Kind.JPEG, Kind.PNG, Kind.TIFF):
            # open_image: a pixel bomb is refused here too, before anything is decoded.
            with open_image(path) as source:
                if kind is Kind.PNG and source.width * source.height > DECODE_PIXELS:
                    image = _png_thumbnail(path, max_px)
                    if image is None:
                        return None
                else:
                    source.draft("RGB", (max_px, max_px))
                    image = ImageOps.exif_transpose(source)
                    image.thumbnail((max_px, max_px))
                buffer = io.BytesIO()
                image.convert("RGB").save(buffer, "PNG")
                return buffer.getvalue()
        if kind is Kind.PDF:
            with open_pdf(path) as pdf:
                images = list(pdf.pages[0].get_images(recursive=False).values())
                if not images:
                    return None
                biggest = max(images, key=lambda im: int(im.Width) * int(im.Height))
                if not isinstance(biggest, pikepdf.Stream):
                    return None
                picture = pikepdf.PdfImage(biggest).as_pil_image()
                picture.thumbnail((max_px, max_px))
                buffer = io.BytesIO()
                picture.convert("RGB").save(buffer, "PNG")
                return buffer.getvalue()
    except (
        AttachmentError,
        OSError,
        pikepdf.PdfError,
        UnidentifiedImageError,
        NotImplementedError,
        ValueError,
        zlib.error,
    ):
        return None
    return None
