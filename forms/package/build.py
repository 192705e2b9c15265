"""The upload package: the form and every attachment as PDF files the portal accepts.

The portal takes PDF files of at most 5,000,000 bytes each (seed 003, 四、(二)). For each
checklist item, in checklist order after the form, the sources are merged, oversized
scans are recompressed (see `forms.package.recompress` for the legibility floor), and the pages
are split into parts at page boundaries. Sizes are never added up: pages share fonts
and images, so every part is written and its real size checked, and a part that comes
out too big is written again with fewer pages.

Nothing is dropped silently. A file that cannot be read, a page that cannot fit at the
dpi floor, a signed file too big to pass through: each becomes a `Problem` naming the
file (and page) with what to do, and the manifest records where every source page went.
The package is built in a staging folder and moved into place at the end, so a crash or
a cancel never leaves a half-written package behind.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import os
import shutil
import tempfile
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf

from forms.catalog.model import Catalog, ChecklistItem
from forms.documents.content import FormDocument, build_form, commitment_letter
from forms.draft.model import Draft
from forms.package.attachments import AttachmentError, is_signed, load_attachment
from forms.package.images import (
    MIN_IMAGE_BYTES,
    ImageUse,
    apply_result,
    find_images,
    make_job,
    page_objects,
)
from forms.package.recompress import (
    EMERGENCY_QUALITIES,
    LADDER,
    ImageJob,
    ImageResult,
    Level,
    measure,
    recompress,
)
from forms.system.naming import part_name, safe_stem

DEFAULT_LIMIT = 5_000_000
UPLOAD_DIR = "upload"
OVERSIZED_DIR = "oversized"
#: Estimates of part sizes are only used to choose page ranges; this margin keeps the
#: first write of a part usually under the limit, so few parts are written twice.
FILL = 0.97
PART_OVERHEAD = 2_500  # catalog, page tree, outline, trailer of an empty part
IN_FLIGHT_BYTES = 160_000_000  # image data handed to workers at once (memory bound)


class PackageCancelled(Exception):  # noqa: N818 - a user's choice, not an error
    """The user cancelled; nothing was left in the output folder."""


@dataclass(frozen=True)
class PackageSettings:
    limit_bytes: int = DEFAULT_LIMIT
    min_dpi: float = 150
    stamp: bool = False  # company name and "page x of y" on attachment pages
    workers: int | None = None  # processes for image work; None: one per core


@dataclass(frozen=True)
class PackageProgress:
    done: int
    total: int
    stage: str  # render, load, compress, split, verify, done
    message: str


@dataclass(frozen=True)
class Problem:
    file: str
    page: int | None  # 1-based page of `file`, when the problem is one page
    zh: str
    en: str
    severity: str = "error"  # error: the package is not complete; warning: it is

    def message(self, lang: str = "zh") -> str:
        where = f"{self.file}" + (
            f" 第{self.page}页"
            if self.page and lang != "en"
            else f" page {self.page}"
            if self.page
            else ""
        )
        return f"{where}: {self.en if lang == 'en' else self.zh}"


@dataclass(frozen=True)
class PackagePart:
    path: Path
    size: int
    pages: int
    item: str
    title: str
    part: int
    parts: int
    sha256: str


@dataclass(frozen=True)
class PageRecord:
    """Where one source page went (file None: it is in `oversized/`, see problems)."""

    source: str
    source_page: int
    item: str
    file: str | None
    page: int | None
    dpi: float | None  # lowest effective dpi of a scan on the page; None: no scan


@dataclass
class PackageResult:
    out_dir: Path
    parts: list[PackagePart]
    problems: list[Problem]
    pages: list[PageRecord]
    missing_items: list[str]
    manifest_json: Path
    checklist_pdf: Path
    limit_bytes: int

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    @property
    def lowest_scan_dpi(self) -> float | None:
        values = [r.dpi for r in self.pages if r.dpi is not None]
        return min(values) if values else None


@dataclass
class _Source:
    label: str  # the file name shown to the user
    pdf: pikepdf.Pdf
    generated: bool  # made by shenbao: its own sections are the item's bookmarks


class _Progress:
    def __init__(
        self,
        callback: Callable[[PackageProgress], None] | None,
        cancelled: Callable[[], bool] | None,
        total: int,
    ) -> None:
        self.callback = callback
        self.cancelled = cancelled
        self.total = max(total, 1)
        self.done = 0

    def step(self, stage: str, message: str, amount: int = 0) -> None:
        if self.cancelled is not None and self.cancelled():
            raise PackageCancelled
        self.done = min(self.total, self.done + amount)
        if self.callback is not None:
            self.callback(PackageProgress(self.done, self.total, stage, message))


def _resolve(base_dir: Path, name: str) -> Path:
    path = Path(name)
    return path if path.is_absolute() else (base_dir / path)


def _items_in_order(draft: Draft, catalog: Catalog) -> tuple[list[ChecklistItem], list[str]]:
    """Checklist items in the order the portal lists them: the form, the commitment
    letter, then the direction's checklist, then anything else the draft attaches.
    Also the required items with no file (reported in the manifest)."""
    order: list[str] = ["application_form", "credit_commitment"]
    required: list[str] = []
    if draft.direction:
        try:
            q = catalog.direction(draft.direction)
        except KeyError:
            q = None
        if q is not None:
            for ref in q.direction.checklist:
                if ref.item not in order:
                    order.append(ref.item)
                if ref.required:
                    required.append(ref.item)
    for attachment in draft.attachments:
        if attachment.item not in order:
            order.append(attachment.item)
    items = []
    for item_id in order:
        try:
            items.append(catalog.checklist_item(item_id))
        except KeyError:
            items.append(ChecklistItem(id=item_id, title=item_id, title_en=item_id, basis=""))
    attached = {a.item for a in draft.attachments}
    missing = [
        i
        for i in required
        if i not in attached and i not in ("application_form", "credit_commitment")
    ]
    return items, missing


def _render_generated(
    draft: Draft, catalog: Catalog, staging: Path, on: date | None
) -> dict[str, Path]:
    from forms.documents.pdf import write_pdf

    form = write_pdf(build_form(draft, catalog, on=on), staging / "form.pdf")
    letter_doc = FormDocument(
        title="信用承诺书",
        subtitle="",
        cover=(),
        sections=[commitment_letter(draft, on=on)],
        footer=draft.company.name,
    )
    letter = write_pdf(letter_doc, staging / "commitment.pdf", front_matter=False)
    return {"application_form": form, "credit_commitment": letter}


class _Pool:
    """Worker threads for image work, started on first use. Threads, not processes:
    Pillow releases the GIL while it decodes, resamples and encodes, so both cores work,
    with no image bytes pickled between processes, no re-import of the caller's main
    module (spawn) and no fork of a process running Qt threads."""

    def __init__(self, workers: int | None) -> None:
        self.workers = workers or max(1, min(4, os.cpu_count() or 1))
        self._executor: ThreadPoolExecutor | None = None

    def _run(self, function: Callable[[ImageJob], Any], jobs: Iterable[ImageJob]) -> Iterator[Any]:
        """Results in order, with at most two jobs per worker and `IN_FLIGHT_BYTES` of
        image data in flight: jobs carry the image bytes (decoded samples for non-JPEG
        scans), so a 60-page scan is never held in memory all at once. Jobs are made on
        the calling thread, which alone touches pikepdf (not thread-safe)."""
        if self.workers == 1:
            yield from map(function, jobs)
            return
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="shenbao-image")
        pending: deque[tuple[Future[Any], int]] = deque()
        carried = 0
        for job in jobs:
            pending.append((self._executor.submit(function, job), len(job.data)))
            carried += len(job.data)
            while pending and (len(pending) >= 2 * self.workers or carried > IN_FLIGHT_BYTES):
                future, size = pending.popleft()
                carried -= size
                yield future.result()
        while pending:
            yield pending.popleft()[0].result()

    def map(self, jobs: Iterable[ImageJob]) -> Iterator[ImageResult]:
        return self._run(recompress, jobs)

    def measure(self, jobs: Iterable[ImageJob], levels: tuple[Level, ...]) -> Iterator[list[int]]:
        return self._run(functools.partial(measure, levels=levels), jobs)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)
            self._executor = None


def _size_of(pdf: pikepdf.Pdf) -> int:
    sizes: dict[tuple[int, int], int] = {}
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        seen |= page_objects(page, sizes)
    return sum(sizes[k] for k in seen)


def _optimise(
    pdf: pikepdf.Pdf, settings: PackageSettings, pool: _Pool, progress: _Progress, label: str
) -> None:
    """Recompress the scans of an item that does not fit in one file: the best rung of
    the ladder that needs no more files than the smallest rung would."""
    budget = settings.limit_bytes * FILL - PART_OVERHEAD
    total = _size_of(pdf)
    if total <= budget:
        return
    uses = [u for u in find_images(pdf).values() if u.raw_bytes >= MIN_IMAGE_BYTES]
    if not uses:
        return
    image_bytes = sum(u.raw_bytes for u in uses)
    fixed = total - image_bytes
    # Rungs below the floor are lifted to it; a floor the user lowered adds rungs at it.
    rungs = {(max(level.dpi, settings.min_dpi), level.quality) for level in LADDER}
    if settings.min_dpi < LADDER[-1].dpi:
        rungs |= {(settings.min_dpi, 60), (settings.min_dpi, 45)}
    levels = [Level(dpi, quality) for dpi, quality in sorted(rungs, reverse=True)]

    def encode(selection: list[ImageUse], level: Level) -> list[ImageResult]:
        jobs = (make_job(u, i, level, settings.min_dpi) for i, u in enumerate(selection))
        results = []
        for result in pool.map(jobs):
            progress.step("compress", f"{label}: {level.dpi:.0f} dpi, q{level.quality}")
            results.append(result)
        return results

    def encoded_size(use: ImageUse, result: ImageResult) -> int:
        return len(result.data) if result.data is not None else use.raw_bytes

    def parts_for(estimate: float) -> int:
        return max(1, math.ceil(estimate / budget))

    if len(uses) <= 8:
        # A few photos or one huge page: try the best rung on everything first; it
        # usually fits, and then no sampling is needed.
        results = encode(uses, levels[0])
        if (
            parts_for(fixed + sum(encoded_size(u, r) for u, r in zip(uses, results, strict=True)))
            == 1
        ):
            for use, result in zip(uses, results, strict=True):
                apply_result(use, result)
            _rescue_big_pages(pdf, uses, budget, settings, encode)
            return
    # Sample to choose the rung, then encode everything once at that rung.
    step = max(1, len(uses) // 6)
    sample = uses[::step][:6]
    sample_jobs = (make_job(u, i, levels[0], settings.min_dpi) for i, u in enumerate(sample))
    per_image = []
    for sizes in pool.measure(sample_jobs, tuple(levels)):
        progress.step("compress", f"{label}: 选择压缩级别 / choosing the level")
        per_image.append(sizes)
    sample_sizes = [sum(sizes[i] for sizes in per_image) for i in range(len(levels))]
    sample_raw = sum(u.raw_bytes for u in sample) or 1

    #: Band sampling (`forms.package.recompress.measure`) came out 4-5 % under the real total
    #: on scanned reports; erring large avoids the worst case, a low rung chosen to
    #: save a file that is then needed anyway (which costs a second encoding pass).
    margin = 1.08

    estimates = [(fixed + image_bytes * size / sample_raw) * margin for size in sample_sizes]
    fewest = min(parts_for(e) for e in estimates)
    index = next(i for i, e in enumerate(estimates) if parts_for(e) == fewest)

    def encode_all(level: Level) -> tuple[list[ImageResult], int]:
        results = encode(uses, level)
        return results, fixed + sum(encoded_size(u, r) for u, r in zip(uses, results, strict=True))

    results, actual = encode_all(levels[index])
    needed = parts_for(actual)
    if needed > fewest and index > 0:
        # The sample was optimistic and the lower rung bought nothing: take the best
        # rung that needs no more files than this one really does.
        correction = actual / estimates[index]
        better = next(i for i, e in enumerate(estimates) if parts_for(e * correction) <= needed)
        if better < index:
            retry, retry_size = encode_all(levels[better])
            if parts_for(retry_size) <= needed:
                results = retry
    for use, result in zip(uses, results, strict=True):
        apply_result(use, result)
    _rescue_big_pages(pdf, uses, budget, settings, encode)


def _rescue_big_pages(
    pdf: pikepdf.Pdf,
    uses: list[ImageUse],
    budget: float,
    settings: PackageSettings,
    encode: Callable[[list[ImageUse], Level], list[ImageResult]],
) -> None:
    """A page still too big on its own gets the emergency qualities, at the floor."""
    for index, page in enumerate(pdf.pages):
        sizes: dict[tuple[int, int], int] = {}
        objects = page_objects(page, sizes)
        if sum(sizes[k] for k in objects) <= budget:
            continue
        mine = [u for u in uses if index in u.pages]
        for quality in EMERGENCY_QUALITIES:
            level = Level(settings.min_dpi, quality)
            for use, result in zip(mine, encode(mine, level), strict=True):
                apply_result(use, result)
            sizes = {}
            objects = page_objects(page, sizes)
            if sum(sizes[k] for k in objects) <= budget:
                break


@dataclass(frozen=True)
class Mark:
    """A bookmark of the merged item: its page there, title and depth (1 = top)."""

    page: int
    title: str
    level: int


def source_marks(pdf: pikepdf.Pdf, first_page: int, level: int) -> list[Mark]:
    """The source's own bookmarks (e.g. the form's sections), shifted to where its pages
    sit in the merged item; entries whose target cannot be resolved are left out."""
    marks: list[Mark] = []

    def walk(items: list[pikepdf.OutlineItem], depth: int) -> None:
        for item in items:
            target: object = item.destination
            if target is None and item.action is not None:
                target = item.action.get("/D")
            page_index = None
            if (
                isinstance(target, pikepdf.Array)
                and len(target)
                and isinstance(target[0], pikepdf.Dictionary)
            ):
                try:
                    page_index = pikepdf.Page(target[0]).index
                except (ValueError, pikepdf.PdfError):
                    page_index = None
            if page_index is not None:
                marks.append(Mark(first_page + page_index, str(item.title), depth))
            walk(list(item.children), depth + 1)

    try:
        with pdf.open_outline() as outline:
            walk(list(outline.root), level)
    except (pikepdf.OutlineStructureError, pikepdf.PdfError):
        return []
    return marks


def _outline(out: pikepdf.Pdf, title: str, marks: list[Mark]) -> None:
    with out.open_outline() as outline:
        root = pikepdf.OutlineItem(title, 0)
        stack: list[tuple[int, pikepdf.OutlineItem]] = [(0, root)]
        for mark in marks:
            while stack[-1][0] >= mark.level:
                stack.pop()
            entry = pikepdf.OutlineItem(mark.title, mark.page)
            stack[-1][1].children.append(entry)
            stack.append((mark.level, entry))
        outline.root.append(root)


def _part_marks(indexes: range, marks: list[Mark]) -> list[Mark]:
    """The item's bookmarks that fall in this part, renumbered; a part that starts in
    the middle of a file says so, so every part's first page has a bookmark."""
    local = [Mark(m.page - indexes.start, m.title, m.level) for m in marks if m.page in indexes]
    if not local or local[0].page != 0:
        starts_here = [m for m in marks if m.page < indexes.start and m.level == 1]
        if starts_here:
            local.insert(0, Mark(0, f"{starts_here[-1].title}（续）", 1))
    return local


