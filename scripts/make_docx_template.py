"""Build resources/templates/application-form.docx, the style sheet of the DOCX form.

python-docx's own default template falls back to a Japanese East Asian font, so
Chinese text would print in MS Mincho; this template sets 宋体/黑体 with zh-CN as the
East Asian language on the document defaults and every style the renderer uses.
Re-run after changing styles: `python scripts/make_docx_template.py`.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle

OUT = Path(__file__).resolve().parent.parent / "resources" / "templates" / "application-form.docx"


def set_fonts(style: BaseStyle, east_asia: str, latin: str = "Times New Roman") -> None:
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def main() -> None:
    doc = Document()
    # Document defaults: East Asian language zh-CN, 宋体.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    rpr_default = defaults.find(qn("w:rPrDefault"))
    assert rpr_default is not None
    rpr = rpr_default.find(qn("w:rPr"))
    assert rpr is not None
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        fonts.set(qn("w:eastAsia"), "宋体")
        fonts.set(qn("w:ascii"), "Times New Roman")
        fonts.set(qn("w:hAnsi"), "Times New Roman")

    normal = doc.styles["Normal"]
    set_fonts(normal, "宋体")
    normal.font.size = Pt(10.5)
    normal.paragraph_format.line_spacing = 1.3
    for name, size in (("Title", 26), ("Subtitle", 15), ("Heading 1", 14), ("Heading 2", 12)):
        style = doc.styles[name]
        set_fonts(style, "黑体", "Arial")
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.bold = name.startswith("Heading")
        if name in ("Title", "Subtitle"):
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name in ("Table Grid", "List Number"):
        set_fonts(doc.styles[name], "宋体")
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.2)
    # Leave the body empty: the renderer adds everything.
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    doc.core_properties.author = "shenbao"
    doc.core_properties.title = "项目申报书"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(OUT))
    print(OUT)


if __name__ == "__main__":
    main()
