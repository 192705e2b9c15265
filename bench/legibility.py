"""Legibility, measured: OCR character accuracy of known text on scanned pages.

The corpus prints known body text, table figures and 7.5 pt footnotes on its scans
(`bench/corpus.py`). A page of a tool's output is rendered at 300 dpi by poppler
(`pdftoppm`), each class's region is cropped and read by tesseract with `chi_sim`, and
the reading is compared with the text printed there: accuracy = 1 - edit distance /
length of the text (whitespace ignored; table figures compared as digits and
separators only). The input scan's accuracy is the ceiling.

tesseract and poppler are benchmark tools, not dependencies of shenbao: `ensure_tesseract`
installs them through apt when they are missing (`bench.tools`).
"""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path
from typing import Any

from PIL import Image

from bench import tools

CLASSES = ("body", "table", "footnote")
_WIDE = str.maketrans(",:;()!?", "，：；（）！？")


def ensure_tesseract() -> str | None:
    """None when tesseract with chi_sim and pdftoppm are ready, else why not (after
    trying apt)."""

    def chi_sim() -> bool:
        langs = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, check=False
        )
        return "chi_sim" in (langs.stdout + langs.stderr).split()

    return tools.ensure(("tesseract", "pdftoppm"), chi_sim)


def render(pdf: Path, page: int, dpi: int = 300, *, grey: bool = True) -> Image.Image:
    """Page `page` (1-based) of `pdf` as poppler draws it, in grey (what OCR reads) or
    in colour (for the eye)."""
    colour = ["-gray"] if grey else []
    done = subprocess.run(
        ["pdftoppm", "-r", str(dpi), *colour, "-png", "-f", str(page), "-l", str(page), str(pdf)],
        capture_output=True,
        check=True,
    )
    image = Image.open(io.BytesIO(done.stdout))
    image.load()
    return image


def read(image: Image.Image, box: list[float], column: bool = False) -> str:
    """tesseract's reading of the region `box` (fractions of the page); `column`: one
    column of figures between rules (page segmentation 4, which rules do not confuse)."""
    w, h = image.size
    crop = image.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
    buffer = io.BytesIO()
    crop.save(buffer, "PNG")
    psm = "4" if column else "6"
    done = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "chi_sim", "--psm", psm, "--dpi", "300"],
        input=buffer.getvalue(),
        capture_output=True,
        check=True,
        # One thread each: the bench reads pages in parallel, one tesseract per core.
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    return done.stdout.decode("utf-8", "replace")


def _normal(text: str, kind: str) -> str:
    if kind == "table":
        return "".join(c for c in text if c.isdigit() or c in ",.")
    return "".join(text.split()).translate(_WIDE)


def distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def errors(reading: str, truth: str, kind: str) -> tuple[int, int]:
    """Characters read wrong (edit distance, at most the text's length) and the length."""
    expected = _normal(truth, kind)
    got = _normal(reading, kind)
    return min(distance(got, expected), len(expected)), len(expected)


def accuracy(reading: str, truth: str, kind: str) -> float:
    wrong, length = errors(reading, truth, kind)
    return 1.0 - wrong / max(1, length)


def page_errors(pdf: Path, page: int, truth: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Characters read wrong and characters printed, per class, of one page that carries
    known text. Summed over pages, they give the accuracy of the whole sample: a mean of
    per-page percentages would weigh a short footnote like a full body."""
    image = render(pdf, page)
    counts = {}
    for kind in CLASSES:
        reading = "".join(read(image, box, kind == "table") for box in truth["regions"][kind])
        counts[kind] = errors(reading, truth["truth"][kind], kind)
    return counts
