"""Finding the scanned images of a PDF, their effective resolution, and swapping in
recompressed versions; and weighing pages for the splitter.

Only image XObjects drawn directly by a page's content are touched: their drawn size
comes from the content stream's transformation matrix, which gives the true dpi.
Vector text and born-digital drawings are never rasterised or altered.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf

from forms.package.mrc import Layers
from forms.package.recompress import ImageJob, ImageResult, Level

#: Images smaller than this are left alone: re-encoding them cannot change a part count.
MIN_IMAGE_BYTES = 48_000
OBJECT_OVERHEAD = 60  # bytes of "n 0 obj ... endobj" and xref per object, roughly


@dataclass
class ImageUse:
    """One image XObject and where it is drawn."""

    obj: pikepdf.Object
    objgen: tuple[int, int]
    width: int
    height: int
    dpi: float  # lowest effective resolution among its uses
    pages: set[int] = field(default_factory=set)
    covers_page: bool = False  # drawn over most of a page: a scan
    raw_bytes: int = 0


def _matrix_mul(a: list[float], b: list[float]) -> list[float]:
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _drawn_images(page: pikepdf.Page) -> Iterator[tuple[str, float, float]]:
    """(resource name, drawn width pt, drawn height pt) for every `Do` of the page."""
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[list[float]] = []
    try:
        instructions = pikepdf.parse_content_stream(page, "q Q cm Do")
    except pikepdf.PdfError:
        return
    for instruction in instructions:
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue  # inline images are small by definition
        operands, op = instruction.operands, str(instruction.operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop() if stack else [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        elif op == "cm" and len(operands) == 6:
            try:
                ctm = _matrix_mul([float(v) for v in operands], ctm)
            except (TypeError, ValueError):
                continue
        elif op == "Do" and operands:
            width = math.hypot(ctm[0], ctm[1])
            height = math.hypot(ctm[2], ctm[3])
            yield str(operands[0]), width, height


def _is_recompressible(obj: pikepdf.Object) -> bool:
    if obj.get("/Subtype") != "/Image" or bool(obj.get("/ImageMask", False)):
        return False
    filters = obj.get("/Filter")
    names = (
        [str(f) for f in filters]
        if isinstance(filters, pikepdf.Array)
        else [str(filters)]
        if filters is not None
        else []
    )
    if any(n in ("/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode") for n in names):
        return False
    if obj.get("/BitsPerComponent") != 8:
        return False
    space = obj.get("/ColorSpace")
    if isinstance(space, pikepdf.Array) and len(space) and space[0] == "/ICCBased":
        return int(space[1].get("/N", 0)) in (1, 3)
    return space in ("/DeviceGray", "/DeviceRGB", "/DeviceCMYK")


def stored_size(stream: pikepdf.Object) -> int:
    """Bytes the stream takes in the file, from its /Length where it is a plain number
    (reading an 80 MB scan's data just to measure it would double the package's I/O)."""
    length = stream.stream_dict.get("/Length")
    return int(length) if isinstance(length, int) else len(stream.read_raw_bytes())


def find_images(pdf: pikepdf.Pdf) -> dict[tuple[int, int], ImageUse]:
    """Every recompressible image drawn by a page, with its lowest effective dpi."""
    found: dict[tuple[int, int], ImageUse] = {}
    for index, page in enumerate(pdf.pages):
        resources = page.obj.get("/Resources")
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        if not isinstance(xobjects, pikepdf.Dictionary):
            continue
        box = page.mediabox
        page_area = abs(float(box[2]) - float(box[0])) * abs(float(box[3]) - float(box[1])) or 1.0
        for name, width_pt, height_pt in _drawn_images(page):
            obj = xobjects.get(name)
            if obj is None or not obj.is_indirect or not _is_recompressible(obj):
                continue
            px_w, px_h = int(obj.Width), int(obj.Height)
            if width_pt <= 0 or height_pt <= 0:
                continue
            dpi = min(px_w / (width_pt / 72), px_h / (height_pt / 72))
            use = found.get(obj.objgen)
            if use is None:
                raw = stored_size(obj)
                use = ImageUse(obj, obj.objgen, px_w, px_h, dpi, raw_bytes=raw)
                found[obj.objgen] = use
            use.dpi = min(use.dpi, dpi)
            use.pages.add(index)
            if width_pt * height_pt > 0.6 * page_area:
                use.covers_page = True
    return found


def make_job(use: ImageUse, key: int, level: Level, min_dpi: float) -> ImageJob:
    """The bytes a worker needs: JPEG as stored, anything else decoded to samples."""
    obj = use.obj
    filters = obj.get("/Filter")
    is_jpeg = filters == "/DCTDecode" or (
        isinstance(filters, pikepdf.Array) and len(filters) == 1 and filters[0] == "/DCTDecode"
    )
    space = obj.get("/ColorSpace")
    components = 0
    if isinstance(space, pikepdf.Array):
        components = int(space[1].get("/N", 3))
    else:
        components = {"/DeviceGray": 1, "/DeviceRGB": 3, "/DeviceCMYK": 4}.get(str(space), 3)
    mode = {1: "L", 3: "RGB", 4: "CMYK"}[components]
    data = obj.read_raw_bytes() if is_jpeg else obj.read_bytes()
    return ImageJob(
        key,
        data,
        is_jpeg,
        use.width,
        use.height,
        mode,
        use.dpi,
        level,
        min_dpi,
        stored=use.raw_bytes,
        text=use.covers_page,
    )


def _image(pdf: pikepdf.Pdf, data: bytes, size: tuple[int, int], mode: str) -> pikepdf.Stream:
    stream = pikepdf.Stream(pdf, data)
    stream.Type = pikepdf.Name.XObject
    stream.Subtype = pikepdf.Name.Image
    stream.Width, stream.Height = size
    stream.ColorSpace = pikepdf.Name.DeviceGray if mode == "L" else pikepdf.Name.DeviceRGB
    stream.BitsPerComponent = 8
    stream.Filter = pikepdf.Name.DCTDecode
    return stream


def mixed_raster(pdf: pikepdf.Pdf, obj: pikepdf.Stream, layers: Layers) -> None:
    """Turn the image XObject `obj` into a form that draws the page's layers in the
    image's unit square: the background, then the foreground through the 1-bit mask.
    The pages that draw `obj` stay as they are."""
    mask = pikepdf.Stream(pdf, layers.mask)
    mask.Type = pikepdf.Name.XObject
    mask.Subtype = pikepdf.Name.Image
    mask.Width, mask.Height = layers.width, layers.height
    mask.ImageMask = True
    mask.Filter = pikepdf.Name.CCITTFaxDecode
    mask.DecodeParms = pikepdf.Dictionary(
        K=-1, Columns=layers.width, Rows=layers.height, BlackIs1=False
    )
    foreground = _image(pdf, layers.foreground, layers.foreground_size, layers.mode)
    foreground.Mask = mask
    background = _image(pdf, layers.background, layers.background_size, layers.mode)
    for key in list(obj.keys()):
        if key not in ("/Type", "/Length"):
            del obj[key]
    obj.write(b"/Bg Do /Fg Do")
    obj.Type = pikepdf.Name.XObject
    obj.Subtype = pikepdf.Name.Form
    obj.FormType = 1
    obj.BBox = [0, 0, 1, 1]
    obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Bg=background, Fg=foreground))


def apply_result(pdf: pikepdf.Pdf, obj: pikepdf.Stream, result: ImageResult) -> None:
    """Put the recompressed image in place of `obj` (an image XObject of `pdf`)."""
    if result.layers is not None:
        mixed_raster(pdf, obj, result.layers)
        return
    if result.data is None:
        return
    obj.write(result.data, filter=pikepdf.Name.DCTDecode)
    obj.BitsPerComponent = 8
    obj.ColorSpace = pikepdf.Name.DeviceGray if result.mode == "L" else pikepdf.Name.DeviceRGB
    obj.Width = result.width
    obj.Height = result.height
    for stale in ("/Decode", "/DecodeParms", "/Interpolate"):
        if stale in obj:
            del obj[stale]


_SKIP_KEYS = {"/Parent", "/P", "/B", "/Dest", "/StructParents"}


def page_objects(page: pikepdf.Page, sizes: dict[tuple[int, int], int]) -> set[tuple[int, int]]:
    """Indirect objects a copied page brings along (not its parent tree, nor other pages
    that its links point to: copying a page does not copy those), recording each one's
    approximate serialised size in `sizes`."""
    seen: set[tuple[int, int]] = set()
    root = page.obj.objgen
    stack: list[pikepdf.Object] = [page.obj]
    while stack:
        obj = stack.pop()
        if (
            isinstance(obj, pikepdf.Dictionary)
            and obj.objgen != root
            and obj.get("/Type") == "/Page"
        ):
            continue
        if obj.is_indirect:
            key = obj.objgen
            if key in seen:
                continue
            seen.add(key)
            if key not in sizes:
                size = OBJECT_OVERHEAD
                if isinstance(obj, pikepdf.Stream):
                    size += stored_size(obj)
                sizes[key] = size
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            items = obj.stream_dict.items() if isinstance(obj, pikepdf.Stream) else obj.items()
            for name, value in items:
                if name not in _SKIP_KEYS and isinstance(
                    value, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream
                ):
                    stack.append(value)
        elif isinstance(obj, pikepdf.Array):
            stack.extend(
                v for v in obj if isinstance(v, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream)
            )
    return seen


@dataclass
class Weights:
    """What each page of a source brings along (`keys`, by page) and those objects'
    approximate sizes, found in one walk: the item's size (to choose a rung) and each
    page's estimate (to cut the parts) both come from it."""

    keys: list[set[tuple[int, int]]]
    sizes: dict[tuple[int, int], int]

    @property
    def total(self) -> int:
        """Bytes of the whole source: every object its pages bring, counted once."""
        return sum(self.sizes[key] for key in set().union(*self.keys))


def weigh(pdf: pikepdf.Pdf) -> Weights:
    sizes: dict[tuple[int, int], int] = {}
    return Weights([page_objects(page, sizes) for page in pdf.pages], sizes)
