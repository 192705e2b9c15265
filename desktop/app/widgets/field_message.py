"""The line under a field that says what is wrong with it, in the field's own words.

Shows the most severe finding for the field (error red, warning amber, info blue),
hides itself when there is nothing to say, and copies the message into the field's
accessible description so screen readers read it with the field.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QWidget

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


class FieldMessage(QLabel):
    def __init__(self, field: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setWordWrap(True)
        self.severity: Severity | None = None
        self.setVisible(False)

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
        if self.field is not None:
            self.field.setAccessibleDescription(text)
        self.setVisible(True)

    def clear_message(self) -> None:
        self.severity = None
        self.setText("")
        self.setAccessibleName("")
        if self.field is not None:
            self.field.setAccessibleDescription("")
        self.setVisible(False)
