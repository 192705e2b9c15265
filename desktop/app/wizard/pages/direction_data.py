"""Page 3: what the chosen direction asks for, generated from the catalog.

One field per threshold metric (copies sold, users, revenue, availability …) with the
threshold in the policy's own words and whether the value meets it; the alternatives of
a direction group (buyout or non-buyout game) as a switch; and the declarations the
direction's conditions need. Nothing here is hand-written per direction: next year's
catalog gives next year's page.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import TypeAdapter, ValidationError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.app.context import AppContext
from desktop.app.session import DraftSession
from desktop.app.widgets.field_message import FieldMessage
from desktop.app.widgets.money_edit import MoneyEdit
from desktop.app.wizard.pages.base import WizardPage
from forms.catalog.figures import format_metric
from forms.catalog.model import ConditionKind, MetricKind, QualifiedDirection, Threshold
from forms.draft.flow import DECLARED, StepId
from forms.draft.model import Draft, Quantity
from validators.conditions import Subject, evaluate_condition, evaluate_threshold

_QUANTITY = TypeAdapter(Quantity)


def _quantity(text: str) -> Decimal | None:
    if not text.strip():
        return None
    value: Decimal = _QUANTITY.validate_python(text)
    return value


class DirectionDataPage(WizardPage):
    step_id = StepId.DIRECTION_DATA

    def __init__(self, session: DraftSession, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(session, ctx, parent)
        self.set_header(
            self.tr("3  方向指标与声明"),
            self.tr(
                "所选方向的门槛指标和申报条件，均取自政策原文：每项显示要求及是否达到。"
                "数量可带单位填写，如“42万”“99.9%”。"
            ),
        )
        self.holder = QWidget(self.body)
        self.holder_layout = QVBoxLayout(self.holder)
        self.holder_layout.setContentsMargins(0, 0, 0, 0)
        self.outer.addWidget(self.holder)
        self.outer.addStretch(1)
        self._built_for: str | None = "\0"
        self._status: dict[str, QLabel] = {}
        self._dynamic: list[QWidget] = []
        self.group_switch: QComboBox | None = None
        self.metric_edits: dict[str, QWidget] = {}

    # --- building ---------------------------------------------------------------------
    def entered(self) -> None:
        self._rebuild_if_needed()
        super().entered()

    def focus_first(self) -> None:
        # The cursor in the first value still to give, so typing can begin.
        for metric_id, edit in self.metric_edits.items():
            if metric_id not in self.session.draft.project.metrics:
                edit.setFocus(Qt.FocusReason.OtherFocusReason)
                break

    def load(self) -> None:
        self._rebuild_if_needed()
        super().load()

    def _rebuild_if_needed(self) -> None:
        key = self.session.draft.direction
        if key == self._built_for:
            return
        self._built_for = key
        self.forget(self._dynamic)
        self._loaders.clear()
        self._money.clear()
        self._status.clear()
        self.metric_edits.clear()
        self.group_switch = None
        while self.holder_layout.count():
            item = self.holder_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        self._dynamic = []
        q = self.ctx.catalog.lookup(self.session.draft.direction)
        if q is None:
            note = QLabel(self.tr("请先在“支持方向”一步选择申报方向。"), self.holder)
            self.holder_layout.addWidget(note)
            return
        self._build_group_switch(q)
        self._build_thresholds(q)
        self._build_declarations(q)
        self._build_other_conditions(q)

    def _box(self, title: str) -> QFormLayout:
        box = QGroupBox(title, self.holder)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(14)
        self.holder_layout.addWidget(box)
        return form

    def _title(self, obj: object) -> str:
        return str(getattr(obj, "title_en" if self.ctx.lang == "en" else "title"))

    def _build_group_switch(self, q: QualifiedDirection) -> None:
        group = q.direction.group
        if not group:
            return
        siblings = [d for d in q.measure.directions if d.group == group]
        if len(siblings) < 2:
            return
        form = self._box(self.tr("产品类型"))
        combo = QComboBox(self.holder)
        prefix = f"{q.policy.id}/{q.measure.id}/"
        for d in siblings:
            combo.addItem(self._title(d), prefix + d.id)
        combo.setCurrentIndex(combo.findData(q.key))
        message = self.add_field(form, self.tr("类型(&T)："), combo, ("direction.group",))
        message.show_text(None, self.tr("同组方向的门槛不同，切换后下方指标随之改变。"))

        def switch(index: int) -> None:
            key = combo.itemData(index)
            if key != self.session.draft.direction:
                self.apply("direction", lambda d: setattr(d, "direction", key), message)
                self.load()

        combo.activated.connect(switch)
        self.group_switch = combo
        self._dynamic.append(combo)

    def _build_thresholds(self, q: QualifiedDirection) -> None:
        if not q.direction.thresholds:
            return
        form = self._box(self.tr("门槛指标"))
        for threshold in q.direction.thresholds:
            self._threshold_row(form, threshold)

    def _threshold_row(self, form: QFormLayout, threshold: Threshold) -> None:
        metric = self.ctx.catalog.metric(threshold.metric)
        en = self.ctx.lang == "en"
        label = metric.label_en if en else metric.label
        unit = metric.unit_en if en else metric.unit
        path = f"project.metrics.{metric.id}"
        limit = format_metric(metric, threshold.value, english=en)
        reading = threshold.reading
        hint = self.tr("要求：{words}（{op} {limit}）").format(
            words=threshold.words, op=threshold.op.symbol, limit=limit
        )
        if reading is not None:
            hint += "\n" + (reading.meaning_en if en and reading.meaning_en else reading.meaning)
        help_text = metric.help_en if en else metric.help
        if help_text:
            hint += "\n" + help_text
        caption = f"{label}（{unit}）：" if metric.kind is not MetricKind.MONEY else f"{label}："
        container = QWidget(self.holder)
        column = QVBoxLayout(container)
        column.setContentsMargins(0, 0, 0, 0)
        edit: MoneyEdit | QLineEdit
        if metric.kind is MetricKind.MONEY:
            edit = MoneyEdit(self.ctx.unit, self.ctx.lang, container)
        else:
            edit = QLineEdit(container)
            edit.setPlaceholderText(self.tr("如 420000 或 42万"))
        column.addWidget(edit)
        status = QLabel(container)
        column.addWidget(status)
        message = self.add_field(form, caption, container, (path,), hint)
        edit.setAccessibleName(label)
        container.setFocusProxy(edit)
        container.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # so Alt+letter reaches it
        self._status[metric.id] = status
        self.metric_edits[metric.id] = edit
        self._dynamic.append(container)

        def put(d: Draft, value: Decimal | None) -> None:
            metrics = dict(d.project.metrics)
            if value is None:
                metrics.pop(metric.id, None)
            else:
                metrics[metric.id] = value
            d.project.metrics = metrics

        if isinstance(edit, MoneyEdit):
            self.bind_money(edit, path, lambda d: d.project.metrics.get(metric.id), put, message)
        else:
            line = edit

            def typed(text: str) -> None:
                try:
                    value = _quantity(text)
                except ValidationError:
                    self.local_problem(
                        path,
                        self.tr("“{text}”不是数字：可写 300000、30万 或 99.9%").format(text=text),
                        message,
                    )
                    return
                self.apply(path, lambda d: put(d, value), message)
                self.refresh()

            line.textEdited.connect(typed)

            def load(d: Draft) -> None:
                value = d.project.metrics.get(metric.id)
                text = "" if value is None else f"{value.normalize():f}"
                if _safe(line.text()) != value:
                    line.setText(text)

            self._loaders.append(load)
        if isinstance(edit, MoneyEdit):
            edit.value_edited.connect(lambda _: self.refresh())

    def _build_declarations(self, q: QualifiedDirection) -> None:
        declared = [c for c in q.conditions if c.kind in DECLARED]
        if not declared:
            return
        form = self._box(self.tr("申报条件声明"))
        for condition in declared:
            words = condition.words
            if condition.kind is ConditionKind.BUILDER_AND_OWNER:
                combo = self.choice(
                    form, self.tr("建设及产权(&C)："), "declarations.builder_and_owner",
                    self.yes_no_options(),
                    lambda d: d.declarations.builder_and_owner,
                    lambda d, v: setattr(d.declarations, "builder_and_owner", v),
                    hint=words,
                )  # fmt: skip
                self._dynamic.append(combo)
            elif condition.kind is ConditionKind.NO_OTHER_MUNICIPAL_FUNDING:
                combo = self.choice(
                    form, self.tr("已获其他市级资金(&M)："),
                    "declarations.other_municipal_funding", self.yes_no_options(),
                    lambda d: d.declarations.other_municipal_funding,
                    lambda d, v: setattr(d.declarations, "other_municipal_funding", v),
                    hint=words,
                )  # fmt: skip
                self._dynamic.append(combo)
            else:
                self._declaration_box(form, condition.id, condition.words, condition.text_en)

    def _declaration_box(self, form: QFormLayout, cid: str, words: str, text_en: str) -> None:
        text = text_en if self.ctx.lang == "en" and text_en else words
        box = QCheckBox(self.tr("我确认：{words}").format(words=text), self.holder)
        message = FieldMessage(box, self.holder)
        form.addRow(box)
        form.addRow(message)
        box.setAccessibleName(text)
        self.register((f"declarations.confirmed.{cid}",), box, message)
        self._dynamic.append(box)

        def toggled(on: bool) -> None:
            def change(d: Draft) -> None:
                confirmed = [c for c in d.declarations.confirmed if c != cid]
                d.declarations.confirmed = [*confirmed, cid] if on else confirmed

            self.apply("declarations.confirmed", change, message)

        box.toggled.connect(toggled)
        self._loaders.append(lambda d: box.setChecked(cid in d.declarations.confirmed))

    def _build_other_conditions(self, q: QualifiedDirection) -> None:
        others = [c for c in q.conditions if c.kind not in DECLARED]
        if not others:
            return
        box = QGroupBox(self.tr("其他申报条件（按单位信息和项目计划核对）"), self.holder)
        column = QVBoxLayout(box)
        self.conditions_label = QLabel(box)
        self.conditions_label.setWordWrap(True)
        self.conditions_label.setTextFormat(self.conditions_label.textFormat().RichText)
        column.addWidget(self.conditions_label)
        self.holder_layout.addWidget(box)
        self._other_conditions = others

    # --- live status -------------------------------------------------------------------
    def refresh(self) -> None:
        q = self.ctx.catalog.lookup(self.session.draft.direction)
        if q is None:
            return
        metrics = dict(self.session.draft.project.metrics)
        for threshold in q.direction.thresholds:
            label = self._status.get(threshold.metric)
            if label is None:
                continue
            outcome = evaluate_threshold(self.ctx.catalog, threshold, metrics)
            if outcome.met is None:
                label.setText("○ " + self.tr("待填写"))
                label.setStyleSheet("color: #666;")
            elif outcome.met:
                label.setText("✔ " + self.tr("已达到要求"))
                label.setStyleSheet("color: #2e7d32; font-weight: 600;")
            else:
                label.setText("✖ " + self.tr("未达到要求"))
                label.setStyleSheet("color: #c62828; font-weight: 600;")
        if hasattr(self, "_other_conditions") and self._built_for == q.key:
            draft = self.session.draft
            subject = Subject(
                draft.company, draft.declarations, self.ctx.today(), draft, (), self.ctx.catalog
            )
            rows = []
            for condition in self._other_conditions:
                result = evaluate_condition(condition, subject)
                met = None if result is None else result.met
                mark, tint = (
                    ("?", "#a15c00")
                    if met is None
                    else ("✔", "#2e7d32")
                    if met
                    else ("✖", "#c62828")
                )
                words = (
                    condition.text_en
                    if self.ctx.lang == "en" and condition.text_en
                    else condition.words
                )
                rows.append(f"<span style='color:{tint}'>{mark}</span> {words}")
            self.conditions_label.setText("<br/>".join(rows))

    def show_findings(self, findings: list) -> None:  # type: ignore[override, type-arg]
        # A declaration finding names "declarations.confirmed"; route it to its box by id.
        routed = []
        q = self.ctx.catalog.lookup(self.session.draft.direction)
        by_words = {c.words: c.id for c in q.conditions} if q is not None else {}
        for f in findings:
            if f.field == "declarations.confirmed" and f.params.get("words") in by_words:
                cid = by_words[f.params["words"]]
                routed.append(f.model_copy(update={"field": f"declarations.confirmed.{cid}"}))
            else:
                routed.append(f)
        super().show_findings(routed)


def _safe(text: str) -> Decimal | None:
    try:
        return _quantity(text)
    except ValidationError:
        return None
