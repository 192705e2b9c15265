"""Page 2: the support direction, chosen from the catalog as a tree.

Each direction shows when it can be applied for (the document's in-force interval and
its submission window, judged at this instant), this company's verdict — which keeps
"meets the conditions" apart from "can apply now" — with the reasons, what the company
is missing (the nearest unmet threshold and how far), and the estimated maximum support.
Expired and superseded policies stay visible, greyed, with the reason; public-body tasks
are hidden unless asked for (a company cannot apply for them). For the chosen direction,
a departure from a norm ("一般", "原则上") is explained in writing here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.app import fmt, labels
from desktop.app.context import AppContext
from desktop.app.session import DraftSession
from desktop.app.widgets.field_message import FieldMessage
from desktop.app.wizard.pages.base import WizardPage
from forms.catalog.model import (
    Condition,
    Direction,
    Measure,
    Policy,
    QualifiedDirection,
    Status,
)
from forms.catalog.support import support_summary
from forms.draft.flow import StepId
from forms.draft.model import Draft
from validators.eligibility import Match, Reason, Verdict, match_profile
from validators.findings import Finding
from validators.timing import timing

GREY = QColor("#8a8a8a")
INACTIVE = (Status.EXPIRED, Status.SUPERSEDED)
VERDICT_COLOURS = {
    Verdict.ELIGIBLE: "#2e7d32",
    Verdict.MEETS_CONDITIONS: "#1f5f9e",
    Verdict.NOT_ELIGIBLE: "#c62828",
    Verdict.UNKNOWN: "#a15c00",
}
VERDICT_MARKS = {
    Verdict.ELIGIBLE: "✔",
    Verdict.MEETS_CONDITIONS: "◷",
    Verdict.NOT_ELIGIBLE: "✖",
    Verdict.UNKNOWN: "?",
}
KEY_ROLE = Qt.ItemDataRole.UserRole
POLICY_ROLE = Qt.ItemDataRole.UserRole + 1
_NUMERALS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX",
          10: "X"}  # fmt: skip


def measure_number(number: str, lang: str) -> str:
    """A measure's number as the interface writes it: "附件2 · 一" is 附件2（一） in Chinese
    and "Annex 2 (1)" in English, "二、1" is II.1 in English; others are kept."""
    annex, sep, item = number.partition(" · ")
    if lang == "en":
        if sep and item in _NUMERALS:
            return f"{english_numbering(annex)} ({_NUMERALS[item]})"
        return english_numbering(number)
    return f"{annex}（{item}）" if sep and item in _NUMERALS else number


def _arabic(numeral: str) -> str:
    if numeral in _NUMERALS:
        return str(_NUMERALS[numeral])
    if numeral.startswith("十") and numeral[1:] in _NUMERALS:
        return str(10 + _NUMERALS[numeral[1:]])
    if numeral.endswith("十") and numeral[:-1] in _NUMERALS:
        return str(10 * _NUMERALS[numeral[:-1]])
    return numeral


def english_numbering(text: str) -> str:
    """Chinese clause numbering in English: 附件2 -> Annex 2, 四、 -> IV., (一) -> (1),
    第六条 -> Art. 6; the words around it are left as they are."""
    text = re.sub(r"附件\s*(\d+)", r"Annex \1", text)
    text = re.sub(r"第([一二三四五六七八九十]+)条", lambda m: f"Art. {_arabic(m[1])}", text)
    text = re.sub(
        r"(?<![一-龥])([一二三四五六七八九十])、",
        lambda m: f"{_ROMAN.get(_NUMERALS[m[1]], m[1])}.",
        text,
    )
    return re.sub(r"[(（]([一二三四五六七八九十])[)）]", lambda m: f"({_NUMERALS[m[1]]})", text)


def english_clause(clause: str, policy: Policy) -> str:
    del policy  # the clause names its own place
    return english_numbering(clause)


class DirectionPage(WizardPage):
    """Signals: advance_requested(): a direction was chosen with Enter (or a double
    click): choose it and go on to the next page."""

    step_id = StepId.DIRECTION
    advance_requested = Signal()

    def __init__(self, session: DraftSession, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(session, ctx, parent)
        self.setWidgetResizable(True)
        self.set_header(
            self.tr("2  支持方向"),
            self.tr(
                "从政策目录中选择申报的支持方向。每个方向显示何时可以申报（施行期与受理时间）、"
                "本单位是否符合条件与现在能否申报、还缺什么，以及估算的最高支持额；"
                "已过期或已废止的政策以灰色显示并说明原因。"
            ),
        )
        self.matches: dict[str, Match] = {}
        self.chosen = QLabel(self.body)
        self.chosen.setWordWrap(True)
        self.chosen.setStyleSheet("font-weight: 600;")
        self.chosen_message = FieldMessage(self.chosen, self.body)
        self.outer.addWidget(self.chosen)
        self.outer.addWidget(self.chosen_message)
        self.register(("direction", "company.applicant_type"), self.chosen, self.chosen_message)

        filters = QHBoxLayout()
        search_label = QLabel(self.tr("查找(&K)："), self.body)
        self.search = QLineEdit(self.body)
        self.search.setPlaceholderText(
            self.tr("输入方向、政策或文号中的字词，按回车选定第一个符合的方向并进入下一步")
        )
        self.search.setAccessibleName(self.tr("查找支持方向"))
        search_label.setBuddy(self.search)
        self.show_all = QCheckBox(self.tr("显示政府部门工作任务(&G)"), self.body)
        self.only_eligible = QCheckBox(self.tr("只看符合条件的方向(&L)"), self.body)
        filters.addWidget(search_label)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.only_eligible)
        filters.addWidget(self.show_all)
        self.outer.addLayout(filters)

        split = QSplitter(Qt.Orientation.Horizontal, self.body)
        self.tree = QTreeWidget(split)
        self.tree.setAccessibleName(self.tr("政策目录"))
        self.tree.setHeaderLabels(
            [
                self.tr("政策 / 措施 / 支持方向"),
                self.tr("状态"),
                self.tr("资格"),
                self.tr("估算上限"),
            ]
        )
        self.tree.setColumnWidth(0, 320)
        self.tree.setColumnWidth(1, 84)
        self.tree.setColumnWidth(2, 170)
        self.tree.setColumnWidth(3, 90)
        self.tree.setMinimumHeight(420)
        right = QWidget(split)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        self.detail = QTextBrowser(right)
        self.detail.setAccessibleName(self.tr("方向详情"))
        self.detail.setOpenExternalLinks(False)
        self.choose = QPushButton(self.tr("选定此方向(&D)"), right)
        self.choose.setEnabled(False)
        column.addWidget(self.detail, 1)
        column.addWidget(self.choose)
        split.addWidget(self.tree)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.outer.addWidget(split, 1)

        # Written reasons for departing from the chosen direction's norms (一般, 原则上).
        self.norms = QGroupBox(self.tr("书面说明（原则性要求）"), self.body)
        self.norms_column = QVBoxLayout(self.norms)
        self.norms_intro = QLabel(
            self.tr(
                "以下条件原文写作“一般”或“原则上”：不符合时不阻止导出，但须在此写明理由；"
                "理由写入申报书“需要说明的事项”。符合这些条件时无需填写。"
            ),
            self.norms,
        )
        self.norms_intro.setWordWrap(True)
        self.norms_intro.setStyleSheet("color: #555;")
        self.norms_column.addWidget(self.norms_intro)
        self.norm_edits: dict[str, QPlainTextEdit] = {}
        self._norm_rows: dict[str, tuple[QWidget, ...]] = {}
        self._norm_widgets: list[QWidget] = []
        self._norms_for: str | None = None
        self.outer.addWidget(self.norms)
        self.norms.setVisible(False)

        self.tree.currentItemChanged.connect(lambda current, _: self._show(current))
        self.tree.itemActivated.connect(lambda item, _: self._choose_and_go(item))
        self.search.returnPressed.connect(self._choose_first_match)
        self.choose.clicked.connect(lambda: self._choose(self.tree.currentItem()))
        self.search.textChanged.connect(lambda _: self._filter())
        self.show_all.toggled.connect(lambda _: self._filter())
        self.only_eligible.toggled.connect(lambda _: self._filter())
        self._built = False

    # --- data -------------------------------------------------------------------------
    def focus_first(self) -> None:
        if self.session.draft.direction is None:
            self.search.setFocus(Qt.FocusReason.OtherFocusReason)  # type, then Enter

    def refresh(self) -> None:
        draft = self.session.draft
        when = self.ctx.moment()
        profile = draft.to_profile()
        self.matches = {m.key: m for m in match_profile(self.ctx.catalog, profile, when)}
        if not self._built:
            self._build()
        self._update_rows()
        self._filter()
        self._show_chosen()
        self._build_norms()
        if draft.direction and (item := self._item(draft.direction)) is not None:
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
        else:
            self._show(self.tree.currentItem())

    def _title(self, obj: Policy | Measure | Direction) -> str:
        return obj.title_en if self.ctx.lang == "en" else obj.title

    def _policy_name(self, policy: Policy) -> str:
        number = f"（{policy.doc_number}）" if policy.doc_number else ""
        return self._title(policy) + number

    def _ordered_policies(self) -> list[Policy]:
        """What can be applied for now first (a call whose window is open), then other
        policies in force, then what opens later (a window not yet open, a policy not yet
        in force), then closed windows, then expired and superseded policies; the
        catalog's order within each. Judged at the app's moment, as the rows are."""
        when = self.ctx.moment()
        order = (
            Status.NOT_YET_OPEN,
            Status.NOT_YET_IN_FORCE,
            Status.WINDOW_CLOSED,
            Status.EXPIRED,
            Status.SUPERSEDED,
        )

        def rank(policy: Policy) -> int:
            status = timing(policy, when, self.ctx.catalog).status
            if status is Status.ACTIVE:
                return 0 if policy.submission is not None else 1
            return 2 + order.index(status) if status in order else 2 + len(order)

        return sorted(self.ctx.catalog.policies, key=rank)

    def measure_label(self, measure: Measure) -> str:
        """ "附件2 · 一" as 附件2（一）, in English "Annex 2 (1)": the Chinese numeral 一 read
        as a stray dash before the title."""
        return measure_number(measure.number, self.ctx.lang) + " " + self._title(measure)

    def _build(self) -> None:
        self.tree.clear()
        for policy in self._ordered_policies():
            top = QTreeWidgetItem([self._policy_name(policy), "", "", ""])
            top.setData(0, POLICY_ROLE, policy.id)
            self.tree.addTopLevelItem(top)
            for measure in policy.measures:
                node = QTreeWidgetItem([self.measure_label(measure), "", "", ""])
                top.addChild(node)
                for direction in measure.directions:
                    q = QualifiedDirection(policy, measure, direction)
                    leaf = QTreeWidgetItem([self._title(direction), "", "", ""])
                    leaf.setData(0, KEY_ROLE, q.key)
                    leaf.setToolTip(0, q.key)
                    node.addChild(leaf)
        self._built = True

    def _tops(self) -> list[QTreeWidgetItem]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    def _leaves(self) -> list[QTreeWidgetItem]:
        return [leaf for top in self._tops() for node in _children(top) for leaf in _children(node)]

    def _item(self, key: str) -> QTreeWidgetItem | None:
        for leaf in self._leaves():
            if leaf.data(0, KEY_ROLE) == key:
                return leaf
        return None

    def _update_rows(self) -> None:
        chosen = self.session.draft.direction
        unit, lang = self.ctx.unit, self.ctx.lang
        when = self.ctx.moment()
        policies = {p.id: p for p in self.ctx.catalog.policies}
        for top in self._tops():
            policy = policies[top.data(0, POLICY_ROLE)]
            standing = timing(policy, when, self.ctx.catalog)
            status = standing.status
            top.setText(1, labels.name(status))
            inactive = status in INACTIVE
            why = self._inactive_reason(policy, status)
            when_text = standing.describe(lang, reasoning=True)
            top.setToolTip(1, "\n".join(t for t in (why, when_text) if t))
            top.setToolTip(0, why or self._policy_name(policy))
            for node in _children(top):
                for leaf in _children(node):
                    key = leaf.data(0, KEY_ROLE)
                    match = self.matches[key]
                    leaf.setText(1, labels.name(match.status))
                    verdict = match.verdict
                    leaf.setText(2, f"{VERDICT_MARKS[verdict]} {labels.name(verdict)}")
                    leaf.setForeground(2, QBrush(QColor(VERDICT_COLOURS[verdict])))
                    leaf.setToolTip(2, match.verdict_text().render(lang))
                    leaf.setToolTip(1, match.timing.describe(lang))
                    leaf.setText(3, self._estimate_text(match, unit, lang))
                    font = QFont(leaf.font(0))
                    font.setBold(key == chosen)
                    leaf.setFont(0, font)
                    if key == chosen:
                        leaf.setText(0, "★ " + self._title(match.direction.direction))
                    else:
                        leaf.setText(0, self._title(match.direction.direction))
            nodes = _children(top)
            greyed = [top, *nodes, *(leaf for n in nodes for leaf in _children(n))]
            for item in greyed:
                for column in range(4):
                    if inactive:
                        item.setForeground(column, QBrush(GREY))
            if status.open_for_applications:
                top.setExpanded(True)

    def _estimate_text(self, match: Match, unit: object, lang: str) -> str:
        estimate = match.estimate
        if match.max_support is not None:
            return fmt.money(match.max_support, self.ctx.unit, self.ctx.lang)
        if estimate.unspecified or not estimate.support.monetary:
            return self.tr("未规定")
        return self.tr("需填基数")

    def _inactive_reason(self, policy: Policy, status: Status) -> str:
        if status is Status.EXPIRED:
            return self.tr("已于{date}到期：{words}").format(
                date=fmt.day(policy.effective_until, self.ctx.lang), words=policy.validity_words
            )
        if status is Status.SUPERSEDED:
            return self.tr("已于{date}废止：{note}").format(
                date=fmt.day(policy.superseded_on, self.ctx.lang), note=policy.note
            )
        return ""

    def _filter(self) -> None:
        needle = self.search.text().strip().lower()
        show_gov = self.show_all.isChecked()
        only_ok = self.only_eligible.isChecked()
        for top in self._tops():
            policy_text = top.text(0).lower()
            any_top = False
            for node in _children(top):
                any_node = False
                for leaf in _children(node):
                    match = self.matches[leaf.data(0, KEY_ROLE)]
                    direction = match.direction.direction
                    visible = show_gov or direction.applyable
                    if only_ok and match.verdict is not Verdict.ELIGIBLE:
                        visible = False
                    if needle:
                        hay = " ".join(
                            (leaf.text(0), node.text(0), policy_text, direction.words, match.key)
                        ).lower()
                        visible = visible and needle in hay
                    leaf.setHidden(not visible)
                    any_node = any_node or visible
                node.setHidden(not any_node)
                if needle and any_node:
                    node.setExpanded(True)
                any_top = any_top or any_node
            top.setHidden(not any_top)
            if needle and any_top:
                top.setExpanded(True)

    # --- detail -----------------------------------------------------------------------
    def _show_chosen(self) -> None:
        key = self.session.draft.direction
        if key is None or key not in self.matches:
            self.chosen.setText(self.tr("尚未选择支持方向。请在下方选择后点“选定此方向”。"))
            return
        match = self.matches[key]
        q = match.direction
        self.chosen.setText(
            self.tr("已选定：{direction} — {policy}").format(
                direction=self._title(q.direction), policy=self._policy_name(q.policy)
            )
        )

    def _show(self, item: QTreeWidgetItem | None) -> None:
        key = item.data(0, KEY_ROLE) if item is not None else None
        if key is None or key not in self.matches:
            self.choose.setEnabled(False)
            self.detail.setHtml(
                "<p style='color:#666'>"
                + escape(self.tr("选择一个支持方向以查看要求、资格判断和估算支持额。"))
                + "</p>"
            )
            return
        match = self.matches[key]
        q = match.direction
        self.choose.setEnabled(q.direction.applyable and match.status not in INACTIVE)
        self.detail.setHtml(self._detail_html(match))

    def _detail_html(self, match: Match) -> str:
        q = match.direction
        lang = self.ctx.lang
        colon = ": " if lang == "en" else "："
        support = self.ctx.catalog.effective_support(q)
        verdict = match.verdict
        colour = VERDICT_COLOURS[verdict]

        def row(name: str, value: str, style: str = "") -> str:
            span = f"<span style='{style}'>{escape(value)}</span>" if style else escape(value)
            return f"<b>{escape(name)}{colon}</b>{span}"

        meets = {True: self.tr("是"), False: self.tr("否"), None: self.tr("待确认")}
        missing_label, reasons_label = self.tr("还缺"), self.tr("理由")
        nothing, words_label = self.tr("无特别条件"), self.tr("原文")
        parts = [
            f"<h3>{escape(self._title(q.direction))}</h3>",
            f"<p>{escape(self._policy_name(q.policy))}<br/>"
            f"<span style='color:#666'>{escape(self._direction_clause(q))}"
            "</span></p>",
            "<p>"
            + row(self.tr("结论"), f"{VERDICT_MARKS[verdict]} ", f"color:{colour}")
            + f"<span style='color:{colour}'>{escape(match.verdict_text().render(lang))}</span>"
            + "<br/>"
            + row(self.tr("是否符合条件"), meets[match.meets_conditions])
            + "<br/>"
            + row(
                self.tr("现在是否受理申报"),
                self.tr("受理中") if match.can_apply_now else self.tr("不受理"),
            )
            + "</p>",
            "<p>"
            + row(self.tr("何时可申报"), labels.name(match.status))
            + f"<br/><span style='color:#333'>"
            f"{escape(match.timing.describe(lang, reasoning=True))}</span>",
        ]
        why = self._inactive_reason(q.policy, match.status)
        if why:
            parts.append(f"<br/><span style='color:#8a8a8a'>{escape(why)}</span>")
        parts.append("</p>")
        missing = [r for r in match.missing if r.kind != "applicant" or r.met is False]
        if missing and verdict is not Verdict.ELIGIBLE:
            parts.append(f"<p><b>{escape(missing_label)}{colon}</b></p><ul>")
            for reason in missing:
                mark = "✖" if reason.met is False else "?"
                tint = "#c62828" if reason.met is False else "#a15c00"
                parts.append(
                    f"<li><span style='color:{tint}'>{mark}</span> "
                    f"{escape(reason.message(lang))}</li>"
                )
            parts.append("</ul>")
        nearest = match.nearest
        if nearest is not None:
            p = nearest.params
            text = (
                f"{p['label_en']} {p['actual_en']}, {p['gap_en']}"
                if lang == "en"
                else f"{p['label']} {p['actual']}，{p['gap']}"
            )
            parts.append("<p>" + row(self.tr("最接近的未达门槛"), text, "color:#c62828") + "</p>")
        parts.append(f"<p><b>{escape(reasons_label)}{colon}</b></p><ul>")
        listed = [r for r in match.reasons if r not in missing or verdict is Verdict.ELIGIBLE]
        for reason in listed:
            mark = {True: "✔", False: "✖", None: "?"}[reason.met]
            tint = {True: "#2e7d32", False: "#c62828", None: "#a15c00"}[reason.met]
            if reason.kind == "norm":
                mark, tint = "⚠", "#a15c00"
            text, source = self.reason_lines(reason, q)
            quote = (
                f"<br/><span style='color:#555;font-size:small'>{escape(source)}</span>"
                if source
                else ""
            )
            parts.append(
                f"<li><span style='color:{tint}'>{mark}</span> {escape(text)}{quote}"
                f"<br/><span style='color:#888;font-size:small'>"
                f"{escape(self._clause(q.policy, reason.clause, cited=True))}</span></li>"
            )
        if not listed:
            parts.append(f"<li>{escape(nothing)}</li>")
        parts.append("</ul>")
        parts.append(
            "<p>"
            + row(self.tr("支持标准"), support_summary(self.ctx.catalog, q, lang))
            + "<br/>"
            + row(self.tr("估算最高支持"), self._estimate_text(match, None, lang))
            + f"<br/><span style='color:#555'>{escape(self._source(support.words))}</span></p>"
        )
        inference = match.estimate.inference
        if inference is not None:
            reasoning = inference.reasoning_en if lang == "en" else inference.reasoning
            parts.append(
                "<p style='color:#1f5f9e;font-size:small'>"
                + escape(self.tr("本工具推断：{reasoning}").format(reasoning=reasoning))
                + "</p>"
            )
        for reading in support.readings:
            meaning = reading.meaning_en if lang == "en" and reading.meaning_en else reading.meaning
            parts.append(f"<p style='color:#555;font-size:small'>{escape(meaning)}</p>")
        note = q.direction.note_en if lang == "en" and q.direction.note_en else q.direction.note
        if note and (lang != "en" or q.direction.note_en):
            parts.append(f"<p style='color:#555'>{escape(note)}</p>")
        parts.append(
            f"<p><b>{escape(words_label)}{colon}</b><span style='color:#333'>"
            f"{escape(self._source(q.direction.words))}</span></p>"
        )
        return "".join(parts)

    def _source(self, words: str) -> str:
        """Policy words quoted verbatim: in English they are labelled as the Chinese source."""
        if not words or self.ctx.lang != "en":
            return words
        return self.tr("原文：{words}").format(words=words)

    def _direction_clause(self, q: QualifiedDirection) -> str:
        """Where the direction stands; in English by the measure's and direction's English
        names (the Chinese clause is their source, quoted below as 原文)."""
        if self.ctx.lang != "en":
            return q.direction.clause
        where = f"{self.measure_label(q.measure)} · {q.direction.title_en}"
        return self.tr("出处：{clause}").format(clause=where)

    def _clause(self, policy: Policy, clause: str, cited: bool = False) -> str:
        """Where a rule stands. In English the policy's title is given in English and the
        clause's numbering too (附件2 -> Annex 2, 四、(一)1 -> IV.(1)1); the clause's own
        names are the policy's and stay as the source writes them."""
        if self.ctx.lang != "en":
            return clause
        prefix = policy.doc_number or f"《{policy.title}》"
        if cited and clause.startswith(prefix):
            name = policy.doc_number or policy.title_en or policy.title
            clause = f"{name}, {clause[len(prefix) :].strip()}"
        return self.tr("出处：{clause}").format(clause=english_clause(clause, policy))

    def reason_lines(self, reason: Reason, q: QualifiedDirection) -> tuple[str, str]:
        """A reason in the interface language (`Reason.message`: met reasons in met words,
        the others by their code's template, the same words as the command line), and in
        English the policy's own words when they are only in Chinese (labelled as the
        source text)."""
        text = reason.message(self.ctx.lang)
        if self.ctx.lang != "en" or not reason.words or reason.kind == "status":
            return text, ""
        return text, self._source(reason.words)

    # --- choosing -----------------------------------------------------------------------
    def _choose(self, item: QTreeWidgetItem | None) -> bool:
        key = item.data(0, KEY_ROLE) if item is not None else None
        if key is None or not self.choose.isEnabled():
            return False
        if self.ctx.catalog.lookup(key) is None:
            return False

        def change(d: Draft) -> None:
            d.direction = key  # the draft keeps its own title: choosing does not rename it

        self.apply("direction", change, self.chosen_message)
        self.refresh()
        return bool(self.session.draft.direction == key)

    def _choose_and_go(self, item: QTreeWidgetItem | None) -> None:
        if item is not None and self.tree.currentItem() is not item:
            self.tree.setCurrentItem(item)
        if self._choose(item):
            self.advance_requested.emit()

    def _choose_first_match(self) -> None:
        """Enter in the search box: the first direction shown that can be chosen."""
        for leaf in self._leaves():
            parent = leaf.parent()
            if leaf.isHidden() or (parent is not None and parent.isHidden()):
                continue
            match = self.matches.get(leaf.data(0, KEY_ROLE))
            if match is None or not match.direction.direction.applyable:
                continue
            if match.status in INACTIVE:
                continue
            self.tree.setCurrentItem(leaf)
            self._choose_and_go(leaf)
            return

    # --- written reasons for norms ---------------------------------------------------------
    def _norm_conditions(self) -> list[Condition]:
        q = self.ctx.catalog.lookup(self.session.draft.direction)
        return [c for c in q.conditions if c.norm] if q is not None else []

    def _build_norms(self) -> None:
        """One text box per norm of the chosen direction (rebuilt when it changes)."""
        key = self.session.draft.direction
        if key != self._norms_for:
            self._norms_for = key
            self.forget(self._norm_widgets)
            for widget in self._norm_widgets:
                self.norms_column.removeWidget(widget)
                widget.deleteLater()
            self._norm_widgets, self.norm_edits, self._norm_rows = [], {}, {}
            for condition in self._norm_conditions():
                self._norm_box(condition)
        self._show_norms(self.session.findings)
        reasons = self.session.draft.declarations.justifications
        for cid, edit in self.norm_edits.items():
            text = reasons.get(cid, "")
            if edit.toPlainText() != text:
                edit.blockSignals(True)
                edit.setPlainText(text)
                edit.blockSignals(False)

    def _norm_box(self, condition: Condition) -> None:
        en = self.ctx.lang == "en"
        words = condition.text_en if en and condition.text_en else condition.words
        reading = condition.reading
        meaning = ""
        if reading is not None:
            meaning = reading.meaning_en if en and reading.meaning_en else reading.meaning
        caption = QLabel(f"<b>{escape(words)}</b><br/>{escape(meaning)}", self.norms)
        caption.setWordWrap(True)
        edit = QPlainTextEdit(self.norms)
        edit.setAccessibleName(self.tr("书面说明：{words}").format(words=words))
        edit.setPlaceholderText(self.tr("仅在本草稿与此条件不符时填写：写明理由"))
        edit.setFixedHeight(64)
        message = FieldMessage(edit, self.norms)
        path = f"declarations.justifications.{condition.id}"
        cid = condition.id

        def changed() -> None:
            text = edit.toPlainText()

            def put(d: Draft) -> None:
                reasons = dict(d.declarations.justifications)
                if text.strip():
                    reasons[cid] = text
                else:
                    reasons.pop(cid, None)
                d.declarations.justifications = reasons

            self.apply(path, put, message)

        edit.textChanged.connect(changed)
        for widget in (caption, edit, message):
            self.norms_column.addWidget(widget)
            self._norm_widgets.append(widget)
        self.register((path,), edit, message)
        self.norm_edits[cid] = edit
        self._norm_rows[cid] = (caption, edit, message)

    def _show_norms(self, findings: Sequence[Finding]) -> None:
        """Only the norms this draft departs from (or has explained) ask for a reason."""
        prefix = "declarations.justifications."
        asked = {f.field.removeprefix(prefix) for f in findings if f.field.startswith(prefix)}
        given = {k for k, v in self.session.draft.declarations.justifications.items() if v}
        shown = False
        for cid, widgets in self._norm_rows.items():
            visible = cid in asked or cid in given
            for widget in widgets[:2]:
                widget.setVisible(visible)
            shown = shown or visible
        self.norms.setVisible(shown)

    def show_findings(self, findings: Sequence[Finding]) -> None:
        super().show_findings(findings)
        self._show_norms(findings)

    def select_direction(self, key: str) -> None:
        """Choose a direction as the user would (for the group switch and tests)."""
        item = self._item(key)
        if item is not None:
            self.tree.setCurrentItem(item)
            self._choose(item)


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    found = (item.child(i) for i in range(item.childCount()))
    return [child for child in found if child is not None]