def _write(source: pikepdf.Pdf, indexes: range, title: str, marks: list[Mark], path: Path) -> int:
    out = pikepdf.new()
    for i in indexes:
        out.pages.append(source.pages[i])
    out.remove_unreferenced_resources()
    _outline(out, title, _part_marks(indexes, marks))
    out.docinfo["/Title"] = title
    out.docinfo["/Producer"] = "shenbao"
    out.save(
        path,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        deterministic_id=True,
    )
    out.close()
    return path.stat().st_size


def _split(source: pikepdf.Pdf, limit: int) -> Iterator[range]:
    """Page ranges by estimated size (shared objects counted once per part); the caller
    writes each and shrinks it if the real file is over the limit."""
    sizes: dict[tuple[int, int], int] = {}
    per_page = [page_objects(page, sizes) for page in source.pages]
    start = 0
    count = len(per_page)
    while start < count:
        seen: set[tuple[int, int]] = set()
        estimate = PART_OVERHEAD
        end = start
        while end < count:
            new = per_page[end] - seen
            add = sum(sizes[k] for k in new) + 200
            if end > start and estimate + add > limit * FILL:
                break
            estimate += add
            seen |= new
            end += 1
        yield range(start, end)
        start = end


def _stamp(pdf: pikepdf.Pdf, company: str, title: str) -> None:
    """Company, item and "page x of y" at the foot of every page, as an overlay."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from forms.documents.pdf import register_font

    total = len(pdf.pages)
    font = register_font([company, title, "第页共0123456789 "])
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    for number, page in enumerate(pdf.pages, 1):
        box = page.mediabox
        width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
        canvas.setPageSize((width, height))
        canvas.setFont(font, 8)
        canvas.setFillColorRGB(0.35, 0.35, 0.35)
        canvas.drawCentredString(
            width / 2, 10, f"{company} · {title} · 第 {number} 页 共 {total} 页"
        )
        canvas.showPage()
    canvas.save()
    stamps = pikepdf.open(io.BytesIO(buffer.getvalue()))
    for page, stamp in zip(pdf.pages, stamps.pages, strict=True):
        page.add_overlay(stamp, pikepdf.Rectangle(page.mediabox))


def _verify(parts: list[PackagePart], limit: int, expected_pages: int) -> list[Problem]:
    """Re-open every output with a second parser (pypdf): page count, size, warnings."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    problems: list[Problem] = []
    pages = 0
    for part in parts:
        size = part.path.stat().st_size
        if size > limit:
            problems.append(
                Problem(
                    part.path.name,
                    None,
                    f"文件大小{size:,}字节，超过上限{limit:,}字节",
                    f"{size:,} bytes, over the {limit:,}-byte limit",
                )
            )
        logger = logging.getLogger("pypdf")
        records: list[logging.LogRecord] = []
        handler = _ListHandler(records)
        logger.addHandler(handler)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                reader = PdfReader(part.path, strict=True)
                count = len(reader.pages)
                for page in reader.pages:
                    page.get_contents()
        except PyPdfError as exc:
            problems.append(
                Problem(
                    part.path.name,
                    None,
                    f"生成的文件无法打开：{exc}",
                    f"the output does not open: {exc}",
                )
            )
            continue
        finally:
            logger.removeHandler(handler)
        if caught or records:
            text = "; ".join([str(w.message) for w in caught] + [r.getMessage() for r in records])[
                :200
            ]
            problems.append(
                Problem(
                    part.path.name,
                    None,
                    f"打开时有警告：{text}",
                    f"warnings on opening: {text}",
                    "warning",
                )
            )
        if count != part.pages:
            problems.append(
                Problem(
                    part.path.name,
                    None,
                    f"页数{count}与预期{part.pages}不符",
                    f"{count} pages, expected {part.pages}",
                )
            )
        pages += count
    if pages != expected_pages:
        problems.append(
            Problem(
                "—",
                None,
                f"输出共{pages}页，来源共{expected_pages}页",
                f"{pages} pages written for {expected_pages} source pages",
            )
        )
    return problems


