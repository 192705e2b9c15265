"""The export page's only door to the document and package modules.

`forms.render` writes the application form (PDF, DOCX); `forms.package` assembles the
upload package. While the package module is still being built this adapter reports it
as unavailable and the export page says so; when it lands nothing else changes.
Everything the page shows is converted to the small records below, so the page does
not depend on the package module's classes.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from desktop.workers import JobCancelled
from forms.catalog import Catalog
from forms.draft import Draft


@dataclass(frozen=True)
class Part:
    path: Path
    size: int
    pages: int
    item: str


@dataclass(frozen=True)
class ExportResult:
    out_dir: Path
    parts: list[Part]
    problems: list[str]
    documents: list[Path] = field(default_factory=list)  # the editable form (DOCX)
    manifest: Path | None = None


def package_available() -> bool:
    return importlib.util.find_spec("forms.package") is not None


def render_available() -> bool:
    return importlib.util.find_spec("forms.render") is not None


Progress = Callable[[int, int, str], None]


def export(
    draft: Draft,
    catalog: Catalog,
    out_dir: Path,
    *,
    base_dir: Path,
    limit_bytes: int,
    lang: str,
    progress: Progress,
    cancelled: Callable[[], bool],
) -> ExportResult:
    """Build the package (and the editable DOCX) into `out_dir`; raises JobCancelled."""
    package = importlib.import_module("forms.package")
    settings = package.PackageSettings(limit_bytes=limit_bytes)

    def on_progress(p: object) -> None:
        progress(
            int(getattr(p, "done", 0)), int(getattr(p, "total", 0)), str(getattr(p, "message", ""))
        )

    try:
        result = package.build_package(
            draft,
            catalog,
            out_dir,
            base_dir=base_dir,
            settings=settings,
            progress=on_progress,
            cancelled=cancelled,
        )
    except package.PackageCancelled:
        raise JobCancelled() from None
    parts = [Part(Path(p.path), int(p.size), int(p.pages), str(p.item)) for p in result.parts]
    problems = [_problem_text(p, lang) for p in result.problems]
    documents: list[Path] = []
    if render_available():
        render = importlib.import_module("forms.render")
        try:
            documents.append(
                render.render_docx(draft, catalog, out_dir / "申报书（可编辑）.docx", lang="zh")
            )
        except Exception as exc:  # the package stands without the editable copy
            problems.append(f"DOCX: {exc}")
    manifest = getattr(result, "manifest_json", None)
    return ExportResult(out_dir, parts, problems, documents, Path(manifest) if manifest else None)


def _problem_text(problem: object, lang: str) -> str:
    message = getattr(problem, "message", None)
    return str(message(lang)) if callable(message) else str(problem)


def render_pdf(draft: Draft, catalog: Catalog, out: Path, lang: str) -> Path:
    render = importlib.import_module("forms.render")
    path: Path = render.render_pdf(draft, catalog, out, lang=lang)
    return path
