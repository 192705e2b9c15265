"""Page 2: the support direction, chosen from the catalog as a tree.

Each direction shows the policy's status today, this company's verdict (eligible, not
eligible, to confirm) with the reasons, and the estimated maximum support. Expired and
superseded policies stay visible, greyed, with the reason; public-body tasks are hidden
unless asked for (a company cannot apply for them).
"""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
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
from forms.catalog.model import Direction, Measure, Policy, QualifiedDirection, Status
from forms.draft.flow import StepId
from forms.draft.model import Draft
from validators.eligibility import Match, Reason, Verdict, match_profile

GREY = QColor("#8a8a8a")
INACTIVE = (Status.EXPIRED, Status.SUPERSEDED)
VERDICT_COLOURS = {
    Verdict.ELIGIBLE: "#2e7d32",
    Verdict.NOT_ELIGIBLE: "#c62828",
    Verdict.UNKNOWN: "#a15c00",
}
VERDICT_MARKS = {Verdict.ELIGIBLE: "✔", Verdict.NOT_ELIGIBLE: "✖", Verdict.UNKNOWN: "?"}
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
                "从政策目录中选择申报的支持方向。每个方向显示今日的政策状态、本单位的资格判断及理由、"
                "估算的最高支持额；已过期或已废止的政策以灰色显示并说明原因。"
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
        self.tree.setColumnWidth(2, 100)
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
        on = self.ctx.today()
        self.matches = {m.key: m for m in match_profile(self.ctx.catalog, draft.to_profile(), on)}
        if not self._built:
            self._build()
        self._update_rows()
        self._filter()
        self._show_chosen()
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
        """What can be applied for today first (a call whose window is open), then other
        policies in force, then what opens later, then closed windows, then expired and
        superseded policies; the catalog's order within each."""
        on = self.ctx.today()

        def rank(policy: Policy) -> int:
            status = policy.status_on(on)
            if status is Status.ACTIVE:
                return 0 if policy.submission is not None else 1
            order = (Status.NOT_YET_OPEN, Status.WINDOW_CLOSED, Status.EXPIRED, Status.SUPERSEDED)
            return 2 + order.index(status) if status in order else 6

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
        on = self.ctx.today()
        policies = {p.id: p for p in self.ctx.catalog.policies}
        for top in self._tops():
            policy = policies[top.data(0, POLICY_ROLE)]
            status = policy.status_on(on)
            top.setText(1, labels.name(status))
            inactive = status in INACTIVE
            why = self._inactive_reason(policy, status)
            top.setToolTip(1, why)
            top.setToolTip(0, why or self._policy_name(policy))
            for node in _children(top):
                for leaf in _children(node):
                    key = leaf.data(0, KEY_ROLE)
                    match = self.matches[key]
                    leaf.setText(1, labels.name(match.status))
                    verdict = match.verdict
                    leaf.setText(2, f"{VERDICT_MARKS[verdict]} {labels.name(verdict)}")
                    leaf.setForeground(2, QBrush(QColor(VERDICT_COLOURS[verdict])))
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
            if not inactive and status is not Status.WINDOW_CLOSED:
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
        status_label, verdict_label = self.tr("状态"), self.tr("资格")
        estimate_label, words_label = self.tr("估算最高支持"), self.tr("原文")
        nothing = self.tr("无特别条件")
        parts = [
            f"<h3>{escape(self._title(q.direction))}</h3>",
            f"<p>{escape(self._policy_name(q.policy))}<br/>"
            f"<span style='color:#666'>{escape(self._direction_clause(q))}"
            "</span></p>",
            f"<p><b>{escape(status_label)}{colon}</b>{escape(labels.name(match.status))}",
        ]
        why = self._inactive_reason(q.policy, match.status)
        if why:
            parts.append(f"<br/><span style='color:#8a8a8a'>{escape(why)}</span>")
        parts.append("</p>")
        parts.append(
            f"<p><b>{escape(verdict_label)}{colon}</b><span style='color:{colour}'>"
            f"{VERDICT_MARKS[verdict]} {escape(labels.name(verdict))}</span></p><ul>"
        )
        for reason in match.reasons:
            mark = {True: "✔", False: "✖", None: "?"}[reason.met]
            tint = {True: "#2e7d32", False: "#c62828", None: "#a15c00"}[reason.met]
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
        if not match.reasons:
            parts.append(f"<li>{escape(nothing)}</li>")
        parts.append("</ul>")
        parts.append(
            f"<p><b>{escape(estimate_label)}{colon}</b>"
            f"{escape(self._estimate_text(match, None, lang))}<br/>"
            f"<span style='color:#555'>{escape(self._source(support.words))}</span></p>"
        )
        for reading in support.readings:
            meaning = reading.meaning_en if lang == "en" and reading.meaning_en else reading.meaning
            parts.append(f"<p style='color:#555;font-size:small'>{escape(meaning)}</p>")
        parts.append(
            f"<p><b>{escape(words_label)}{colon}</b><span style='color:#333'>"
            f"{escape(q.direction.words)}</span></p>"
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
        """A reason in the interface language, and the policy's own words when they are
        only in Chinese (labelled as the source text; empty in Chinese, where the reason
        already quotes them). Failures and open questions render their message code's
        template, like findings; a met condition is stated as met (its templates describe
        failures) with the catalog's English statement of the condition."""
        en = self.ctx.lang == "en"
        if reason.met is True and reason.kind == "threshold":
            p = reason.params
            met = self.tr("{label} {actual}，满足“{words}”")
            if en:
                text = met.format(
                    label=p["label_en"], actual=p["actual_en"], words=p["requirement_en"]
                )
                return text, self._source(p.get("words", reason.words))
            return met.format(label=p["label"], actual=p["actual"], words=p["words"]), ""
        if reason.met is True:
            if not en:
                return self.tr("满足：{text}").format(text=reason.words), ""
            english = next(
                (c.text_en for c in q.conditions if c.words == reason.words and c.text_en), ""
            )
            if english:
                return self.tr("满足：{text}").format(text=english), self._source(reason.words)
            return self.tr("满足（仅有中文原文）：{words}").format(words=reason.words), ""
        return reason.message(self.ctx.lang), ""

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

    def select_direction(self, key: str) -> None:
        """Choose a direction as the user would (for the group switch and tests)."""
        item = self._item(key)
        if item is not None:
            self.tree.setCurrentItem(item)
            self._choose(item)


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    found = (item.child(i) for i in range(item.childCount()))
    return [child for child in found if child is not None]
