"""The user's settings: one typed model with defaults, stored as JSON in the data folder.

Language, the unit amounts are typed and shown in, the workspace last opened and the
package size limit. A missing or damaged file gives the defaults (settings are a
convenience, never a reason not to start); an unknown key is dropped on the next save.
Window geometry is not here: that is Qt's business (QSettings).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from forms.io import save_json_atomic
from forms.money import MoneyUnit
from forms.paths import data_home

SETTINGS_FILE = "settings.json"

Language = Literal["zh", "en"]


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    language: Language = "zh"
    money_unit: MoneyUnit = MoneyUnit.WAN_YUAN
    last_workspace: Path | None = None
    #: "单个文件不超过5M" read as decimal megabytes; some portals mean 5,242,880.
    package_limit_bytes: int = Field(default=5_000_000, ge=100_000)


def settings_path() -> Path:
    return data_home() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> Settings:
    """The stored settings, or the defaults when there are none or they cannot be read."""
    target = path or settings_path()
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    try:
        return Settings.model_validate(data)
    except ValidationError:
        # Keep what is valid: a bad value of one key must not reset the others.
        settings = Settings()
        for key, value in data.items():
            if key in Settings.model_fields:
                try:
                    setattr(settings, key, value)
                except ValidationError:
                    continue
        return settings


def save_settings(settings: Settings, path: Path | None = None) -> None:
    save_json_atomic(path or settings_path(), settings)
