"""A table cell editor that lets the page's Alt+letter shortcuts through.

Qt's default cell editor (a line edit) takes Alt+letter for itself, so with a budget
amount open for typing, Alt+P (to "申请支持") or Alt+N (next page) did nothing and the
typed amount was not even committed. With this delegate the shortcut works: the cell
commits when the cursor leaves it, as on a click elsewhere.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget


class _AltPasses(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        override = event.type() == QEvent.Type.ShortcutOverride
        if (
            override
            and isinstance(event, QKeyEvent)
            and event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            event.ignore()  # not the editor's: the window's shortcut
            return True
        return False


class ShortcutFriendlyDelegate(QStyledItemDelegate):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter = _AltPasses(self)

    def createEditor(  # noqa: N802 (Qt's name)
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = super().createEditor(parent, option, index)
        editor.installEventFilter(self._filter)
        return editor
