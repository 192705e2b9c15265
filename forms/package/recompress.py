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

from PIL import Image, ImageFilter, ImageOps

Image.MAX_IMAGE_PIXELS = 180_000_000


@dataclass(frozen=True)
class Level:
    """One rung of the quality ladder: resolution and JPEG quality."""

    dpi: float
    quality: int


#: From best to smallest. The package takes the best rung that needs no more files
#: than the smallest one would (see `forms.package.build`).
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
    """A black-and-white page scanned in grey: almost no mid-tones (counted on every
    pixel; a thumbnail would invent mid-tones at every stroke's edge)."""
    if image.mode != "L":
        return False
    histogram = image.histogram()
    total = sum(histogram)
    middle = sum(histogram[48:208])
    return total > 0 and middle / total < 0.015


#: A rung's resolution may drop this far to meet the scan's own resolution halved
#: (or quartered): libjpeg then decodes at that size directly and nothing is resampled,
#: four times fewer pixels to decode and no filter pass. 300 dpi scans meet the 175 and
#: 200 rungs at 150 dpi, still at the floor.
SNAP = 0.75


def _target(job: ImageJob, dpi: float) -> tuple[int, int, float]:
    """Pixel size at `dpi` (never below the floor, never upwards) and the scale."""
    target_dpi = max(dpi, job.min_dpi)
    if job.dpi <= 0:
        return job.width, job.height, 1.0
    for factor in (2, 4, 8):
        aligned = job.dpi / factor
        if aligned < job.min_dpi - 1e-6:
            break
        if SNAP * target_dpi - 0.5 <= aligned <= target_dpi + 0.5:  # dpi are measured
            # libjpeg's scaled output size, so no resampling pass follows the decode.
            width, height = -(-job.width // factor), -(-job.height // factor)
            return width, height, 1 / factor
    scale = min(1.0, target_dpi / job.dpi)
    return max(1, round(job.width * scale)), max(1, round(job.height * scale)), scale


def _resampled(job: ImageJob, dpi: float) -> tuple[Image.Image, bool]:
    """The image at the level's size, and whether it came straight from DCT-scaled
    decoding (which `_encode` softens)."""
    width, height, _ = _target(job, dpi)
    image = _decode(job, width, height)
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    if image.size == (width, height):
        return image, job.jpeg and width < job.width
    factor = image.width // width
    if factor >= 2 and image.width == width * factor and image.height == height * factor:
        return image.reduce(factor), False  # exact halving of samples not stored as JPEG
    return image.resize((width, height), Image.Resampling.BILINEAR, reducing_gap=2.0), False


def _encode(image: Image.Image, quality: int, soften: bool) -> tuple[bytes, str]:
    if _is_bilevel(image):
        bits = image.point(lambda v: 255 if v >= 140 else 0).convert("1", dither=Image.Dither.NONE)
        return zlib.compress(bits.tobytes(), 9), "1"
    if soften:
        # DCT-scaled decoding keeps the scanner's grain that a resampling filter would
        # have averaged away; a half-pixel box blur does the same for a tenth of the
        # cost, and JPEG then spends about 20 % fewer bytes on noise.
        image = image.filter(ImageFilter.BoxBlur(0.5))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, subsampling=2 if image.mode == "RGB" else 0)
    return buffer.getvalue(), image.mode


def recompress(job: ImageJob) -> ImageResult:
    """Resample to the level's dpi and encode; keep the original when that is smaller."""
    _, _, scale = _target(job, job.level.dpi)
    image, soften = _resampled(job, job.level.dpi)
    width, height = image.size
    data, mode = _encode(image, job.level.quality, soften)
    effective = job.dpi * width / job.width if job.width else job.dpi
    if scale == 1.0 and len(data) >= len(job.data) and job.jpeg:
        return ImageResult(job.key, None, job.width, job.height, job.mode, job.dpi, 0)
    return ImageResult(
        job.key, data, width, height, mode, effective, job.level.quality if mode != "1" else 0
    )


def measure(job: ImageJob, levels: tuple[Level, ...]) -> list[int]:
    """Encoded size at each level, decoding the source once: how the package chooses a
    level from a sample of pages without encoding every page at every level."""
    # Exactly the decoding `recompress` does for each level (snapped rungs share one).
    by_size: dict[tuple[int, int], tuple[Image.Image, bool]] = {}
    sizes = []
    for level in levels:
        width, height, _ = _target(job, level.dpi)
        if (width, height) not in by_size:
            image, soften = _resampled(job, level.dpi)
            by_size[(width, height)] = (_alternate_bands(image), soften)
        bands, soften = by_size[(width, height)]
        data, _ = _encode(bands, level.quality, soften)
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
