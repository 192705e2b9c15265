"""What changed between two catalog versions, and which drafts it touches: directions
added and removed, thresholds, rates, caps, windows, in-force dates, conditions; through
`forms.catalog.diff` and `shenbao catalog diff OLD NEW [--workspace DIR]`."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from forms.catalog.diff import diff_catalogs
from forms.catalog.loader import load_catalog
from forms.catalog.model import Bound, Catalog
from forms.draft.io import load_draft
from forms.system.resources import resource_path
from tests.test_cli import DRAFTS, run
from tests.workspace_helpers import PASSPHRASE, fast_scrypt

CONTENT = "sheitc-ai-plus-2025/annex2-digital-content/content-creation"
CALL = "policies/sheitc-ai-plus-2025.yaml"


def _edited(tmp_path: Path, name: str, *replacements: tuple[str, str, str]) -> Path:
    """A copy of the bundled catalog with text replaced in its files."""
    folder = tmp_path / name
    shutil.copytree(resource_path("catalog"), folder)
    for file, old, new in replacements:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.fixture
def newer(tmp_path: Path) -> Path:
    return _edited(
        tmp_path,
        "newer",
        ("catalog.yaml", 'version: "2026.12.1"', 'version: "2027.1.0"'),
        (CALL, "            value: 300000\n", "            value: 250000\n"),
        (CALL, "closes: 2025-09-22T16:00:00+08:00", "closes: 2025-09-29T16:00:00+08:00"),
        (
            "policies/sheitc-2025-489.yaml",
            "          cap_cny: 50000000\n          cap_bound: up_to\n          words: 按照核定",
            "          cap_cny: 40000000\n          cap_bound: up_to\n          words: 按照核定",
        ),
        ("policies/shwl-2026-1.yaml", "      - id: script-award", "      - id: script-prize"),
    )


def test_no_change_between_a_catalog_and_itself(catalog: Catalog) -> None:
    result = diff_catalogs(catalog, catalog)
    assert result.changes == () and "均无变化" in result.heading().render("zh")


def test_the_changes_a_company_acts_on(catalog: Catalog, newer: Path) -> None:
    result = diff_catalogs(catalog, load_catalog(newer))
    texts = [c.text().render("zh") for c in result.changes]
    assert result.old_version == "2026.12.1" and result.new_version == "2027.1.0"
    assert any("受理截止 2025-09-22 16:00 → 2025-09-29 16:00" in t for t in texts)
    assert any("门槛 C端用户数 > 300,000人 → C端用户数 > 250,000人" in t for t in texts)
    assert any("上限 最高5,000万元 → 最高4,000万元" in t for t in texts)
    assert any(t.startswith("删除支持方向：") and "剧本奖励" in t for t in texts)
    assert any(t.startswith("新增支持方向：") and "剧本奖励" in t for t in texts)
    english = [c.text().render("en") for c in result.changes]
    assert any("window closes 2025-09-22 16:00 → 2025-09-29 16:00" in t for t in english)


def test_affected_drafts(catalog: Catalog, newer: Path) -> None:
    result = diff_catalogs(catalog, load_catalog(newer))
    content = load_draft(DRAFTS / "content-creation.json")
    other = content.model_copy(update={"id": "x", "direction": "samr-sh-2025-266/m6/alliance"})
    gone = content.model_copy(update={"id": "y", "direction": "shwl-2026-1/s3-1/script-award"})
    affected = dict((d.id, changes) for d, changes in result.affected([content, other, gone]))
    assert set(affected) == {content.id, "y"}
    whats = {c.what for c in affected[content.id]}
    assert {"diff.what.threshold", "diff.what.window_closes"} <= whats
    assert [c.code for c in affected["y"]] == ["diff.direction_removed"]


def test_an_older_schema_still_loads_for_a_diff(catalog: Catalog, tmp_path: Path) -> None:
    """Schema 1 had no qualifiers: they read as "最高", and the diff shows where schema 2
    says what the seed says ("最高不超过", a fixed 5万元)."""
    folder = _edited(tmp_path, "old", ("catalog.yaml", "schema_version: 2", "schema_version: 1"))
    for path in (folder / "policies").glob("*.yaml"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if "_bound:" not in line]
        path.write_text("".join(kept), encoding="utf-8")
    old = load_catalog(folder)
    assert old.schema_version == 1
    award = old.direction("shwl-2026-1/s3-1/script-award").direction.support
    assert award.cap_bound is Bound.UP_TO
    texts = [c.text().render("zh") for c in diff_catalogs(old, catalog).changes]
    assert any("剧本奖励：上限 最高5万元 → 5万元" in t for t in texts)
    assert any("最高1,200万元 → 最高不超过1,200万元" in t for t in texts)


def test_catalog_diff_command(
    catalog: Catalog,
    newer: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bundled = str(resource_path("catalog"))
    code, out, _ = run(capsys, "catalog", "diff", bundled, str(newer))
    assert code == 0 and out.startswith("政策目录 2026.12.1 → 2027.1.0：")
    assert "未指定工作区" in out
    archive = tmp_path / "newer.zip"
    with zipfile.ZipFile(archive, "w") as out_zip:
        for path in sorted(newer.rglob("*.yaml")):
            out_zip.write(path, path.relative_to(newer).as_posix())
    code, out, _ = run(capsys, "catalog", "diff", bundled, str(archive), "--lang", "en")
    assert code == 0 and "window closes 2025-09-22 16:00 → 2025-09-29 16:00" in out
    fast_scrypt(monkeypatch)
    monkeypatch.setenv("SHENBAO_PASSPHRASE", PASSPHRASE)
    ws = tmp_path / "ws"
    assert run(capsys, "workspace", "init", "--workspace", str(ws))[0] == 0
    assert (
        run(capsys, "draft", "add", str(DRAFTS / "content-creation.json"), "--workspace", str(ws))[
            0
        ]
        == 0
    )
    code, out, _ = run(capsys, "catalog", "diff", bundled, str(newer), "--workspace", str(ws))
    assert code == 0 and "受影响的草稿（1份）" in out and "星语剧场" in out
    code, out, _ = run(
        capsys, "catalog", "diff", bundled, str(newer), "--workspace", str(ws), "--json"
    )
    data = json.loads(out)
    assert [d["draft"] for d in data["affected_drafts"]] == ["demo-content-creation-xingyu"]
    code, _, err = run(capsys, "catalog", "diff", bundled, str(tmp_path / "nowhere"))
    assert code == 3 and "找不到文件" in err
