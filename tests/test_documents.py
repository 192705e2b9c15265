"""The application form as PDF and DOCX: every character embedded, extractable, editable."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from forms.catalog.model import Catalog
from forms.documents.content import Fields, Table
from forms.documents.fonts import FONT_ENV, FontError, choose_font
from forms.documents.form import build_form
from forms.documents.render import render_docx, render_pdf
from forms.draft.model import Draft
from tests.conftest import IN_WINDOW


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def form_pdf(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> tuple[Path, Draft]:
    from forms.draft.io import load_draft
    from tests.conftest import EXAMPLES

    draft = load_draft(EXAMPLES / "drafts" / "content-creation.json")
    out = tmp_path_factory.mktemp("form") / "form.pdf"
    render_pdf(draft, catalog, out, on=IN_WINDOW)
    return out, draft


def test_every_printed_string_is_extractable_from_the_pdf(
    form_pdf: tuple[Path, Draft], catalog: Catalog
) -> None:
    path, draft = form_pdf
    text = _squash(_pdf_text(path))
    document = build_form(draft, catalog, on=IN_WINDOW)
    missing = [t for t in document.texts() if _squash(t) and _squash(t) not in text]
    assert missing == []
    for figure in (
        "上海星语智创文化科技有限公司",
        "91310104MA1FR6K2XF",
        "1,200万元",
        "300万元",
        "信用承诺书",
    ):
        assert figure in text


def test_pdf_fonts_are_embedded_truetype_subsets(form_pdf: tuple[Path, Draft]) -> None:
    path, _ = form_pdf
    with pikepdf.open(path) as pdf:
        fonts = {}
        for page in pdf.pages:
            for name, font in page.Resources.get("/Font", {}).items():
                fonts[name] = font
        assert fonts
        for font in fonts.values():
            if font.Subtype == "/Type1" and str(font.BaseFont) in ("/Helvetica", "/ZapfDingbats"):
                continue  # reportlab's standard 14 fonts carry no Chinese and need no file
            descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
            assert "/FontFile2" in descriptor, f"{font.BaseFont} is not embedded"
            assert "+" in str(font.BaseFont), "a subset, not the whole 5 MB font"
            assert "/ToUnicode" in font, "text must stay extractable"


def test_pdf_has_page_x_of_y_contents_and_bookmarks(form_pdf: tuple[Path, Draft]) -> None:
    path, _ = form_pdf
    reader = PdfReader(path)
    total = len(reader.pages)
    assert total >= 4
    last = reader.pages[-1].extract_text()
    assert f"第 {total} 页 共 {total} 页" in last
    assert "第 1 页" not in reader.pages[0].extract_text(), "the cover has no page number"
    contents = reader.pages[1].extract_text()
    assert "目录" in contents and "八、附件清单" in contents
    titles = [str(item["/Title"]) for item in reader.outline if isinstance(item, dict)]
    assert titles[0] == "一、申报单位基本情况" and "八、附件清单" in titles
    pages = [
        reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    ]
    assert None not in pages
    numbers = [p for p in pages if p is not None]
    assert numbers == sorted(numbers) and numbers[0] == 2 and numbers[-1] == total - 1


def test_empty_draft_renders_with_blanks_not_errors(tmp_path: Path, catalog: Catalog) -> None:
    out = render_pdf(Draft(), catalog, tmp_path / "empty.pdf")
    text = _pdf_text(out)
    assert "（未填写）" in text
    assert "尚未添加附件" in text


def test_english_rendering(tmp_path: Path, clean_draft: Draft, catalog: Catalog) -> None:
    out = render_pdf(clean_draft, catalog, tmp_path / "en.pdf", lang="en", on=IN_WINDOW)
    text = _pdf_text(out)
    assert "Application form" in text and "Credit commitment letter" in text
    assert re.search(r"Page 3 of \d", text)


def test_budget_table_sums_and_shares(clean_draft: Draft, catalog: Catalog) -> None:
    doc = build_form(clean_draft, catalog, on=IN_WINDOW)
    budget = next(b for b in doc.blocks() if isinstance(b, Table) and b.total is not None)
    assert budget.total is not None
    assert budget.total[1] == "1,200"
    assert budget.rows[0][2] == "15.0%"
    funding = next(
        b
        for b in doc.blocks()
        if isinstance(b, Fields) and any("申请支持金额" in r[0] for r in b.rows)
    )
    assert dict(funding.rows)["申请支持金额"] == "300万元"


def test_threshold_table_says_whether_each_threshold_is_met(
    clean_draft: Draft, catalog: Catalog
) -> None:
    doc = build_form(clean_draft, catalog, on=IN_WINDOW)
    table = next(b for b in doc.blocks() if isinstance(b, Table) and b.header[0] == "指标")
    assert all(row[3] == "达到" for row in table.rows)
    clean_draft.project.metrics = {}
    doc = build_form(clean_draft, catalog, on=IN_WINDOW)
    table = next(b for b in doc.blocks() if isinstance(b, Table) and b.header[0] == "指标")
    assert all(row[3] == "待填写" for row in table.rows)


def test_docx_sets_east_asian_font_on_every_run(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    out = render_docx(clean_draft, catalog, tmp_path / "form.docx", on=IN_WINDOW)
    word = Document(str(out))
    runs = [run for p in word.paragraphs for run in p.runs if run.text.strip()]
    runs += [
        run
        for table in word.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
        for run in p.runs
        if run.text.strip()
    ]
    assert runs
    for run in runs:
        assert run._element.rPr is not None
        fonts = run._element.rPr.rFonts
        assert fonts is not None and fonts.get(qn("w:eastAsia")) in ("宋体", "黑体"), run.text
    # The template's defaults: zh-CN East Asian language, no Japanese fall-back.
    with zipfile.ZipFile(out) as archive:
        styles = archive.read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="zh-CN"' in styles
    assert "MS Mincho" not in styles and "ＭＳ 明朝" not in styles


def test_docx_holds_the_same_text_as_the_pdf(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    out = render_docx(clean_draft, catalog, tmp_path / "form.docx", on=IN_WINDOW)
    word = Document(str(out))
    text = "".join(p.text for p in word.paragraphs)
    text += "".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    text = _squash(text)
    document = build_form(clean_draft, catalog, on=IN_WINDOW)
    assert [t for t in document.texts() if _squash(t) and _squash(t) not in text] == []


def test_docx_has_page_number_fields(tmp_path: Path, clean_draft: Draft, catalog: Catalog) -> None:
    out = render_docx(clean_draft, catalog, tmp_path / "form.docx", on=IN_WINDOW)
    with zipfile.ZipFile(out) as archive:
        footers = "".join(
            archive.read(n).decode() for n in archive.namelist() if n.startswith("word/footer")
        )
        document = archive.read("word/document.xml").decode()
    assert " PAGE " in footers and " NUMPAGES " in footers
    assert "TOC \\o" in document


def test_font_choice_reports_characters_no_font_has(monkeypatch: pytest.MonkeyPatch) -> None:
    font, missing = choose_font(["申报\U000f0001"])  # a private-use character
    assert missing == ["\U000f0001"]
    assert font.path.is_file()
    from forms.documents.pdf import register_font

    with pytest.raises(FontError, match="SHENBAO_FONT"):
        register_font(["申报\U000f0001"])


def test_font_from_environment_is_preferred(monkeypatch: pytest.MonkeyPatch) -> None:
    from forms.documents.fonts import BUNDLED
    from forms.system.resources import resource_path

    bundled = resource_path(*BUNDLED)
    monkeypatch.setenv(FONT_ENV, str(bundled))
    font, missing = choose_font(["申报书"])
    assert (font.source, missing) == ("env", [])


def test_a_cff_or_broken_font_is_skipped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "broken.ttf"
    fake.write_bytes(b"OTTO" + b"\0" * 200)
    monkeypatch.setenv(FONT_ENV, str(fake))
    font, _ = choose_font(["申报"])
    assert font.path != fake
