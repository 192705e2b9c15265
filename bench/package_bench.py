"""Package benchmark: shenbao against Ghostscript (/ebook) + a size-aware split.

    python bench/package_bench.py [--corpus DIR] [--scale 1.0] [--limit 5000000]

Generates the corpus once (bench/corpus.py, over 150 MB), then assembles it twice, each
in its own process so peak memory is that tool's alone:

* shenbao: `build_package` (form + every item, recompression, split, verify, manifest);
* Ghostscript: every item's PDF through `gs -dPDFSETTINGS=/ebook` (two at a time, one
  per core, as shenbao uses both), then the same page-boundary splitter.

Prints wall time and the ratio, peak memory, parts against the lower bound
ceil(total bytes / limit), the largest part and the lowest effective dpi of any scanned
page. Ghostscript is optional: without it only shenbao's figures are printed.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ITEMS = (
    "business_licence",
    "audit_report",
    "investment_plan",
    "user_evidence",
    "contracts_invoices",
)


def _corpus(folder: Path, scale: float) -> dict[str, list[Path]]:
    index = folder / "corpus.json"
    if index.is_file():
        data = json.loads(index.read_text())
        if data.get("scale") == scale:
            return {k: [Path(p) for p in v] for k, v in data["files"].items()}
    from bench.corpus import make_corpus

    print(f"generating corpus in {folder} …", flush=True)
    files = make_corpus(folder, scale=scale)
    index.write_text(
        json.dumps({"scale": scale, "files": {k: [str(p) for p in v] for k, v in files.items()}})
    )
    return files


def _run_child(args: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def child_shenbao(corpus: dict[str, list[Path]], out: Path, limit: int) -> dict[str, float]:
    from forms.catalog.loader import load_catalog
    from forms.draft.io import load_draft
    from forms.draft.model import Attachment
    from forms.package.build import build_package
    from forms.package.model import PackageSettings

    catalog = load_catalog()
    draft = load_draft(ROOT / "examples" / "drafts" / "content-creation.json")
    draft.attachments = [Attachment(item=item, file=str(p)) for item in ITEMS for p in corpus[item]]
    started = time.perf_counter()
    result = build_package(
        draft, catalog, out, base_dir=ROOT, settings=PackageSettings(limit_bytes=limit)
    )
    wall = time.perf_counter() - started
    sizes = [
        p.size for p in result.parts if p.item not in ("application_form", "credit_commitment")
    ]
    return {
        "wall": wall,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "parts": len(sizes),
        "total": sum(sizes),
        "largest": max(sizes),
        "lower_bound": math.ceil(sum(sizes) / limit),
        "min_dpi": result.lowest_scan_dpi or 0,
        # Missing checklist items are reported too; they say nothing about the assembly.
        "errors": sum(1 for p in result.problems if p.severity == "error")
        - len(result.missing_items),
        "pages": sum(p.pages for p in result.parts),
    }


def _gs_inputs(corpus: dict[str, list[Path]], folder: Path) -> list[Path]:
    """Each item as one PDF (images wrapped as pages), prepared before timing starts."""
    import pikepdf

    from forms.package.attachments import load_attachment

    inputs = []
    for item in ITEMS:
        merged = pikepdf.new()
        for path in corpus[item]:
            pdf, _ = load_attachment(path)
            merged.pages.extend(pdf.pages)
        target = folder / f"{item}.pdf"
        merged.save(target)
        inputs.append(target)
    return inputs


def child_gs(inputs: list[Path], out: Path, limit: int) -> dict[str, float]:
    import pikepdf

    from forms.package.images import find_images
    from forms.package.outline import Mark
    from forms.package.split import estimate_ranges, write_part

    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    def squeeze(path: Path) -> Path:
        target = out / f"gs-{path.name}"
        subprocess.run(
            [
                "gs",
                "-q",
                "-dNOPAUSE",
                "-dBATCH",
                "-dSAFER",
                "-sDEVICE=pdfwrite",
                "-dPDFSETTINGS=/ebook",
                f"-sOutputFile={target}",
                str(path),
            ],
            check=True,
        )
        return target

    with ThreadPoolExecutor(2) as pool:
        squeezed = list(pool.map(squeeze, inputs))
    sizes: list[int] = []
    lowest = math.inf
    for path in squeezed:
        with pikepdf.open(path) as pdf:
            marks = [Mark(0, path.stem, 1)]
            for n, pages in enumerate(estimate_ranges(pdf, limit)):
                queue = [pages]
                while queue:
                    part = queue.pop(0)
                    target = out / f"{path.stem}-{n}-{part.start}.pdf"
                    size = write_part(pdf, part, path.stem, marks, target)
                    if size > limit and len(part) > 1:
                        target.unlink()
                        half = len(part) // 2
                        queue[0:0] = [
                            range(part.start, part.start + half),
                            range(part.start + half, part.stop),
                        ]
                        continue
                    sizes.append(size)
    wall = time.perf_counter() - started
    for path in squeezed:
        with pikepdf.open(path) as pdf:
            for use in find_images(pdf).values():
                if use.covers_page:
                    lowest = min(lowest, use.dpi)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "wall": wall,
        "peak_mb": max(children, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "parts": len(sizes),
        "total": sum(sizes),
        "largest": max(sizes),
        "lower_bound": math.ceil(sum(sizes) / limit),
        "min_dpi": 0 if lowest is math.inf else lowest,
        "errors": sum(1 for s in sizes if s > limit),
        "pages": 0,
    }


def _row(name: str, r: dict[str, float], limit: int) -> str:
    return (
        f"{name:<12} {r['wall']:7.2f} s  peak {r['peak_mb']:6.0f} MB  parts {int(r['parts']):3d} "
        f"(lower bound {int(r['lower_bound'])})  largest {int(r['largest']):>9,} B "
        f"({100 * r['largest'] / limit:.1f}% of limit)  lowest scan dpi {r['min_dpi']:.0f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpus", type=Path, default=Path(tempfile.gettempdir()) / "shenbao-bench-corpus"
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--limit", type=int, default=5_000_000)
    parser.add_argument("--child", choices=("shenbao", "gs"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    corpus = _corpus(args.corpus, args.scale)
    if args.child == "shenbao":
        print(json.dumps(child_shenbao(corpus, args.out, args.limit)))
        return 0
    if args.child == "gs":
        inputs = sorted((args.corpus / "gs-inputs").glob("*.pdf"))
        print(json.dumps(child_gs(inputs, args.out, args.limit)))
        return 0
    total_in = sum(p.stat().st_size for files in corpus.values() for p in files)
    print(f"corpus: {sum(len(v) for v in corpus.values())} files, {total_in / 1e6:.1f} MB")
    common = ["--corpus", str(args.corpus), "--scale", str(args.scale), "--limit", str(args.limit)]
    with tempfile.TemporaryDirectory(prefix="shenbao-bench-") as tmp:
        ours = _run_child([*common, "--child", "shenbao", "--out", str(Path(tmp) / "shenbao")])
        print(_row("shenbao", ours, args.limit))
        print(
            f"{'':<12} {int(ours['pages'])} pages, {ours['total'] / 1e6:.1f} MB out, {int(ours['errors'])} assembly errors (parts: attachments only; the form adds 2 files)"
        )
        if shutil.which("gs") is None:
            print("Ghostscript not installed: no comparison (apt install ghostscript)")
            return 0
        gs_dir = args.corpus / "gs-inputs"
        if not gs_dir.is_dir():
            gs_dir.mkdir()
            _gs_inputs(corpus, gs_dir)
        theirs = _run_child([*common, "--child", "gs", "--out", str(Path(tmp) / "gs")])
        print(_row("ghostscript", theirs, args.limit))
        print(f"{'':<12} {theirs['total'] / 1e6:.1f} MB out")
        print(
            f"shenbao / ghostscript: time {ours['wall'] / theirs['wall']:.2f}x "
            f"({theirs['wall'] / ours['wall']:.1f} times as fast), parts {int(ours['parts'])} vs {int(theirs['parts'])}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
