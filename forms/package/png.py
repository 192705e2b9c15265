"""PNG files read the way a PDF can hold them, and big ones decoded in bands.

A PDF image can carry a PNG's compressed data as it is (`FlateDecode` with the PNG
predictors), so a screenshot goes into the package byte for byte instead of being
decoded and deflated again, which made it bigger. That works for PNGs without an alpha
channel, transparency or interlacing (`passes_through`); the others are decoded.

Decoding a PNG whole costs width × height × channels bytes: 500 MB for a 13,000-pixel
square scan that is a few MB on disk. `bands` decodes it a band of rows at a time
instead: the compressed rows are inflated as they are read, and each band, with the
row before it (unfiltered), is handed to Pillow as a small PNG of its own, so Pillow
undoes the row filters in C and memory holds one band.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


@dataclass(frozen=True)
class PngInfo:
    width: int
    height: int
    bit_depth: int
    colour_type: int  # 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGB + alpha
    interlaced: bool
    palette: bytes | None
    transparency: bool
    dpi: tuple[float, float] | None
    idat: tuple[tuple[int, int], ...]  # (offset, length) of each IDAT chunk's data
    trns: bytes | None = None  # the tRNS chunk's data, handed on to each band

    @property
    def pixels(self) -> int:
        return self.width * self.height

    @property
    def channels(self) -> int:
        return _CHANNELS[self.colour_type]

    @property
    def row_bytes(self) -> int:
        """Bytes of one filtered row, its filter byte included."""
        return 1 + -(-self.width * self.channels * self.bit_depth // 8)

    @property
    def passes_through(self) -> bool:
        return self.colour_type in (0, 2, 3) and not self.interlaced and not self.transparency

    @property
    def bands_decodable(self) -> bool:
        """Rows Pillow gives back as the file stores them (8-bit, or 1-bit grey)."""
        return not self.interlaced and (
            self.bit_depth == 8 or (self.bit_depth == 1 and self.colour_type == 0)
        )


def read_info(path: Path) -> PngInfo:
    """The header and where the image data is, reading no pixel; ValueError when the
    file is no well-formed PNG."""
    with path.open("rb") as handle:
        return read_header(handle)


def read_header(handle: BinaryIO) -> PngInfo:
    """`read_info` of an open file (or a BytesIO)."""
    if handle.read(8) != SIGNATURE:
        raise ValueError("not a PNG file")
    header: tuple[int, ...] | None = None
    palette = None
    trns = None
    dpi = None
    idat: list[tuple[int, int]] = []
    while True:
        head = handle.read(8)
        if len(head) < 8:
            break
        length, kind = struct.unpack(">I4s", head)
        offset = handle.tell()
        if kind in (b"IHDR", b"PLTE", b"pHYs", b"tRNS"):
            data = handle.read(length)
            if len(data) < length:
                raise ValueError("truncated PNG chunk")
            if kind == b"IHDR":
                header = struct.unpack(">IIBBBBB", data[:13])
            elif kind == b"PLTE":
                palette = data
            elif kind == b"tRNS":
                trns = data
            elif data[8] == 1:  # pHYs in pixels per metre
                x, y = struct.unpack(">II", data[:8])
                dpi = (x * 0.0254, y * 0.0254)
            handle.seek(4, 1)
        else:
            if kind == b"IDAT":
                idat.append((offset, length))
            elif kind == b"IEND":
                break
            handle.seek(length + 4, 1)
    if header is None or not idat:
        raise ValueError("PNG without a header or image data")
    width, height, depth, colour, _, _, interlace = header
    if colour not in _CHANNELS or width == 0 or height == 0:
        raise ValueError(f"unsupported PNG colour type {colour}")
    return PngInfo(
        width,
        height,
        depth,
        colour,
        interlace == 1,
        palette,
        trns is not None,
        dpi,
        tuple(idat),
        trns,
    )


def compressed(handle: BinaryIO, info: PngInfo) -> bytes:
    """The image data as stored (the zlib stream of filtered rows)."""
    parts = []
    for offset, length in info.idat:
        handle.seek(offset)
        parts.append(handle.read(length))
    return b"".join(parts)


def encoded(image: Image.Image) -> tuple[bytes, PngInfo]:
    """`image` ("1", "L" or "RGB") through Pillow's PNG encoder, whose row filters
    deflate far better than raw samples: the data a PDF stream holds with the PNG
    predictors, and its header."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=6)
    buffer.seek(0)
    info = read_header(buffer)
    return compressed(buffer, info), info


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _band_png(info: PngInfo, rows: int, data: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", info.width, rows, info.bit_depth, info.colour_type, 0, 0, 0)
    chunks = [_chunk(b"IHDR", header)]
    if info.palette is not None:
        chunks.append(_chunk(b"PLTE", info.palette))
    if info.trns is not None:  # else transparent pixels would come back as their colour
        chunks.append(_chunk(b"tRNS", info.trns))
    chunks.append(_chunk(b"IDAT", zlib.compress(data, 0)))
    chunks.append(_chunk(b"IEND", b""))
    return SIGNATURE + b"".join(chunks)


def _inflated(path: Path, info: PngInfo, most: int) -> Iterator[bytes]:
    """The filtered rows, inflated at most `most` bytes at a time: a megabyte of a
    blank scan's data inflates to hundreds, which must never be held at once."""
    inflate = zlib.decompressobj()
    with path.open("rb") as handle:
        for offset, length in info.idat:
            handle.seek(offset)
            remaining = length
            while remaining:
                data = handle.read(min(remaining, 1 << 16))
                if not data:
                    raise ValueError("PNG image data ends early")
                remaining -= len(data)
                while True:
                    out = inflate.decompress(data, most)
                    data = inflate.unconsumed_tail
                    if out:
                        yield out
                    if not data and len(out) < most:
                        break
                if inflate.eof:
                    return


def bands(path: Path, info: PngInfo, rows: int = 256) -> Iterator[Image.Image]:
    """The image `rows` rows at a time, top to bottom, each in Pillow's mode for the
    PNG (memory: one band). Needs `info.bands_decodable`."""
    if not info.bands_decodable:
        raise ValueError("this PNG cannot be decoded in bands")
    stride = info.row_bytes
    pending = bytearray()
    previous: bytes | None = None  # the last row of the band before, unfiltered
    done = 0
    for out in _inflated(path, info, stride * rows):
        pending += out
        while done < info.height and (
            len(pending) >= stride * rows or len(pending) >= stride * (info.height - done)
        ):
            count = min(rows, info.height - done)
            band = bytes(pending[: stride * count])
            del pending[: stride * count]
            lead = b"\x00" + previous if previous is not None else b""
            picture: Image.Image = Image.open(
                io.BytesIO(_band_png(info, count + (previous is not None), lead + band))
            )
            picture.load()
            if previous is not None:
                picture = picture.crop((0, 1, info.width, count + 1))
            previous = picture.crop((0, count - 1, info.width, count)).tobytes()
            done += count
            yield picture
        if done >= info.height:
            return
    raise ValueError("PNG image data ends early")
