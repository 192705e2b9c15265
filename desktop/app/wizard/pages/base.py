"""What every wizard page shares: binding fields to draft paths, messages, focus.

A page registers each input under the finding paths it answers ("company.name"); live
findings are then shown under the field they name, a review link can focus the field,
and an edit goes through the session as one undoable step. Text that cannot be read
(an amount that is not a number) is reported at the field and not written to the
draft, so the draft never holds a half-typed value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.app import labels
from desktop.app.context import AppContext
from desktop.app.session import DraftSession
from desktop.app.widgets.date_edit import OptionalDateEdit
from desktop.app.widgets.field_message import FieldMessage
from desktop.app.widgets.money_edit import MoneyEdit
from forms.catalog.model import Severity
from forms.draft.flow import StepId
from forms.draft.model import Draft
from validators.findings import Finding

_MNEMONIC = re.compile(r"\(&\w\)")


def covers(prefix: str, path: str) -> bool:
    return path == prefix or path.startswith((prefix + ".", prefix + "["))


def plain(label: str) -> str:
    """A label without its mnemonic marker, for accessible names."""
    text = _MNEMONIC.sub("", label).replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.rstrip("：:…").strip()


@dataclass
class Bound:
    paths: tuple[str, ...]
    widget: QWidget
    message: FieldMessage


class WizardPage(QScrollArea):
    step_id: ClassVar[StepId]

    def __init__(self, session: DraftSession, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.ctx = ctx
        self.loading = False
        self._bound: list[Bound] = []
        self._loaders: list[Callable[[Draft], None]] = []
        self._money: list[MoneyEdit] = []
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body = QWidget(self)
        self.body.setObjectName("page")
        self.setWidget(self.body)
        self.outer = QVBoxLayout(self.body)
        self.outer.setContentsMargins(24, 18, 24, 18)
        self.outer.setSpacing(12)
        self.title = QLabel(self.body)
        self.title.setObjectName("pageTitle")
        self.title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.intro = QLabel(self.body)
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet("color: #555;")
        self.outer.addWidget(self.title)
        self.outer.addWidget(self.intro)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._follow_focus)

    def _follow_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Scroll the field that takes the cursor (Tab, Alt+letter) into view."""
        if new is not None and self.isVisible() and self.body.isAncestorOf(new):
            self.ensureWidgetVisible(new, 24, 48)

    # --- structure ------------------------------------------------------------------
    def set_header(self, title: str, intro: str) -> None:
        self.title.setText(title)
        self.title.setAccessibleName(title)
        self.intro.setText(intro)

    def group(self, title: str, parent_layout: QVBoxLayout | None = None) -> QFormLayout:
        box = QGroupBox(title, self.body)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setHorizontalSpacing(14)
        (parent_layout or self.outer).addWidget(box)
        return form

    def add_field(
        self,
        form: QFormLayout,
        label: str,
        widget: QWidget,
        paths: Sequence[str],
        hint: str = "",
    ) -> FieldMessage:
        caption = QLabel(label, self.body)
        caption.setBuddy(widget)
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            # A container (an amount with its unit, a folder with its button): the label's
            # Alt+letter reaches only a buddy that takes focus; its first field gets it.
            if widget.focusProxy() is None:
                inner = next(
                    (
                        w
                        for w in widget.findChildren(QWidget)
                        if w.focusPolicy() != Qt.FocusPolicy.NoFocus
                    ),
                    None,
                )
                if inner is not None:
                    widget.setFocusProxy(inner)
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        container = QWidget(self.body)
        column = QVBoxLayout(container)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        if hint:
            note = QLabel(hint, container)
            note.setWordWrap(True)
            note.setStyleSheet("color: #666; font-size: 9pt;")
            column.addWidget(note)
        message = FieldMessage(widget, container)
        column.addWidget(message)
        form.addRow(caption, container)
        widget.setAccessibleName(plain(label))
        if hint:
            widget.setToolTip(hint)
        self._bound.append(Bound(tuple(paths), widget, message))
        return message

    def register(self, paths: Sequence[str], widget: QWidget, message: FieldMessage) -> None:
        self._bound.append(Bound(tuple(paths), widget, message))

    def forget(self, widgets: Sequence[QWidget]) -> None:
        gone = set(map(id, widgets))
        self._bound = [b for b in self._bound if id(b.widget) not in gone]

    # --- binding helpers --------------------------------------------------------------
    @property
    def _local(self) -> dict[str, str]:
        """Typed text that is not a value, by field path (the session's, see there)."""
        return self.session.local

    def apply(self, path: str, change: Callable[[Draft], None], message: FieldMessage) -> None:
        if self.loading:
            return
        problem = self.session.edit(path, change)
        if problem:
            self.session.set_local(path, problem)
            message.show_text(Severity.ERROR, problem)
        elif self.session.clear_local(path):
            message.clear_message()
            self.show_findings(self.session.findings)

    def local_problem(self, path: str, text: str, message: FieldMessage) -> None:
        self.session.set_local(path, text)
        message.show_text(Severity.ERROR, text)

    def clear_local(self, path: str) -> bool:
        return self.session.clear_local(path)

    def line(
        self,
        form: QFormLayout,
        label: str,
        path: str,
        get: Callable[[Draft], str],
        put: Callable[[Draft, str], None],
        *,
        also: Sequence[str] = (),
        placeholder: str = "",
        hint: str = "",
    ) -> QLineEdit:
        edit = QLineEdit(self.body)
        edit.setPlaceholderText(placeholder)
        message = self.add_field(form, label, edit, (path, *also), hint)
        edit.textEdited.connect(lambda text: self.apply(path, lambda d: put(d, text), message))

        def load(d: Draft) -> None:
            if path not in self._local and edit.text() != get(d):
                edit.setText(get(d))

        self._loaders.append(load)
        return edit

    def money(
        self,
        form: QFormLayout,
        label: str,
        path: str,
        get: Callable[[Draft], Decimal | None],
        put: Callable[[Draft, Decimal | None], None],
        *,
        hint: str = "",
    ) -> MoneyEdit:
        edit = MoneyEdit(self.ctx.unit, self.ctx.lang, self.body)
        message = self.add_field(form, label, edit, (path,), hint)
        self.bind_money(edit, path, get, put, message)
        return edit

    def bind_money(
        self,
        edit: MoneyEdit,
        path: str,
        get: Callable[[Draft], Decimal | None],
        put: Callable[[Draft, Decimal | None], None],
        message: FieldMessage,
    ) -> None:
        self._money.append(edit)
        edit.value_edited.connect(lambda v: self.apply(path, lambda d: put(d, v), message))
        edit.invalid.connect(
            lambda text: self.local_problem(
                path,
                self.tr("“{text}”不是金额：请填写数字，如 300 或 300万元").format(text=text),
                message,
            )
        )
        # Text that is not an amount stays as typed until it is corrected.
        self._loaders.append(lambda d: None if path in self._local else edit.set_value(get(d)))

    def date(
        self,
        form: QFormLayout,
        label: str,
        path: str,
        get: Callable[[Draft], date | None],
        put: Callable[[Draft, date | None], None],
        *,
        hint: str = "",
        anchor: Callable[[], date | None] | None = None,
    ) -> OptionalDateEdit:
        edit = OptionalDateEdit(
            self.ctx.lang, labels.unanswered(), self.body, today=self.ctx.today, anchor=anchor
        )
        message = self.add_field(form, label, edit, (path,), hint)
        edit.date_edited.connect(lambda v: self.apply(path, lambda d: put(d, v), message))
        edit.invalid.connect(
            lambda text: self.local_problem(
                path,
                self.tr("“{text}”不是日期：请写成 2025-10-01、2025/10/1 或 20251001").format(
                    text=text
                ),
                message,
            )
        )
        self._loaders.append(lambda d: None if path in self._local else edit.set_value(get(d)))
        return edit

    def choice(
        self,
        form: QFormLayout,
        label: str,
        path: str,
        options: Sequence[tuple[str, object]],
        get: Callable[[Draft], object],
        put: Callable[[Draft, object], None],
        *,
        also: Sequence[str] = (),
        hint: str = "",
    ) -> QComboBox:
        combo = QComboBox(self.body)
        for text, value in options:
            combo.addItem(text, value)
        message = self.add_field(form, label, combo, (path, *also), hint)
        combo.activated.connect(
            lambda index: self.apply(path, lambda d: put(d, combo.itemData(index)), message)
        )

        def load(d: Draft) -> None:
            current = get(d)
            for index in range(combo.count()):
                if combo.itemData(index) == current:
                    combo.setCurrentIndex(index)
                    return

        self._loaders.append(load)
        return combo

    def enum_options(
        self, values: Sequence[StrEnum], none: bool = True
    ) -> list[tuple[str, object]]:
        options: list[tuple[str, object]] = [(labels.unanswered(), None)] if none else []
        return options + [(labels.name(v), v) for v in values]

    def yes_no_options(self) -> list[tuple[str, object]]:
        return [
            (labels.unanswered(), None),
            (labels.yes(), True),
            (labels.no(), False),
        ]

    # --- lifecycle ------------------------------------------------------------------
    def load(self) -> None:
        """Fill the widgets from the draft (after undo, redo, or on entering the page)."""
        self.loading = True
        try:
            for edit in self._money:
                if edit.unit is not self.ctx.unit:
                    edit.set_unit(self.ctx.unit)
            for loader in self._loaders:
                loader(self.session.draft)
            self.refresh()
        finally:
            self.loading = False
        self.show_findings(self.session.findings)

    def refresh(self) -> None:
        """Recompute derived displays (sums, verdicts); pages override."""

    def entered(self) -> None:
        self.load()

    def focus_first(self) -> None:
        """Put the cursor where the user goes on (the page's first empty field); called
        once the page is shown. Pages override."""

    def set_read_only(self, read_only: bool) -> None:
        """Another instance edits the draft: show it, change nothing. The scroll bars are
        the scroll area's, not the body's, so a read-only page can still be scrolled."""
        self.body.setEnabled(not read_only)

    def show_findings(self, findings: Sequence[Finding]) -> None:
        lang = self.ctx.lang
        for bound in self._bound:
            path = bound.paths[0]
            if path in self._local:
                bound.message.show_text(Severity.ERROR, self._local[path])
                continue
            mine = [f for f in findings if any(covers(p, f.field) for p in bound.paths)]
            bound.message.show_findings(mine, lang)

    def focus_field(self, path: str) -> bool:
        """Put the cursor in the field a finding names; False when the page has none."""
        best: Bound | None = None
        best_len = -1
        for bound in self._bound:
            for p in bound.paths:
                if (covers(p, path) or covers(path, p)) and len(p) > best_len:
                    best, best_len = bound, len(p)
        if best is None:
            return False
        self.ensureWidgetVisible(best.widget, 40, 80)
        best.widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
