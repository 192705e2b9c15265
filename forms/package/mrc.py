"""Mixed raster content: a scanned text page as three layers, so text stays sharp for
fewer bytes than any JPEG quality gives.

A text scan is mostly paper with dark ink. JPEG spends its bytes on the ink's edges and
still blurs them at the resolutions that fit the portal's limit. Here the ink becomes a
1-bit mask at the scan's own resolution (up to `MASK_DPI`), coded with CCITT G4 (lossless,
and every PDF viewer decodes it); the colour of the ink (black text, a red seal, a blue
signature) comes from a small foreground image seen only through that mask, and the
paper (its tone, shading, a stamp's halo) from a low-resolution background. Seals and
signatures keep their colour; table rules and 7.5 pt footnotes keep full-resolution edges.

Everything but the mask works on a copy at about 150 dpi (`base`), four times fewer
pixels: colour changes slowly, the mask carries the edges. Pure functions on Pillow
images and bytes, so they run on the package's worker threads; each step is one Pillow
C operation on a whole page, which releases the GIL.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from PIL import Image, ImageFilter, ImageMath, ImageStat

#: The mask's resolution at most: 300 dpi draws a 7.5 pt footnote's strokes crisply; a
#: 600-dpi scan is decoded at half size (libjpeg's DCT scaling) for it.
MASK_DPI = 300.0
#: Scans below this resolution are left to JPEG: their mask would be no sharper.
MIN_DPI = 200.0
#: Foreground (ink colour) cells, in `base` pixels: colour changes slowly along a stroke.
FOREGROUND_FACTOR = 4
FOREGROUND_QUALITY = 50


@dataclass(frozen=True)
class Layers:
    """One page's three layers, ready for PDF image XObjects."""

    mask: bytes  # CCITT G4 (K -1, BlackIs1 false): 0 bits are ink
    width: int
    height: int
    foreground: bytes  # JPEG, the ink's colour, seen through the mask
    foreground_size: tuple[int, int]
    background: bytes  # JPEG, the paper without the ink
    background_size: tuple[int, int]
    mode: str  # "L" or "RGB" of both JPEG layers

    @property
    def size(self) -> int:
        return len(self.mask) + len(self.foreground) + len(self.background)


def threshold(histogram: list[int]) -> int:
    """Otsu's threshold of a grey histogram: the level that best separates ink from
    paper, whatever the scanner's brightness. Pixels below it are ink."""
    total = sum(histogram)
    weighted = sum(i * h for i, h in enumerate(histogram))
    below = below_weighted = 0.0
    best, level = -1.0, 128
    for i, count in enumerate(histogram):
        below += count
        below_weighted += i * count
        above = total - below
        if below == 0:
            continue
        if above == 0:
            break
        between = (
            below * above * (below_weighted / below - (weighted - below_weighted) / above) ** 2
        )
        if between > best:
            best, level = between, i
    return level + 1


def is_text_scan(histogram: list[int]) -> bool:
    """Paper with ink: most pixels bright, some dark, few in between. Photos, shaded
    forms and pictures fail this and keep a JPEG (a mask would posterise them)."""
    total = sum(histogram) or 1
    paper = sum(histogram[170:]) / total
    ink = sum(histogram[:110]) / total
    middle = 1.0 - paper - ink
    return paper > 0.6 and 0.002 < ink < 0.35 and middle < 0.2


def _lut(level: int) -> list[int]:
    return [255 if v < level else 0 for v in range(256)]


def g4(mask: Image.Image) -> bytes:
    """A mode-"1" mask (255 = ink) as one CCITT G4 strip: a PDF filter's data is one
    stream, not a TIFF's strips. The TIFF's own header says where the strip is."""
    buffer = io.BytesIO()
    mask.save(buffer, "TIFF", compression="group4", strip_size=1 << 30)
    data = buffer.getvalue()
    order = "<" if data[:2] == b"II" else ">"
    (ifd,) = struct.unpack_from(order + "I", data, 4)
    (count,) = struct.unpack_from(order + "H", data, ifd)
    fields: dict[int, int] = {}
    for n in range(count):
        tag, kind, number, value = struct.unpack_from(order + "HHII", data, ifd + 2 + 12 * n)
        if kind == 3 and number == 1:  # a SHORT sits in the first half of the value
            value = struct.unpack_from(order + "H", data, ifd + 2 + 12 * n + 8)[0]
        if number != 1 and tag in (273, 279):
            raise ValueError("G4 mask came out in several strips")
        fields[tag] = value
    return data[fields[273] : fields[273] + fields[279]]


def jpeg(image: Image.Image, quality: int, *, full_colour: bool = False) -> bytes:
    """`full_colour`: no chroma subsampling (4:4:4), for an image whose colours change
    from one pixel to the next (the foreground's cells)."""
    buffer = io.BytesIO()
    subsampling = 2 if image.mode == "RGB" and not full_colour else 0
    image.save(buffer, "JPEG", quality=quality, subsampling=subsampling)
    return buffer.getvalue()


def _divide(sums: Image.Image, counts: Image.Image) -> Image.Image:
    """`sums` / `counts` band by band, both as means over the same cells: the mean
    colour of the pixels counted (0 where none are)."""
    bands = []
    for band in sums.split():
        divided = ImageMath.lambda_eval(
            lambda a: a["convert"](a["s"] * 255 / a["c"], "L"), s=band, c=counts
        )
        assert isinstance(divided, Image.Image)
        bands.append(divided)
    return bands[0] if sums.mode == "L" else Image.merge("RGB", bands)


