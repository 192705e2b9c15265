"""The package benchmark's peers: what someone without shenbao would run.

* `pikepdf_peer`: the usual pikepdf + Pillow script. Every scan above 150 dpi of an
  item over the limit is decoded through libjpeg's DCT scaling (`Image.draft`, as
  `Image.thumbnail` does), resized with Lanczos to 150 dpi and saved at JPEG quality 75,
  two worker processes at a time (`ProcessPoolExecutor.map`); then the item is split
  into parts of at most the limit (written and measured).
* `gs_peer`: Ghostscript's pdfwrite over every item over the limit, two processes at
  a time (one per core), with `/ebook` or with 150 dpi and a JPEG quality of about 55;
  then the same split.
* `pixel_floor`: only the pixel work of the pikepdf peer (DCT-scaled decode, resize,
  encode on two processes) on images already in memory: no tool can do this job's
  image work in less.

Self-contained (pikepdf, Pillow, Ghostscript), so the peers share no code with the
tool they are compared with. Items that fit in one file are copied as they are, as
shenbao does.
"""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image

PEER_DPI = 150
PEER_QUALITY = 75


@dataclass(frozen=True)
class Job:
    data: bytes
    jpeg: bool
    mode: str
    size: tuple[int, int]
    target: tuple[int, int]
    quality: int


def encode(job: Job) -> bytes:
    """Decode (DCT-scaled where JPEG), resize with Lanczos, encode: the pixel work."""
    image: Image.Image
    if job.jpeg:
        image = Image.open(io.BytesIO(job.data))
        image.draft(image.mode if image.mode in ("L", "RGB") else "RGB", job.target)
    else:
        image = Image.frombytes(job.mode, job.size, job.data)
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    if image.size != job.target:
        image = image.resize(job.target, Image.Resampling.LANCZOS, reducing_gap=2.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=job.quality)
    return buffer.getvalue()


def _scans(pdf: pikepdf.Pdf) -> Iterator[tuple[pikepdf.Stream, Job]]:
    """Every page image above the peer's dpi, as a job (the page's width gives the dpi)."""
    for page in pdf.pages:
        width_in = float(page.mediabox[2] - page.mediabox[0]) / 72
        for image in page.get_images(recursive=False).values():
            if not isinstance(image, pikepdf.Stream) or image.get("/ImageMask", False):
                continue
            w, h = int(image.Width), int(image.Height)
            dpi = w / width_in
            if dpi <= PEER_DPI * 1.05 or image.get("/BitsPerComponent") != 8:
                continue
            target = (max(1, round(w * PEER_DPI / dpi)), max(1, round(h * PEER_DPI / dpi)))
            space = image.get("/ColorSpace")
            jpeg = image.get("/Filter") == "/DCTDecode"
            if space == "/DeviceGray":
                mode = "L"
            elif space == "/DeviceRGB":
                mode = "RGB"
            else:
                continue
            data = image.read_raw_bytes() if jpeg else image.read_bytes()
            yield image, Job(data, jpeg, mode, (w, h), target, PEER_QUALITY)


def split(path: Path, out: Path, limit: int) -> list[tuple[Path, int]]:
    """`path` in parts of at most `limit` bytes at page boundaries: pages by the bytes of
    their streams, each part written and measured, halved while over the limit."""
    parts: list[tuple[Path, int]] = []
    with pikepdf.open(path) as pdf:
        sizes = []
        for page in pdf.pages:
            size = 300
            for image in page.get_images(recursive=False).values():
                size += int(image.get("/Length", 0))
            sizes.append(size)
        start = 0
        while start < len(sizes):
            end, total = start, 2_500
            while end < len(sizes) and (end == start or total + sizes[end] <= limit * 0.97):
                total += sizes[end]
                end += 1
            queue = [range(start, end)]
            while queue:
                pages = queue.pop(0)
                target = out / f"{path.stem}-{pages.start + 1:04d}.pdf"
                part = pikepdf.new()
                part.pages.extend(pdf.pages[i] for i in pages)
                part.remove_unreferenced_resources()
                part.save(target, compress_streams=True)
                if target.stat().st_size > limit and len(pages) > 1:
                    target.unlink()
                    half = len(pages) // 2
                    queue[0:0] = [
                        range(pages.start, pages.start + half),
                        range(pages.start + half, pages.stop),
                    ]
                    continue
                parts.append((target, len(pages)))
            start = end
    return parts


