"""The 申报书 as the portal asks for it: every value in section order, ready to paste.

The portal's form is filled in online; shenbao's 申报书 holds the same values. So this
view is built by the very section builders of `forms.documents.form` (`SECTIONS`), with a
`PortalWords` that writes values the way an online form takes them: amounts as a bare
number in the unit the form asks for (万元), dates as 2025-10-01, an empty field empty.
The form and the view therefore cannot disagree. It reads the draft alone, offline.

`portal_uploads` is the upload list in portal order: each part's upload name, file, size
and pages (from the package once it is built, else what the draft knows), and whether
the portal wants it e-sealed on submission.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from forms.catalog.model import Catalog, Metric, MetricKind
from forms.documents.content import Bullets, Fields, Heading, Para, Signature, Table
from forms.documents.form import SECTIONS, FormInput, attachments_section
from forms.documents.words import Words
from forms.draft.model import Draft
from forms.draft.money import MoneyUnit
from forms.package.order import planned_uploads
from forms.text import render


class PortalValue(str):
    """A value with the unit it is given in (the field's label says the unit once)."""

    unit: str = ""

    def __new__(cls, text: str, unit: str = "") -> PortalValue:
        value = super().__new__(cls, text)
        value.unit = unit
        return value


def _number(amount: Decimal) -> str:
    text = f"{amount:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


class PortalWords(Words):
    """Values as an online form takes them: no thousands separators, no unit in the value
    (it is the field's), ISO dates, nothing for an empty field."""

    def money(self, amount: Decimal | None, unit: MoneyUnit = MoneyUnit.WAN_YUAN) -> str:
        if amount is None:
            return ""
        return PortalValue(_number(amount / 10_000), render("portal.unit_wan", None, self.lang))

    def wan(self, amount: Decimal | None) -> str:
        if amount is None:
            return ""
        return PortalValue(_number(amount / 10_000), render("portal.unit_wan", None, self.lang))

    def metric(self, metric: Metric, value: Decimal) -> str:
        if metric.kind is MetricKind.MONEY:
            return self.money(value)
        return PortalValue(_number(value), metric.unit_en if self.en else metric.unit)

    def day(self, day: date | None) -> str:
        return "" if day is None else day.isoformat()

    def yes_no(self, value: bool | None) -> str:
        if value is None:
            return ""
        return render("answer.yes" if value else "answer.no", None, self.lang)

    @property
    def blank(self) -> str:
        return ""

    @property
    def none(self) -> str:
        return ""


@dataclass(frozen=True)
class PortalField:
    section: str  # the form's section heading, e.g. 一、申报单位基本情况
    label: str
    value: str  # what to paste; empty when the draft has none
    unit: str = ""


def _table_fields(section: str, table: Table) -> list[PortalField]:
    """A table row by row: the first cell names the row, each other column that is not
    worked out by shenbao is a field (the total row only where it has a value)."""
    fields = []
    columns = [c for c in range(1, len(table.header)) if c not in table.derived]
    for row in table.rows:
        for c in columns:
            cell = row[c] if c < len(row) else ""
            fields.append(
                PortalField(
                    section, f"{row[0]} · {table.header[c]}", cell, getattr(cell, "unit", "")
                )
            )
    if table.total:
        for c in columns:
            if c < len(table.total) and table.total[c]:
                fields.append(
                    PortalField(section, f"{table.total[0]} · {table.header[c]}", table.total[c])
                )
    return fields


def portal_fields(
    draft: Draft, catalog: Catalog, *, lang: str = "zh", on: date | None = None
) -> list[PortalField]:
    """Every value of the 申报书, in the form's order (the 附件清单 is `portal_uploads`)."""
    f = FormInput(
        draft, catalog, catalog.lookup(draft.direction), PortalWords(lang), on or date.today()
    )
    fields: list[PortalField] = []
    for builder in SECTIONS:
        if builder is attachments_section:
            continue
        section = ""
        subheading = ""
        for block in builder(f):
            if isinstance(block, Heading):
                if block.level == 1:
                    section = block.text
                subheading = block.text if block.level == 2 else ""
            elif isinstance(block, Fields):
                for index, (label, value) in enumerate(block.rows):
                    if index not in block.derived:
                        unit = getattr(value, "unit", "")
                        fields.append(PortalField(section, label, value, unit))
            elif isinstance(block, Table):
                fields += _table_fields(section, block)
            elif isinstance(block, Para) and subheading:
                fields.append(PortalField(section, subheading, block.text))
            elif isinstance(block, Bullets):
                fields += [
                    PortalField(section, render("portal.item", {"n": i}, lang), item)
                    for i, item in enumerate(block.items, 1)
                ]
            elif isinstance(block, Signature):
                continue  # signed and sealed in the portal, not typed
    return fields


@dataclass(frozen=True)
class PortalUpload:
    sequence: int
    title: str  # the checklist item
    name: str  # the file to upload
    path: Path | None  # where that file is, once the package is built
    size: int | None  # bytes
    pages: int | None
    generated: bool  # written by shenbao
    sources: tuple[str, ...]  # the user's files merged into it
    e_seal: bool  # the portal wants it e-sealed on submission


@dataclass(frozen=True)
class BuiltPart:
    """A file of a built package (the export result's parts)."""

    path: Path
    size: int
    pages: int
    item: str


def portal_uploads(
    draft: Draft, catalog: Catalog, built: Sequence[BuiltPart] = (), *, lang: str = "zh"
) -> list[PortalUpload]:
    """The files to upload, in portal order. With the parts of a built package, each part
    as it was written (a split item has several); without, one line per item with what
    the draft knows of its files (sizes and pages when the files were inspected)."""
    q = catalog.lookup(draft.direction)
    e_seal = bool(q is not None and q.policy.submission and q.policy.submission.e_seal_required)
    en = lang == "en"
    uploads: list[PortalUpload] = []
    for plan in planned_uploads(draft, catalog):
        title = plan.item.title_en if en else plan.item.title
        sources = tuple(Path(a.file.replace("\\", "/")).name for a in plan.files)
        parts = [p for p in built if p.item == plan.item.id]
        if parts:
            for part in parts:
                uploads.append(
                    PortalUpload(
                        plan.sequence,
                        title,
                        part.path.name,
                        part.path,
                        part.size,
                        part.pages,
                        plan.generated,
                        sources,
                        e_seal,
                    )
                )
            continue
        sizes = [a.bytes for a in plan.files]
        pages = [a.pages for a in plan.files]
        uploads.append(
            PortalUpload(
                plan.sequence,
                title,
                plan.name,
                None,
                sum(s for s in sizes if s is not None) if sizes and None not in sizes else None,
                sum(p for p in pages if p is not None) if pages and None not in pages else None,
                plan.generated,
                sources,
                e_seal,
            )
        )
    return uploads
