"""Facts about one attachment file for the checklist: pages, size, a thumbnail, a problem.

Runs in a worker (parsing an untrusted PDF can take long). `forms.package.attachments` reads
the file as the package will (PDF, images, Word) and gives a scan's picture as the
thumbnail; a text PDF gets a sketch of its first lines instead. PySide6-Essentials has
no PDF renderer (QtPdf is in the Addons), so this is a likeness, not a rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QRectF
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

THUMB_PX = 96


@dataclass(frozen=True)
class FileFacts:
    path: Path
    size: int
    pages: int | None
    kind: str  # "pdf", "image", "other"
    problem: str | None  # what is wrong with the file, for the user
    thumbnail: bytes | None  # PNG
    #: A PDF that needed repair to be read: (pages recovered, pages it declares).
    repair: tuple[int, int | None] | None = None


def inspect(path: Path, max_px: int = THUMB_PX) -> FileFacts:
    # start-up: pikepdf and Pillow load when the first file is inspected, not with the app
    from forms.package.attachments import inspect_file, thumbnail_png

    try:
        size = path.stat().st_size
    except OSError as exc:
        return FileFacts(path, 0, None, "other", exc.strerror or str(exc), None)
    info = inspect_file(path)
    problem = info.problem.message(_lang()) if info.problem is not None else None
    kind = (
        "pdf"
        if str(info.kind) == "pdf"
        else "image"
        if str(info.kind) in ("jpeg", "png", "tiff")
        else "other"
    )
    thumb = thumbnail_png(path, max_px)
    if thumb is None and kind == "pdf" and problem is None:
        thumb = _png(_sketch(_first_lines(path), max_px))
    pages = info.pages if problem is None else None
    repair = (info.repair.pages, info.repair.declared) if info.repair is not None else None
    return FileFacts(path, info.size or size, pages, kind, problem, thumb, repair)


def _lang() -> str:
    return "en" if QLocale().language() == QLocale.Language.English else "zh"


def _first_lines(path: Path) -> list[str]:
    # start-up: pypdf loads when the first text PDF is sketched
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        return (reader.pages[0].extract_text() or "").splitlines()[:14] if reader.pages else []
    except (PyPdfError, OSError, ValueError, KeyError):
        return []


def _sketch(lines: list[str], max_px: int) -> QImage:
    """A small white page with its first lines, where no image can be taken."""
    height = max_px
    width = round(max_px * 210 / 297)
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(QPen(QColor("#b0b0b0")))
    painter.drawRect(0, 0, width - 1, height - 1)
    font = QFont()
    font.setPixelSize(max(5, max_px // 16))
    painter.setFont(font)
    painter.setPen(QColor("#303030"))
    y = 6.0
    for line in lines:
        painter.drawText(QRectF(5, y, width - 10, font.pixelSize() + 2), line)
        y += font.pixelSize() + 3
        if y > height - 8:
            break
    if not lines:
        painter.setPen(QPen(QColor("#d0d0d0")))
        for row in range(8, height - 8, 7):
            painter.drawLine(6, row, width - 6, row)
    painter.end()
    return image


def _png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stub says bytes; str works
    buffer.close()
    return bytes(data.data())
