"""The application form as an editable DOCX (Word, WPS, LibreOffice).

Starts from the shipped template (`resources/templates/application-form.docx`), whose
styles set 宋体/黑体 as East Asian fonts. Every run also gets `w:eastAsia` set, because
`run.font.name` alone only reaches Latin text and Chinese would fall back to whatever
the reader's Word picks. Page numbers and the table of contents are Word fields, so
they stay right after the user edits the text.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from forms.documents.content import Bullets, Fields, FormDocument, Heading, Para, Signature, Table
from forms.system.atomic import atomic_file
from forms.system.resources import resource_path

TEMPLATE = ("templates", "application-form.docx")
BODY_FONT, HEADING_FONT = "宋体", "黑体"


def _text_width(word: DocxDocument) -> int:
    section = word.sections[0]
    return int(
        (section.page_width or Cm(21)) - (section.left_margin or 0) - (section.right_margin or 0)
    )


def _line_width(line: str, size: float) -> int:
    """Estimated: a full-width character is one em wide, others about half."""
    em = Pt(size)
    return sum(em if ord(c) > 0x2E7F else em // 2 for c in line)


def _signature_lines(word: DocxDocument, lines: tuple[str, ...], size: float) -> list[str]:
    """A seal line too long for the page is broken after its label, never in the name."""
    out: list[str] = []
    room = _text_width(word) - Pt(size)
    for line in lines:
        label, colon, rest = line.partition("：")
        if _line_width(line, size) <= room or not colon or not rest:
            out.append(line)
        else:
            out += [label + colon, rest]
    return out


def _signature_indent(word: DocxDocument, lines: list[str], size: float) -> Length:
    """8 cm, or less so the longest seal line fits on one line: a long company name must
    not break off its last character."""
    widest = max((_line_width(line, size) for line in lines), default=0)
    return Length(max(0, min(Cm(8), _text_width(word) - widest - Pt(size))))


def _east_asia(run: Run, font: str = BODY_FONT) -> Run:
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    return run


def _add_run(
    paragraph: Paragraph, text: str, *, font: str = BODY_FONT, size: float | None = None
) -> Run:
    run = _east_asia(paragraph.add_run(text), font)
    if size is not None:
        run.font.size = Pt(size)
    return run


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC …) that Word and LibreOffice compute."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate):
        _east_asia(paragraph.add_run())._element.append(element)
    _add_run(paragraph, placeholder)
    _east_asia(paragraph.add_run())._element.append(end)


def _shade(cell_element: object, fill: str) -> None:
    tc_pr = cell_element.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _table(
    doc: DocxDocument,
    header: tuple[str, ...] | None,
    rows: list[tuple[str, ...]],
    widths: tuple[float, ...],
    numeric: frozenset[int] = frozenset(),
    label_column: bool = False,
) -> DocxTable:
    all_rows = ([header] if header else []) + rows
    table: DocxTable = doc.add_table(rows=len(all_rows), cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    usable = 16.3  # cm between the template's margins
    total = sum(widths)
    for r, values in enumerate(all_rows):
        row = table.rows[r]
        for c, value in enumerate(values):
            cell = row.cells[c]
            cell.width = Cm(usable * widths[c] / total)
            paragraph = cell.paragraphs[0]
            _add_run(paragraph, value, size=9.5)
            if c in numeric and not (header and r == 0):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if (header and r == 0) or (label_column and c == 0):
                _shade(cell._tc, "E8EEF5" if header and r == 0 else "F2F2F2")
    if header:
        # Repeat the header row when the table runs onto the next page.
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
    return table


def _heading(doc: DocxDocument, text: str, level: int) -> None:
    paragraph = doc.add_paragraph(style=f"Heading {level}")
    _add_run(paragraph, text, font=HEADING_FONT)


def _footer(doc: DocxDocument, company: str, lang: str) -> None:
    section = doc.sections[-1]
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    english = lang == "en"
    _add_run(paragraph, f"{company}    " + ("Page " if english else "第 "), size=8.5)
    _field(paragraph, "PAGE", "1")
    _add_run(paragraph, " of " if english else " 页 共 ", size=8.5)
    _field(paragraph, "NUMPAGES", "1")
    if not english:
        _add_run(paragraph, " 页", size=8.5)


def build_docx(doc: FormDocument) -> DocxDocument:
    word = Document(str(resource_path(*TEMPLATE)))
    english = doc.lang == "en"
    # Cover page.
    for _ in range(5):
        word.add_paragraph()
    _add_run(word.add_paragraph(style="Title"), doc.title, font=HEADING_FONT)
    _add_run(word.add_paragraph(style="Subtitle"), doc.subtitle, font=HEADING_FONT)
    for _ in range(4):
        word.add_paragraph()
    cover = _table(word, None, list(doc.cover), (1, 2))
    cover.style = word.styles["Normal Table"]
    for row in cover.rows:
        for run in row.cells[0].paragraphs[0].runs + row.cells[1].paragraphs[0].runs:
            run.font.size = Pt(12)
    # The cover has no page number: the body is a new section with its own footer.
    body = word.add_section(WD_SECTION.NEW_PAGE)
    body.footer.is_linked_to_previous = False
    _footer(word, doc.footer, doc.lang)
    toc_title = word.add_paragraph()
    toc_title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_run(toc_title, "Contents" if english else "目录", font=HEADING_FONT, size=14)
    _field(
        word.add_paragraph(),
        'TOC \\o "1-2" \\h \\z \\u',
        "Update fields (F9) to build the contents."
        if english
        else "在目录处右键“更新域”（F9）生成目录。",
    )
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for block in doc.blocks():
        if isinstance(block, Heading):
            if block.level == 1 and block.text.startswith(("七、", "7.")):
                word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            _heading(word, block.text, block.level)
        elif isinstance(block, Para):
            paragraph = word.add_paragraph()
            if block.indent:
                paragraph.paragraph_format.first_line_indent = Pt(21)
            _add_run(paragraph, block.text)
        elif isinstance(block, Fields):
            _table(word, None, list(block.rows), (1, 2.1), label_column=True)
            word.add_paragraph()
        elif isinstance(block, Table):
            rows = list(block.rows) + ([block.total] if block.total else [])
            _table(word, block.header, rows, block.widths, block.numeric)
            word.add_paragraph()
        elif isinstance(block, Bullets):
            for i, item in enumerate(block.items, 1):
                _add_run(word.add_paragraph(), f"{i}. {item}")
        elif isinstance(block, Signature):
            word.add_paragraph()
            lines = _signature_lines(word, block.lines, size=11)
            indent = _signature_indent(word, lines, size=11)
            for line in lines:
                paragraph = word.add_paragraph()
                paragraph.paragraph_format.left_indent = indent
                _add_run(paragraph, line, size=11)
    # Ask Word to refresh the TOC and page fields when the file is opened.
    settings = word.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    word.core_properties.title = f"{doc.title} {doc.subtitle}"
    word.core_properties.author = doc.footer
    return word


def write_docx(doc: FormDocument, out: Path) -> Path:
    """Write atomically: a crash never leaves a truncated .docx that Word calls corrupt."""
    word = build_docx(doc)
    with atomic_file(out, shared=True) as handle:
        word.save(handle)
    return out
