"""The line under a field that says what is wrong with it, in the field's own words.

Shows the most severe finding for the field (error red, warning amber, info blue) and
copies the message into the field's accessible description so screen readers read it
with the field. Its space is reserved: hidden, it keeps one line's height (and, once a
longer message was shown, that message's height), so a message appearing or going away
while someone types never moves the fields below it under their cursor.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from forms.catalog.model import Severity
from validators.findings import Finding, Language

COLOURS = {
    Severity.ERROR: "#c62828",
    Severity.WARNING: "#a15c00",
    Severity.INFO: "#1f5f9e",
    None: "#2e7d32",
}
MARKS = {Severity.ERROR: "✖", Severity.WARNING: "⚠", Severity.INFO: "ℹ", None: "✔"}
_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_RESERVE = " "  # an empty message still takes a line


class FieldMessage(QLabel):
    def __init__(
        self,
        field: QWidget | None = None,
        parent: QWidget | None = None,
        *,
        reserve: bool = True,
        lines: int = 1,
    ) -> None:
        super().__init__(parent)
        self.field = field
        self.setWordWrap(True)
        self.severity: Severity | None = None
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(reserve)
        policy.setVerticalPolicy(QSizePolicy.Policy.Minimum)
        self.setSizePolicy(policy)
        self.reserve = reserve
        if reserve and lines > 1:
            self.reserve_lines(lines)
        self.setText(_RESERVE)
        self.setVisible(False)

    def reserve_lines(self, lines: int) -> None:
        """Keep room for `lines` lines (a field checked as it is typed, whose messages run
        to two lines): the height a label of that many lines takes."""
        probe = QLabel("\n".join("申" * lines))  # a Chinese line is taller than a Latin one
        probe.setFont(self.font())
        self.setMinimumHeight(max(self.minimumHeight(), probe.sizeHint().height()))

    @property
    def shown(self) -> str:
        """The message now shown; empty when there is none."""
        return "" if self.isHidden() else self.text()

    def show_findings(self, findings: Sequence[Finding], lang: Language) -> None:
        if not findings:
            self.clear_message()
            return
        ordered = sorted(findings, key=lambda f: _ORDER[f.severity])
        worst = ordered[0].severity
        texts = [f.message(lang) for f in ordered if f.severity is worst]
        self.show_text(worst, "\n".join(dict.fromkeys(texts)))

    def show_text(self, severity: Severity | None, text: str) -> None:
        self.severity = severity
        self.setText(f"{MARKS[severity]} {text}")
        self.setStyleSheet(f"color: {COLOURS[severity]};")
        self.setAccessibleName(text)
        self._describe(text)
        self.setVisible(True)

    def clear_message(self) -> None:
        if self.reserve and not self.isHidden() and self.height() > 0:
            # Keep the room the message took, so the fields below stay where they are.
            self.setMinimumHeight(max(self.minimumHeight(), self.height()))
        self.severity = None
        self.setText(_RESERVE)
        self.setAccessibleName("")
        self._describe("")
        self.setVisible(False)

    def _describe(self, text: str) -> None:
        """The field (and the editor inside it, for an amount with its unit) says it too."""
        field = self.field
        if field is not None:
            field.setAccessibleDescription(text)
            inner = field.focusProxy()
            if inner is not None:
                inner.setAccessibleDescription(text)
