"""What every window and page of one running application shares.

The catalog, the draft store, the settings and "today" (injectable, so tests and
screenshots can stand inside a submission window), plus one signal hub so a change of
money unit reaches every open page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from PySide6.QtCore import QObject, Signal

from desktop.app.store import DraftStore
from forms.catalog.model import SHANGHAI, Catalog
from forms.draft.model import Draft
from forms.draft.money import MoneyUnit
from forms.package.limits import UploadLimit, upload_limit
from forms.system.settings import Language, Settings, save_settings


class AppSignals(QObject):
    """money_unit_changed(): amounts must be shown again in the new unit."""

    money_unit_changed = Signal()


@dataclass
class AppContext:
    catalog: Catalog
    store: DraftStore
    settings: Settings
    today: Callable[[], date] = date.today
    persist_settings: bool = True
    signals: AppSignals = field(default_factory=AppSignals)

    def moment(self) -> date | datetime:
        """The instant to judge a submission window at: now in Shanghai, or the injected
        day when "today" is set (tests, screenshots, `--date`)."""
        if self.today is date.today:
            return datetime.now(SHANGHAI)
        return self.today()

    @property
    def lang(self) -> Language:
        return self.settings.language

    @property
    def unit(self) -> MoneyUnit:
        return self.settings.money_unit

    def set_unit(self, unit: MoneyUnit) -> None:
        if unit is self.settings.money_unit:
            return
        self.settings.money_unit = unit
        self.save_settings()
        self.signals.money_unit_changed.emit()

    def upload_limit(self, draft: Draft) -> UploadLimit:
        """The per-file limit for `draft`: its policy's, or the settings' override."""
        return upload_limit(self.catalog, draft.direction, self.settings.package_limit_bytes)

    def save_settings(self) -> None:
        if self.persist_settings:
            save_settings(self.settings)
