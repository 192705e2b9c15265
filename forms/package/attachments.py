"""Turning what users bring (PDFs, scans, phone photos, TIFFs, Word files) into PDF pages.

Files are recognised by their first bytes, not their extension: a JPEG renamed .pdf is
still used, and a text file renamed .pdf gets a message rather than a crash. Each
problem is an `AttachmentError` naming the file and what to do, so one bad file never
stops the others. Images are wrapped without re-encoding where possible (a JPEG keeps
its bytes; recompression is the package's decision, made with the size limit in view).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pikepdf
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

A4_IN = (8.27, 11.69)
#: Pillow refuses images above this many pixels (decompression bombs); a 600-dpi A3
#: scan is about 70 megapixels.
Image.MAX_IMAGE_PIXELS = 180_000_000


class Kind(StrEnum):
    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    TIFF = "tiff"
    DOCX = "docx"
    UNKNOWN = "unknown"


class AttachmentError(Exception):
    """A file that cannot be used as it is; `zh`/`en` say what to do."""

    def __init__(self, path: Path, zh: str, en: str) -> None:
        super().__init__(f"{path.name}: {zh} / {en}")
        self.path = path
        self.zh = zh
        self.en = en

    def message(self, lang: str = "zh") -> str:
        return f"{self.path.name}: {self.en if lang == 'en' else self.zh}"


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
        raise AttachmentError(path, "文件不存在，请重新选择", "file not found; choose it again")
    if not path.is_file():
        raise AttachmentError(path, "不是文件", "not a file")
    if path.stat().st_size == 0:
        raise AttachmentError(
            path,
            "文件为空（0字节），请重新导出或扫描",
            "the file is empty; export or scan it again",
        )


def open_pdf(path: Path) -> pikepdf.Pdf:
    """Open a PDF, repairing what qpdf can repair; empty-password encryption is opened
    (and removed on output) as the portal's viewer would."""
    try:
        pdf = pikepdf.open(path, password="")
    except pikepdf.PasswordError:
        raise AttachmentError(
            path,
            "PDF设有打开密码，请用密码打开后“打印为PDF”另存一份无密码的文件再添加",
            "the PDF needs a password: open it, print it to a new PDF without one, and add that",
        ) from None
    except (pikepdf.PdfError, OSError) as exc:
        raise AttachmentError(
            path,
            "PDF已损坏且无法修复，请向出具方重新获取或重新扫描",
            f"the PDF is damaged beyond repair ({str(exc)[:80]}); get a new copy or rescan it",
        ) from None
    try:
        count = len(pdf.pages)
    except pikepdf.PdfError:
        count = 0
    damaged = damaged_pages(pdf) if count else []
    if count == 0 or damaged:
        pdf.close()
        where = f"第{damaged[0]}页起" if damaged else ""
        raise AttachmentError(
            path,
            f"PDF不完整（{where}内容缺失，文件可能被截断），请重新获取完整文件",
            "the PDF is incomplete"
            + (f" (page {damaged[0]} onwards has lost its content)" if damaged else "")
            + "; it may be truncated: get the complete file",
        )
    return pdf


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
    elif image.mode == "1":
        stream = pikepdf.Stream(pdf, zlib.compress(image.tobytes(), 6))
        stream.Filter = pikepdf.Name.FlateDecode
        colour, bpc = "/DeviceGray", 1
    else:
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
        colour = "/DeviceGray" if image.mode == "L" else "/DeviceRGB"
        stream = pikepdf.Stream(pdf, zlib.compress(image.tobytes(), 6))
        stream.Filter = pikepdf.Name.FlateDecode
        bpc = 8
    stream.Type = pikepdf.Name.XObject
    stream.Subtype = pikepdf.Name.Image
    stream.Width = image.width
    stream.Height = image.height
    stream.ColorSpace = pikepdf.Name(colour)
    stream.BitsPerComponent = bpc
    return stream


#: EXIF orientation -> clockwise page rotation (mirrored orientations are re-encoded).
_ROTATIONS = {1: 0, 3: 180, 6: 90, 8: 270}


def add_image_page(
    pdf: pikepdf.Pdf,
    image: Image.Image,
    jpeg: bytes | None,
    dpi: tuple[float, float] | None,
    rotate: int = 0,
) -> None:
    """Append a page showing `image` (`jpeg`: its encoded bytes, used as they are) at
    `dpi`, or fitted to A4 without a plausible dpi; `rotate` is the page's /Rotate."""
    if rotate in (90, 270):  # fit the page to A4 as it will be shown
        height_pt, width_pt, _ = _page_size(image.height, image.width, dpi)
    else:
        width_pt, height_pt, _ = _page_size(image.width, image.height, dpi)
    xobject = _image_stream(pdf, image, jpeg)
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


