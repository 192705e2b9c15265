"""The user's settings: one typed model with defaults, stored as JSON in the data folder.

Language, the unit amounts are typed and shown in, the workspace last opened and the
package size limit, plus what IT presets for every user of a machine: the workspace
location, the folder policy catalog updates are dropped in, and the language.
A missing or damaged file gives the defaults (settings are a convenience, never a
reason not to start); an unknown key is dropped on the next save.
Window geometry is not here: that is Qt's business (QSettings).

Layers, each overriding the one before, key by key:

1. the defaults of `Settings`;
2. the machine settings files IT presets (`machine_settings_paths()`: beside the
   installed program, where the Windows installer writes its presets; the platform's
   site config folder; on Windows ``%PROGRAMDATA%\\shenbao\\settings.json``), or
   instead the one file named by ``SHENBAO_SETTINGS`` (a share, a test; empty: none);
3. the user's own file under the data folder.

Only what the user set is saved to the user's file, so a machine default IT changes
later still reaches users who never touched that setting.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Literal

from platformdirs import site_config_path
from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError

from forms.draft.io import save_json_atomic
from forms.draft.money import MoneyUnit
from forms.system.paths import data_home, default_workspace
from forms.system.resources import install_dir

SETTINGS_FILE = "settings.json"
#: Names the machine settings file to use instead of the system locations.
MACHINE_SETTINGS_ENV = "SHENBAO_SETTINGS"
APP = "shenbao"

Language = Literal["zh", "en"]


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    language: Language = "zh"
    money_unit: MoneyUnit = MoneyUnit.WAN_YUAN
    last_workspace: Path | None = None
    #: An explicit per-file limit for upload packages, overriding the one the chosen
    #: direction's policy states ("单个文件不超过5M": 5,000,000 bytes); None: the policy's.
    package_limit_bytes: int | None = Field(default=None, ge=100_000)
    #: The lowest resolution scans are recompressed to (dpi).
    package_min_dpi: float = Field(default=150, ge=50, le=600)
    #: The workspace opened when the user has not chosen one (IT may point it at a share).
    workspace: Path | None = None
    #: Where policy catalog updates are looked for, besides `<data home>/catalog-updates`.
    catalog_folder: Path | None = None


def settings_path() -> Path:
    return data_home() / SETTINGS_FILE


def machine_settings_paths() -> list[Path]:
    """The machine settings files, lowest priority first (only existing ones are read)."""
    override = os.environ.get(MACHINE_SETTINGS_ENV)
    if override is not None:
        return [Path(override)] if override.strip() else []
    paths = []
    installed = install_dir()
    if installed is not None:
        # Beside the installed program: what the installer writes from its command line
        # (per-user installs cannot write the system-wide folders below).
        paths.append(installed / SETTINGS_FILE)
    paths.append(site_config_path(APP, appauthor=False) / SETTINGS_FILE)
    if sys.platform == "win32":
        program_data = os.environ.get("PROGRAMDATA")
        if program_data:
            paths.append(Path(program_data) / APP / SETTINGS_FILE)
    unique: list[Path] = []
    for path in paths:
        if path not in unique:
            unique.append(path)
    return unique


def read_values(path: Path) -> dict[str, Any]:
    """The valid settings of one file, key by key: a bad value of one key must not lose
    the others; unknown keys, unreadable files and non-objects give nothing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    values: dict[str, Any] = {}
    probe = Settings()
    for key, value in data.items():
        if key not in Settings.model_fields:
            continue
        try:
            setattr(probe, key, value)
        except ValidationError:
            continue
        values[key] = getattr(probe, key)
    return values


def machine_defaults() -> dict[str, Any]:
    """What the machine settings files preset, merged in priority order."""
    merged: dict[str, Any] = {}
    for path in machine_settings_paths():
        merged.update(read_values(path))
    return merged


def load_settings(path: Path | None = None) -> Settings:
    """The settings in effect: defaults, then the machine's presets, then the user's file
    (or `path`). Fields the user's file holds count as set; only those are saved."""
    user = read_values(path or settings_path())
    merged = {**machine_defaults(), **user}
    values = Settings.model_validate(merged)
    return Settings.model_construct(_fields_set=set(user), **dict(values))


def workspace_folder(settings: Settings | None = None) -> Path:
    """The workspace the GUI and the command line open when none is given: the one the
    user last opened, else the one IT preset, else the platform's user data folder."""
    settings = settings or load_settings()
    return settings.last_workspace or settings.workspace or default_workspace()


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write what the user set (keys assigned or given explicitly), nothing inherited."""
    data = settings.model_dump(mode="json", exclude_unset=True)
    save_json_atomic(path or settings_path(), RootModel[dict[str, Any]](data))
