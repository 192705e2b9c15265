"""Machine-wide settings IT presets, under the user's own: layering, tolerance, saving."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forms.draft.money import MoneyUnit
from forms.system.settings import (
    MACHINE_SETTINGS_ENV,
    Settings,
    load_settings,
    machine_settings_paths,
    save_settings,
)


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "machine" / "settings.json"
    path.parent.mkdir()
    monkeypatch.setenv(MACHINE_SETTINGS_ENV, str(path))
    return path


def write(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_machine_file_presets_workspace_catalog_folder_and_language(
    machine: Path, tmp_path: Path
) -> None:
    write(
        machine,
        {"language": "en", "workspace": "/srv/share/ws", "catalog_folder": "/srv/share/catalog"},
    )
    settings = load_settings(tmp_path / "user.json")
    assert settings.language == "en"
    assert settings.workspace == Path("/srv/share/ws")
    assert settings.catalog_folder == Path("/srv/share/catalog")
    assert settings.money_unit is MoneyUnit.WAN_YUAN  # not preset: the default


def test_the_users_own_choice_wins_key_by_key(machine: Path, tmp_path: Path) -> None:
    write(machine, {"language": "en", "package_limit_bytes": 5_242_880})
    user = tmp_path / "user.json"
    write(user, {"language": "zh"})
    settings = load_settings(user)
    assert settings.language == "zh"
    assert settings.package_limit_bytes == 5_242_880


def test_only_what_the_user_set_is_saved(machine: Path, tmp_path: Path) -> None:
    write(machine, {"language": "en", "workspace": "/srv/a"})
    user = tmp_path / "user.json"
    settings = load_settings(user)
    settings.money_unit = MoneyUnit.YUAN
    save_settings(settings, user)
    assert json.loads(user.read_text("utf-8")) == {"money_unit": "元"}
    # IT moves the share later: the user, who never chose a workspace, follows.
    write(machine, {"language": "en", "workspace": "/srv/b"})
    again = load_settings(user)
    assert again.workspace == Path("/srv/b") and again.money_unit is MoneyUnit.YUAN


def test_a_bad_machine_value_keeps_the_good_ones(machine: Path, tmp_path: Path) -> None:
    write(machine, {"language": "fr", "catalog_folder": "/srv/c", "unknown": 1})
    settings = load_settings(tmp_path / "user.json")
    assert settings.language == "zh" and settings.catalog_folder == Path("/srv/c")


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '"text"', ""])
def test_a_damaged_machine_file_gives_the_defaults(
    machine: Path, tmp_path: Path, content: str
) -> None:
    machine.write_text(content, encoding="utf-8")
    assert load_settings(tmp_path / "user.json") == Settings()


def test_a_machine_file_written_by_notepad_with_a_bom_is_read(
    machine: Path, tmp_path: Path
) -> None:
    machine.write_text(json.dumps({"language": "en"}), encoding="utf-8-sig")
    assert load_settings(tmp_path / "user.json").language == "en"


def test_empty_env_var_turns_machine_settings_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MACHINE_SETTINGS_ENV, "")
    assert machine_settings_paths() == []


def test_system_locations_without_the_env_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MACHINE_SETTINGS_ENV, raising=False)
    paths = machine_settings_paths()
    assert paths and all(p.name == "settings.json" and p.parent.name == "shenbao" for p in paths)


def test_windows_reads_programdata(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(MACHINE_SETTINGS_ENV, raising=False)
    monkeypatch.setattr("sys.platform", "win32")
    monkeypatch.setenv("PROGRAMDATA", str(tmp_path))
    assert tmp_path / "shenbao" / "settings.json" in machine_settings_paths()


def test_an_old_full_user_file_still_loads(machine: Path, tmp_path: Path) -> None:
    write(machine, {"language": "en"})
    user = tmp_path / "user.json"
    write(user, Settings().model_dump(mode="json"))  # as 0.1.0 wrote it: every key
    assert load_settings(user).language == "zh"


def test_a_frozen_program_reads_the_file_beside_it_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(MACHINE_SETTINGS_ENV, raising=False)
    monkeypatch.setattr("sys.frozen", True, raising=False)
    monkeypatch.setattr("sys.executable", str(tmp_path / "shenbao.exe"))
    paths = machine_settings_paths()
    assert paths[0] == tmp_path.resolve() / "settings.json" and len(paths) >= 2


def test_command_line_and_gui_open_the_same_workspace(
    machine: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from desktop.cli.main import main
    from forms.system.paths import default_workspace
    from forms.system.settings import workspace_folder

    assert workspace_folder() == default_workspace()
    shared = tmp_path / "share" / "ws"
    write(machine, {"workspace": str(shared)})
    assert workspace_folder() == shared, "IT's preset applies to the command line too"
    mine = tmp_path / "mine"
    settings = load_settings()
    settings.last_workspace = mine
    save_settings(settings)
    assert workspace_folder() == mine, "the workspace the user last opened in the GUI"
    monkeypatch.setenv("SHENBAO_PASSPHRASE", "correct horse battery")
    assert main(["workspace", "init"]) == 0
    capsys.readouterr()
    assert (mine / "workspace.json").is_file()
