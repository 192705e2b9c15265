"""The hand-off to the portal: the 申报书's 附件清单 names what is uploaded, empty optional
fields stay quiet, the seal line keeps the company name whole, the investment budget is
written from step 4, and the "fill the portal" view holds the form's own values."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfReader

from forms.catalog.model import Catalog
from forms.documents.content import Fields, Heading, Table
from forms.documents.form import attachments_section, build_form, commitment_letter, form_input
from forms.documents.pdf import write_pdf
from forms.documents.portal import BuiltPart, portal_fields, portal_uploads
from forms.draft.model import Attachment, Draft
from forms.package.build import build_package
from forms.package.order import generated_items, planned_uploads
from tests.conftest import EXAMPLES, IN_WINDOW
from validators.check import check


def _without(draft: Draft, item: str) -> Draft:
    return draft.model_copy(
        update={"attachments": [a for a in draft.attachments if a.item != item]}
    )


def _table(blocks: Sequence[object]) -> Table:
    return next(b for b in blocks if isinstance(b, Table))


def test_the_attachment_list_names_the_upload_files_not_the_users(
    clean_draft: Draft, catalog: Catalog
) -> None:
    draft = clean_draft.model_copy(deep=True)
    draft.attachments[0] = Attachment(item="business_licence", file="/home/u/huge-photo-100MB.png")
    table = _table(attachments_section(form_input(draft, catalog, on=IN_WINDOW)))
    names = [row[2] for row in table.rows]
    assert names[:3] == ["02_信用承诺书.pdf", "03_营业执照.pdf", "04_上年度财务审计报告.pdf"]
    assert not any("huge-photo" in cell for row in table.rows for cell in row)
    assert [p.name for p in planned_uploads(draft, catalog)][1:] == names


def test_the_list_is_the_packages_own_names(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    result = build_package(
        clean_draft, catalog, tmp_path / "pkg", base_dir=EXAMPLES / "drafts", on=IN_WINDOW
    )
    planned = [p.name for p in planned_uploads(clean_draft, catalog)]
    assert [p.path.name for p in result.parts] == planned


def test_empty_optional_fields_are_quiet_required_ones_blank(catalog: Catalog) -> None:
    form = build_form(Draft(), catalog, on=IN_WINDOW)
    rows = dict(next(b for b in form.sections[0] if isinstance(b, Fields)).rows)
    assert rows["单位名称"] == "（未填写）" and rows["法定代表人"] == "（未填写）"
    assert rows["成立日期"] == rows["注册资本"] == rows["企业性质"] == rows["电子邮箱"] == "—"


def test_the_seal_line_keeps_the_company_name_on_one_line(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    for name in (
        "上海星语智创文化科技发展集团有限公司",
        "上海市某某某某某某某某人工智能科技发展集团股份有限公司第一分公司",
    ):
        draft = clean_draft.model_copy(deep=True)
        draft.company.name = name
        out = write_pdf(
            commitment_letter(draft, catalog, on=IN_WINDOW), tmp_path / "c.pdf", front_matter=False
        )
        lines = PdfReader(out).pages[0].extract_text().splitlines()
        assert any(line.strip().endswith(name) for line in lines), lines
        assert not any(line.strip() in ("司", "公司") for line in lines), lines


def test_the_investment_budget_is_written_from_step_4_unless_a_file_replaces_it(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    mine = clean_draft
    generated = _without(clean_draft, "investment_plan")
    assert "investment_plan" not in generated_items(mine, catalog)
    assert "investment_plan" in generated_items(generated, catalog)
    codes = {(f.code, f.field) for f in check(generated, catalog, IN_WINDOW, files=None)}
    assert ("attachment.required_missing", "attachments[investment_plan]") not in codes
    no_budget = generated.model_copy(deep=True)
    no_budget.project.budget = []
    codes = {(f.code, f.field) for f in check(no_budget, catalog, IN_WINDOW, files=None)}
    assert ("attachment.required_missing", "attachments[investment_plan]") in codes

    result = build_package(
        generated, catalog, tmp_path / "pkg", base_dir=EXAMPLES / "drafts", on=IN_WINDOW
    )
    assert result.ok, [p.message("en") for p in result.problems]
    budget = next(p for p in result.parts if p.item == "investment_plan")
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(budget.path).pages))
    assert "项目投资预算明细" in text and "上海星语智创文化科技有限公司" in text
    for figure in ("推理服务器与渲染工作站", "1,200万元", "900万元", "300万元"):
        assert figure in text
    form = "".join(p.extract_text() for p in PdfReader(result.parts[0].path).pages)
    assert "05_项目投资预算明细.pdf" in form and "本工具按申报数据生成" in re.sub(r"\s+", "", form)


def test_the_portal_view_holds_the_forms_values_in_its_order(
    clean_draft: Draft, catalog: Catalog
) -> None:
    fields = portal_fields(clean_draft, catalog, on=IN_WINDOW)
    value = {f.label: f for f in fields}
    assert value["单位名称"].value == "上海星语智创文化科技有限公司"
    assert (value["注册资本"].value, value["注册资本"].unit) == ("1000", "万元")
    assert value["成立日期"].value == "2019-06-18"
    assert value["申请支持金额"].value == "300" and value["申请支持金额"].unit == "万元"
    # In 万元, no thousands separator, and the unit said beside it as for every amount.
    assert (value["2025 · 营业收入"].value, value["2025 · 营业收入"].unit) == ("5120", "万元")
    assert (value["C端用户数 · 申报值"].value, value["C端用户数 · 申报值"].unit) == ("420000", "人")
    assert value["产品年营收 · 申报值"].value == "460"
    assert "政策允许的最高支持（测算）" not in value  # worked out by shenbao, not typed
    assert not any("占比" in f.label or "门槛" in f.label for f in fields)
    assert "八、附件清单" not in {f.section for f in fields}
    # Section order is the form's.
    form_sections = [
        b.text
        for section in build_form(clean_draft, catalog, on=IN_WINDOW).sections
        for b in section
        if isinstance(b, Heading) and b.level == 1
    ]
    seen = list(dict.fromkeys(f.section for f in fields))
    assert seen == [s for s in form_sections if s in seen]
    assert seen[0] == "一、申报单位基本情况"


def test_the_portal_view_of_an_empty_draft_has_empty_values(catalog: Catalog) -> None:
    fields = portal_fields(Draft(), catalog, on=IN_WINDOW)
    named = {f.label: f.value for f in fields}
    assert named["单位名称"] == "" and named["电子邮箱"] == ""
    assert not any("未填写" in f.value for f in fields)


def test_the_upload_list_in_portal_order_marked_for_the_e_seal(
    tmp_path: Path, clean_draft: Draft, catalog: Catalog
) -> None:
    before = portal_uploads(clean_draft, catalog)
    assert [u.name for u in before] == [p.name for p in planned_uploads(clean_draft, catalog)]
    assert all(u.e_seal for u in before) and before[0].generated and not before[2].generated
    assert before[2].sources == ("business-licence.pdf",) and before[2].path is None

    result = build_package(
        clean_draft, catalog, tmp_path / "pkg", base_dir=EXAMPLES / "drafts", on=IN_WINDOW
    )
    built = [BuiltPart(p.path, p.size, p.pages, p.item) for p in result.parts]
    after = portal_uploads(clean_draft, catalog, built)
    assert [(u.name, u.size, u.pages) for u in after] == [
        (p.path.name, p.size, p.pages) for p in result.parts
    ]
    assert all(u.path is not None and u.path.is_file() for u in after)
