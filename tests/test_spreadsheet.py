"""Clients from Excel or CSV (a preview of every row before anything is written; duplicates
by credit code merged) and the drafts overview written to Excel."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from forms.draft.model import Company, Profile
from forms.text import Text
from forms.workspace.spreadsheet import (
    OverviewLine,
    SpreadsheetError,
    apply_import,
    plan_import,
    read_companies,
    write_overview,
)
from tests.workspace_helpers import fast_scrypt, new_workspace
from validators.check import credit_code_texts
from validators.credit_code import complete_code

XINGYU = "91310104MA1FR6K2XF"
BEIJING = complete_code("91110108MA01ABCD")  # valid, registered in Beijing


def check(code: str) -> Sequence[tuple[bool, Text]]:
    return credit_code_texts(code)


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


LIST: list[list[object]] = [
    ["客户名单（2025）"],  # a title above the header
    ["单位名称", "统一社会信用代码", "注册地址", "所在区", "联系人", "联系电话"],
    [
        "上海星语智创文化科技有限公司",
        "9131 0104-MA1FR6K2XF",
        "漕溪北路88号",
        "徐汇",
        "周明",
        13816612345,
    ],
    ["北京某某科技有限公司", BEIJING, "海淀区", "海淀", "张三", ""],
    ["", XINGYU, "", "", "", ""],
    [
        "上海星语智创文化科技有限公司",
        "９１３１０１０４ＭＡ１ＦＲ６Ｋ２ＸＦ",
        "",
        "",
        "",
        "021-12345678",
    ],
    ["上海坏代码有限公司", "91310104MA1FR6K2XG", "", "浦东", "", ""],
    [],
    ["上海无代码有限公司", "", "", "Pudong", "", ""],
]


def test_every_row_is_judged_before_anything_is_written(tmp_path: Path) -> None:
    plan = plan_import(_xlsx(tmp_path / "list.xlsx", LIST), [], check)
    by_row = {r.row: r for r in plan.rows}
    assert sorted(by_row) == [3, 4, 5, 6, 7, 9]  # the title, header and empty row skipped
    first = by_row[3]
    assert first.ok and first.company.credit_code == XINGYU and first.company.district == "徐汇区"
    assert first.company.contact.phone == "13816612345"  # a number cell, read as digits
    beijing = by_row[4]
    assert beijing.ok and beijing.company.district == ""
    notes = [t.code for t in beijing.notes]
    assert notes == ["import.district_unknown", "credit_code.outside_shanghai"]
    assert [t.code for t in by_row[5].problems] == ["import.no_name"]
    assert by_row[6].ok and by_row[6].merged_into == 3  # the same code in full-width digits
    assert [t.code for t in by_row[7].problems] == ["credit_code.check_char"]
    assert by_row[9].ok and by_row[9].company.district == "浦东新区"
    assert [t.code for t in by_row[9].notes] == ["import.no_code"]
    assert [r.row for r in plan.new] == [3, 4, 9] and [r.row for r in plan.bad] == [5, 7]


def test_duplicates_are_merged_and_existing_clients_updated_not_doubled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_scrypt(monkeypatch)
    ws = new_workspace(tmp_path / "ws")
    known = ws.add_client(Profile(company=Company(name="星语", credit_code=XINGYU, staff=86)))
    source = _xlsx(tmp_path / "list.xlsx", LIST)
    before = [(c.id, ws.client_profile(c.id)) for c in ws.clients()]
    plan = plan_import(source, before, check)
    assert [r.row for r in plan.updates] == [3] and plan.rows[0].existing == known.id
    assert [c.id for c in ws.clients()] == [known.id]  # planning wrote nothing

    outcome = apply_import(ws, plan)
    assert outcome.updated == [known.id] and len(outcome.added) == 2
    merged = ws.client_profile(known.id).company
    assert merged.name == "上海星语智创文化科技有限公司"  # the list's value replaces
    assert merged.staff == 86  # what the list leaves empty is kept
    assert merged.contact.phone == "13816612345"  # first row wins, the duplicate fills gaps
    assert merged.registered_address == "漕溪北路88号"
    again = plan_import(source, [(c.id, ws.client_profile(c.id)) for c in ws.clients()], check)
    apply_import(ws, again)
    assert len(ws.clients()) == 3  # importing twice doubles nothing


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_as_excel_saves_it(tmp_path: Path, encoding: str) -> None:
    text = "名称;信用代码;区\n上海星语智创文化科技有限公司;91310104MA1FR6K2XF;静安\n"
    path = tmp_path / "list.csv"
    path.write_bytes(text.encode(encoding))
    [(row, company, notes)] = read_companies(path)
    assert row == 2 and company.credit_code == XINGYU and company.district == "静安区"
    assert notes == []


def test_english_headers_in_any_order(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "list.xlsx",
        [["Phone", "Credit code", "Company name", "E-mail"], ["021-1", XINGYU, "Xingyu", "a@b.cn"]],
    )
    [(_, company, _)] = read_companies(path)
    assert (company.name, company.contact.phone, company.contact.email) == (
        "Xingyu",
        "021-1",
        "a@b.cn",
    )


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("list.xls", b"\xd0\xcf\x11\xe0", "import.unsupported"),
        ("list.xlsx", b"not a zip", "import.unreadable"),
        ("list.csv", "电话,地址\n1,2\n".encode(), "import.no_header"),
    ],
)
def test_a_file_that_is_no_list_says_what_to_do(
    tmp_path: Path, name: str, content: bytes, code: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SpreadsheetError) as failed:
        plan_import(path, [], check)
    assert failed.value.text is not None and failed.value.text.code == code
    assert name in failed.value.message("en")


def test_the_overview_sheet(tmp_path: Path) -> None:
    lines = [
        OverviewLine(
            "星语", "短剧平台", "内容创作产品", "可导出", 100, "2025-09-03 — 2025-09-22", 5
        ),
        OverviewLine("某某", "（未命名项目）", "未选方向", "草稿", 17, "", None),
        OverviewLine("旧的", "游戏", "本土游戏产品", "草稿", 50, "…", -3),
    ]
    header = ["单位", "项目", "支持方向", "状态", "完整度", "申报窗口", "剩余天数"]
    path = write_overview(tmp_path / "overview.xlsx", header, lines)
    sheet = load_workbook(path).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == header
    assert rows[1] == (
        "星语",
        "短剧平台",
        "内容创作产品",
        "可导出",
        1,
        "2025-09-03 — 2025-09-22",
        5,
    )
    assert rows[2][6] is None and rows[3][6] == -3
    assert sheet.freeze_panes == "A2"
    assert sheet["G2"].fill.start_color.rgb.endswith("F8D7DA")  # closes within a week
    assert sheet["G4"].fill.start_color.rgb.endswith("E9E9E9")  # closed
    assert sheet["E2"].number_format == "0%"