def _cell_means(
    base: Image.Image, base_gray: Image.Image, level: int
) -> tuple[Image.Image, Image.Image]:
    """Mean colour of the pixels of `base` darker than `level` in each foreground cell,
    and the cells that have any (255) or none (0). A grey base is its own grey, so one
    table lookup keeps its ink (a 300-dpi grey page: 5.8 against 7.7 ms through a
    1-bit mask); a colour page's paper is painted black in a copy (one page-sized
    image, not two)."""
    if base.mode == "L":
        kept = base.point([v if v < level else 0 for v in range(256)])
    else:
        kept = base.copy()
        kept.paste((0, 0, 0), None, base_gray.point([255 - v for v in _lut(level)], "1"))
    counts = base_gray.point(_lut(level)).reduce(FOREGROUND_FACTOR)
    return _divide(kept.reduce(FOREGROUND_FACTOR), counts), _inked(counts)


def _median(histogram: list[int], start: int, stop: int) -> int:
    """The median grey of the pixels from `start` up to (not including) `stop`."""
    total = sum(histogram[start:stop])
    seen = 0
    for value in range(start, stop):
        seen += histogram[value]
        if seen * 2 >= total:
            return value
    return start


def _inked(counts: Image.Image) -> Image.Image:
    """255 where a cell counts any ink, 0 where none."""
    return counts.point(lambda v: 255 if v else 0)


def _ink_colour(
    base: Image.Image, base_gray: Image.Image, histogram: list[int], level: int
) -> Image.Image:
    """The ink's colour in each foreground cell: of the strokes' cores where the cell has
    any, else of all its ink, else of the ink in the cells around it, else the page's ink
    colour. A plain mean of the ink is too light (`base` is at half the mask's
    resolution, so a thin stroke's pixels are half paper), and cells whose strokes
    vanished at that resolution were black: the page drew its text as a patchwork of
    black and grey cells, and JPEG's ringing at their edges cut gaps into strokes (7.5 pt
    footnotes read worse than a 150-dpi JPEG's). A seal's red is lighter in grey than
    black text: where a cell has no core the mean of its ink keeps its colour, and the
    rim of a seal's ring that only the full-resolution mask holds takes the ring's red
    from the cell beside it, not the page's black."""
    means, inked = _cell_means(base, base_gray, level)
    cores, cored = _cell_means(base, base_gray, (_median(histogram, 0, level) + level) // 2)
    # The page's ink: the mean of the cells' (their cores' where there are any).
    stat = ImageStat.Stat(*((cores, cored) if cored.getbbox() else (means, inked)))
    page = tuple(round(v) for v in stat.mean) if stat.count[0] else (0,) * len(stat.mean)
    fill = Image.new(base.mode, means.size, page[0] if base.mode == "L" else page)
    # The mean colour of the inked cells among the eight around (a box blur of the
    # colours and of the inked cells, divided: a rank filter costs ten times more).
    black = Image.new(base.mode, means.size, 0)
    spread = ImageFilter.BoxBlur(1)
    weight = inked.filter(spread)
    around = _divide(Image.composite(means, black, inked).filter(spread), weight)
    around = Image.composite(around, fill, _inked(weight))
    return Image.composite(cores, Image.composite(means, around, inked), cored)


@dataclass(frozen=True)
class Mask:
    """The ink of a page at the mask's resolution, as G4 data: made first, so the page
    at that resolution (8.7 MB at 300 dpi A4) is dropped before the colour layers are
    made (with the painted copies of `_cell_means` and the paper: the work on a 300-dpi
    colour page of the bench's contract scan peaked 44 MB above the start before, 31 MB
    after)."""

    data: bytes
    width: int
    height: int
    level: int  # the grey below which a pixel is ink

    @classmethod
    def of(cls, gray: Image.Image, histogram: list[int]) -> Mask:
        """`gray` thresholded at the level `histogram` (of the page, at any size) says."""
        level = threshold(histogram)
        return cls(g4(gray.point(_lut(level), "1")), gray.width, gray.height, level)


class TextPage:
    """A text scan split once into its mask and foreground; the background is made per
    quality rung (`layers`), which costs a reduction of `base` and a tiny JPEG.

    `base` is the page in "L" or "RGB" at about half the mask's resolution (`base_dpi`),
    `base_gray` the page in grey at the base's size (`base` itself when grey), and
    `histogram` its histogram, the one the mask's level came from."""

    def __init__(
        self,
        mask: Mask,
        base: Image.Image,
        base_dpi: float,
        base_gray: Image.Image,
        histogram: list[int],
    ) -> None:
        self.mask = mask
        foreground = _ink_colour(base, base_gray, histogram, mask.level)
        # A cell of red seal beside cells of black text: with chroma at half resolution
        # the seal and a blue signature came out a muddy brown and grey.
        self.foreground = jpeg(foreground, FOREGROUND_QUALITY, full_colour=True)
        self.foreground_size = foreground.size
        # The paper: ink and its anti-aliased rim take the paper's tone before the
        # reduction, so the background carries no ghost of the text (bytes and halos).
        rim_level = (mask.level + 255) // 2
        tone = _median(histogram, rim_level, 256)  # the paper's
        if base.mode == "L":
            self.paper = base.point([tone if v < rim_level else v for v in range(256)])
        else:
            # Painted into a copy through the rim, not composited from a page of paper:
            # one page-sized image fewer (8.7 MB at 150 dpi A4).
            self.paper = base.copy()
            self.paper.paste((tone,) * 3, None, base_gray.point(_lut(rim_level), "1"))
        self.base_dpi = base_dpi

    def layers(self, background_dpi: float, quality: int) -> Layers:
        factor = max(1, round(self.base_dpi / background_dpi))
        background = self.paper.reduce(factor) if factor > 1 else self.paper
        return Layers(
            self.mask.data,
            self.mask.width,
            self.mask.height,
            self.foreground,
            self.foreground_size,
            jpeg(background, quality),
            background.size,
            self.paper.mode,
        )
