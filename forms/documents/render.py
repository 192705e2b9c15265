"""Render a draft as the application form: PDF for the portal, DOCX for editing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from forms.catalog.model import Catalog
from forms.documents.form import build_form
from forms.draft.model import Draft


def render_pdf(
    draft: Draft, catalog: Catalog, out: Path, *, lang: str = "zh", on: date | None = None
) -> Path:
    from forms.documents.pdf import write_pdf  # start-up: reportlab only for a PDF

    return write_pdf(build_form(draft, catalog, lang=lang, on=on), out)


def render_docx(
    draft: Draft, catalog: Catalog, out: Path, *, lang: str = "zh", on: date | None = None
) -> Path:
    from forms.documents.docx import write_docx  # start-up: python-docx only for a DOCX

    return write_docx(build_form(draft, catalog, lang=lang, on=on), out)
