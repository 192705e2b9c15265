"""The export page's only door to the document and package modules.

`forms.package.build` assembles the upload package and `forms.documents.render` writes the
editable form (DOCX). Everything the page shows is converted to the small records below, so
the page does not depend on the package module's classes. `ExportResult.ok` is the package's
own verdict (`PackageResult.ok`), the same value `shenbao package` turns into its exit code,
so the page never calls a package "exported" that the command line calls incomplete.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from desktop.app.workers import JobCancelled
from forms.catalog.model import Catalog, Severity
from forms.draft.model import Draft
from forms.package.limits import LimitSource, UploadLimit
from forms.text import Text


@dataclass(frozen=True)
class Part:
    path: Path
    size: int
    pages: int
    item: str


@dataclass(frozen=True)
class ExportProblem:
    severity: Severity  # an error: the package is not complete; a warning: it is
    message: str


@dataclass(frozen=True)
class ExportResult:
    out_dir: Path
    ok: bool  # every item in, every part within the limit: ready to upload
    limit: UploadLimit
    parts: list[Part]
    problems: list[ExportProblem]
    documents: list[Path] = field(default_factory=list)  # the editable form (DOCX)
    manifest: Path | None = None

    @property
    def errors(self) -> list[ExportProblem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


Progress = Callable[[int, int, str], None]


def export(
    draft: Draft,
    catalog: Catalog,
    out_dir: Path,
    *,
    base_dir: Path,
    limit_bytes: int | None,
    min_dpi: float,
    lang: str,
    progress: Progress,
    cancelled: Callable[[], bool],
    on: date | None = None,
) -> ExportResult:
    """Build the package (and the editable DOCX) into `out_dir`; raises JobCancelled.
    `limit_bytes`: the settings' override, None for the direction's policy's limit; `on`:
    the app's "today" (the form's date)."""
    # start-up: reportlab, python-docx, pikepdf and Pillow load at the first export
    from forms.documents.render import render_docx
    from forms.package.build import build_package
    from forms.package.model import PackageCancelled, PackageProgress, PackageSettings

    settings = PackageSettings(
        limit_bytes=limit_bytes, limit_source=LimitSource.SETTINGS, min_dpi=min_dpi
    )

    def on_progress(p: PackageProgress) -> None:
        progress(p.done, p.total, p.message)

    try:
        result = build_package(
            draft,
            catalog,
            out_dir,
            base_dir=base_dir,
            settings=settings,
            progress=on_progress,
            cancelled=cancelled,
            on=on,
        )
    except PackageCancelled:
        raise JobCancelled() from None
    parts = [Part(p.path, p.size, p.pages, p.item) for p in result.parts]
    problems = [ExportProblem(Severity(p.severity), p.message(lang)) for p in result.problems]
    documents: list[Path] = []
    try:
        documents.append(
            render_docx(draft, catalog, out_dir / "申报书（可编辑）.docx", lang="zh", on=on)
        )
    except Exception as exc:  # the package stands without the editable copy
        docx = Text.of("package.docx_failed", detail=exc)
        problems.append(ExportProblem(Severity.WARNING, docx.render(lang)))
    return ExportResult(
        out_dir, result.ok, result.limit, parts, problems, documents, result.manifest_json
    )
