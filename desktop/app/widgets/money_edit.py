"""An amount field in the user's unit (万元 or 元) that also takes "300万元" or "3,000,000元".

The draft holds CNY; this widget shows and reads the number in the chosen unit, with
the unit beside it, and says what is wrong when the text is not an amount.

Signals:
    value_edited(object): the user typed a valid amount (Decimal CNY, or None if cleared).
    invalid(str): the user typed something that is not an amount (the text).
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from desktop.app import fmt
from forms.draft.money import MoneyUnit
from forms.system.settings import Language


class MoneyEdit(QWidget):
    value_edited = Signal(object)
    invalid = Signal(str)

    def __init__(self, unit: MoneyUnit, lang: Language, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unit = unit
        self.lang = lang
        self._value: Decimal | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.line = QLineEdit(self)
        self.line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.line.setMinimumWidth(140)
        self.unit_label = QLabel(fmt.unit_label(unit, lang), self)
        self.unit_label.setMinimumWidth(48)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.unit_label)
        self.setFocusProxy(self.line)
        # A label's Alt+letter only focuses a buddy that takes focus (then the proxy has it).
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.line.textEdited.connect(self._typed)
        self.line.editingFinished.connect(self._tidy)

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 (Qt's name)
        super().setAccessibleName(name)
        self.line.setAccessibleName(name)

    def value(self) -> Decimal | None:
        return self._value

    def set_value(self, cny: Decimal | None) -> None:
        self._value = cny
        self.line.setText("" if cny is None else fmt.money_number(cny, self.unit))

    def set_unit(self, unit: MoneyUnit) -> None:
        self.unit = unit
        self.unit_label.setText(fmt.unit_label(unit, self.lang))
        self.set_value(self._value)

    def _typed(self, text: str) -> None:
        try:
            value = fmt.parse_money(text, self.unit)
        except ValueError:
            self.invalid.emit(text)
            return
        self._value = value
        self.value_edited.emit(value)

    def _tidy(self) -> None:
        try:
            fmt.parse_money(self.line.text(), self.unit)
        except ValueError:
            return  # keep the user's text so they can correct it
        self.set_value(self._value)
