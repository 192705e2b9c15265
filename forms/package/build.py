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

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pikepdf

from forms.catalog.model import Catalog
from forms.documents.form import build_form, commitment_letter, investment_plan
from forms.documents.pdf import write_pdf
from forms.draft.model import Draft
from forms.package.attachments import AttachmentError, Kind, is_signed, load_source
from forms.package.limits import upload_limit
from forms.package.manifest import write_manifest
from forms.package.model import (
    PackagePart,
    PackageProgress,
    PackageResult,
    PackageSettings,
    Problem,
)
from forms.package.order import generated_items, items_in_order
from forms.package.output import Output, Source
from forms.package.pool import ImagePool
from forms.package.progress import Progress
from forms.package.verify import verify_parts
from forms.system.atomic import DiskFullError, atomic_file
from forms.system.memory import release_free_memory
from forms.system.processes import pid_alive
from forms.text import Text


def _resolve(base_dir: Path, name: str) -> Path:
    path = Path(name)
    return path if path.is_absolute() else (base_dir / path)


def _render_generated(
    draft: Draft, catalog: Catalog, staging: Path, on: date | None
) -> dict[str, Path]:
    form = write_pdf(build_form(draft, catalog, on=on), staging / "form.pdf")
    letter = write_pdf(
        commitment_letter(draft, catalog, on=on), staging / "commitment.pdf", front_matter=False
    )
    made = {"application_form": form, "credit_commitment": letter}
    if "investment_plan" in generated_items(draft, catalog):
        made["investment_plan"] = write_pdf(
            investment_plan(draft, catalog, on=on), staging / "budget.pdf", front_matter=False
        )
    return made


def _on_disk(pdf: pikepdf.Pdf, path: Path) -> tuple[Path, pikepdf.Pdf]:
    """A converted image or document, or a repaired PDF, written into the private work
    folder and opened from there: it then takes no memory until its pages are copied
    into parts, which copy them from a fresh opening like any PDF on disk (8 phone
    photos held in memory and copied whole into their part took 86 MB)."""
    with atomic_file(path) as handle:
        pdf.save(handle)
    pdf.close()
    return path, pikepdf.open(path)


def _reasons(text: Text) -> dict[str, str]:
    """A file's problem as the `reason` of "not in the package", in both languages."""
    return {"reason": text.render("zh"), "reason_en": text.render("en")}


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
    _sweep_staging(out_dir)
    # Private (mkdtemp's 0700) while it is being built, and named with our pid, so a killed
    # build's leftovers are nobody else's to read and are removed by the next build here.
    staging = Path(
        tempfile.mkdtemp(prefix=f".{out_dir.name}.building-{os.getpid()}-", dir=out_dir.parent)
    )
    pool = ImagePool(settings.workers)
    try:
        result = _build(
            draft, catalog, out_dir, staging, base_dir, settings, progress, cancelled, on, pool
        )
    except DiskFullError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        # Name the folder the user chose and about what the package needs (its sources).
        needed = max(exc.needed, _source_bytes(draft, base_dir))
        raise DiskFullError(out_dir, needed, exc.free) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        pool.close()
    staging.chmod(0o755)  # finished: readable by the user's other tools, like the parts
    # Swap the finished package in: the old one (if any) is removed only now.
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        out_dir.rename(old)
    staging.rename(out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return _relocate(result, staging, out_dir)


def _source_bytes(draft: Draft, base_dir: Path) -> int:
    """About the space a package takes: its sources plus the form (at most a few MB)."""
    total = 2_000_000
    for attachment in draft.attachments:
        path = _resolve(base_dir, attachment.file)
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    return total


def _sweep_staging(out_dir: Path) -> None:
    """Remove the staging and old-package folders killed builds of `out_dir` left."""
    pattern = re.compile(rf"^\.{re.escape(out_dir.name)}\.(?:building-(\d+)-.+|old-(\d+))$")
    for entry in out_dir.parent.iterdir():
        match = pattern.match(entry.name)
        if match is None or not entry.is_dir():
            continue
        if pid_alive(int(match.group(1) or match.group(2))) is False:
            shutil.rmtree(entry, ignore_errors=True)


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
    pool: ImagePool,
) -> PackageResult:
    limit = upload_limit(catalog, draft.direction, settings.limit_bytes, settings.limit_source)
    items, missing = items_in_order(draft, catalog)
    files = {item.id: [a for a in draft.attachments if a.item == item.id] for item in items}
    total_units = 2 + sum(len(v) for v in files.values()) * 4 + 8
    progress = Progress(callback, cancelled, total_units)
    out = Output(staging, limit.bytes)
    work = staging / ".work"
    work.mkdir()

    progress.step("render", "生成申报书 / rendering the form")
    generated = _render_generated(draft, catalog, work, on)
    progress.step("render", "申报书已生成 / form rendered", 2)

    sequence = 0
    for item in items:
        sources: list[Source] = []
        signed: list[tuple[Path, int]] = []
        if item.id in generated:
            form = generated[item.id]
            sources.append(Source(item.title, pikepdf.open(form), True, form))
        for attachment in files.get(item.id, []):
            path = _resolve(base_dir, attachment.file)
            progress.step("load", f"读取 / reading {path.name}", 1)
            try:
                pdf, kind, repair = load_source(path)
            except AttachmentError as exc:
                out.problems.append(
                    Problem(path.name, None, Text("package.not_included", _reasons(exc.text)))
                )
                continue
            if repair is not None:
                # A PDF that needed repair (a broken download): in the package, but an error
                # until the user has compared it with the original and confirmed.
                confirmed = attachment.repair is not None and attachment.repair.confirmed
                severity = "warning" if confirmed else "error"
                out.problems.append(Problem(path.name, None, repair.text(confirmed), severity))
            if is_signed(pdf):
                signed.append((path, len(pdf.pages)))
                pdf.close()
            elif kind is Kind.PDF and repair is None:
                # A PDF as it is on disk is opened again for each part (`split.write_pages`).
                sources.append(Source(path.name, pdf, False, path))
            else:
                converted, pdf = _on_disk(pdf, work / f"{len(sources)}-{item.id}.pdf")
                sources.append(Source(path.name, pdf, False, converted))
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
            release_free_memory()  # the item's page buffers, before the next item's

    shutil.rmtree(work, ignore_errors=True)
    progress.step("verify", "校验 / verifying")
    placed = sum(1 for r in out.records if r.file is not None)
    out.problems += verify_parts(out.parts, limit.bytes, placed)
    conserved = len(out.records)
    if conserved != out.expected_pages:
        out.problems.append(
            Problem.of(
                "—",
                None,
                "package.pages_not_recorded",
                recorded=conserved,
                expected=out.expected_pages,
            )
        )
    for item_id in missing:
        item = catalog.checklist_item(item_id)
        out.problems.append(Problem.of(item.title, None, "package.required_missing"))
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
