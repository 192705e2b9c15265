"""Facts about one attachment file for the checklist: pages, size, a thumbnail, a problem.

Runs in a worker (parsing an untrusted PDF can take long). `forms.package.attachments` reads
the file as the package will (PDF, images, Word); the thumbnail of a PDF is its first
page drawn by PDFium (`forms.documents.preview`), an image's is the image itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLocale

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
    thumb = None
    if kind == "pdf" and problem is None:
        # start-up: PDFium loads when the first thumbnail is drawn
        from forms.documents.preview import PreviewError, thumbnail

        try:
            thumb = thumbnail(path, max_px)
        except PreviewError:
            thumb = None
    if thumb is None:
        thumb = thumbnail_png(path, max_px)
    pages = info.pages if problem is None else None
    repair = (info.repair.pages, info.repair.declared) if info.repair is not None else None
    return FileFacts(path, info.size or size, pages, kind, problem, thumb, repair)


def _lang() -> str:
    return "en" if QLocale().language() == QLocale.Language.English else "zh"
