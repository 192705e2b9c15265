"""Package benchmark: shenbao against its peers on one corpus, in one run.

    python bench/package_bench.py [--rounds 3] [--no-ocr] [--memory 60,240,960,1000]

Generates the corpus once (bench/corpus.py: 137 pages, about 160 MB, scans with known
text), then, each tool in its own process so its memory is its own:

* shenbao: `build_package` (form + every item, recompression, split, verify, manifest);
* the pikepdf + Pillow script (150 dpi, JPEG q75, two processes) and Ghostscript
  (`/ebook`, and 150 dpi at q≈55, two processes) with a size-aware split
  (bench/peers.py);
* the pixel-work floor: the pikepdf script's decode, resize and encode alone, on two
  processes, images already in memory.

shenbao and the pikepdf script run in pairs, their order alternating, `--rounds` times;
the ratio of each pair's wall times is reported with its median and spread (the machine
is shared: single timings mean little). Peak memory is the highest sum of the resident
memory of the tool's processes, sampled every 10 ms. Then legibility: OCR character
accuracy of body text, table figures and 7.5 pt footnotes on sampled pages of every
tool's output, against the input (bench/legibility.py). `--memory` packages one audit
scan attachment of each page count and reports peak memory and time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ITEMS = (
    "business_licence",
    "audit_report",
    "investment_plan",
    "user_evidence",
    "revenue_evidence",
    "contracts_invoices",
    "ip_evidence",
)
PEERS = ("pikepdf", "gs-ebook", "gs-150-q55")
#: Pages read by OCR, spread over both scans: thousands of characters of known text, so a
#: tool's accuracy is not decided by one misread glyph.
OCR_PAGES = (
    ("audit-report-scan.pdf", 1),
    ("audit-report-scan.pdf", 2),
    ("audit-report-scan.pdf", 3),
    ("audit-report-scan.pdf", 40),
    ("contract-scan.pdf", 1),
    ("contract-scan.pdf", 16),
)


def _corpus(folder: Path, scale: float) -> tuple[dict[str, list[Path]], list[dict[str, Any]]]:
    index = folder / "corpus.json"
    if index.is_file():
        data = json.loads(index.read_text())
        if data.get("scale") == scale and data.get("version") == 3:
            files = {k: [Path(p) for p in v] for k, v in data["files"].items()}
            return files, data["truths"]
    from bench.corpus import make_corpus

    print(f"generating corpus in {folder} …", flush=True)
    files, truths = make_corpus(folder, scale=scale)
    index.write_text(
        json.dumps(
            {
                "version": 3,
                "scale": scale,
                "files": {k: [str(p) for p in v] for k, v in files.items()},
                "truths": truths,
            }
        )
    )
    return files, truths


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        proc = Path("/proc") / str(current)
        try:
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            for task in (proc / "task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def _run_child(args: list[str]) -> dict[str, Any]:
    """Run one tool in its own process; its JSON result plus `peak_mb`, the highest sum
    of its processes' resident memory."""
    process = subprocess.Popen(
        [sys.executable, __file__, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"{args}: {err[-2000:]}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = max(peak / 1e6, result.get("self_peak_mb", 0))
    return result


def _usage() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _high_water() -> float:
    """This process's peak resident memory in MB (VmHWM: unlike ru_maxrss, not
    inherited from the parent across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024 / 1e6
    return 0.0


def _finish(started: float, cpu: float, result: dict[str, Any]) -> dict[str, Any]:
    wall = time.perf_counter() - started
    result.update(wall=wall, cpu=(_usage() - cpu) / wall, self_peak_mb=_high_water())
    return result


def child_shenbao(corpus: dict[str, list[Path]], out: Path, limit: int) -> dict[str, Any]:
    from forms.catalog.loader import load_catalog
    from forms.draft.io import load_draft
    from forms.draft.model import Attachment
    from forms.package.build import build_package
    from forms.package.model import PackageSettings

    catalog = load_catalog()
    draft = load_draft(ROOT / "examples" / "drafts" / "content-creation.json")
    draft.attachments = [
        Attachment(item=item, file=str(p)) for item in ITEMS for p in corpus.get(item, [])
    ]
    cpu, started = _usage(), time.perf_counter()
    result = build_package(
        draft, catalog, out, base_dir=ROOT, settings=PackageSettings(limit_bytes=limit)
    )
    items: dict[str, Any] = {}
    for part in result.parts:
        entry = items.setdefault(part.item, {"parts": [], "encodings": []})
        entry["parts"].append([str(part.path), part.pages])
    for record in result.pages:
        encodings = items.get(record.item, {}).get("encodings")
        if encodings is not None and record.encoding and record.encoding not in encodings:
            encodings.append(record.encoding)
    placed = {
        f"{r.source}#{r.source_page}": [str(out / "upload" / r.file), r.page]
        for r in result.pages
        if r.file is not None and r.page is not None
    }
    return _finish(
        started,
        cpu,
        {
            "items": items,
            "placed": placed,
            # Missing checklist items are reported too; they say nothing about assembly.
            "errors": [
                p.message("en")
                for p in result.problems
                if p.severity == "error" and p.text.code != "package.required_missing"
            ],
        },
    )


def _item_inputs(corpus: dict[str, list[Path]], folder: Path) -> list[Path]:
    """Each item as one PDF (images wrapped as pages), for the peers; made once,
    before any timing."""
    import pikepdf

    from forms.package.attachments import load_attachment

    inputs = []
    for item in ITEMS:
        target = folder / f"{item}.pdf"
        if not target.is_file():
            merged = pikepdf.new()
            for path in corpus[item]:
                pdf, _ = load_attachment(path)
                merged.pages.extend(pdf.pages)
            merged.save(target)
        inputs.append(target)
    return inputs


def child_peer(name: str, inputs: list[Path], out: Path, limit: int) -> dict[str, Any]:
    from bench import peers

    cpu, started = _usage(), time.perf_counter()
    if name == "pikepdf":
        parts = peers.pikepdf_peer(inputs, out, limit)
    else:
        parts = peers.gs_peer(inputs, out, limit, name)
    return _finish(started, cpu, {"items": {k: {"parts": v} for k, v in parts.items()}})


def child_floor(inputs: list[Path], limit: int) -> dict[str, Any]:
    from bench import peers

    jobs = peers.floor_jobs(inputs, limit)
    return {"wall": peers.pixel_floor(jobs), "images": len(jobs), "cpu": 0.0}


def child_memory(source: Path, out: Path, limit: int) -> dict[str, Any]:
    return child_shenbao({"audit_report": [source]}, out, limit)


# --- reporting ------------------------------------------------------------------------

_STANDARD_LUMA = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57,
    69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64,
    81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
]  # fmt: skip


def _jpeg_quality(data: bytes) -> int | None:
    """The IJG quality a JPEG was saved at, from its luminance table."""
    import io

    from PIL import Image

    try:
        table: list[int] = list(Image.open(io.BytesIO(data)).quantization[0])  # type: ignore[attr-defined]
    except (OSError, KeyError, AttributeError):
        return None
    scale = 100 * sum(table) / sum(_STANDARD_LUMA)
    return round((200 - scale) / 2 if scale <= 100 else 5000 / scale)


def _encoding_of(path: str) -> str:
    """What the first page of a peer's output holds: JPEG quality and dpi."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        for image in page.get_images(recursive=False).values():
            width_in = float(page.mediabox[2] - page.mediabox[0]) / 72
            dpi = int(image.Width) / width_in
            if image.get("/Filter") == "/DCTDecode":
                return f"jpeg {dpi:.0f}dpi q{_jpeg_quality(image.read_raw_bytes())}"
            return f"{image.get('/Filter')} {dpi:.0f}dpi"
    return "no image"


def _files(result: dict[str, Any]) -> tuple[int, int, dict[str, tuple[int, int]]]:
    per_item = {}
    for item, entry in result["items"].items():
        if item in ("application_form", "credit_commitment"):
            continue
        sizes = [Path(p).stat().st_size for p, _ in entry["parts"]]
        per_item[item] = (len(sizes), sum(sizes))
    return sum(n for n, _ in per_item.values()), sum(b for _, b in per_item.values()), per_item


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} [{min(values):.2f}–{max(values):.2f}]"


def _peer_page(
    result: dict[str, Any], corpus: dict[str, list[Path]], name: str, page: int
) -> tuple[str, int] | None:
    """Where source page (`name`, `page`) went in a peer's output."""
    for item, files in corpus.items():
        offset = 0
        for path in files:
            if path.name == name:
                index = offset + page
                for part, count in result["items"][item]["parts"]:
                    if index <= count:
                        return part, index
                    index -= count
                return None
            if path.suffix == ".pdf":
                import pikepdf

                with pikepdf.open(path) as pdf:
                    offset += len(pdf.pages)
            else:
                offset += 1
    return None


def _legibility(
    runs: dict[str, dict[str, Any]], corpus: dict[str, list[Path]], truths: list[dict[str, Any]]
) -> dict[str, dict[str, tuple[int, int]]]:
    """Characters read wrong and printed, per tool and text class, over `OCR_PAGES`; the
    pages are read in parallel, one tesseract per core."""
    from concurrent.futures import ThreadPoolExecutor

    from bench import legibility

    problem = legibility.ensure_tesseract()
    if problem:
        print(f"legibility: {problem}")
        return {}
    by_page = {(Path(t["file"]).name, t["page"]): t for t in truths}
    reads: list[tuple[str, Path, int, dict[str, Any]]] = []
    for name, page in OCR_PAGES:
        truth = by_page[(name, page)]
        targets: dict[str, tuple[str, int] | None] = {"input": (truth["file"], page)}
        placed = runs["shenbao"]["placed"].get(f"{name}#{page}")
        targets["shenbao"] = (placed[0], placed[1]) if placed else None
        for peer in PEERS:
            if peer in runs:
                targets[peer] = _peer_page(runs[peer], corpus, name, page)
        for tool, target in targets.items():
            if target is not None:
                reads.append((tool, Path(target[0]), target[1], truth))
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        counted = list(pool.map(lambda r: legibility.page_errors(r[1], r[2], r[3]), reads))
    totals: dict[str, dict[str, tuple[int, int]]] = {}
    for (tool, *_), counts in zip(reads, counted, strict=True):
        for kind, (wrong, length) in counts.items():
            before = totals.setdefault(tool, {}).get(kind, (0, 0))
            totals[tool][kind] = (before[0] + wrong, before[1] + length)
    return totals


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpus", type=Path, default=Path(tempfile.gettempdir()) / "shenbao-bench-corpus-2"
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--limit", type=int, default=5_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-ocr", action="store_true")
    parser.add_argument("--no-gs", action="store_true")
    parser.add_argument("--memory", default="", help="page counts, e.g. 60,240,960,1000")
    parser.add_argument("--memory-only", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    corpus, truths = _corpus(args.corpus, args.scale)
    inputs_dir = args.corpus / "item-inputs"
    if args.child == "shenbao":
        print(json.dumps(child_shenbao(corpus, args.out, args.limit)))
        return 0
    if args.child == "memory":
        print(json.dumps(child_memory(args.source, args.out, args.limit)))
        return 0
    if args.child in PEERS:
        inputs = [inputs_dir / f"{item}.pdf" for item in ITEMS]
        print(json.dumps(child_peer(args.child, inputs, args.out, args.limit)))
        return 0
    if args.child == "floor":
        inputs = [inputs_dir / f"{item}.pdf" for item in ITEMS]
        print(json.dumps(child_floor(inputs, args.limit)))
        return 0

    common = ["--corpus", str(args.corpus), "--scale", str(args.scale), "--limit", str(args.limit)]
    if not args.memory_only:
        _compare(args, corpus, truths, common)
    if args.memory:
        _memory(args, corpus, common)
    return 0


def _compare(
    args: argparse.Namespace,
    corpus: dict[str, list[Path]],
    truths: list[dict[str, Any]],
    common: list[str],
) -> None:
    total_in = sum(p.stat().st_size for files in corpus.values() for p in files)
    print(
        f"corpus: {sum(len(v) for v in corpus.values())} files, {total_in / 1e6:.1f} MB; "
        f"limit {args.limit:,} bytes; {os.cpu_count()} cores"
    )
    inputs_dir = args.corpus / "item-inputs"
    inputs_dir.mkdir(exist_ok=True)
    _item_inputs(corpus, inputs_dir)
    with tempfile.TemporaryDirectory(prefix="shenbao-bench-") as tmp:
        runs: dict[str, dict[str, Any]] = {}
        walls: dict[str, list[float]] = {"shenbao": [], "pikepdf": []}
        ratios = []
        for round_ in range(args.rounds):
            pair = {}
            order = ("shenbao", "pikepdf") if round_ % 2 == 0 else ("pikepdf", "shenbao")
            for tool in order:
                out = Path(tmp) / f"{tool}-{round_}"
                pair[tool] = _run_child([*common, "--child", tool, "--out", str(out)])
                walls[tool].append(pair[tool]["wall"])
                runs.setdefault(tool, pair[tool])
            ratios.append(pair["shenbao"]["wall"] / pair["pikepdf"]["wall"])
        floors = [_run_child([*common, "--child", "floor"])["wall"] for _ in range(args.rounds)]
        from bench import tools

        missing = None if args.no_gs else tools.ensure(("gs",))
        if missing:
            print(f"Ghostscript peers left out: {missing}")
        elif not args.no_gs:
            for peer in PEERS[1:]:
                runs[peer] = _run_child([*common, "--child", peer, "--out", str(Path(tmp) / peer)])
        print()
        print(
            f"{'tool':<12} {'wall s (median [min–max])':<28} {'cpu':>5} {'peak MB':>8} {'files':>6} {'MB out':>7}"
        )
        for tool, result in runs.items():
            files, size, _ = _files(result)
            wall = _spread(walls[tool]) if tool in walls else f"{result['wall']:.2f}"
            print(
                f"{tool:<12} {wall:<28} {100 * result['cpu']:4.0f}% {result['peak_mb']:8.0f} "
                f"{files:6d} {size / 1e6:7.2f}"
            )
        print(f"{'pixel floor':<12} {_spread(floors):<28}")
        print()
        print(f"shenbao / pikepdf script, paired: {_spread(ratios)} over {len(ratios)} pairs")
        floor = statistics.median(floors)
        print(
            f"shenbao / pixel floor: {statistics.median(walls['shenbao']) / floor:.2f} "
            f"(pikepdf script / floor: {statistics.median(walls['pikepdf']) / floor:.2f})"
        )
        errors = runs["shenbao"]["errors"]
        print(f"shenbao assembly errors: {len(errors)} {errors[:3]}")
        print()
        print("per item: files / MB, encoding of the scans")
        for item in ITEMS:
            cells = []
            for tool, result in runs.items():
                entry = result["items"].get(item)
                if entry is None:
                    continue
                count, size = _files(result)[2][item]
                if tool == "shenbao":
                    how = ", ".join(entry["encodings"]) or "as it came"
                elif Path(entry["parts"][0][0]).name == f"{item}.pdf":
                    how = "as it came"
                else:
                    how = _encoding_of(entry["parts"][0][0])
                cells.append(f"{tool} {count}/{size / 1e6:.2f} ({how})")
            print(f"  {item}: " + "; ".join(cells))
        if not args.no_ocr:
            print()
            print(
                "legibility: OCR character accuracy (tesseract chi_sim, pages rendered at 300 dpi)"
            )
            print(f"  pages: {', '.join(f'{name} p{page}' for name, page in OCR_PAGES)}")
            for tool, kinds in _legibility(runs, corpus, truths).items():
                row = "  ".join(
                    f"{kind} {100 * (1 - wrong / max(1, n)):5.1f}% ({wrong:>2}/{n} wrong)"
                    for kind, (wrong, n) in kinds.items()
                )
                print(f"  {tool:<12} {row}")
        audit = runs["shenbao"]["items"].get("audit_report", {"parts": []})
        sizes = [Path(p).stat().st_size for p, _ in audit["parts"]]
        print()
        print(
            f"mixed raster: the {sum(n for _, n in audit['parts'])}-page audit scan in "
            f"{len(sizes)} file(s), {sum(sizes):,} bytes (largest {max(sizes, default=0):,}, "
            f"limit {args.limit:,})"
        )


def _memory(args: argparse.Namespace, corpus: dict[str, list[Path]], common: list[str]) -> None:
    from bench.corpus import long_scan

    print()
    print("memory: one audit scan attachment of N pages (peak of the process, wall time)")
    with tempfile.TemporaryDirectory(prefix="shenbao-bench-memory-") as tmp:
        for count in [int(n) for n in args.memory.split(",") if n]:
            source = Path(tmp) / f"audit-{count}.pdf"
            long_scan(source, corpus["audit_report"][0], count)
            out = Path(tmp) / f"out-{count}"
            result = _run_child(
                [*common, "--child", "memory", "--source", str(source), "--out", str(out)]
            )
            files, size, _ = _files(result)
            print(
                f"  {count:5d} pages ({source.stat().st_size / 1e6:7.1f} MB): peak "
                f"{result['peak_mb']:5.0f} MB, {result['wall']:6.1f} s, cpu "
                f"{100 * result['cpu']:.0f}%, {files} files, {size / 1e6:.1f} MB"
            )
            source.unlink()


if __name__ == "__main__":
    sys.exit(main())