def image_to_pdf(path: Path, kind: Kind) -> pikepdf.Pdf:
    """One page per image (per frame of a TIFF), upright as the camera saw it."""
    pdf = pikepdf.new()
    try:
        with Image.open(path) as source:
            if kind is Kind.JPEG:
                orientation = source.getexif().get(0x0112, 1) or 1
                dpi = source.info.get("dpi")
                if orientation in _ROTATIONS and source.mode in ("L", "RGB"):
                    # The JPEG's bytes go in unchanged; the page's /Rotate shows it
                    # upright as the camera's orientation tag asks (no re-encoding).
                    add_image_page(pdf, source, path.read_bytes(), dpi, _ROTATIONS[orientation])
                else:
                    upright = ImageOps.exif_transpose(source).convert(
                        "L" if source.mode == "L" else "RGB"
                    )
                    buffer = io.BytesIO()
                    upright.save(buffer, "JPEG", quality=92, optimize=True)
                    add_image_page(pdf, upright, buffer.getvalue(), dpi)
            else:
                for frame in ImageSequence.Iterator(source):
                    upright = ImageOps.exif_transpose(frame)
                    if upright.mode not in ("1", "L", "RGB"):
                        upright = upright.convert("RGB")
                    add_image_page(
                        pdf, upright, None, frame.info.get("dpi", source.info.get("dpi"))
                    )
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise AttachmentError(
            path,
            "图片无法读取（文件可能损坏或不完整），请重新拍摄或导出",
            f"the image cannot be read ({str(exc)[:60]}); take or export it again",
        ) from None
    except Image.DecompressionBombError:
        raise AttachmentError(
            path,
            "图片像素过多（超过1.8亿像素），请以较低分辨率重新扫描",
            "the image has too many pixels (over 180 megapixels); rescan at a lower resolution",
        ) from None
    return pdf


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(path: Path, timeout: float = 120) -> pikepdf.Pdf:
    office = soffice()
    if office is None:
        raise AttachmentError(
            path,
            "Word文件需先转换为PDF：请在Word中“另存为PDF”后添加（或安装LibreOffice以自动转换）",
            "Word files must be PDF: save it as PDF in Word and add that (or install LibreOffice to convert automatically)",
        )
    with tempfile.TemporaryDirectory(prefix="shenbao-docx-") as tmp:
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
            raise AttachmentError(
                path,
                "LibreOffice无法转换该Word文件，请在Word中“另存为PDF”后添加",
                "LibreOffice could not convert it; save it as PDF in Word and add that",
            ) from None
        converted = Path(tmp) / f"{path.stem}.pdf"
        if not converted.is_file():
            raise AttachmentError(
                path,
                "转换失败，请另存为PDF后添加",
                "conversion failed; save it as PDF and add that",
            )
        data = converted.read_bytes()
    return pikepdf.open(io.BytesIO(data))


def load_attachment(path: Path) -> tuple[pikepdf.Pdf, Kind]:
    """The attachment as a PDF document, or an `AttachmentError` that says what to do."""
    _check_readable(path)
    kind = sniff(path)
    if kind is Kind.PDF:
        return open_pdf(path), kind
    if kind in (Kind.JPEG, Kind.PNG, Kind.TIFF):
        return image_to_pdf(path, kind), kind
    if kind is Kind.DOCX:
        return docx_to_pdf(path), kind
    raise AttachmentError(
        path,
        f"不是PDF、图片或Word文件（扩展名为“{path.suffix}”，但内容不符），请检查是否选错文件",
        f"not a PDF, image or Word file whatever its extension ({path.suffix!r}); check you picked the right file",
    )


@dataclass(frozen=True)
class FileInfo:
    """What the attachments page shows beside a file."""

    path: Path
    kind: Kind
    size: int
    pages: int
    signed: bool = False
    problem: AttachmentError | None = None


def inspect_file(path: Path) -> FileInfo:
    try:
        pdf, kind = load_attachment(path)
    except AttachmentError as exc:
        size = path.stat().st_size if path.is_file() else 0
        return FileInfo(path, sniff(path) if path.is_file() else Kind.UNKNOWN, size, 0, problem=exc)
    with pdf:
        return FileInfo(path, kind, path.stat().st_size, len(pdf.pages), is_signed(pdf))


def thumbnail_png(path: Path, max_px: int = 160) -> bytes | None:
    """A small picture of the file's first page where one exists without a PDF renderer:
    images themselves, and PDFs whose first page is a scan (its largest image)."""
    try:
        kind = sniff(path)
        if kind in (Kind.JPEG, Kind.PNG, Kind.TIFF):
            with Image.open(path) as source:
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
    ):
        return None
    return None
