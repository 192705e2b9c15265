"""The command line end to end on examples/: exit codes, output, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli.main import main
from tests.conftest import EXAMPLES, ROOT

DRAFTS = EXAMPLES / "drafts"
PROFILES = EXAMPLES / "profiles"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_catalog_lists_policies_with_status(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "--date", "2026-11-23")
    assert code == 0
    assert "[已过期] 嘉定区数字广告业高质量发展行动方案" in out
    assert "[受理已截止] 2025年度上海市“人工智能+”行动项目申报" in out
    assert "[已废止]" in out
    assert "sheitc-ai-plus-2025/annex2-digital-content/content-creation" in out


def test_catalog_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "--json", "--date", "2025-09-10")
    data = json.loads(out)
    statuses = {p["id"]: p["status"] for p in data["policies"]}
    assert code == 0 and statuses["sheitc-ai-plus-2025"] == "active"
    assert statuses["shwl-2024-microdrama"] == "active"  # superseded only from 2026-05-20


def test_match_eligible_company(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "match", str(PROFILES / "content-creation-company.json"), "--date", "2025-09-10"
    )
    assert code == 0
    first = out.split("== 符合")[1].split("\n* ")[1]
    assert first.startswith("内容创作产品")
    assert "C端用户数 420,000人，满足“C端用户数超30万”" in out


def test_match_json_for_game_company(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "match",
        str(PROFILES / "game-below-threshold.json"),
        "--json",
        "--date",
        "2025-09-10",
    )
    data = json.loads(out)
    buyout = next(m for m in data["matches"] if m["key"].endswith("game-buyout"))
    assert code == 0 and buyout["verdict"] == "not_eligible"
    assert any("超5万份" in r["message_zh"] and r["met"] is False for r in buyout["reasons"])


def test_match_english(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(
        capsys, "match", str(PROFILES / "non-shanghai-company.json"), "--lang", "en", "--all"
    )
    assert "must be registered in Shanghai" in out


def test_check_clean_draft_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "check", str(DRAFTS / "content-creation.json"), "--date", "2025-09-10"
    )
    assert code == 0, out
    assert "错误 0" in out and "可以导出" in out


def test_check_bad_credit_code_exits_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(DRAFTS / "bad-credit-code.json"), "--json")
    assert code == 1
    result = json.loads(out)[0]
    codes = {f["code"] for f in result["findings"]}
    assert "credit_code.check_char" in codes and result["exportable"] is False
    hit = next(f for f in result["findings"] if f["code"] == "credit_code.check_char")
    assert hit["field"] == "company.credit_code" and "GB 32100" in hit["clause"]
    assert "“W”" in hit["message_zh"]


def test_check_reports_missing_attachment_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    moved = tmp_path / "drafts"
    moved.mkdir()
    draft = moved / "d.json"
    draft.write_bytes((DRAFTS / "content-creation.json").read_bytes())
    code, out, _ = run(capsys, "check", str(draft), "--date", "2025-09-10")
    assert code == 1 and "找不到附件文件" in out
    code, _, _ = run(capsys, "check", str(draft), "--date", "2025-09-10", "--no-files")
    assert code == 0


def test_check_one_project_across_given_drafts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads((DRAFTS / "content-creation.json").read_text(encoding="utf-8"))
    data["id"] = "second"
    data["direction"] = "sheitc-ai-plus-2025/annex2-fintech/fintech-product"
    second = tmp_path / "second.json"
    second.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(
        capsys,
        "check",
        str(DRAFTS / "content-creation.json"),
        str(second),
        "--no-files",
        "--date",
        "2025-09-10",
    )
    assert code == 1 and "同一单位原则上只能申报一个项目" in out
    assert "请书面说明理由" in out  # a norm: the departure warns, the missing reason blocks


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "missing.json"], "文件不存在"),
        (["match", "missing.json"], "文件不存在"),
        (["check", "missing.json", "--lang", "en"], "error: missing.json: file not found"),
        (["check", str(PROFILES / "content-creation-company.json")], "不是申报草稿"),
        (["check", str(PROFILES / "content-creation-company.json"), "--lang", "en"], "not a draft"),
    ],
)
def test_bad_input_gets_a_message_and_exit_two(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """In the language asked for (--lang), with no traceback."""
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err and "Traceback" not in err


def test_bad_json_names_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "shenbao.draft",\n "company": }', encoding="utf-8")
    code, _, err = run(capsys, "check", str(bad), "--lang", "en")
    assert code == 2 and "line 2" in err
    code, _, err = run(capsys, "check", str(bad))
    assert code == 2 and "第2行" in err


def test_bad_date_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["catalog", "--date", "yesterday"])
    assert info.value.code == 2
    assert "2025-09-10" in capsys.readouterr().err


def test_broken_catalog_exit_three(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "catalog", "--catalog", str(tmp_path))
    assert code == 3 and "catalog.yaml" in err and "找不到文件" in err
    code, _, err = run(capsys, "catalog", "--catalog", str(tmp_path), "--lang", "en")
    assert code == 3 and "catalog.yaml" in err and "file not found" in err


def test_schema_is_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "Draft" and "company" in schema["properties"]


def test_new_draft_then_check_lists_what_to_fill(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "mine.json"
    key = "sheitc-ai-plus-2025/annex2-digital-content/content-creation"
    code, _, _ = run(
        capsys,
        "new",
        "--direction",
        key,
        "--profile",
        str(PROFILES / "content-creation-company.json"),
        "--out",
        str(target),
    )
    assert code == 0
    draft = json.loads(target.read_text(encoding="utf-8"))
    assert draft["direction"] == key and draft["company"]["name"] == "上海星语智创文化科技有限公司"
    code, out, _ = run(capsys, "check", str(target))
    assert code == 1 and "请填写项目名称" in out
    code, _, err = run(capsys, "new", "--out", str(target))
    assert code == 2 and "--force" in err


def test_new_with_unknown_direction(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "new", "--direction", "x/y/z")
    assert code == 2 and "shenbao catalog" in err


@pytest.mark.slow
def test_demo_seeds_a_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = tmp_path / "ws"
    code, out, _ = run(capsys, "demo", "--workspace", str(workspace))
    assert code == 0
    assert (workspace / "workspace.json").is_file()
    assert not list((workspace / "drafts").glob("*.json")), "no draft in clear text"
    assert len([p for p in (workspace / "drafts").iterdir() if p.is_dir()]) == 3
    assert "内容创作产品" in out and "可以导出" in out and "校验位不符" in out
    code, out, _ = run(capsys, "demo", "--workspace", str(workspace))
    assert "新增 0 份" in out


def test_entry_point_runs_as_a_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "desktop.cli.main", "check", str(DRAFTS / "bad-credit-code.json")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1 and "校验位不符" in result.stdout and not result.stderr


def test_closed_pipe_is_not_a_traceback() -> None:
    """`shenbao match … --json | head`: the reader leaves early (the output is larger than a
    pipe buffer); no traceback, no error exit."""
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "desktop.cli.main",
            "match",
            str(PROFILES / "content-creation-company.json"),
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8", "replace")
        assert proc.wait() == 0
    assert "Traceback" not in err
