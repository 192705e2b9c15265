"""The company's business lines: the catalog's fixed vocabulary to tick (several allowed)
and free text for lines it does not hold.

Policies that address a sector ("数字广告企业", "微短剧创制主体") are judged on these; a
profile that names none gets "to confirm" for them, never "eligible". The picker emits
the whole list (vocabulary ids in the catalog's order, then the free-text entries) each
time the user changes it; the page writes it to the draft as one undoable edit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms.catalog.model import Catalog

_SEPARATORS = re.compile(r"[,，、;；\n]+")


class SectorPicker(QWidget):
    """sectors_edited(list[str]): the user ticked, unticked or typed a business line."""

    sectors_edited = Signal(list)

    def __init__(self, catalog: Catalog, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("所属行业/业务"))
        for sector in catalog.sectors:
            item = QListWidgetItem(sector.label_en if lang == "en" else sector.label, self.list)
            item.setData(Qt.ItemDataRole.UserRole, sector.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.list.setMaximumHeight(132)
        self.other = QLineEdit(self)
        self.other.setPlaceholderText(self.tr("其他业务（不在上表中的，用顿号分隔）"))
        self.other.setAccessibleName(self.tr("其他业务"))
        column.addWidget(self.list)
        column.addWidget(self.other)
        self._loading = False
        self.list.itemChanged.connect(lambda _: self._emit())
        self.other.textEdited.connect(lambda _: self._emit())

    def _items(self) -> list[QListWidgetItem]:
        found = (self.list.item(i) for i in range(self.list.count()))
        return [item for item in found if item is not None]

    def value(self) -> list[str]:
        ticked = [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in self._items()
            if item.checkState() == Qt.CheckState.Checked
        ]
        free = [part.strip() for part in _SEPARATORS.split(self.other.text()) if part.strip()]
        return [*ticked, *(f for f in free if f not in ticked)]

    def set_value(self, sectors: Sequence[str]) -> None:
        """Show a draft's lines: vocabulary entries (by id or label) ticked, the rest as
        free text."""
        known: dict[str, bool] = {}
        free: list[str] = []
        for entry in sectors:
            sector = self.catalog.sector(entry)
            if sector is None:
                free.append(entry)
            else:
                known[sector.id] = True
        self._loading = True
        try:
            for item in self._items():
                wanted = item.data(Qt.ItemDataRole.UserRole) in known
                state = Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked
                if item.checkState() != state:
                    item.setCheckState(state)
            shown = [part.strip() for part in _SEPARATORS.split(self.other.text())]
            if [part for part in shown if part] != free:  # not while the user types "、"
                self.other.setText("、".join(free))
        finally:
            self._loading = False

    def _emit(self) -> None:
        if not self._loading:
            self.sectors_edited.emit(self.value())
