"""The last pass: every written part re-opened with a second parser (pypdf)."""

from __future__ import annotations

import logging
import warnings

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from forms.package.model import PackagePart, Problem


def verify_parts(parts: list[PackagePart], limit: int, expected_pages: int) -> list[Problem]:
    """Re-open every output with a second parser (pypdf): page count, size, warnings."""
    problems: list[Problem] = []
    pages = 0
    for part in parts:
        size = part.path.stat().st_size
        if size > limit:
            problems.append(
                Problem.of(
                    part.path.name,
                    None,
                    "package.part_over_limit",
                    size=f"{size:,}",
                    limit=f"{limit:,}",
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
            problems.append(Problem.of(part.path.name, None, "package.part_unreadable", detail=exc))
            continue
        finally:
            logger.removeHandler(handler)
        if caught or records:
            text = "; ".join([str(w.message) for w in caught] + [r.getMessage() for r in records])[
                :200
            ]
            problems.append(
                Problem.of(
                    part.path.name, None, "package.part_warnings", severity="warning", detail=text
                )
            )
        if count != part.pages:
            problems.append(
                Problem.of(
                    part.path.name,
                    None,
                    "package.part_page_count",
                    count=count,
                    expected=part.pages,
                )
            )
        pages += count
    if pages != expected_pages:
        problems.append(
            Problem.of(
                "—", None, "package.pages_not_conserved", written=pages, expected=expected_pages
            )
        )
    return problems


class _ListHandler(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.WARNING)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
