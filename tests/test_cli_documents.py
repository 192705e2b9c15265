"""`shenbao render` and `shenbao package` end to end: files, exit codes, messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from tests.conftest import EXAMPLES
from tests.test_cli import run

CLEAN = EXAMPLES / "drafts" / "content-creation.json"
BAD = EXAMPLES / "drafts" / "bad-credit-code.json"
WHEN = ("--date", "2025-09-10")


def test_render_pdf_and_docx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "form"
    code, text, _ = run(capsys, "render", str(CLEAN), "--pdf", "--docx", "--out", str(out), *WHEN)
    assert code == 0 and "form.pdf" in text and "form.docx" in text
    assert (
        "上海星语智创文化科技有限公司" in PdfReader(out.with_suffix(".pdf")).pages[0].extract_text()
    )
    assert any("项目申报书" in p.text for p in Document(str(out.with_suffix(".docx"))).paragraphs)


def test_package_prints_the_parts_and_writes_the_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pkg"
    code, text, err = run(capsys, "package", str(CLEAN), "--out", str(out), *WHEN)
    assert code == 0, text + err
    assert "01_项目申报书.pdf" in text and "共8个文件" in text
    assert "[  0%]" in err and "完成" in err  # progress lines on stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is True and len(manifest["parts"]) == 8


def test_package_is_refused_while_the_draft_has_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pkg"
    code, text, err = run(capsys, "package", str(BAD), "--out", str(out), "--quiet", *WHEN)
    assert code == 1 and "校验位不符" in text and "--force" in err
    assert not out.exists()
    code, text, _ = run(capsys, "package", str(BAD), "--out", str(out), "--quiet", "--force", *WHEN)
    assert code == 1 and (out / "upload").is_dir()


@pytest.mark.parametrize(
    ("options", "message"),
    [(("--limit", "1000"), "100,000"), (("--min-dpi", "20"), "50")],
)
def test_bad_settings_exit_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: tuple[str, str], message: str
) -> None:
    code, _, err = run(capsys, "package", str(CLEAN), "--out", str(tmp_path / "p"), *options)
    assert code == 2 and message in err and "Traceback" not in err


def test_a_folder_of_other_files_is_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mine.txt").write_text("keep", encoding="utf-8")
    code, _, err = run(capsys, "package", str(CLEAN), "--out", str(tmp_path), "--quiet", *WHEN)
    assert code == 2 and "empty folder" in err
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep"


def test_the_limit_is_the_policys_unless_settings_or_an_option_say_otherwise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One source for the per-file limit: the direction's policy ("单个文件不超过5M"), the
    machine settings IT presets as an explicit override, `--limit` over both; each package
    says which applied."""

    def limit_of(*options: str) -> tuple[int, str]:
        out = tmp_path / f"pkg-{len(list(tmp_path.iterdir()))}"
        code, text, err = run(
            capsys, "package", str(CLEAN), "--out", str(out), "--quiet", *WHEN, *options
        )
        assert code == 0, text + err
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert all(p["size"] <= manifest["limit_bytes"] for p in manifest["parts"])
        return manifest["limit_bytes"], manifest["limit_source"]

    assert limit_of() == (5_000_000, "policy")
    machine = tmp_path.parent / "machine-settings.json"
    machine.write_text(json.dumps({"package_limit_bytes": 4_000_000}), encoding="utf-8")
    monkeypatch.setenv("SHENBAO_SETTINGS", str(machine))
    assert limit_of() == (4_000_000, "settings")
    assert limit_of("--limit", "3000000") == (3_000_000, "option")
