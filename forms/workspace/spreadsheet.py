"""Clients from a consultant's list (Excel or CSV) and the drafts overview as Excel.

Importing is two steps so nothing is written before the user has seen what will happen:
`plan_import` reads the file and says, row by row, whether it makes a new client, adds to
an existing one (same credit code), merges into an earlier row of the same file, or is
left out and why; `apply_import` then writes the plan. Columns are found by their header
(Chinese or English, in any order); a credit code is judged by the caller's `CodeCheck`
(the validators' rules: this layer cannot import them).

The overview is written as one sheet with the columns the workspace view shows, days left
coloured as the view colours them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from forms.draft.districts import district_of
from forms.draft.model import Company, Contact, Profile, normalise_credit_code
from forms.system.atomic import write_atomic
from forms.text import Text, TextError

#: What a credit code's check says: (is an error, what) per problem; empty when fine.
CodeCheck = Callable[[str], Sequence[tuple[bool, Text]]]

MAX_FILE_BYTES = 20_000_000
MAX_UNPACKED_BYTES = 200_000_000  # an .xlsx is a zip: refuse a decompression bomb
MAX_ROWS = 5_000
HEADER_ROWS = 10  # the header is looked for in the first rows (a title may come first)

#: Column -> the headers that name it (compared without spaces, case or colons).
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("单位名称", "企业名称", "公司名称", "名称", "单位", "申报单位", "name", "company",
             "companyname"),
    "credit_code": ("统一社会信用代码", "社会信用代码", "信用代码", "统一代码", "creditcode",
                    "credit_code", "uscc", "unifiedsocialcreditcode"),
    "address": ("注册地址", "地址", "住所", "registeredaddress", "address"),
    "district": ("所在区", "所属区", "区", "区县", "district"),
    "legal": ("法定代表人", "法人代表", "法人", "legalrepresentative"),
    "contact": ("联系人", "联系人姓名", "项目联系人", "contact", "contactname", "contactperson"),
    "phone": ("联系电话", "电话", "手机", "联系方式", "phone", "telephone", "mobile"),
    "email": ("电子邮箱", "邮箱", "email", "e-mail"),
}  # fmt: skip


@dataclass(frozen=True)
class ImportRow:
    """One row of the list and what importing it does."""

    row: int  # as the spreadsheet numbers it
    company: Company
    problems: tuple[Text, ...] = ()  # the row is left out, for these reasons
    notes: tuple[Text, ...] = ()  # imported, but worth knowing
    merged_into: int | None = None  # an earlier row with the same credit code
    existing: str | None = None  # id of the client it adds to

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ImportPlan:
    source: Path
    rows: list[ImportRow] = field(default_factory=list)

    @property
    def bad(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def new(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok and r.existing is None and r.merged_into is None]

    @property
    def updates(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok and r.existing is not None and r.merged_into is None]


@dataclass(frozen=True)
class ImportOutcome:
    added: list[str]  # client ids
    updated: list[str]


class ClientBook(Protocol):
    """What importing needs of a workspace (a `Workspace`; a protocol keeps this module
    free of the workspace's keys, so the rules can use its records)."""

    def has_client(self, client_id: str) -> bool: ...

    def client_profile(self, client_id: str) -> Profile: ...

    def update_client(
        self, client_id: str, profile: Profile, *, author: str | None = None
    ) -> object: ...

    def add_client(
        self, profile: Profile, *, author: str | None = None, client_id: str | None = None
    ) -> _HasId: ...


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


class SpreadsheetError(TextError):
    """The file cannot be read as a list of clients (nothing was written)."""


# -- reading -----------------------------------------------------------------------------


def _key(header: object) -> str:
    text = "" if header is None else str(header)
    for noise in (" ", "\u3000", "*", ":", "：", "\n"):
        text = text.replace(noise, "")
    return text.lower()


_ALIASES = {_key(alias): column for column, aliases in HEADERS.items() for alias in aliases}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number Excel stored as a number
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _table(path: Path) -> list[list[str]]:
    """The cells of the first sheet (or the CSV), as text."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SpreadsheetError.of("import.unreadable", path=path, detail=exc.strerror) from None
    if size > MAX_FILE_BYTES:
        raise SpreadsheetError.of("import.too_big", path=path, mb=MAX_FILE_BYTES // 1_000_000)
    suffix = path.suffix.lower()
    if suffix == ".csv" or suffix == ".txt":
        return _csv_rows(path)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    raise SpreadsheetError.of("import.unsupported", path=path, suffix=suffix or "—")


def _csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    # Excel in China saves CSV as GB18030 (GBK); elsewhere UTF-8, often with a BOM.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise SpreadsheetError.of("import.unreadable", path=path, detail="encoding")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    return rows[: MAX_ROWS + HEADER_ROWS]


def _xlsx_rows(path: Path) -> list[list[str]]:
    # start-up: openpyxl loads when a spreadsheet is read or written
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise SpreadsheetError.of("import.unreadable", path=path, detail=exc) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetError.of("import.too_big", path=path, mb=MAX_FILE_BYTES // 1_000_000)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SpreadsheetError.of("import.unreadable", path=path, detail=exc) from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell(v) for v in values])
            if len(rows) >= MAX_ROWS + HEADER_ROWS:
                break
        return rows
    finally:
        book.close()


def _columns(rows: list[list[str]], path: Path) -> tuple[int, dict[str, int]]:
    """The header row's index and each known column's position."""
    for index, row in enumerate(rows[:HEADER_ROWS]):
        found: dict[str, int] = {}
        for position, header in enumerate(row):
            column = _ALIASES.get(_key(header))
            if column is not None and column not in found:
                found[column] = position
        if "name" in found:
            return index, found
    raise SpreadsheetError.of("import.no_header", path=path)


def read_companies(path: Path) -> list[tuple[int, Company, list[Text]]]:
    """Every non-empty row below the header as a company, with what was wrong in a cell
    (a district that is not in Shanghai is left empty and said so)."""
    rows = _table(path)
    header, columns = _columns(rows, path)
    found = []
    for offset, row in enumerate(rows[header + 1 :], start=header + 2):
        cells = {c: row[i] if i < len(row) else "" for c, i in columns.items()}
        if not any(cells.values()):
            continue
        notes: list[Text] = []
        district = ""
        if cells.get("district"):
            district = district_of(cells["district"]) or ""
            if not district:
                notes.append(Text.of("import.district_unknown", district=cells["district"]))
        company = Company(
            name=cells.get("name", ""),
            credit_code=normalise_credit_code(cells.get("credit_code", "")),
            registered_address=cells.get("address", ""),
            district=district,
            legal_representative=cells.get("legal", ""),
            contact=Contact(
                name=cells.get("contact", ""),
                phone=cells.get("phone", ""),
                email=cells.get("email", ""),
            ),
        )
        found.append((offset, company, notes))
        if len(found) >= MAX_ROWS:
            break
    return found


# -- planning and writing ----------------------------------------------------------------


def _filled(base: Company, extra: Company) -> Company:
    """`base` with its empty fields taken from `extra`."""
    data = base.model_dump()
    more = extra.model_dump()
    for key, value in more.items():
        if key == "contact":
            data[key] = {k: data[key][k] or v for k, v in value.items()}
        elif not data.get(key) and value:
            data[key] = value
    return Company.model_validate(data)


def _updated(existing: Company, imported: Company) -> Company:
    """An existing client's company with the list's non-empty values."""
    return _filled(imported, existing)


def plan_import(
    path: Path, existing: Iterable[tuple[str, Profile]], check_code: CodeCheck
) -> ImportPlan:
    """What importing `path` would do, row by row; writes nothing."""
    known_codes: dict[str, str] = {}
    known_names: dict[str, str] = {}
    for client_id, profile in existing:
        if profile.company.credit_code:
            known_codes.setdefault(profile.company.credit_code, client_id)
        if profile.company.name.strip():
            known_names.setdefault(profile.company.name.strip(), client_id)
    plan = ImportPlan(path)
    first_by_code: dict[str, int] = {}
    first_by_name: dict[str, int] = {}
    for row, company, cell_notes in read_companies(path):
        problems: list[Text] = []
        notes = list(cell_notes)
        if not company.name.strip():
            problems.append(Text.of("import.no_name"))
        code = company.credit_code
        if code:
            for is_error, text in check_code(code):
                (problems if is_error else notes).append(text)
        else:
            notes.append(Text.of("import.no_code"))
        if problems:
            plan.rows.append(ImportRow(row, company, tuple(problems), tuple(notes)))
            continue
        name = company.name.strip()
        earlier = first_by_code.get(code) if code else first_by_name.get(name)
        existing_id = known_codes.get(code) if code else known_names.get(name)
        if earlier is not None:
            notes.append(Text.of("import.merged", first=earlier))
        elif existing_id is not None:
            notes.append(Text.of("import.adds_to_existing"))
        if code:
            first_by_code.setdefault(code, row)
        else:
            first_by_name.setdefault(name, row)
        plan.rows.append(ImportRow(row, company, (), tuple(notes), earlier, existing_id))
    return plan


def _merged_companies(plan: ImportPlan) -> dict[int, Company]:
    """Each leading row's company with what its duplicates add."""
    merged = {r.row: r.company for r in plan.rows if r.ok and r.merged_into is None}
    for r in plan.rows:
        if r.ok and r.merged_into is not None and r.merged_into in merged:
            merged[r.merged_into] = _filled(merged[r.merged_into], r.company)
    return merged


def apply_import(ws: ClientBook, plan: ImportPlan, *, author: str | None = None) -> ImportOutcome:
    """Write the plan: new clients added, existing ones given the list's values."""
    merged = _merged_companies(plan)
    added: list[str] = []
    updated: list[str] = []
    for r in plan.rows:
        if r.row not in merged:
            continue
        company = merged[r.row]
        if r.existing is not None and ws.has_client(r.existing):
            profile = ws.client_profile(r.existing)
            changed = profile.model_copy(update={"company": _updated(profile.company, company)})
            ws.update_client(r.existing, changed, author=author)
            updated.append(r.existing)
        else:
            added.append(ws.add_client(Profile(company=company), author=author).id)
    return ImportOutcome(added, updated)


# -- the overview ------------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewLine:
    """One draft as the overview sheet lists it (already in the reader's language)."""

    client: str
    project: str
    direction: str
    status: str
    completeness: int  # percent
    window: str
    days_left: int | None


#: Fill colours of the days-left cell, as the workspace view colours them.
SOON, NEAR, CLOSED = "F8D7DA", "FFF3CD", "E9E9E9"


def write_overview(path: Path, header: Sequence[str], lines: Sequence[OverviewLine]) -> Path:
    """The overview as an .xlsx sheet (header bold and frozen, filters on, widths set)."""
    # start-up: openpyxl loads when a spreadsheet is read or written
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in lines:
        sheet.append(
            [
                line.client,
                line.project,
                line.direction,
                line.status,
                line.completeness / 100,
                line.window,
                line.days_left,
            ]
        )
        row = sheet.max_row
        sheet.cell(row, 5).number_format = "0%"
        days = line.days_left
        colour = None
        if days is not None and days < 0:
            colour = CLOSED
        elif days is not None and days <= 7:
            colour = SOON
        elif days is not None and days <= 14:
            colour = NEAR
        if colour is not None:
            sheet.cell(row, 7).fill = PatternFill("solid", start_color=colour, end_color=colour)
    for column, width in zip("ABCDEFG", (30, 40, 34, 10, 10, 26, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(path, buffer.getvalue(), shared=True)
    return path
