"""Re-encoding scanned images so an attachment fits the portal's size limit, legibly.

Pure functions on bytes, so they run on worker threads without pikepdf objects crossing
over. Each image is decoded once and encoded once (`recompress`); only the few pages an
item samples to choose its rung are encoded at several rungs (`measure`). Two kinds of
result:

* at a mask rung (`Level.mrc`), a text scan (paper with ink, at 200 dpi or more)
  becomes mixed raster content (`forms.package.mrc`): a full-resolution 1-bit mask over
  small colour layers, far smaller than any JPEG;
* anything else (photos, shaded pages, and text scans at the first, JPEG-only rungs)
  becomes a JPEG at the rung's dpi and quality,
  decoded through libjpeg's DCT scaling where the rung allows (a 600-dpi page decodes
  at a quarter of its pixels) and resampled once, with no extra filter pass.

Legibility floor: a JPEG is never resampled below `min_dpi` (150 by default, the
customary floor for text scans), and never upwards; a page that cannot fit at the floor
is reported, not squeezed further behind the user's back. A result that is not smaller
than what the file already holds is dropped: lossless screenshots never grow.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

from forms.package import mrc


@dataclass(frozen=True)
class Level:
    """One rung of the quality ladder: JPEG resolution and quality, and the background
    of mixed raster content (its mask is always at the scan's resolution). `mrc`: text
    scans become mixed raster content at this rung; without it they are JPEGs too."""

    dpi: float
    quality: int
    background_dpi: float = 75
    background_quality: int = 50
    mrc: bool = True


#: From most legible to smallest. The package takes the first rung that needs no more
#: files than the smallest one would (see `forms.package.optimise`). A 200-dpi JPEG at
#: q70 or better keeps the scan's grey edges at more than the peers' 150 dpi and reads
#: as the 300-dpi scan itself does (tesseract on 9 known pages of the bench corpus,
#: q80: body 99.3 %, footnotes 100 %, tables 96.3 % as the input's 96.3 %; a mask: 99.2,
#: 99.2 and 99.2 %), at a third of a mask's work; mixed raster content is for the items
#: it saves files on.
LADDER = (
    Level(200, 80, mrc=False),
    Level(200, 70, mrc=False),
    Level(200, 80, 75, 60),
    Level(200, 70, 75, 50),
    Level(175, 65, 75, 40),
    Level(150, 60, 50, 40),
    Level(150, 50, 50, 30),
    Level(150, 40, 50, 25),
)
#: Last resort for a single page above the limit, still at the dpi floor.
EMERGENCY_QUALITIES = (32, 25, 18)


@dataclass(frozen=True)
class ImageJob:
    key: int  # the caller's handle
    data: bytes  # JPEG bytes, or raw decoded samples
    jpeg: bool
    width: int
    height: int
    mode: str  # "L", "RGB", "CMYK" (samples) or the JPEG's own
    dpi: float  # effective resolution on the page
    level: Level
    min_dpi: float
    stored: int = 0  # bytes the image takes in the file now (0: len(data))
    text: bool = False  # drawn over most of a page: may be a text scan (mixed raster)


@dataclass(frozen=True)
class ImageResult:
    key: int
    data: bytes | None  # None: keep the original (already small enough, or not worth it)
    width: int
    height: int
    mode: str  # "L", "RGB" (DCTDecode) or "mrc" (`layers`)
    dpi: float
    quality: int
    layers: mrc.Layers | None = None

    @property
    def size(self) -> int:
        if self.layers is not None:
            return self.layers.size
        return len(self.data) if self.data is not None else 0


def _adobe_inverted(data: bytes) -> bool:
    return b"Adobe" in data[:4096]


def _open_jpeg(job: ImageJob, mode: str, size: tuple[int, int]) -> Image.Image:
    """The JPEG decoded at no less than `size`, through DCT scaling where that is half
    the stored size or less."""
    image: Image.Image = Image.open(io.BytesIO(job.data))
    image.draft(mode if image.mode in ("L", "RGB", "YCbCr") else None, size)
    image.load()
    if image.mode == "CMYK":
        # Adobe writes inverted CMYK JPEGs; PDF viewers undo it through /Decode,
        # which our output no longer carries.
        rgb = image.convert("RGB")
        image = ImageOps.invert(rgb) if _adobe_inverted(job.data) else rgb
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    if mode == "L" and image.mode != "L":
        image = image.convert("L")
    return image


def _samples(job: ImageJob) -> Image.Image:
    image = Image.frombytes(job.mode, (job.width, job.height), job.data)
    return image if image.mode in ("L", "RGB") else image.convert("RGB")


#: Sizes this close are one size: within the measuring error of a drawn size, a
#: resampling would cost work and sharpness for nothing.
SAME_SIZE = 0.97


def _target(job: ImageJob, dpi: float) -> tuple[int, int, float]:
    """Pixel size at `dpi` (never below the floor, never upwards) and the scale."""
    target_dpi = max(dpi, job.min_dpi)
    if job.dpi <= 0:
        return job.width, job.height, 1.0
    scale = min(1.0, target_dpi / job.dpi)
    if scale > SAME_SIZE:
        return job.width, job.height, 1.0
    return max(1, round(job.width * scale)), max(1, round(job.height * scale)), scale


def _fit(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if image.size == size:
        return image
    factor = image.width // size[0]
    if factor >= 2 and image.size == (size[0] * factor, size[1] * factor):
        return image.reduce(factor)  # exact: a box filter of whole pixels
    # An area average: what a downsampling needs (no aliasing of fine strokes), and
    # a third faster than bilinear on colour pages (83 against 125 ms at 300 to 200 dpi).
    return image.resize(size, Image.Resampling.BOX, reducing_gap=2.0)


#: libjpeg decodes at 1/2, 1/4 or 1/8 of the stored size for a fraction of the work of
#: a full decoding and a resampling (a 4000 x 3000 photo: 78 ms against 132 + 105 ms
#: measured). Where such a size is within this much of a rung's dpi, and not below the
#: floor, the image keeps it: 181 dpi for a 200-dpi rung loses nothing a reader sees.
DCT_TOLERANCE = 0.9


def _picture(job: ImageJob, dpi: float) -> Image.Image:
    """The image decoded once at the size `dpi` needs, or at a DCT-scaled size within
    `DCT_TOLERANCE` of it (never below the floor)."""
    width, height, scale = _target(job, dpi)
    if job.jpeg:
        if scale < 1.0:
            least = max(DCT_TOLERANCE, job.min_dpi / (job.dpi * scale))
            width, height = max(1, int(width * least)), max(1, int(height * least))
        return _open_jpeg(job, "RGB" if job.mode != "L" else "L", (width, height))
    return _samples(job)


def _text_page(job: ImageJob) -> mrc.TextPage | None:
    """The page as mixed raster content, or None where it is no text scan. The mask is
    decoded at up to `mrc.MASK_DPI`; a colour JPEG is decoded twice, its luma at full
    size and its colour at half, which together cost less than one full colour decode
    and the conversion to grey."""
    if not job.text or job.dpi < mrc.MIN_DPI or job.mode not in ("L", "RGB"):
        return None
    shrink = 1
    while job.dpi / (shrink * 2) >= mrc.MASK_DPI * 0.95:
        shrink *= 2
    size = (-(-job.width // shrink), -(-job.height // shrink))
    mask_dpi = job.dpi / shrink
    half = mask_dpi >= 250
    base_size = (-(-size[0] // 2), -(-size[1] // 2)) if half else size
    if job.jpeg:
        gray = _open_jpeg(job, "L", size)
        probe = gray.reduce(2) if half else gray
        histogram = probe.histogram()
        if not mrc.is_text_scan(histogram):
            return None
        base = probe if job.mode == "L" else _open_jpeg(job, "RGB", base_size)
    else:
        image = _samples(job)
        if shrink > 1:
            image = image.reduce(shrink)
        gray = image if image.mode == "L" else image.convert("L")
        probe = gray.reduce(2) if half else gray
        histogram = probe.histogram()
        if not mrc.is_text_scan(histogram):
            return None
        base = image.reduce(2) if half else image
    if gray.size != size or base.size != base_size:
        gray, base, probe = _fit(gray, size), _fit(base, base_size), _fit(probe, base_size)
        histogram = probe.histogram()
    dpi = mask_dpi / 2 if half else mask_dpi
    # A grey base is the probe itself (its histogram is not taken twice); a colour base
    # is made grey from its own decoding, and its threshold is measured on that.
    base_gray = probe
    if base.mode != "L":
        base_gray = base.convert("L")
        histogram = base_gray.histogram()
    mask = mrc.Mask.of(gray, histogram)
    del gray, probe  # the page at the mask's resolution, before the colour layers
    return mrc.TextPage(mask, base, dpi, base_gray, histogram)


def _from_layers(job: ImageJob, page: mrc.TextPage, level: Level) -> ImageResult:
    layers = page.layers(level.background_dpi, level.background_quality)
    dpi = job.dpi * page.mask.width / job.width
    return ImageResult(job.key, None, layers.width, layers.height, "mrc", dpi, 0, layers)


def _rung_size(job: ImageJob, picture: Image.Image, level: Level) -> tuple[int, int]:
    width, height, _ = _target(job, level.dpi)
    if picture.width * SAME_SIZE <= width:
        # Decoded DCT-scaled to the rung's size or just below it: kept, never enlarged.
        width, height = min(width, picture.width), min(height, picture.height)
    return width, height


def _jpeg_result(job: ImageJob, image: Image.Image, level: Level) -> ImageResult:
    """`image` resampled to the rung's size (`_rung_size`), encoded at its quality."""
    data = mrc.jpeg(image, level.quality)
    effective = job.dpi * image.width / job.width if job.width else job.dpi
    return ImageResult(
        job.key, data, image.width, image.height, image.mode, effective, level.quality
    )


def _kept(job: ImageJob, result: ImageResult) -> ImageResult:
    """The original where the result would not be smaller than it."""
    if result.size >= (job.stored or len(job.data)):
        return ImageResult(job.key, None, job.width, job.height, job.mode, job.dpi, 0)
    return result


def recompress(job: ImageJob) -> ImageResult:
    """The image at the job's rung, decoded once and encoded once; the original where
    that would not be smaller."""
    page = _text_page(job) if job.level.mrc else None
    if page is not None:
        return _kept(job, _from_layers(job, page, job.level))
    picture = _picture(job, job.level.dpi)
    image = _fit(picture, _rung_size(job, picture, job.level))
    return _kept(job, _jpeg_result(job, image, job.level))


def measure(job: ImageJob, levels: tuple[Level, ...]) -> list[ImageResult]:
    """The image at each of `levels`: how the package chooses a rung from a few sample
    pages. One decoding serves all the JPEG results and one the masks (a text scan
    measured at both kinds is decoded twice). The result at the rung chosen is used as
    it is."""
    page = _text_page(job) if any(level.mrc for level in levels) else None
    jpeg_levels = [level for level in levels if page is None or not level.mrc]
    picture = _picture(job, max(level.dpi for level in jpeg_levels)) if jpeg_levels else None
    # Rungs of one dpi differ only in quality: they share the resampled picture, which
    # costs more than the encoding.
    fitted: dict[tuple[int, int], Image.Image] = {}
    results = []
    for level in levels:
        if page is not None and level.mrc:
            results.append(_kept(job, _from_layers(job, page, level)))
            continue
        assert picture is not None
        size = _rung_size(job, picture, level)
        if size not in fitted:
            fitted[size] = _fit(picture, size)
        results.append(_kept(job, _jpeg_result(job, fitted[size], level)))
    return results
