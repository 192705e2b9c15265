"""Crops for the eye: the scans as the reviewer sees them at 200 % zoom.

OCR counts characters (`bench/legibility.py`); a seal's colour, a signature's stroke, a
table's rules and how a footnote looks need eyes. This packages the audit and contract
scans of the bench corpus with shenbao and with the pikepdf + Pillow script (150 dpi,
JPEG q75), renders the same regions of the input and both outputs as a PDF viewer does
at 200 % zoom (192 dpi, poppler), and writes one image per region, input on top, then
the script's output, then shenbao's, into `docs/crops/`.

    .venv/bin/python -m bench.crops
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import legibility, package_bench, tools  # noqa: E402

ZOOM_DPI = 192  # 200 % of a 96-dpi screen
SCAN_DPI = 300


@functools.cache
def _page(pdf: Path, page: int) -> Image.Image:
    return legibility.render(pdf, page, ZOOM_DPI, grey=False).convert("RGB")


def _render(pdf: Path, page: int, box: tuple[float, float, float, float]) -> Image.Image:
    """Region `box` (fractions of the page) of page `page` as poppler draws it."""
    image = _page(pdf, page)
    w, h = image.size
    return image.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))


def _stack(rows: list[tuple[str, Image.Image]]) -> Image.Image:
    label = 28
    width = max(image.width for _, image in rows)
    out = Image.new("RGB", (width, sum(image.height + label for _, image in rows)), "white")
    draw = ImageDraw.Draw(out)
    y = 0
    for name, image in rows:
        draw.text((6, y + 4), name, fill=(90, 90, 90), font_size=18)
        out.paste(image, (0, y + label))
        y += image.height + label
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = Path(tempfile.gettempdir()) / "shenbao-bench-corpus-2"
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "crops")
    args = parser.parse_args()
    missing = tools.ensure(("pdftoppm",))
    if missing:
        print(f"crops: {missing}")
        return 1
    corpus, truths = package_bench._corpus(args.corpus, 1.0)
    by_page = {(Path(t["file"]).name, t["page"]): t for t in truths}
    audit = by_page[("audit-report-scan.pdf", 2)]
    contract = by_page[("contract-scan.pdf", 1)]
    note, table = audit["regions"]["footnote"][0], audit["regions"]["table"]
    # Below the table (its boxes' bottom): the signature on the left, the seal on the
    # right, about 650 scan pixels high (bench/corpus.py draws them there).
    below = contract["regions"]["table"][0][3]
    with tempfile.TemporaryDirectory(prefix="shenbao-crops-") as tmp:
        scans = {
            "audit_report": corpus["audit_report"],
            "contracts_invoices": [p for p in corpus["contracts_invoices"] if "contract" in p.name],
        }
        shenbao = package_bench.child_shenbao(scans, Path(tmp) / "shenbao", 5_000_000)
        inputs = []
        for item, (path,) in scans.items():  # one PDF each: the peer takes it as it is
            inputs.append(Path(tmp) / f"{item}.pdf")
            inputs[-1].symlink_to(path)
        peer = package_bench.child_peer("pikepdf", inputs, Path(tmp) / "peer", 5_000_000)
        regions = {
            "footnote": ("audit-report-scan.pdf", 2, (note[0], note[1], note[0] + 0.45, note[3])),
            "table": (
                "audit-report-scan.pdf",
                2,
                (table[0][0] - 0.08, table[0][1], table[1][2] + 0.02, table[0][1] + 0.09),
            ),
            "seal-signature": (
                "contract-scan.pdf",
                1,
                (0.08, below + 0.03, 0.95, below + 0.03 + 650 / 3508),
            ),
        }
        args.out.mkdir(parents=True, exist_ok=True)
        for name, (source, page, box) in regions.items():
            placed = shenbao["placed"][f"{source}#{page}"]
            peer_at = package_bench._peer_page(peer, scans, source, page)
            assert peer_at is not None
            truth = by_page[(source, page)]
            rows = [
                ("input (300 dpi scan)", _render(Path(truth["file"]), page, box)),
                (
                    "pikepdf + Pillow script (150 dpi, JPEG q75)",
                    _render(Path(peer_at[0]), peer_at[1], box),
                ),
                ("shenbao", _render(Path(placed[0]), placed[1], box)),
            ]
            target = args.out / f"{name}.png"
            _stack(rows).save(target, optimize=True)
            print(f"{target.relative_to(ROOT)}: {source} p{page}")
        print(
            json.dumps({k: v["encodings"] for k, v in shenbao["items"].items() if v["encodings"]})
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
