"""A date field that may be empty, written the Chinese way (2025年9月10日) in Chinese.

QDateEdit cannot be empty; the minimum date stands for "not filled in" and is shown
as a placeholder text.

Signals:
    date_edited(object): the user set a date (datetime.date) or cleared it (None).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateEdit, QWidget

from forms.system.settings import Language

EMPTY = QDate(1900, 1, 1)


class OptionalDateEdit(QDateEdit):
    date_edited = Signal(object)

    def __init__(self, lang: Language, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setMinimumDate(EMPTY)
        self.setMaximumDate(QDate(2100, 12, 31))
        self.setSpecialValueText(empty_text)
        self.setDisplayFormat("yyyy-MM-dd" if lang == "en" else "yyyy年M月d日")
        self.setMinimumWidth(150)
        self._loading = False
        self.setDate(EMPTY)
        self.dateChanged.connect(self._changed)

    def value(self) -> date | None:
        d = self.date()
        return None if d == EMPTY else date(d.year(), d.month(), d.day())

    def set_value(self, value: date | None) -> None:
        self._loading = True
        self.setDate(EMPTY if value is None else QDate(value.year, value.month, value.day))
        self._loading = False

    def _changed(self, _: QDate) -> None:
        if not self._loading:
            self.date_edited.emit(self.value())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        # Delete clears the date (there is no empty text to delete in a date editor).
        if event.key() in (Qt.Key.Key_Delete,) and self.value() is not None:
            self.setDate(EMPTY)
            return
        super().keyPressEvent(event)

    def stepBy(self, steps: int) -> None:  # noqa: N802 (Qt's name)
        if self.value() is None:
            # From "not filled in", the arrows start at today rather than at 1900.
            today = QDate.currentDate()
            self.setDate(today)
            return
        super().stepBy(steps)
