"""What the package builder takes and gives: settings, progress, problems, parts, and
where every source page went. Plain records, so the GUI, the command line and the
manifest read one result."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from forms.package.limits import LimitSource, UploadLimit
from forms.text import Text

UPLOAD_DIR = "upload"
OVERSIZED_DIR = "oversized"


class PackageCancelled(Exception):  # noqa: N818 - a user's choice, not an error
    """The user cancelled; nothing was left in the output folder."""


@dataclass(frozen=True)
class PackageSettings:
    #: Bytes per file given for this run; None: the direction's policy says (`limits`).
    limit_bytes: int | None = None
    limit_source: LimitSource = LimitSource.OPTION
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
    text: Text  # what happened and what to do (`forms.text.package`)
    severity: str = "error"  # error: the package is not complete; warning: it is

    @classmethod
    def of(
        cls, file: str, page: int | None, code: str, /, severity: str = "error", **params: object
    ) -> Problem:
        return cls(file, page, Text.of(code, **params), severity)

    def message(self, lang: str = "zh") -> str:
        where = self.file
        if self.page:
            where += f" page {self.page}" if lang == "en" else f" 第{self.page}页"
        return f"{where}: {self.text.render(lang)}"

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "page": self.page,
            "severity": self.severity,
            **self.text.as_json(),
        }


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
    #: How the page's scan was re-encoded ("jpeg 200dpi q80", "mrc 300dpi bg 75dpi q60");
    #: None: as it came.
    encoding: str | None = None


@dataclass
class PackageResult:
    out_dir: Path
    parts: list[PackagePart]
    problems: list[Problem]
    pages: list[PageRecord]
    missing_items: list[str]
    manifest_json: Path
    checklist_pdf: Path
    limit: UploadLimit

    @property
    def limit_bytes(self) -> int:
        return self.limit.bytes

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    @property
    def lowest_scan_dpi(self) -> float | None:
        values = [r.dpi for r in self.pages if r.dpi is not None]
        return min(values) if values else None