def _place(inputs: list[Path], out: Path, limit: int) -> tuple[list[Path], list[Path]]:
    """Items over the limit (to work on) and the others (copied as they are)."""
    big = [p for p in inputs if p.stat().st_size > limit]
    for path in inputs:
        if path not in big:
            shutil.copyfile(path, out / path.name)
    return big, [out / p.name for p in inputs if p not in big]


def _as_they_came(kept: list[Path]) -> dict[str, list[tuple[str, int]]]:
    """The items copied as they are, each one part of all its pages."""
    parts = {}
    for path in kept:
        with pikepdf.open(path) as pdf:
            parts[path.stem] = [(str(path), len(pdf.pages))]
    return parts


def pikepdf_peer(inputs: list[Path], out: Path, limit: int) -> dict[str, list[tuple[str, int]]]:
    out.mkdir(parents=True, exist_ok=True)
    big, kept = _place(inputs, out, limit)
    parts: dict[str, list[tuple[str, int]]] = {}
    with ProcessPoolExecutor(2) as pool:
        for path in big:
            with pikepdf.open(path) as pdf:
                found = list(_scans(pdf))
                for (image, job), data in zip(
                    found, pool.map(encode, [j for _, j in found]), strict=True
                ):
                    image.write(data, filter=pikepdf.Name.DCTDecode)
                    image.Width, image.Height = job.target
                    image.ColorSpace = pikepdf.Name(
                        "/DeviceGray" if job.mode == "L" else "/DeviceRGB"
                    )
                    image.BitsPerComponent = 8
                    for key in ("/DecodeParms", "/Decode"):
                        if key in image:
                            del image[key]
                squeezed = out / f"squeezed-{path.name}"
                pdf.save(squeezed, compress_streams=True)
            parts[path.stem] = [(str(p), n) for p, n in split(squeezed, out, limit)]
            squeezed.unlink()
    return parts | _as_they_came(kept)


#: Ghostscript's settings: /ebook as it comes, and 150 dpi at a JPEG quality near 55
#: (QFactor 0.9; IJG quality 50 is QFactor 1.0).
GS_SETTINGS = {
    "gs-ebook": ["-dPDFSETTINGS=/ebook"],
    "gs-150-q55": [
        "-dPDFSETTINGS=/ebook",
        "-dColorImageResolution=150",
        "-dGrayImageResolution=150",
        "-dAutoFilterColorImages=false",
        "-dAutoFilterGrayImages=false",
        "-dColorImageFilter=/DCTEncode",
        "-dGrayImageFilter=/DCTEncode",
        "-c",
        "<< /ColorImageDict << /QFactor 0.9 /Blend 1 /HSamples [2 1 1 2] /VSamples [2 1 1 2] >>"
        " /GrayImageDict << /QFactor 0.9 /Blend 1 /HSamples [1 1 1 1] /VSamples [1 1 1 1] >>"
        " >> setdistillerparams",
        "-f",
    ],
}


def gs_peer(
    inputs: list[Path], out: Path, limit: int, setting: str
) -> dict[str, list[tuple[str, int]]]:
    out.mkdir(parents=True, exist_ok=True)
    big, kept = _place(inputs, out, limit)

    def squeeze(path: Path) -> Path:
        target = out / f"squeezed-{path.name}"
        subprocess.run(
            [
                "gs",
                "-q",
                "-dNOPAUSE",
                "-dBATCH",
                "-dSAFER",
                "-sDEVICE=pdfwrite",
                f"-sOutputFile={target}",
                *GS_SETTINGS[setting],
                str(path),
            ],
            check=True,
        )
        return target

    parts: dict[str, list[tuple[str, int]]] = {}
    with ThreadPoolExecutor(2) as pool:
        squeezed = list(pool.map(squeeze, big))
    for path, done in zip(big, squeezed, strict=True):
        parts[path.stem] = [(str(p), n) for p, n in split(done, out, limit)]
        done.unlink()
    return parts | _as_they_came(kept)


def floor_jobs(inputs: list[Path], limit: int) -> list[Job]:
    """The images the pikepdf peer re-encodes, read into memory (not timed)."""
    jobs = []
    for path in inputs:
        if path.stat().st_size <= limit:
            continue
        with pikepdf.open(path) as pdf:
            jobs += [job for _, job in _scans(pdf)]
    return jobs


def pixel_floor(jobs: list[Job]) -> float:
    """Seconds for the pixel work alone on two processes (the pool started first)."""
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(math.sqrt, [1.0, 4.0]))  # both workers up before the clock starts
        started = time.perf_counter()
        for _ in pool.map(encode, jobs, chunksize=1):
            pass
        return time.perf_counter() - started
