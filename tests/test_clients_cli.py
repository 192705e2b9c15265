"""The client and overview commands: import a list, a draft from a client, edit and delete
clients, carry company data, the overview as .xlsx and the deadlines as .ics; and the
end of `shenbao demo`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from forms.workspace import Passphrase, Workspace
from tests.workspace_helpers import PASSPHRASE, run_cli

CONTENT = "sheitc-ai-plus-2025/annex2-digital-content/content-creation"
LIST = (
    "单位名称,统一社会信用代码,所在区,联系人,电话\n"
    "上海星语智创文化科技有限公司,9131 0104-MA1FR6K2XF,徐汇,周明,13816612345\n"
    ",91310104MA1FR6K2XF,,,\n"
    "上海星语智创文化科技有限公司,91310104MA1FR6K2XF,,,021-12345678\n"
    "上海坏代码有限公司,91310104MA1FR6K2XG,浦东,,\n"
)


pytestmark = pytest.mark.usefixtures("cli_env")
run = run_cli


@pytest.fixture
def ws(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "ws"
    assert run(capsys, "workspace", "init", "--workspace", str(folder))[0] == 0
    return folder


def _open(folder: Path) -> Workspace:
    return Workspace.open(folder, Passphrase(PASSPHRASE))


def test_import_shows_every_row_and_dry_run_writes_nothing(
    ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "list.csv"
    source.write_text(LIST, encoding="utf-8")
    code, out, _ = run(
        capsys, "clients", "import", str(source), "--dry-run", "--workspace", str(ws)
    )
    assert code == 0 and "没有单位名称" in out and "校验位不符" in out and "合并为一个" in out
    assert "未写入" in out and _open(ws).clients() == []
    code, out, _ = run(
        capsys, "clients", "import", str(source), "--workspace", str(ws), "--json", "--lang", "en"
    )
    data = json.loads(out)
    assert [r["action"] for r in data["rows"]] == ["new", "bad", "merged", "bad"]
    assert data["rows"][1]["problems"] == ["no company name"]
    assert len(data["written"]["added"]) == 1
    [client] = _open(ws).clients()
    assert client.credit_code == "91310104MA1FR6K2XF"
    code, out, _ = run(capsys, "clients", "import", str(source), "--workspace", str(ws))
    assert "更新 / updates: 1" in out and len(_open(ws).clients()) == 1


def test_a_draft_starts_from_its_client_and_edits_reach_it(
    ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "list.csv"
    source.write_text(LIST, encoding="utf-8")
    run(capsys, "clients", "import", str(source), "--workspace", str(ws))
    code, out, err = run(
        capsys,
        "draft",
        "new",
        "--client",
        "91310104MA1FR6K2XF",
        "--direction",
        CONTENT,
        "--title",
        "短剧平台",
        "--workspace",
        str(ws),
    )
    assert code == 0, err
    [info] = _open(ws).drafts()
    draft = _open(ws).load_draft(info.id)
    assert draft.company.contact.name == "周明" and draft.direction == CONTENT
    assert draft.project.name == "短剧平台" and draft.title == ""

    code, out, err = run(
        capsys,
        "clients",
        "set",
        "上海星语智创文化科技有限公司",
        "legal_representative=林晓岚",
        "staff=86",
        "--drafts",
        "--workspace",
        str(ws),
    )
    assert code == 0, err
    assert "已更新 1 份草稿" in out
    assert _open(ws).load_draft(info.id).company.legal_representative == "林晓岚"
    code, _, err = run(
        capsys,
        "clients",
        "set",
        "上海星语智创文化科技有限公司",
        "staff=many",
        "--workspace",
        str(ws),
    )
    assert code == 2 and "invalid value" in err
    code, _, err = run(capsys, "clients", "set", "星语", "name=x", "--workspace", str(ws))
    assert code == 2 and "no client" in err

    opened = _open(ws)
    edited = opened.load_draft(info.id)
    edited.company.registered_address = "漕溪北路88号"
    opened.save_draft(edited)
    code, out, _ = run(capsys, "clients", "carry", info.id[:8], "--workspace", str(ws))
    assert code == 0 and "company" in out
    code, out, _ = run(
        capsys, "clients", "show", "91310104MA1FR6K2XF", "--workspace", str(ws), "--json"
    )
    assert json.loads(out)["company"]["registered_address"] == "漕溪北路88号"

    code, _, err = run(capsys, "clients", "delete", "91310104MA1FR6K2XF", "--workspace", str(ws))
    assert code == 2 and "1份草稿" in err
    code, out, _ = run(
        capsys, "clients", "delete", "91310104MA1FR6K2XF", "--with-drafts", "--workspace", str(ws)
    )
    assert code == 0 and _open(ws).clients() == [] and _open(ws).drafts() == []


def test_overview_xlsx_and_deadline_calendar(
    ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.workspace_helpers import EXAMPLE

    assert run(capsys, "draft", "add", str(EXAMPLE), "--workspace", str(ws))[0] == 0
    sheet, ics = tmp_path / "overview.xlsx", tmp_path / "deadlines.ics"
    code, out, err = run(
        capsys,
        "drafts",
        "--xlsx",
        str(sheet),
        "--ics",
        str(ics),
        "--date",
        "2025-09-10",
        "--workspace",
        str(ws),
    )
    assert code == 0, err
    rows = list(load_workbook(sheet).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0] == ("单位", "项目", "支持方向", "状态", "完整度", "申报窗口", "剩余天数")
    assert rows[1][0] == "上海星语智创文化科技有限公司" and rows[1][2] == "内容创作产品"
    assert rows[1][5] == "2025-09-03 10:00 — 2025-09-22 16:00" and rows[1][6] == 12
    text = ics.read_bytes().decode("utf-8")
    assert "UID:demo-content-creation-xingyu-closes@shenbao" in text
    # After the window: nothing left to put in a calendar.
    code, out, _ = run(
        capsys, "drafts", "--ics", str(ics), "--date", "2025-10-01", "--workspace", str(ws)
    )
    assert "0 个截止日期" in out and "BEGIN:VEVENT" not in ics.read_text("utf-8")


def test_demo_ends_with_how_to_open_it_and_what_the_closed_window_means(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "demo", "--workspace", str(tmp_path / "demo"), "--date", "2026-12-02"
    )
    assert code == 0, err
    tail = out[out.index("在桌面应用中打开此演示工作区") :]
    assert f"shenbao-gui --workspace {tmp_path / 'demo'}" in tail
    assert tail.count("已关闭") == 1 and "2025-09-22 16:00" in tail and "--date" in tail
    code, out, _ = run(
        capsys, "demo", "--workspace", str(tmp_path / "demo"), "--date", "2025-09-10"
    )
    assert "已关闭" not in out[out.index("在桌面应用中打开此演示工作区") :]
