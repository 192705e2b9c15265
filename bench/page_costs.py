"""Where one scanned page's time goes: each step of mixed raster content and of a JPEG
rung, against the pikepdf script's whole page, on pages of the bench corpus.

    python -m bench.page_costs [--runs 15]

The package's time is mostly this work times the page count, so the floor of the mask
route (decoding at the mask's resolution, thresholding, G4) set against the script's
page (a DCT-scaled decode and one encode) says how near the package can come to the
script. Medians of `--runs` runs on one thread, one page at a time (the machine is shared;
the ratios are what to read).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pikepdf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import peers  # noqa: E402
from forms.package import mrc  # noqa: E402
from forms.package import recompress as rc  # noqa: E402
from forms.package.images import find_images, make_job  # noqa: E402

PAGES = (("audit-report-scan.pdf", 2, "grey"), ("contract-scan.pdf", 2, "colour"))


def _median_ms(function: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _jobs(path: Path, index: int) -> tuple[rc.ImageJob, peers.Job]:
    """The page's scan as the package's worker gets it (at the first mask rung) and as
    the pikepdf script re-encodes it (150 dpi, q75)."""
    with pikepdf.open(path) as pdf:
        use = next(u for u in find_images(pdf).values() if index in u.pages)
        level = next(level for level in rc.LADDER if level.mrc)
        job = make_job(use, 0, level, 150.0)
    scale = peers.PEER_DPI / job.dpi
    target = (round(job.width * scale), round(job.height * scale))
    return job, peers.Job(
        job.data, True, job.mode, (job.width, job.height), target, peers.PEER_QUALITY
    )


def costs(job: rc.ImageJob, script: peers.Job, runs: int) -> list[tuple[str, float]]:
    size = (job.width, job.height)
    half = (-(-job.width // 2), -(-job.height // 2))
    gray = rc._open_jpeg(job, "L", size)
    base = gray.reduce(2) if job.mode == "L" else rc._open_jpeg(job, "RGB", half)
    base_gray = base if base.mode == "L" else base.convert("L")
    histogram = base_gray.histogram()
    mask = mrc.Mask.of(gray, histogram)
    level, base_dpi = mask.level, job.dpi / 2
    ink = gray.point(mrc._lut(level), "1")
    page = mrc.TextPage(mask, base, base_dpi, base_gray, histogram)
    steps: list[tuple[str, Callable[[], Any]]] = [
        (f"decode grey at {job.dpi:.0f} dpi", lambda: rc._open_jpeg(job, "L", size)),
    ]
    if job.mode == "L":
        steps.append(("grey base at 150 dpi (reduce)", lambda: gray.reduce(2)))
    else:
        steps.append(("decode colour at 150 dpi (DCT)", lambda: rc._open_jpeg(job, "RGB", half)))
        steps.append(("colour base to grey", lambda: base.convert("L")))
    steps += [
        ("threshold to 1 bit", lambda: gray.point(mrc._lut(level), "1")),
        ("G4 (Pillow's bit packing and libtiff)", lambda: mrc.g4(ink)),
        ("  of which the bit packing", ink.tobytes),
        ("ink colour (foreground)", lambda: mrc._ink_colour(base, base_gray, histogram, level)),
        (
            "layers from the mask (ink colour, paper, JPEGs)",
            lambda: mrc.TextPage(mask, base, base_dpi, base_gray, histogram).layers(75, 60),
        ),
        ("background of one more rung", lambda: page.layers(50, 40)),
        ("whole page as mixed raster content", lambda: rc._text_page(job)),
        (
            "JPEG rung 200 dpi q80 (decode, resample, encode)",
            lambda: rc.recompress(replace(job, level=rc.LADDER[0])),
        ),
        ("pikepdf script's page (150 dpi q75)", lambda: peers.encode(script)),
    ]
    return [(name, _median_ms(function, runs)) for name, function in steps]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--corpus", type=Path, default=Path(tempfile.gettempdir()) / "shenbao-bench-corpus-2"
    )
    args = parser.parse_args()
    from bench.package_bench import _corpus

    _corpus(args.corpus, 1.0)
    for name, index, kind in PAGES:
        job, script_job = _jobs(args.corpus / name, index)
        print(
            f"{kind} page: {name} p{index + 1}, {job.width} x {job.height} at {job.dpi:.0f} dpi, {len(job.data):,} bytes"
        )
        rows = costs(job, script_job, args.runs)
        script = rows[-1][1]
        for step, ms in rows:
            print(f"  {step:50s} {ms:6.1f} ms  {ms / script:4.2f} x script")
        floor = sum(ms for step, ms in rows if step.startswith(("decode", "threshold", "G4")))
        print(
            f"  {'floor of the mask route (decodes, threshold, G4)':50s} {floor:6.1f} ms  {floor / script:4.2f} x script"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