class _ListHandler(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.WARNING)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _prepare_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / "manifest.json").is_file():
        raise FileExistsError(
            f"{out_dir}: 文件夹不为空且不是申报包，未覆盖；请选择空文件夹 / the folder is not empty and "
            "holds no package; choose an empty folder"
        )


def build_package(
    draft: Draft,
    catalog: Catalog,
    out_dir: Path,
    *,
    base_dir: Path,
    settings: PackageSettings | None = None,
    progress: Callable[[PackageProgress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    on: date | None = None,
) -> PackageResult:
    """Build the upload package of `draft` in `out_dir` (replacing an earlier package
    there, never other files). `base_dir` resolves relative attachment paths."""
    settings = settings or PackageSettings()
    _prepare_out_dir(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
    staging.chmod(0o755)  # mkdtemp's 0700 would hide the package from the user's other tools
    pool = _Pool(settings.workers)
    try:
        result = _build(
            draft, catalog, out_dir, staging, base_dir, settings, progress, cancelled, on, pool
        )
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        pool.close()
    # Swap the finished package in: the old one (if any) is removed only now.
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        out_dir.rename(old)
    staging.rename(out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return _relocate(result, staging, out_dir)


def _relocate(result: PackageResult, staging: Path, out_dir: Path) -> PackageResult:
    def moved(path: Path) -> Path:
        return out_dir / path.relative_to(staging)

    result.out_dir = out_dir
    result.parts = [
        PackagePart(moved(p.path), p.size, p.pages, p.item, p.title, p.part, p.parts, p.sha256)
        for p in result.parts
    ]
    result.manifest_json = moved(result.manifest_json)
    result.checklist_pdf = moved(result.checklist_pdf)
    return result


class _Output:
    """The package being written into `staging`: its parts, where every source page went,
    and the problems met. One item at a time goes in, signed files or assembled pages."""

    def __init__(self, staging: Path, limit: int) -> None:
        self.upload = staging / UPLOAD_DIR
        self.upload.mkdir()
        self.oversized = staging / OVERSIZED_DIR
        self.limit = limit
        self.problems: list[Problem] = []
        self.records: list[PageRecord] = []
        self.parts: list[PackagePart] = []
        self.expected_pages = 0  # source pages read, for the conservation check

    def _set_aside(self) -> Path:
        self.oversized.mkdir(exist_ok=True)
        return self.oversized

    def pass_through(
        self, path: Path, count: int, item: ChecklistItem, sequence: int, *, named_apart: bool
    ) -> None:
        """A signed file travels byte for byte: any rewrite would break the signature."""
        label = path.name
        self.expected_pages += count
        size = path.stat().st_size
        if size > self.limit:
            self.problems.append(
                Problem(
                    label,
                    None,
                    "带数字签名/电子签章的文件超过大小上限，拆分或压缩会破坏签章：请向出具方索取较小的签章文件",
                    "signed or e-sealed file over the limit; splitting or compressing would break the signature: ask the issuer for a smaller signed copy",
                )
            )
            shutil.copy2(path, self._set_aside() / safe_stem(label))
            self.records.extend(
                PageRecord(label, n, item.id, None, None, None) for n in range(1, count + 1)
            )
            return
        title = f"{item.title}_{path.stem}" if named_apart else item.title
        name = part_name(sequence, title, 1, 1)
        target = self.upload / name
        shutil.copy2(path, target)
        self.parts.append(
            PackagePart(target, size, count, item.id, item.title, 1, 1, _sha256(target))
        )
        self.records.extend(
            PageRecord(label, n, item.id, name, n, None) for n in range(1, count + 1)
        )
        self.problems.append(
            Problem(
                label,
                None,
                "带数字签名，已原样放入，未压缩、未加页脚",
                "signed: passed through unchanged (not compressed, not stamped)",
                "warning",
            )
        )

    def assemble(
        self,
        item: ChecklistItem,
        sequence: int,
        sources: list[_Source],
        settings: PackageSettings,
        pool: _Pool,
        progress: _Progress,
        company: str,
    ) -> int:
        """Merge the item's sources, recompress if it does not fit, split it into parts
        within the limit; returns how many parts were written."""
        title = item.title
        merged = pikepdf.new()
        marks: list[Mark] = []
        origin: list[tuple[str, int]] = []
        for source in sources:
            first = len(merged.pages)
            # A generated document's own sections are the item's bookmarks; an
            # attachment gets one bookmark by file name, its own bookmarks below it.
            if not source.generated:
                marks.append(Mark(first, source.label, 1))
            marks += source_marks(source.pdf, first, 1 if source.generated else 2)
            for n, page in enumerate(source.pdf.pages, 1):
                merged.pages.append(page)
                origin.append((source.label, n))
        self.expected_pages += len(origin)
        _optimise(merged, settings, pool, progress, title)
        if settings.stamp and item.id != "application_form":
            _stamp(merged, company, title)
        page_dpi: dict[int, float] = {}
        for use in find_images(merged).values():
            if use.covers_page:
                for index in use.pages:
                    page_dpi[index] = min(page_dpi.get(index, use.dpi), use.dpi)
        progress.step("split", f"拆分 / splitting {title}", 1)
        written, oversized = self._write_within_limit(merged, title, marks, sequence)
        for number, (pages, path, size) in enumerate(written, 1):
            name = part_name(sequence, title, number, len(written))
            final = self.upload / name
            path.rename(final)
            self.parts.append(
                PackagePart(
                    final, size, len(pages), item.id, title, number, len(written), _sha256(final)
                )
            )
            for local, index in enumerate(pages, 1):
                label, n = origin[index]
                self.records.append(PageRecord(label, n, item.id, name, local, page_dpi.get(index)))
        for index in oversized:
            label, n = origin[index]
            _write(
                merged,
                range(index, index + 1),
                title,
                marks,
                self._set_aside() / f"{safe_stem(label)}_p{n}.pdf",
            )
            self.records.append(PageRecord(label, n, item.id, None, None, page_dpi.get(index)))
            self.problems.append(
                Problem(
                    label,
                    n,
                    f"该页在最低{settings.min_dpi:.0f}dpi下仍超过{self.limit:,}字节，已放入oversized文件夹；可降低最低分辨率（--min-dpi）或重新扫描该页",
                    f"this page exceeds {self.limit:,} bytes even at {settings.min_dpi:.0f} dpi; it is in oversized/: lower the floor (--min-dpi) or rescan the page",
                )
            )
        merged.close()
        for source in sources:
            source.pdf.close()
        return len(written)

    def _write_within_limit(
        self, merged: pikepdf.Pdf, title: str, marks: list[Mark], sequence: int
    ) -> tuple[list[tuple[range, Path, int]], list[int]]:
        """Write the estimated ranges, measure each file, and split again any that came
        out over the limit; a single page still over it is returned as oversized."""
        written: list[tuple[range, Path, int]] = []
        oversized: list[int] = []
        queue = list(_split(merged, self.limit))
        while queue:
            pages = queue.pop(0)
            path = self.upload / f".part-{sequence}-{len(written)}.pdf"
            size = _write(merged, pages, title, marks, path)
            if size <= self.limit:
                written.append((pages, path, size))
                continue
            path.unlink()
            if len(pages) == 1:
                oversized.append(pages.start)
                continue
            keep = min(max(1, int(len(pages) * self.limit / size * 0.98)), len(pages) - 1)
            queue[0:0] = [
                range(pages.start, pages.start + keep),
                range(pages.start + keep, pages.stop),
            ]
        return written, oversized


def _build(
    draft: Draft,
    catalog: Catalog,
    out_dir: Path,
    staging: Path,
    base_dir: Path,
    settings: PackageSettings,
    callback: Callable[[PackageProgress], None] | None,
    cancelled: Callable[[], bool] | None,
    on: date | None,
    pool: _Pool,
) -> PackageResult:
    from forms.package.manifest import write_manifest

    limit = settings.limit_bytes
    items, missing = _items_in_order(draft, catalog)
    files = {item.id: [a for a in draft.attachments if a.item == item.id] for item in items}
    total_units = 2 + sum(len(v) for v in files.values()) * 4 + 8
    progress = _Progress(callback, cancelled, total_units)
    out = _Output(staging, limit)
    work = staging / ".work"
    work.mkdir()

    progress.step("render", "生成申报书 / rendering the form")
    generated = _render_generated(draft, catalog, work, on)
    progress.step("render", "申报书已生成 / form rendered", 2)

    sequence = 0
    for item in items:
        sources: list[_Source] = []
        signed: list[tuple[Path, int]] = []
        if item.id in generated:
            sources.append(_Source(item.title, pikepdf.open(generated[item.id]), True))
        for attachment in files.get(item.id, []):
            path = _resolve(base_dir, attachment.file)
            progress.step("load", f"读取 / reading {path.name}", 1)
            try:
                pdf, _kind = load_attachment(path)
            except AttachmentError as exc:
                out.problems.append(
                    Problem(
                        path.name,
                        None,
                        f"{exc.zh}（未放入申报包）",
                        f"{exc.en} (not in the package)",
                    )
                )
                continue
            if is_signed(pdf):
                signed.append((path, len(pdf.pages)))
                pdf.close()
            else:
                sources.append(_Source(path.name, pdf, False))
        if not sources and not signed:
            continue
        sequence += 1
        for path, count in signed:
            out.pass_through(
                path, count, item, sequence, named_apart=len(signed) > 1 or bool(sources)
            )
        if sources:
            progress.step("compress", f"处理 / processing {item.title}")
            count = out.assemble(
                item, sequence, sources, settings, pool, progress, draft.company.name
            )
            progress.step("split", f"{item.title}: {count} 个文件 / files", 1)

    shutil.rmtree(work, ignore_errors=True)
    progress.step("verify", "校验 / verifying")
    placed = sum(1 for r in out.records if r.file is not None)
    out.problems += _verify(out.parts, limit, placed)
    conserved = len(out.records)
    if conserved != out.expected_pages:
        out.problems.append(
            Problem(
                "—",
                None,
                f"页面记录{conserved}页，来源{out.expected_pages}页",
                f"{conserved} pages recorded for {out.expected_pages} source pages",
            )
        )
    for item_id in missing:
        item = catalog.checklist_item(item_id)
        out.problems.append(
            Problem(item.title, None, "必需材料尚未添加", "required item has no file yet")
        )
    result = PackageResult(
        out_dir,
        out.parts,
        out.problems,
        out.records,
        missing,
        staging / "manifest.json",
        staging / "checklist.pdf",
        limit,
    )
    write_manifest(result, draft, catalog, settings)
    progress.step("done", "完成 / done", total_units)
    return result
