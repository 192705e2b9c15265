"""The application form as PDF: embedded CJK subset font, bookmarks, contents, page x of y.

reportlab lays out the `FormDocument` (platypus does the line breaking, with CJK rules,
tables that split across pages and a two-pass table of contents). The font is a
TrueType subset chosen by `forms.documents.fonts`, so every character is embedded and text stays
selectable and extractable; characters no available font has are refused before
anything is written, instead of turning into boxes on the reviewer's screen.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as RlTable
from reportlab.platypus.tableofcontents import TableOfContents

from forms.documents.content import Bullets, Fields, FormDocument, Heading, Para, Signature, Table
from forms.documents.fonts import FONT_ENV, FontError, choose_font
from forms.system.atomic import write_atomic

FONT_NAME = "ShenbaoCJK"
_registered: dict[str, str] = {}  # font file#index -> reportlab font name


def register_font(texts: list[str]) -> str:
    """Register a CJK font that covers `texts` with reportlab (once per process) and
    return its reportlab name; raise `FontError` naming characters nothing can print."""
    font, missing = choose_font(texts)
    if missing:
        raise FontError.of("font.missing_glyphs", chars="".join(missing[:40]), env=FONT_ENV)
    key = f"{font.path}#{font.subfont}"
    if key not in _registered:
        name = f"{FONT_NAME}{len(_registered)}"
        pdfmetrics.registerFont(TTFont(name, str(font.path), subfontIndex=font.subfont))
        _registered[key] = name
    return _registered[key]


class _Styles:
    def __init__(self, font: str) -> None:
        base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=17, wordWrap="CJK")
        self.body = ParagraphStyle("body-indent", parent=base, firstLineIndent=21)
        self.plain = base
        self.cell = ParagraphStyle("cell", parent=base, fontSize=9.5, leading=14)
        self.cell_right = ParagraphStyle("cell-r", parent=self.cell, alignment=TA_RIGHT)
        self.label = ParagraphStyle("label", parent=self.cell, textColor=colors.HexColor("#333333"))
        self.h1 = ParagraphStyle(
            "h1", parent=base, fontSize=14, leading=22, spaceBefore=10, spaceAfter=6
        )
        self.h2 = ParagraphStyle(
            "h2", parent=base, fontSize=12, leading=19, spaceBefore=6, spaceAfter=3
        )
        self.title = ParagraphStyle(
            "title", parent=base, fontSize=26, leading=36, alignment=TA_CENTER
        )
        self.subtitle = ParagraphStyle(
            "subtitle", parent=base, fontSize=15, leading=24, alignment=TA_CENTER
        )
        self.cover = ParagraphStyle("cover", parent=base, fontSize=12, leading=20)
        self.toc_title = ParagraphStyle("toc-title", parent=self.h1, alignment=TA_CENTER)
        self.toc = [
            ParagraphStyle("toc1", parent=base, fontSize=11, leading=20, leftIndent=0),
            ParagraphStyle("toc2", parent=base, fontSize=10, leading=17, leftIndent=18),
        ]
        self.signature = ParagraphStyle("sig", parent=base, fontSize=11, leading=26, leftIndent=200)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


class _HeadingPara(Paragraph):  # type: ignore[misc]
    """A heading that reports itself to the table of contents and the outline."""

    def __init__(self, text: str, style: ParagraphStyle, level: int) -> None:
        super().__init__(escape(text), style)
        self.toc_text = text
        self.toc_level = level


class _FormTemplate(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, path: io.BytesIO, footer: str, font: str, lang: str, title: str) -> None:
        super().__init__(
            path,
            pagesize=A4,
            leftMargin=25 * mm,
            rightMargin=22 * mm,
            topMargin=22 * mm,
            bottomMargin=22 * mm,
            title=title,
            author=footer,
            creator="shenbao",
            invariant=True,
        )
        self.footer = footer
        self.font = font
        self.lang = lang
        #: Page count of the previous layout pass, for "page x of y" (multiBuild lays
        #: out at least twice because of the table of contents).
        self.total_pages = 0
        self.footer_total = 0  # the total the footers of the current pass print
        self.cover = True  # the first page is a cover without footer
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_draw_footer)])
        self._heading_seq = 0

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's name
        if isinstance(flowable, _HeadingPara):
            self._heading_seq += 1
            key = f"h{self._heading_seq}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.toc_text, key, level=flowable.toc_level - 1)
            self.notify("TOCEntry", (flowable.toc_level - 1, flowable.toc_text, self.page, key))

    def handle_documentBegin(self) -> None:  # noqa: N802 - reportlab's name
        self._heading_seq = 0
        self.footer_total = self.total_pages
        super().handle_documentBegin()

    def _endBuild(self) -> None:  # noqa: N802 - reportlab's name
        self.total_pages = self.page
        super()._endBuild()


def _draw_footer(canvas: Canvas, doc: _FormTemplate) -> None:
    """Footer of every page but the cover: company name and "page x of y"."""
    page = canvas.getPageNumber()
    if page == 1 and doc.cover:
        return
    total = doc.footer_total or "?"
    canvas.saveState()
    canvas.setFont(doc.font, 8.5)
    canvas.setFillColor(colors.HexColor("#555555"))
    width = A4[0]
    number = f"Page {page} of {total}" if doc.lang == "en" else f"第 {page} 页 共 {total} 页"
    canvas.drawCentredString(width / 2, 12 * mm, number)
    canvas.drawString(25 * mm, 12 * mm, doc.footer[:40])
    canvas.setStrokeColor(colors.HexColor("#999999"))
    canvas.line(25 * mm, 16 * mm, width - 22 * mm, 16 * mm)
    canvas.restoreState()


def _table(block: Table, styles: _Styles, width: float) -> RlTable:
    total_w = sum(block.widths)
    col_widths = [width * w / total_w for w in block.widths]
    header = [_p(h, styles.cell) for h in block.header]
    body = [
        [_p(c, styles.cell_right if i in block.numeric else styles.cell) for i, c in enumerate(row)]
        for row in block.rows
    ]
    data = [header, *body]
    if block.total:
        data.append(
            [
                _p(c, styles.cell_right if i in block.numeric else styles.cell)
                for i, c in enumerate(block.total)
            ]
        )
    table = RlTable(data, colWidths=col_widths, repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#777777")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF5")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if block.total:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F4F4F4")))
    table.setStyle(TableStyle(style))
    return table


def _fields(rows: tuple[tuple[str, str], ...], styles: _Styles, width: float) -> RlTable:
    data = [[_p(label, styles.label), _p(value, styles.cell)] for label, value in rows]
    table = RlTable(data, colWidths=[width * 0.32, width * 0.68])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#777777")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F2F2F2")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _room(style: ParagraphStyle, width: float) -> float:
    # The frame pads its content by 6 pt on each side; one em of slack for the wrapper.
    return width - 12 - float(style.fontSize)


def _signature_lines(block: Signature, style: ParagraphStyle, width: float) -> list[str]:
    """The seal lines; one too long for the page is broken after its label ("申报单位
    （盖章）：" above the name), never inside the name."""
    lines = []
    for line in block.lines:
        fits = pdfmetrics.stringWidth(line, style.fontName, style.fontSize) <= _room(style, width)
        label, colon, rest = line.partition("：") if "：" in line else line.partition(": ")
        if fits or not colon or not rest:
            lines.append(line)
        else:
            lines += [label + colon, rest]
    return lines


def _signature_style(lines: list[str], style: ParagraphStyle, width: float) -> ParagraphStyle:
    """The seal lines at their usual indent, moved left as far as the longest line needs
    to stay on one line (a long company name must not leave its last character alone on
    the next line)."""
    widest = max(
        (pdfmetrics.stringWidth(line, style.fontName, style.fontSize) for line in lines),
        default=0.0,
    )
    indent = max(0.0, min(style.leftIndent, _room(style, width) - widest))
    if indent == style.leftIndent:
        return style
    return ParagraphStyle(f"sig-{indent:.0f}", parent=style, leftIndent=indent)


def _front_matter(doc: FormDocument, styles: _Styles, width: float) -> list[Flowable]:
    """Cover page and table of contents."""
    story: list[Flowable] = [Spacer(1, 40 * mm), _p(doc.title, styles.title), Spacer(1, 8 * mm)]
    story += [_p(doc.subtitle, styles.subtitle), Spacer(1, 30 * mm)]
    cover = RlTable(
        [[_p(label, styles.cover), _p(value, styles.cover)] for label, value in doc.cover],
        colWidths=[width * 0.3, width * 0.6],
    )
    cover.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    story += [cover, PageBreak()]
    toc = TableOfContents()
    toc.levelStyles = styles.toc
    toc.dotsMinLevel = 0
    story += [_p("目录" if doc.lang != "en" else "Contents", styles.toc_title), toc, PageBreak()]
    return story


def _story(doc: FormDocument, styles: _Styles, width: float, front_matter: bool) -> list[Flowable]:
    if front_matter:
        story = _front_matter(doc, styles, width)
    else:
        story = [_p(doc.title, styles.subtitle), Spacer(1, 4 * mm)]
    for block in doc.blocks():
        if isinstance(block, Heading):
            style = styles.h1 if block.level == 1 else styles.h2
            if front_matter and block.level == 1 and block.text.startswith(("七、", "7.")):
                story.append(PageBreak())  # the commitment letter starts on its own page
            story.append(_HeadingPara(block.text, style, block.level))
        elif isinstance(block, Para):
            story.append(_p(block.text, styles.body if block.indent else styles.plain))
        elif isinstance(block, Fields):
            story += [_fields(block.rows, styles, width), Spacer(1, 3 * mm)]
        elif isinstance(block, Table):
            story += [_table(block, styles, width), Spacer(1, 3 * mm)]
        elif isinstance(block, Bullets):
            story += [_p(f"{i}. {item}", styles.plain) for i, item in enumerate(block.items, 1)]
        elif isinstance(block, Signature):
            story.append(Spacer(1, 10 * mm))
            lines = _signature_lines(block, styles.signature, width)
            style = _signature_style(lines, styles.signature, width)
            story += [_p(line, style) for line in lines]
    return story


def write_pdf(doc: FormDocument, out: Path, *, front_matter: bool = True) -> Path:
    """Lay out `doc` into `out` (written whole to a temporary name, then renamed).
    Without front matter (a short letter, the package checklist) there is no cover
    and no table of contents, and every page carries the footer."""
    name = register_font([*doc.texts(), "目录第页共0123456789 Contents Page of"])
    styles = _Styles(name)
    buffer = io.BytesIO()
    template = _FormTemplate(buffer, doc.footer, name, doc.lang, f"{doc.title} {doc.subtitle}")
    template.cover = front_matter
    template.multiBuild(_story(doc, styles, template.width, front_matter))
    for _ in range(3):  # until the footers' total is the real page count
        if template.footer_total == template.total_pages:
            break
        buffer = template.filename = io.BytesIO()  # each pass writes the whole file
        template.multiBuild(_story(doc, styles, template.width, front_matter))
    write_atomic(out, buffer.getvalue(), shared=True)
    return out
