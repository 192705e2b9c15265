"""Policy catalog updates: a newer valid catalog is used, a bad one refused with reasons."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from forms.catalog.loader import CatalogError
from forms.catalog.source import (
    UPDATES_FOLDER,
    ZIP_MAX_BYTES,
    choose_catalog,
    update_folders,
    version_key,
)
from forms.system.settings import Settings
from tests.conftest import ROOT

BUNDLED = ROOT / "resources" / "catalog"
BUNDLED_VERSION = "2026.12.1"


def make_catalog(where: Path, version: str) -> Path:
    shutil.copytree(BUNDLED, where)
    manifest = where / "catalog.yaml"
    text = manifest.read_text("utf-8")
    assert f'version: "{BUNDLED_VERSION}"' in text
    manifest.write_text(text.replace(BUNDLED_VERSION, version, 1), "utf-8")
    return where


def zip_folder(folder: Path, archive: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out.write(path, prefix + path.relative_to(folder).as_posix())
    return archive


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("2026.11.1", (2026, 11, 1)),
        ("2027", (2027,)),
        (" 1.2 ", (1, 2)),
        ("2027.1a", None),
        ("", None),
    ],
)
def test_version_key(text: str, key: tuple[int, ...] | None) -> None:
    assert version_key(text) == key


def test_no_updates_gives_the_bundled_catalog(isolated_home: Path) -> None:
    catalog, source, problems, baseline = choose_catalog(Settings())
    assert source.kind == "bundled" and catalog.version == BUNDLED_VERSION
    assert problems == [] and baseline is None


def test_a_newer_catalog_in_the_user_update_folder_is_used(isolated_home: Path) -> None:
    make_catalog(isolated_home / UPDATES_FOLDER / "2027.1", "2027.1.0")
    choice = choose_catalog(Settings())
    assert choice.catalog.version == "2027.1.0"
    assert choice.source.kind == "update"
    assert choice.source.location == isolated_home / UPDATES_FOLDER / "2027.1"
    assert "2027.1.0" in choice.source.describe("en") and "update" in choice.source.describe("en")


def test_a_catalog_copied_straight_into_the_configured_folder(tmp_path: Path) -> None:
    folder = make_catalog(tmp_path / "it-share", "2027.2.0")
    choice = choose_catalog(Settings(catalog_folder=folder))
    assert choice.catalog.version == "2027.2.0" and choice.source.location == folder


def test_the_newest_valid_update_wins(tmp_path: Path) -> None:
    make_catalog(tmp_path / "a", "2027.1.0")
    make_catalog(tmp_path / "b", "2027.3.0")
    make_catalog(tmp_path / "c", "2027.2.0")
    choice = choose_catalog(folders=[tmp_path])
    assert choice.catalog.version == "2027.3.0"
    assert not choice.refused  # the others are only superseded


def test_an_older_update_is_noted_not_used(tmp_path: Path) -> None:
    make_catalog(tmp_path / "old", "2025.1.0")
    choice = choose_catalog(folders=[tmp_path])
    assert choice.source.kind == "bundled"
    (note,) = choice.problems
    assert not note.refused and "not newer" in note.reason.render("en")
    assert "不比内置版本新" in note.message("zh")


def test_a_bad_update_is_refused_with_the_reason_and_bundled_kept(tmp_path: Path) -> None:
    bad = make_catalog(tmp_path / "bad", "2027.1.0")
    policy = next((bad / "policies").glob("*.yaml"))
    policy.write_text(policy.read_text("utf-8") + "\nthis: [is: not yaml\n", "utf-8")
    choice = choose_catalog(folders=[tmp_path])
    assert choice.source.kind == "bundled" and choice.catalog.version == BUNDLED_VERSION
    (note,) = choice.refused
    assert note.location == bad
    assert any(policy.name in where and "line" in where for where, _ in note.details)
    assert policy.name in str(note)


def test_a_bad_update_does_not_hide_a_good_one(tmp_path: Path) -> None:
    make_catalog(tmp_path / "good", "2027.1.0")
    bad = make_catalog(tmp_path / "newer-but-bad", "2027.9.0")
    (bad / "catalog.yaml").write_text("schema_version: 99\nversion: '2027.9.0'\n", "utf-8")
    choice = choose_catalog(folders=[tmp_path])
    assert choice.catalog.version == "2027.1.0"
    (note,) = choice.refused
    assert any("schema version" in problem.render("en") for _, problem in note.details)
    assert "目录格式版本99不受支持" in note.message("zh")


def test_an_uncomparable_version_is_refused(tmp_path: Path) -> None:
    make_catalog(tmp_path / "x", "next-year")
    choice = choose_catalog(folders=[tmp_path])
    assert choice.source.kind == "bundled"
    assert "cannot be compared" in choice.refused[0].reason.render("en")


@pytest.mark.parametrize("prefix", ["", "catalog-2027/"])
def test_a_zipped_catalog_is_used(tmp_path: Path, prefix: str) -> None:
    source = make_catalog(tmp_path / "src", "2027.1.0")
    drop = tmp_path / "drop"
    drop.mkdir()
    archive = zip_folder(source, drop / "catalog-2027.zip", prefix)
    choice = choose_catalog(folders=[drop])
    assert choice.catalog.version == "2027.1.0" and choice.source.location == archive


def test_a_zip_with_an_unsafe_path_is_refused(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as out:
        out.writestr("../catalog.yaml", "schema_version: 1\n")
    choice = choose_catalog(folders=[tmp_path])
    assert choice.source.kind == "bundled"
    assert "unsafe path" in str(choice.refused[0])
    assert not (tmp_path.parent / "catalog.yaml").exists()


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("catalog.yaml", b"#" * (ZIP_MAX_BYTES + 1))
    choice = choose_catalog(folders=[tmp_path])
    assert "decompressed" in str(choice.refused[0])


def test_not_a_zip_and_a_lone_policy_file_are_explained(tmp_path: Path) -> None:
    (tmp_path / "broken.zip").write_bytes(b"not a zip")
    shutil.copy(next((BUNDLED / "policies").glob("*.yaml")), tmp_path / "policy.yaml")
    (tmp_path / "README.txt").write_text("ignored", "utf-8")
    choice = choose_catalog(folders=[tmp_path])
    reasons = " ".join(str(n) for n in choice.refused)
    assert "not a readable zip" in reasons and "lone policy file" in reasons
    assert len(choice.refused) == 2


def test_a_missing_configured_folder_is_noted_quietly(tmp_path: Path) -> None:
    choice = choose_catalog(Settings(catalog_folder=tmp_path / "offline-share"))
    assert choice.source.kind == "bundled"
    (note,) = choice.problems
    assert not note.refused and "not reachable" in note.reason.render("en")


def test_update_folders_configured_first_then_the_users(isolated_home: Path) -> None:
    assert update_folders(Settings(catalog_folder=Path("/srv/c"))) == [
        Path("/srv/c"),
        isolated_home / UPDATES_FOLDER,
    ]


def test_shenbao_catalog_env_names_one_catalog_and_skips_updates(
    isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_catalog(isolated_home / UPDATES_FOLDER / "new", "2027.1.0")
    chosen = make_catalog(tmp_path / "env", "2020.1.0")
    monkeypatch.setenv("SHENBAO_CATALOG", str(chosen))
    choice = choose_catalog(Settings())
    assert choice.source.kind == "override" and choice.catalog.version == "2020.1.0"


def test_a_broken_bundled_catalog_falls_back_to_a_valid_update(tmp_path: Path) -> None:
    broken = tmp_path / "bundled"
    broken.mkdir()
    make_catalog(tmp_path / "updates" / "u", "2027.1.0")
    choice = choose_catalog(bundled=broken, folders=[tmp_path / "updates"])
    assert choice.source.kind == "update"
    assert "bundled catalog does not load" in choice.refused[0].reason.render("en")
    assert choice.baseline is None
    with pytest.raises(CatalogError):
        choose_catalog(bundled=broken, folders=[])


# --- where the choice shows: the command line and the About dialog -------------------------


def test_cli_uses_a_newer_update_and_warns_about_a_bad_one(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop import launch

    make_catalog(isolated_home / UPDATES_FOLDER / "good", "2027.1.0")
    bad = make_catalog(isolated_home / UPDATES_FOLDER / "bad", "2027.2.0")
    (bad / "catalog.yaml").write_text("schema_version: 1\nversion: '2027.2.0'\nmetrics: 3\n")
    assert launch.cli(["catalog", "--json"]) == 0
    captured = capsys.readouterr()
    assert '"2027.1.0"' in captured.out or "2027.1.0" in captured.out
    assert "warning" in captured.err and str(bad) in captured.err
    # --catalog names one folder: no update scanning, no warning.
    assert launch.cli(["catalog", "--catalog", str(BUNDLED)]) == 0
    assert capsys.readouterr().err == ""
