"""A date field that may be empty and takes a date as people type it.

QDateEdit cannot be empty and cannot be typed into from empty (its "not filled in" text
is a special value the section editor will not leave), so this is a line edit: type
2025-10-01, 2025/10/1, 20251001 or 2025年10月1日 (full-width digits too), or pick the
day from the calendar behind the field's button (Alt+↓ or F4). The calendar opens at the
date, else at the month the page finds sensible (the call's window, the project's
start), else at the app's "today" (`--date`), never at 1900. ↑/↓ step a day, PgUp/PgDn a
month; from empty they start at the app's today. Text that is no date is kept as typed
and reported (`invalid`), never silently replaced.

Signals:
    date_edited(object): the user set a date (datetime.date) or cleared the field (None).
    invalid(str): the user left the field with text that is not a date (the text).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, QPoint, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFocusEvent, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QWidget

from desktop.app import fmt
from forms.system.settings import Language

FIRST, LAST = date(1900, 1, 1), date(2100, 12, 31)


def _calendar_icon() -> QIcon:
    pixmap = QPixmap(16, 16)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#555555"))
    painter.drawRect(QRectF(1.5, 2.5, 13, 12))
    painter.fillRect(QRectF(2, 3, 12, 3), QColor("#5b7fb0"))
    for x in (4, 7, 10):
        for y in (8, 11):
            painter.fillRect(QRectF(x, y, 2, 2), QColor("#555555"))
    painter.end()
    return QIcon(pixmap)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month


class OptionalDateEdit(QLineEdit):
    date_edited = Signal(object)
    invalid = Signal(str)

    def __init__(
        self,
        lang: Language,
        empty_text: str,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        anchor: Callable[[], date | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.lang = lang
        self.today = today
        self.anchor = anchor
        self._value: date | None = None
        self.setPlaceholderText(
            self.tr("{empty}，如 2025-10-01").format(empty=empty_text) if empty_text else ""
        )
        self.setMinimumWidth(170)
        self.picker = QAction(_calendar_icon(), self.tr("选择日期（Alt+↓）"), self)
        self.picker.triggered.connect(self.show_calendar)
        self.addAction(self.picker, QLineEdit.ActionPosition.TrailingPosition)
        self.calendar: QCalendarWidget | None = None
        self.textEdited.connect(self._typed)
        self.editingFinished.connect(self._finished)

    # --- the value ------------------------------------------------------------------------
    def value(self) -> date | None:
        return self._value

    def set_value(self, value: date | None) -> None:
        """Show `value` (from the draft); no signal."""
        self._value = value
        self.setText("" if value is None else fmt.day_text(value, self.lang))

    def setDate(self, day: QDate) -> None:  # noqa: N802 (QDateEdit's name, kept for callers)
        """Set a date as the user would (emits `date_edited`)."""
        self._commit(date(day.year(), day.month(), day.day()) if day.isValid() else None)

    def _commit(self, value: date | None) -> None:
        self.set_value(value)
        self.date_edited.emit(value)

    def _read(self) -> date | None:
        parsed = fmt.parse_day(self.text())
        if parsed is not None and not FIRST <= parsed <= LAST:
            raise ValueError(self.text())
        return parsed

    def _typed(self, _text: str) -> None:
        """A complete date is taken as it is typed; a partial one waits for the field to be
        left (so "2025-1" is not an error while typing "2025-10-01")."""
        try:
            value = self._read()
        except ValueError:
            return
        if value != self._value:
            self._value = value
            self.date_edited.emit(value)

    def _finished(self) -> None:
        try:
            value = self._read()
        except ValueError:
            self.invalid.emit(self.text())  # kept as typed, until it is corrected
            return
        if value != self._value:
            self._value = value
            self.date_edited.emit(value)
        self.set_value(value)  # written the field's way: 2025年10月1日

    # --- keys and the calendar --------------------------------------------------------------
    def opening_day(self) -> date:
        """Where the calendar opens: the date, else the page's sensible day, else today."""
        return self._value or (self.anchor() if self.anchor else None) or self.today()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        key = Qt.Key(event.key())
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if key == Qt.Key.Key_F4 or (alt and key == Qt.Key.Key_Down):
            self.show_calendar()
            return
        steps = {
            Qt.Key.Key_Up: (1, 0),
            Qt.Key.Key_Down: (-1, 0),
            Qt.Key.Key_PageUp: (0, 1),
            Qt.Key.Key_PageDown: (0, -1),
        }
        if key in steps and not alt:
            if self._value is None:
                self._commit(self.today())  # from empty: the app's today, not 1900
            else:
                days, months = steps[key]
                moved = _add_months(self._value, months) + timedelta(days=days)
                self._commit(min(max(moved, FIRST), LAST))
            self.selectAll()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        super().focusInEvent(event)
        # The whole date selected: typing replaces it, Delete clears it.
        QTimer.singleShot(0, self.selectAll)

    def show_calendar(self) -> None:
        calendar = self.calendar
        if calendar is None:
            calendar = QCalendarWidget(self)
            calendar.setWindowFlags(Qt.WindowType.Popup)
            calendar.setGridVisible(True)
            calendar.setMinimumDate(QDate(FIRST.year, FIRST.month, FIRST.day))
            calendar.setMaximumDate(QDate(LAST.year, LAST.month, LAST.day))
            calendar.setAccessibleName(self.tr("日历"))
            calendar.activated.connect(self._picked)
            calendar.clicked.connect(self._picked)
            self.calendar = calendar
        start = self.opening_day()
        calendar.setSelectedDate(QDate(start.year, start.month, start.day))
        calendar.setCurrentPage(start.year, start.month)
        calendar.adjustSize()
        calendar.move(self.mapToGlobal(QPoint(0, self.height())))
        calendar.show()
        calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _picked(self, day: QDate) -> None:
        if self.calendar is not None:
            self.calendar.hide()
        self._commit(date(day.year(), day.month(), day.day()))
        self.setFocus(Qt.FocusReason.PopupFocusReason)
        self.editingFinished.emit()
