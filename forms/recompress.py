"""Re-encoding scanned images so an attachment fits the portal's size limit, legibly.

Pure functions on bytes, so they run in worker processes (both cores) without pikepdf
objects crossing the process boundary. JPEG sources are decoded with libjpeg's DCT
scaling (`Image.draft`), which decodes a 600-dpi page at a half or a quarter of its size
directly: most of the speed over Ghostscript, which decodes every pixel first.

Legibility floor: an image is never resampled below `min_dpi` (150 by default, the
customary floor for text scans); a page that cannot fit at the floor is reported, not
squeezed further behind the user's back.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass

from PIL import Image, ImageOps

Image.MAX_IMAGE_PIXELS = 180_000_000


@dataclass(frozen=True)
class Level:
    """One rung of the quality ladder: resolution and JPEG quality."""

    dpi: float
    quality: int


#: From best to smallest. The package takes the best rung that needs no more files
#: than the smallest one would (see `forms.package`).
LADDER = (
    Level(200, 80),
    Level(200, 70),
    Level(175, 65),
    Level(150, 60),
    Level(150, 50),
    Level(150, 40),
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


@dataclass(frozen=True)
class ImageResult:
    key: int
    data: bytes | None  # None: keep the original (already small enough, or not worth it)
    width: int
    height: int
    mode: str  # "L", "RGB" (DCTDecode) or "1" (FlateDecode, 1 bit)
    dpi: float
    quality: int


def _decode(job: ImageJob, target_w: int, target_h: int) -> Image.Image:
    """Decoded at no less than the target size; JPEGs through DCT scaling when the
    target is half the stored size or less (decoding a quarter of the pixels)."""
    if job.jpeg:
        image: Image.Image = Image.open(io.BytesIO(job.data))
        image.draft(image.mode if image.mode in ("L", "RGB") else "RGB", (target_w, target_h))
        image.load()
        if image.mode == "CMYK":
            # Adobe writes inverted CMYK JPEGs; PDF viewers undo it through /Decode,
            # which our output no longer carries.
            rgb = image.convert("RGB")
            image = ImageOps.invert(rgb) if _adobe_inverted(job.data) else rgb
        return image
    return Image.frombytes(job.mode, (job.width, job.height), job.data)


def _adobe_inverted(data: bytes) -> bool:
    return b"Adobe" in data[:4096]


def _is_bilevel(image: Image.Image) -> bool:
    """A black-and-white page scanned in grey: almost no mid-tones."""
    if image.mode != "L":
        return False
    sample = image.copy()
    sample.thumbnail((400, 400))
    histogram = sample.histogram()
    total = sum(histogram)
    middle = sum(histogram[48:208])
    return total > 0 and middle / total < 0.015


def _target(job: ImageJob, dpi: float) -> tuple[int, int, float]:
    """Pixel size at `dpi` (never below the floor, never upwards) and the scale."""
    target_dpi = max(dpi, job.min_dpi)
    scale = min(1.0, target_dpi / job.dpi) if job.dpi > 0 else 1.0
    return max(1, round(job.width * scale)), max(1, round(job.height * scale)), scale


def _resampled(job: ImageJob, dpi: float, decoded: Image.Image | None = None) -> Image.Image:
    width, height, _ = _target(job, dpi)
    image = decoded if decoded is not None else _decode(job, width, height)
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    if image.size != (width, height):
        image = image.resize((width, height), Image.Resampling.BILINEAR, reducing_gap=2.0)
    return image


def _encode(image: Image.Image, quality: int) -> tuple[bytes, str]:
    if _is_bilevel(image):
        bits = image.point(lambda v: 255 if v >= 140 else 0).convert("1", dither=Image.Dither.NONE)
        return zlib.compress(bits.tobytes(), 9), "1"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, subsampling=2 if image.mode == "RGB" else 0)
    return buffer.getvalue(), image.mode


def recompress(job: ImageJob) -> ImageResult:
    """Resample to the level's dpi and encode; keep the original when that is smaller."""
    width, height, scale = _target(job, job.level.dpi)
    image = _resampled(job, job.level.dpi)
    data, mode = _encode(image, job.level.quality)
    effective = job.dpi * width / job.width if job.width else job.dpi
    if scale == 1.0 and len(data) >= len(job.data) and job.jpeg:
        return ImageResult(job.key, None, job.width, job.height, job.mode, job.dpi, 0)
    return ImageResult(
        job.key, data, width, height, mode, effective, job.level.quality if mode != "1" else 0
    )


def measure(job: ImageJob, levels: tuple[Level, ...]) -> list[int]:
    """Encoded size at each level, decoding the source once: how the package chooses a
    level from a sample of pages without encoding every page at every level."""
    top = max(levels, key=lambda level: level.dpi)
    width, height, _ = _target(job, top.dpi)
    decoded = _decode(job, width, height)
    by_dpi: dict[float, Image.Image] = {}
    sizes = []
    for level in levels:
        if level.dpi not in by_dpi:
            by_dpi[level.dpi] = _alternate_bands(_resampled(job, level.dpi, decoded))
        data, _ = _encode(by_dpi[level.dpi], level.quality)
        sizes.append(len(data) * 2)
    return sizes


def _alternate_bands(image: Image.Image, band: int = 128) -> Image.Image:
    """Every other horizontal band, stacked: half the pixels, spread over the whole
    page (margins, text and seals alike), so half the encoding cost estimates the
    whole page's size without favouring its dense middle."""
    kept = [y for y in range(0, image.height, 2 * band)]
    out = Image.new(image.mode, (image.width, sum(min(band, image.height - y) for y in kept)))
    offset = 0
    for y in kept:
        strip = image.crop((0, y, image.width, min(y + band, image.height)))
        out.paste(strip, (0, offset))
        offset += strip.height
    return out
